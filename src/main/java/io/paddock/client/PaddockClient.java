package io.paddock.client;

import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.Id;
import io.paddock.tree.Stat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * A client of a Paddock server or ensemble over its HTTP API: one session, kept alive in the
 * background, with failover between the servers of its connect string.
 *
 * <p>Every operation comes in an asynchronous form ({@code …Async}, a stage that fails with a
 * {@link PaddockException}) and a blocking one that throws it. A client is safe to use from many
 * threads. Requests of one client are not ordered among themselves unless the caller waits for
 * one before sending the next.
 *
 * <p>Watches are ZooKeeper's: a {@link Watcher} given to a read is one-shot and hears the first
 * change of what it watched; {@link #addWatchAsync} adds a persistent one. Events reach watchers
 * in the order the server fired them, on one event thread of the client. Watch listeners added
 * with {@link #addWatchListener} hear every event of the session, and session-state events.
 *
 * <p>When the server in use stops answering, the client reports {@link ConnectionState#SUSPENDED}
 * and moves to another server, carrying its session, its watches (re-armed there, with any change
 * it missed fired at once, as ZooKeeper's setWatches does) and the identities it added; then
 * {@link ConnectionState#RECONNECTED}. When the session expires it reports
 * {@link ConnectionState#LOST}, opens a new session and reports RECONNECTED.
 */
public interface PaddockClient extends AutoCloseable {

    /** Any version (ZooKeeper's -1). */
    int ANY_VERSION = -1;

    /** A builder for a client of the servers in {@code connectString}: "host:port[,host:port…]" (HTTP ports). */
    static PaddockClientBuilder builder(String connectString) {
        return new PaddockClientBuilder(connectString);
    }

    /** A client with the default settings, connected (its session open) when this returns. */
    static PaddockClient connect(String connectString) throws PaddockException, InterruptedException {
        return builder(connectString).build();
    }

    // ---- The session and the connection ----

    /** The current session's id (a new one after {@link ConnectionState#LOST}). */
    long sessionId();

    /** The current session's negotiated timeout. */
    int sessionTimeoutMs();

    /** The connection's state now. */
    ConnectionState state();

    /** The server in use now, "host:port". */
    String currentServer();

    /** The largest zxid this client has seen in an answer or event. */
    long lastZxidSeen();

    void addConnectionStateListener(ConnectionStateListener listener);

    void removeConnectionStateListener(ConnectionStateListener listener);

    /** Hears every event of the session (after the watchers it concerns), and session-state events. */
    void addWatchListener(Watcher listener);

    void removeWatchListener(Watcher listener);

    /** What the server in use says of itself. */
    CompletionStage<ServerInfo> serverInfoAsync();

    /** Closes the session (its ephemerals go) and releases the client's threads. */
    @Override
    void close();

    // ---- Asynchronous operations ----

    CompletionStage<Created> createAsync(String path, byte[] data, CreateOptions options);

    /** getData; with a watcher, leaves a one-shot watch (an exists watch when the node is missing). */
    CompletionStage<NodeData> getDataAsync(String path, Watcher watcher);

    /** exists: the Stat, or empty when there is no such node; a watcher is left either way. */
    CompletionStage<Optional<Stat>> existsAsync(String path, Watcher watcher);

    /** getChildren2: names sorted, with the parent's Stat; a watcher is a one-shot child watch. */
    CompletionStage<Children> getChildrenAsync(String path, Watcher watcher);

    /** Every descendant's full path, sorted, the node itself excluded (zkCli's ls -R). */
    CompletionStage<List<String>> getDescendantsAsync(String path);

    CompletionStage<Stat> setDataAsync(String path, byte[] data, int version);

    CompletionStage<Void> deleteAsync(String path, int version);

    /** Deletes the node and its whole subtree in one transaction (zkCli's deleteall). */
    CompletionStage<Void> deleteRecursiveAsync(String path);

    CompletionStage<AclStat> getAclAsync(String path);

    CompletionStage<Stat> setAclAsync(String path, List<Acl> acl, int version);

    /** All ops in one transaction, or none; a failure is the failing op's exception. */
    CompletionStage<List<MultiResult>> multiAsync(List<MultiOp> ops);

    CompletionStage<Void> syncAsync(String path);

    /** A persistent (recursive) watch whose events reach {@code watcher} until removed. */
    CompletionStage<Void> addWatchAsync(String path, AddWatchMode mode, Watcher watcher);

    /** Removes the session's watches of {@code type} on the path, and the client's watchers for them. */
    CompletionStage<Void> removeWatchesAsync(String path, WatcherType type);

    /** The session's ephemeral znodes whose paths start with {@code prefix} ("/" for all). */
    CompletionStage<List<String>> getEphemeralsAsync(String prefix);

    /** addauth: an identity for the session (kept by the client and added again after failover). */
    CompletionStage<Void> addAuthAsync(String scheme, byte[] auth);

    /** The identities the session has on the server in use (ZooKeeper's whoAmI). */
    CompletionStage<List<Id>> whoAmIAsync();

    // ---- Blocking forms ----

    default String create(String path, byte[] data, CreateMode mode) throws PaddockException, InterruptedException {
        return await(createAsync(path, data, CreateOptions.of(mode))).path();
    }

    default Created create(String path, byte[] data, CreateOptions options) throws PaddockException, InterruptedException {
        return await(createAsync(path, data, options));
    }

    default NodeData getData(String path) throws PaddockException, InterruptedException {
        return await(getDataAsync(path, null));
    }

    default NodeData getData(String path, Watcher watcher) throws PaddockException, InterruptedException {
        return await(getDataAsync(path, watcher));
    }

    default Optional<Stat> exists(String path) throws PaddockException, InterruptedException {
        return await(existsAsync(path, null));
    }

    default Optional<Stat> exists(String path, Watcher watcher) throws PaddockException, InterruptedException {
        return await(existsAsync(path, watcher));
    }

    default List<String> getChildren(String path) throws PaddockException, InterruptedException {
        return await(getChildrenAsync(path, null)).names();
    }

    default List<String> getChildren(String path, Watcher watcher) throws PaddockException, InterruptedException {
        return await(getChildrenAsync(path, watcher)).names();
    }

    default List<String> getDescendants(String path) throws PaddockException, InterruptedException {
        return await(getDescendantsAsync(path));
    }

    default Stat setData(String path, byte[] data, int version) throws PaddockException, InterruptedException {
        return await(setDataAsync(path, data, version));
    }

    default void delete(String path, int version) throws PaddockException, InterruptedException {
        await(deleteAsync(path, version));
    }

    default void deleteRecursive(String path) throws PaddockException, InterruptedException {
        await(deleteRecursiveAsync(path));
    }

    default AclStat getAcl(String path) throws PaddockException, InterruptedException {
        return await(getAclAsync(path));
    }

    default Stat setAcl(String path, List<Acl> acl, int version) throws PaddockException, InterruptedException {
        return await(setAclAsync(path, acl, version));
    }

    default List<MultiResult> multi(List<MultiOp> ops) throws PaddockException, InterruptedException {
        return await(multiAsync(ops));
    }

    default void sync(String path) throws PaddockException, InterruptedException {
        await(syncAsync(path));
    }

    default void addWatch(String path, AddWatchMode mode, Watcher watcher) throws PaddockException, InterruptedException {
        await(addWatchAsync(path, mode, watcher));
    }

    default void removeWatches(String path, WatcherType type) throws PaddockException, InterruptedException {
        await(removeWatchesAsync(path, type));
    }

    default List<String> getEphemerals(String prefix) throws PaddockException, InterruptedException {
        return await(getEphemeralsAsync(prefix));
    }

    default void addAuth(String scheme, byte[] auth) throws PaddockException, InterruptedException {
        await(addAuthAsync(scheme, auth));
    }

    default List<Id> whoAmI() throws PaddockException, InterruptedException {
        return await(whoAmIAsync());
    }

    default ServerInfo serverInfo() throws PaddockException, InterruptedException {
        return await(serverInfoAsync());
    }

    /**
     * Waits for a stage of this client: its value, or the {@link PaddockException} it failed with
     * (any other failure is a ConnectionLoss naming it).
     */
    static <T> T await(CompletionStage<T> stage) throws PaddockException, InterruptedException {
        try {
            return stage.toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw asPaddockException(e.getCause());
        }
    }

    /** The PaddockException behind a stage's failure. */
    static PaddockException asPaddockException(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof PaddockException p) {
            return p;
        }
        return PaddockException.connectionLoss(String.valueOf(c), c);
    }
}
