package io.paddock.recipes;

import io.paddock.client.AclStat;
import io.paddock.client.AddWatchMode;
import io.paddock.client.Children;
import io.paddock.client.ConnectionState;
import io.paddock.client.ConnectionStateListener;
import io.paddock.client.CreateOptions;
import io.paddock.client.Created;
import io.paddock.client.EventState;
import io.paddock.client.MultiOp;
import io.paddock.client.MultiResult;
import io.paddock.client.NodeData;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.ServerInfo;
import io.paddock.client.WatchEvent;
import io.paddock.client.Watcher;
import io.paddock.client.WatcherType;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.EventType;
import io.paddock.tree.Id;
import io.paddock.tree.Stat;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A PaddockClient over ZooKeeper's own client and Paddock's ZooKeeper port, with only the
 * operations the recipes use (the others throw UnsupportedOperationException). It runs the recipe
 * tests over the wire protocol ({@code -Dpaddock.recipes.client=zk}), showing that the recipes
 * depend on nothing but the PaddockClient contract. Unlike the HTTP client it does not open a new
 * session after an expiry.
 */
final class ZkWirePaddockClient implements PaddockClient {

    private final ZooKeeper zk;
    private final List<ConnectionStateListener> listeners = new CopyOnWriteArrayList<>();
    private volatile ConnectionState state = ConnectionState.CONNECTED;

    private ZkWirePaddockClient(String connectString, int sessionTimeoutMs) throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        this.zk = new ZooKeeper(connectString, sessionTimeoutMs, event -> {
            if (event.getType() != org.apache.zookeeper.Watcher.Event.EventType.None) {
                return;
            }
            switch (event.getState()) {
                case SyncConnected -> {
                    if (connected.getCount() > 0) {
                        connected.countDown();
                    } else {
                        setState(ConnectionState.RECONNECTED);
                    }
                }
                case Disconnected -> setState(ConnectionState.SUSPENDED);
                case Expired -> setState(ConnectionState.LOST);
                default -> {
                }
            }
        });
        if (!connected.await(20, TimeUnit.SECONDS)) {
            zk.close();
            throw new IOException("no connection to " + connectString);
        }
    }

    static PaddockClient connect(String connectString, int sessionTimeoutMs) throws IOException, InterruptedException {
        return new ZkWirePaddockClient(connectString, sessionTimeoutMs);
    }

    private void setState(ConnectionState s) {
        state = s;
        for (ConnectionStateListener l : listeners) {
            l.stateChanged(this, s);
        }
    }

    private static PaddockException translate(int rc, String path) {
        KeeperException e = KeeperException.create(KeeperException.Code.get(rc), path);
        return PaddockException.create(ErrorCode.of(rc), e.getPath(), e.getMessage());
    }

    private static Stat stat(org.apache.zookeeper.data.Stat s) {
        return new Stat(s.getCzxid(), s.getMzxid(), s.getCtime(), s.getMtime(), s.getVersion(), s.getCversion(),
                s.getAversion(), s.getEphemeralOwner(), s.getDataLength(), s.getNumChildren(), s.getPzxid());
    }

    private static org.apache.zookeeper.Watcher wrap(Watcher w) {
        if (w == null) {
            return null;
        }
        return (WatchedEvent e) -> {
            EventType type = EventType.valueOf(e.getType().name());
            EventState st = switch (e.getState()) {
                case Disconnected -> EventState.Disconnected;
                case Expired -> EventState.Expired;
                case Closed -> EventState.Closed;
                default -> EventState.SyncConnected;
            };
            w.process(new WatchEvent(type, st, e.getPath(), e.getZxid()));
        };
    }

    @Override
    public long sessionId() {
        return zk.getSessionId();
    }

    @Override
    public int sessionTimeoutMs() {
        return zk.getSessionTimeout();
    }

    @Override
    public ConnectionState state() {
        return state;
    }

    @Override
    public String currentServer() {
        return String.valueOf(zk.getTestable());
    }

    @Override
    public long lastZxidSeen() {
        return -1L;
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
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeWatchListener(Watcher listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<ServerInfo> serverInfoAsync() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
        try {
            zk.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public CompletionStage<Created> createAsync(String path, byte[] data, CreateOptions options) {
        if (options.parents()) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return createWithParents(path, data, options);
                } catch (PaddockException e) {
                    throw new CompletionException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(e);
                }
            });
        }
        CompletableFuture<Created> f = new CompletableFuture<>();
        zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                org.apache.zookeeper.CreateMode.fromFlag(options.mode().flag(), org.apache.zookeeper.CreateMode.PERSISTENT),
                (rc, p, ctx, name, s) -> {
                    if (rc == 0) {
                        f.complete(new Created(name, stat(s)));
                    } else {
                        f.completeExceptionally(translate(rc, p));
                    }
                }, null, options.ttlMs() > 0 ? options.ttlMs() : -1);
        return f;
    }

    /** Missing parents created one by one, persistent (not in one transaction as the server's own). */
    private Created createWithParents(String path, byte[] data, CreateOptions options)
            throws PaddockException, InterruptedException {
        CreateOptions plain = new CreateOptions(options.mode(), options.ttlMs(), options.acl(), false);
        try {
            return create(path, data, plain);
        } catch (PaddockException.NoNodeException e) {
            List<String> chain = SequentialNodes.pathAndAncestors(path);
            for (String p : chain.subList(0, chain.size() - 1)) {
                try {
                    create(p, new byte[0], CreateMode.PERSISTENT);
                } catch (PaddockException.NodeExistsException exists) {
                    // there already
                }
            }
            return create(path, data, plain);
        }
    }

    @Override
    public CompletionStage<NodeData> getDataAsync(String path, Watcher watcher) {
        CompletableFuture<NodeData> f = new CompletableFuture<>();
        zk.getData(path, wrap(watcher), (rc, p, ctx, data, s) -> {
            if (rc == 0) {
                f.complete(new NodeData(p, data == null ? new byte[0] : data, stat(s)));
            } else {
                f.completeExceptionally(translate(rc, p));
            }
        }, null);
        return f;
    }

    @Override
    public CompletionStage<Optional<Stat>> existsAsync(String path, Watcher watcher) {
        CompletableFuture<Optional<Stat>> f = new CompletableFuture<>();
        zk.exists(path, wrap(watcher), (rc, p, ctx, s) -> {
            if (rc == 0) {
                f.complete(Optional.of(stat(s)));
            } else if (rc == KeeperException.Code.NONODE.intValue()) {
                f.complete(Optional.empty());
            } else {
                f.completeExceptionally(translate(rc, p));
            }
        }, null);
        return f;
    }

    @Override
    public CompletionStage<Children> getChildrenAsync(String path, Watcher watcher) {
        CompletableFuture<Children> f = new CompletableFuture<>();
        zk.getChildren(path, wrap(watcher), (rc, p, ctx, names, s) -> {
            if (rc == 0) {
                f.complete(new Children(p, names.stream().sorted().toList(), stat(s)));
            } else {
                f.completeExceptionally(translate(rc, p));
            }
        }, null);
        return f;
    }

    @Override
    public CompletionStage<List<String>> getDescendantsAsync(String path) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Stat> setDataAsync(String path, byte[] data, int version) {
        CompletableFuture<Stat> f = new CompletableFuture<>();
        zk.setData(path, data, version, (rc, p, ctx, s) -> {
            if (rc == 0) {
                f.complete(stat(s));
            } else {
                f.completeExceptionally(translate(rc, p));
            }
        }, null);
        return f;
    }

    @Override
    public CompletionStage<Void> deleteAsync(String path, int version) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        zk.delete(path, version, (rc, p, ctx) -> {
            if (rc == 0) {
                f.complete(null);
            } else {
                f.completeExceptionally(translate(rc, p));
            }
        }, null);
        return f;
    }

    @Override
    public CompletionStage<Void> deleteRecursiveAsync(String path) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<AclStat> getAclAsync(String path) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Stat> setAclAsync(String path, List<Acl> acl, int version) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<MultiResult>> multiAsync(List<MultiOp> ops) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> syncAsync(String path) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> addWatchAsync(String path, AddWatchMode mode, Watcher watcher) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> removeWatchesAsync(String path, WatcherType type) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<String>> getEphemeralsAsync(String prefix) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> addAuthAsync(String scheme, byte[] auth) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<Id>> whoAmIAsync() {
        throw new UnsupportedOperationException();
    }
}
