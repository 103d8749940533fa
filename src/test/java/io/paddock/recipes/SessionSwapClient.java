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
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client whose session a test can end, as an expiry would, without waiting for one: it passes
 * every call to a real client, and {@link #loseSession} reports LOST, closes that client (so its
 * ephemerals and watches go), opens another (a new session) and reports RECONNECTED, as a
 * PaddockClient does after an expiry. {@link #suspend} and {@link #resume} report SUSPENDED and
 * RECONNECTED with the session kept, as a failover does.
 */
final class SessionSwapClient implements PaddockClient {

    /** Opens a real client. */
    @FunctionalInterface
    interface Opener {
        PaddockClient open() throws Exception;
    }

    /** Something done while the session is lost. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private final Opener opener;
    private final List<ConnectionStateListener> listeners = new CopyOnWriteArrayList<>();
    private final ConnectionStateListener forward = (c, s) -> fire(s);
    private volatile PaddockClient real;
    private volatile ConnectionState injected;

    SessionSwapClient(Opener opener) throws Exception {
        this.opener = opener;
        this.real = opener.open();
        real.addConnectionStateListener(forward);
    }

    private void fire(ConnectionState s) {
        for (ConnectionStateListener l : listeners) {
            l.stateChanged(this, s);
        }
    }

    /** SUSPENDED, the session kept. */
    void suspend() {
        injected = ConnectionState.SUSPENDED;
        fire(ConnectionState.SUSPENDED);
    }

    /** RECONNECTED after {@link #suspend}, the same session. */
    void resume() {
        injected = null;
        fire(ConnectionState.RECONNECTED);
    }

    /** LOST, then a new session and RECONNECTED. */
    void loseSession() throws Exception {
        loseSession(() -> { });
    }

    /**
     * LOST, then {@code whileLost} (changes made while no session of this client exists: no
     * watch of it can fire), then a new session and RECONNECTED.
     */
    void loseSession(Action whileLost) throws Exception {
        injected = ConnectionState.LOST;
        fire(ConnectionState.LOST);
        PaddockClient old = real;
        old.removeConnectionStateListener(forward);
        old.close();
        whileLost.run();
        PaddockClient fresh = opener.open();
        fresh.addConnectionStateListener(forward);
        real = fresh;
        injected = null;
        fire(ConnectionState.RECONNECTED);
    }

    @Override
    public long sessionId() {
        return real.sessionId();
    }

    @Override
    public int sessionTimeoutMs() {
        return real.sessionTimeoutMs();
    }

    @Override
    public ConnectionState state() {
        ConnectionState s = injected;
        return s != null ? s : real.state();
    }

    @Override
    public String currentServer() {
        return real.currentServer();
    }

    @Override
    public long lastZxidSeen() {
        return real.lastZxidSeen();
    }

    @Override
    public void addConnectionStateListener(ConnectionStateListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionStateListener(ConnectionStateListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void addWatchListener(Watcher listener) {
        real.addWatchListener(listener);
    }

    @Override
    public void removeWatchListener(Watcher listener) {
        real.removeWatchListener(listener);
    }

    @Override
    public CompletionStage<ServerInfo> serverInfoAsync() {
        return real.serverInfoAsync();
    }

    @Override
    public void close() {
        real.close();
    }

    @Override
    public CompletionStage<Created> createAsync(String path, byte[] data, CreateOptions options) {
        return real.createAsync(path, data, options);
    }

    @Override
    public CompletionStage<NodeData> getDataAsync(String path, Watcher watcher) {
        return real.getDataAsync(path, watcher);
    }

    @Override
    public CompletionStage<Optional<Stat>> existsAsync(String path, Watcher watcher) {
        return real.existsAsync(path, watcher);
    }

    @Override
    public CompletionStage<Children> getChildrenAsync(String path, Watcher watcher) {
        return real.getChildrenAsync(path, watcher);
    }

    @Override
    public CompletionStage<List<String>> getDescendantsAsync(String path) {
        return real.getDescendantsAsync(path);
    }

    @Override
    public CompletionStage<Stat> setDataAsync(String path, byte[] data, int version) {
        return real.setDataAsync(path, data, version);
    }

    @Override
    public CompletionStage<Void> deleteAsync(String path, int version) {
        return real.deleteAsync(path, version);
    }

    @Override
    public CompletionStage<Void> deleteRecursiveAsync(String path) {
        return real.deleteRecursiveAsync(path);
    }

    @Override
    public CompletionStage<AclStat> getAclAsync(String path) {
        return real.getAclAsync(path);
    }

    @Override
    public CompletionStage<Stat> setAclAsync(String path, List<Acl> acl, int version) {
        return real.setAclAsync(path, acl, version);
    }

    @Override
    public CompletionStage<List<MultiResult>> multiAsync(List<MultiOp> ops) {
        return real.multiAsync(ops);
    }

    @Override
    public CompletionStage<Void> syncAsync(String path) {
        return real.syncAsync(path);
    }

    @Override
    public CompletionStage<Void> addWatchAsync(String path, AddWatchMode mode, Watcher watcher) {
        return real.addWatchAsync(path, mode, watcher);
    }

    @Override
    public CompletionStage<Void> removeWatchesAsync(String path, WatcherType type) {
        return real.removeWatchesAsync(path, type);
    }

    @Override
    public CompletionStage<List<String>> getEphemeralsAsync(String prefix) {
        return real.getEphemeralsAsync(prefix);
    }

    @Override
    public CompletionStage<Void> addAuthAsync(String scheme, byte[] auth) {
        return real.addAuthAsync(scheme, auth);
    }

    @Override
    public CompletionStage<List<Id>> whoAmIAsync() {
        return real.whoAmIAsync();
    }

}
