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
import io.paddock.client.PaddockException;
import io.paddock.client.ServerInfo;
import io.paddock.client.Watcher;
import io.paddock.client.WatcherType;
import io.paddock.tree.Acl;
import io.paddock.tree.Id;
import io.paddock.tree.Stat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that passes everything to a real one, except that it can lose the answers of the next
 * creates (the create takes effect, the caller gets ConnectionLoss, as when a server dies after
 * applying it), or run the next create twice (a lost create that was still in flight when its
 * sender tried again).
 */
final class LossyClient implements PaddockClient {

    private final PaddockClient real;
    final AtomicInteger loseCreateAnswers = new AtomicInteger();
    final AtomicInteger duplicateCreates = new AtomicInteger();
    final AtomicInteger failSetDataAfterApplying = new AtomicInteger();

    LossyClient(PaddockClient real) {
        this.real = real;
    }

    private static <T> CompletableFuture<T> lost(String path) {
        return CompletableFuture.failedFuture(new PaddockException.ConnectionLossException(path, "answer lost (test)"));
    }

    @Override
    public CompletionStage<Created> createAsync(String path, byte[] data, CreateOptions options) {
        if (duplicateCreates.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return real.createAsync(path, data, options).thenCompose(first -> real.createAsync(path, data, options));
        }
        if (loseCreateAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return real.createAsync(path, data, options).handle((c, e) -> null).thenCompose(x -> lost(path));
        }
        return real.createAsync(path, data, options);
    }

    @Override
    public CompletionStage<Stat> setDataAsync(String path, byte[] data, int version) {
        if (failSetDataAfterApplying.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return real.setDataAsync(path, data, version).handle((c, e) -> null).thenCompose(x -> lost(path));
        }
        return real.setDataAsync(path, data, version);
    }

    // ---- the rest passes through --------------------------------------------------------------

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
        return real.state();
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
        real.addConnectionStateListener(listener);
    }

    @Override
    public void removeConnectionStateListener(ConnectionStateListener listener) {
        real.removeConnectionStateListener(listener);
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
