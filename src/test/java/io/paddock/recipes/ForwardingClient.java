package io.paddock.recipes;

import io.paddock.client.AclStat;
import io.paddock.client.AddWatchMode;
import io.paddock.client.Children;
import io.paddock.client.ConnectionState;
import io.paddock.client.ConnectionStateListener;
import io.paddock.client.CreateOptions;
import io.paddock.client.Created;
import io.paddock.client.MultiOp;
import io.paddock.client.MultiResult;
import io.paddock.client.NodeData;
import io.paddock.client.PaddockClient;
import io.paddock.client.ServerInfo;
import io.paddock.client.Watcher;
import io.paddock.client.WatcherType;
import io.paddock.tree.Acl;
import io.paddock.tree.Id;
import io.paddock.tree.Stat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A client that passes every call to another one ({@link #delegate()}, which may change over
 * time): tests' fault-injecting clients extend it and override only what they change.
 */
abstract class ForwardingClient implements PaddockClient {

    /** The client calls go to now. */
    protected abstract PaddockClient delegate();

    @Override
    public CompletionStage<Created> createAsync(String path, byte[] data, CreateOptions options) {
        return delegate().createAsync(path, data, options);
    }

    @Override
    public CompletionStage<Stat> setDataAsync(String path, byte[] data, int version) {
        return delegate().setDataAsync(path, data, version);
    }

    @Override
    public long sessionId() {
        return delegate().sessionId();
    }

    @Override
    public int sessionTimeoutMs() {
        return delegate().sessionTimeoutMs();
    }

    @Override
    public ConnectionState state() {
        return delegate().state();
    }

    @Override
    public String currentServer() {
        return delegate().currentServer();
    }

    @Override
    public long lastZxidSeen() {
        return delegate().lastZxidSeen();
    }

    @Override
    public void addConnectionStateListener(ConnectionStateListener listener) {
        delegate().addConnectionStateListener(listener);
    }

    @Override
    public void removeConnectionStateListener(ConnectionStateListener listener) {
        delegate().removeConnectionStateListener(listener);
    }

    @Override
    public void addWatchListener(Watcher listener) {
        delegate().addWatchListener(listener);
    }

    @Override
    public void removeWatchListener(Watcher listener) {
        delegate().removeWatchListener(listener);
    }

    @Override
    public CompletionStage<ServerInfo> serverInfoAsync() {
        return delegate().serverInfoAsync();
    }

    @Override
    public void close() {
        delegate().close();
    }

    @Override
    public CompletionStage<NodeData> getDataAsync(String path, Watcher watcher) {
        return delegate().getDataAsync(path, watcher);
    }

    @Override
    public CompletionStage<Optional<Stat>> existsAsync(String path, Watcher watcher) {
        return delegate().existsAsync(path, watcher);
    }

    @Override
    public CompletionStage<Children> getChildrenAsync(String path, Watcher watcher) {
        return delegate().getChildrenAsync(path, watcher);
    }

    @Override
    public CompletionStage<List<String>> getDescendantsAsync(String path) {
        return delegate().getDescendantsAsync(path);
    }

    @Override
    public CompletionStage<Void> deleteAsync(String path, int version) {
        return delegate().deleteAsync(path, version);
    }

    @Override
    public CompletionStage<Void> deleteRecursiveAsync(String path) {
        return delegate().deleteRecursiveAsync(path);
    }

    @Override
    public CompletionStage<AclStat> getAclAsync(String path) {
        return delegate().getAclAsync(path);
    }

    @Override
    public CompletionStage<Stat> setAclAsync(String path, List<Acl> acl, int version) {
        return delegate().setAclAsync(path, acl, version);
    }

    @Override
    public CompletionStage<List<MultiResult>> multiAsync(List<MultiOp> ops) {
        return delegate().multiAsync(ops);
    }

    @Override
    public CompletionStage<Void> syncAsync(String path) {
        return delegate().syncAsync(path);
    }

    @Override
    public CompletionStage<Void> addWatchAsync(String path, AddWatchMode mode, Watcher watcher) {
        return delegate().addWatchAsync(path, mode, watcher);
    }

    @Override
    public CompletionStage<Void> removeWatchesAsync(String path, WatcherType type) {
        return delegate().removeWatchesAsync(path, type);
    }

    @Override
    public CompletionStage<List<String>> getEphemeralsAsync(String prefix) {
        return delegate().getEphemeralsAsync(prefix);
    }

    @Override
    public CompletionStage<Void> addAuthAsync(String scheme, byte[] auth) {
        return delegate().addAuthAsync(scheme, auth);
    }

    @Override
    public CompletionStage<List<Id>> whoAmIAsync() {
        return delegate().whoAmIAsync();
    }
}
