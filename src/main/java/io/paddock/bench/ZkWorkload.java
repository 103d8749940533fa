package io.paddock.bench;

import io.paddock.tree.ErrorCode;
import org.apache.jute.Record;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.DeleteRequest;
import org.apache.zookeeper.proto.ExistsRequest;
import org.apache.zookeeper.proto.GetChildrenRequest;
import org.apache.zookeeper.proto.GetChildrenResponse;
import org.apache.zookeeper.proto.ReplyHeader;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Every client workload over ZooKeeper's binary protocol. Write, read and mixed: the same keys as over
 * HTTP ({@code <parent>/k0000000} ..., {@code valueSize} bytes each) under a fresh parent znode,
 * the same order of keys and reads per client ({@link OpSchedule}), setData with any version and
 * getData without a watch. Set-up and clean-up run in sessions of their own, opened for the job
 * and closed after it, so that no session idles (and expires) through the runs; their creates and
 * deletes are pipelined, a window of {@link #SETUP_WINDOW} at a time. Create: new znodes named
 * {@code c} and a number, deleted by name at the end. Churn: ephemeral znodes {@code e<number>},
 * gone with their sessions ({@link ZkChurnOp}). Watch: one znode, watched ({@link WatchFanOut}).
 * Lock: one znode, the lock, with the contenders' nodes under it ({@link ZkLockOp}).
 */
final class ZkWorkload implements Workload {

    static final Duration CONNECT_TIMEOUT = BenchHttp.CONNECT_TIMEOUT;
    /** Long enough for a slow fsync under load, short enough that a hung server ends the run. */
    static final Duration READ_TIMEOUT = BenchHttp.REQUEST_TIMEOUT;
    /** How long every server gets to show the keys after they were created through the first one. */
    static final Duration VISIBLE_DEADLINE = BenchKeys.VISIBLE_DEADLINE;
    /** Creates or deletes in flight at once during set-up and clean-up. */
    static final int SETUP_WINDOW = 100;

    private static final int NO_NODE = ErrorCode.NO_NODE.intValue();
    private static final int NOT_EMPTY = ErrorCode.NOT_EMPTY.intValue();

    private final WorkloadKind kind;
    private final List<InetSocketAddress> servers;
    private final String parent;
    private final String[] paths;
    private final byte[] value;
    private final double readRatio;
    private final int keySize;
    /** Numbers the znodes that create and churn make, over every client and run: each name once. */
    private final AtomicLong made = new AtomicLong();
    /** Set once the parent exists, cleared once it is gone: clean-up may be asked for twice (a shutdown hook and the normal end). */
    private boolean parentExists;

    /** A keyed workload (write, read or mixed, by {@code name}) with today's key names. */
    ZkWorkload(String name, List<InetSocketAddress> servers, String parent, int keys, int valueSize, double readRatio) {
        this(BenchOptions.parseKind(name), servers, parent, keys, valueSize, readRatio, BenchOptions.DEFAULT_KEY_SIZE);
    }

    /**
     * @param keys the znodes made before the runs: the keys of write, read and mixed; the watched
     *             znode of watch and the lock's znode of lock (1); none for create and churn
     */
    ZkWorkload(WorkloadKind kind, List<InetSocketAddress> servers, String parent, int keys, int valueSize,
            double readRatio, int keySize) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server to send requests to");
        }
        if (kind == WorkloadKind.FAILOVER) {
            throw new IllegalArgumentException("failover has no clients; FailoverBench runs it");
        }
        this.kind = kind;
        this.servers = List.copyOf(servers);
        this.parent = parent;
        this.paths = new String[keys];
        for (int k = 0; k < keys; k++) {
            paths[k] = parent + "/" + BenchKeys.keyName(k, keySize);
        }
        this.value = BenchKeys.valueBytes(valueSize);
        this.readRatio = readRatio;
        this.keySize = keySize;
    }

    /** The workload an invocation with {@code --protocol zk} asked for. */
    static ZkWorkload of(BenchOptions options, String parent) {
        return new ZkWorkload(options.workload(), options.zkServers(), parent, options.keysUsed(),
                options.workload() == WorkloadKind.LOCK ? 0 : options.valueSize(), options.readRatio(),
                options.keySize());
    }

    /**
     * Opens and closes a session on every server, printing what each negotiated: the driver's
     * "is it there" before it creates anything.
     */
    static void greet(List<InetSocketAddress> servers, PrintStream progress) throws BenchException {
        for (InetSocketAddress server : servers) {
            ZkConnection connection = connect(server);
            progress.println("paddock bench: " + connection.describe() + " gave session 0x"
                    + Long.toHexString(connection.sessionId()) + " with a timeout of " + connection.sessionTimeoutMs() + " ms");
            connection.closeSession();
        }
    }

    @Override
    public String name() {
        return kind.optionName();
    }

    /**
     * Creates the parent and the keys through the first server, then waits until every other
     * server shows the last key (transactions apply in zxid order, so the last there means all).
     */
    @Override
    public void prepare() throws BenchException, InterruptedException {
        ZkConnection first = connect(servers.get(0));
        try {
            CreateRequest create = new CreateRequest(parent, new byte[0], ZkWire.OPEN_ACL_UNSAFE, ZkWire.PERSISTENT);
            int err = first.call(ZkWire.CREATE, create, null);
            if (err != 0) {
                throw new BenchException(first.describe() + " refused to create " + parent + ": " + ZkWire.errorName(err));
            }
            synchronized (this) {
                parentExists = true;
            }
            create.setData(kind == WorkloadKind.LOCK ? new byte[0] : value);
            pipeline(first, ZkWire.CREATE, k -> {
                create.setPath(paths[k]);
                return create;
            }, false, "create");
        } catch (IOException e) {
            throw new BenchException("creating the keys through " + first.describe() + " failed: " + e, e);
        } finally {
            first.closeSession();
        }
        String last = paths.length > 0 ? paths[paths.length - 1] : parent;
        for (InetSocketAddress server : servers.subList(1, servers.size())) {
            awaitExists(server, last);
        }
    }

    /**
     * Client {@code client} of a run of {@code clients}, on a session of its own (a lock contender
     * alone with its own guard; for watch, client 0 is the run: the writer and {@code clients} watchers).
     */
    @Override
    public BenchRun.Client newClient(int client, int clients, int outstanding) throws BenchException {
        return switch (kind) {
            case WRITE, READ, MIXED, CREATE -> new ZkBenchClient(connect(serverOf(client)), requests(client, clients),
                    outstanding);
            case CHURN -> new LoopClient(new ZkChurnOp(serverOf(client),
                    n -> parent + "/" + BenchKeys.name('e', n, keySize), made::getAndIncrement, value));
            case LOCK -> new LoopClient(new ZkLockOp(connect(serverOf(client)), paths[0], new LockGuard()));
            case WATCH -> {
                if (client != 0) {
                    throw new IllegalArgumentException("the watch workload has one client per run, the writer and its watchers");
                }
                yield watchRun(clients);
            }
            case FAILOVER -> throw new IllegalStateException("failover has no clients");
        };
    }

    /**
     * The clients of a run: the keyed and create workloads' over {@code connections} sessions
     * shared round-robin when that is fewer than the clients; the lock contenders with one guard;
     * watch as one client.
     */
    @Override
    public void newClients(int clients, int connections, int outstanding, List<BenchRun.Client> into)
            throws BenchException {
        if (kind == WorkloadKind.WATCH) {
            into.add(watchRun(clients));
        } else if (kind == WorkloadKind.LOCK) {
            LockGuard guard = new LockGuard();
            for (int i = 0; i < clients; i++) {
                into.add(new LoopClient(new ZkLockOp(connect(serverOf(i)), paths[0], guard)));
            }
        } else if (connections < clients && kind != WorkloadKind.CHURN) {
            List<ZkSharedConnection> shared = new ArrayList<>(connections);
            try {
                for (int c = 0; c < connections; c++) {
                    int users = clients / connections + (c < clients % connections ? 1 : 0);
                    shared.add(new ZkSharedConnection(connect(serverOf(c)), users));
                }
            } catch (BenchException e) {
                shared.forEach(ZkSharedConnection::abort);
                throw e;
            }
            for (int i = 0; i < clients; i++) {
                into.add(new ZkSharedClient(shared.get(i % connections), requests(i, clients), outstanding));
            }
        } else {
            Workload.super.newClients(clients, connections, outstanding, into);
        }
    }

    /** Connection c (and client c, when each has its own) talks to server c mod n. */
    private InetSocketAddress serverOf(int i) {
        return servers.get(i % servers.size());
    }

    /** What client {@code client} of the keyed and create workloads sends. */
    private ZkBenchClient.Requests requests(int client, int clients) {
        if (kind == WorkloadKind.CREATE) {
            return ZkBenchClient.creates(n -> parent + "/" + BenchKeys.name('c', n, keySize), made::getAndIncrement,
                    value);
        }
        return ZkBenchClient.keyed(new OpSchedule(client, clients, paths.length, readRatio), paths, value);
    }

    /** The writer on the first server and {@code watchers} sessions spread over all, every session open. */
    private BenchRun.Client watchRun(int watchers) throws BenchException {
        List<ZkConnection> opened = new ArrayList<>(watchers + 1);
        try {
            ZkConnection writer = connect(servers.get(0));
            opened.add(writer);
            List<WatchFanOut.Watcher> sessions = new ArrayList<>(watchers);
            for (int i = 0; i < watchers; i++) {
                ZkConnection connection = connect(serverOf(i));
                opened.add(connection);
                sessions.add(new ZkWatchSessions.Watcher(connection, paths[0]));
            }
            return new WatchFanOut(new ZkWatchSessions.Writer(writer, paths[0], value), sessions,
                    2 * READ_TIMEOUT.toMillis());
        } catch (BenchException e) {
            opened.forEach(ZkConnection::closeSession);
            throw e;
        }
    }

    /**
     * Deletes the keys and the parent through the first server. Keys that are not there are
     * fine (a prepare that failed part-way); children that are not keys, made by hand meanwhile,
     * are listed and deleted too.
     */
    @Override
    public synchronized void cleanup() throws BenchException {
        if (!parentExists) {
            return;
        }
        ZkConnection connection = connect(servers.get(0));
        try {
            DeleteRequest delete = new DeleteRequest(null, -1);
            if (kind == WorkloadKind.CREATE) {
                // Every name numbered so far, made or not (a create may have failed): NoNode is fine.
                long count = made.get();
                pipeline(connection, ZkWire.DELETE, (int) Math.min(count, Integer.MAX_VALUE), i -> {
                    delete.setPath(parent + "/" + BenchKeys.name('c', i, keySize));
                    return delete;
                }, true, "delete");
            }
            pipeline(connection, ZkWire.DELETE, k -> {
                delete.setPath(paths[k]);
                return delete;
            }, true, "delete");
            delete.setPath(parent);
            int err = connection.call(ZkWire.DELETE, delete, null);
            if (err == NOT_EMPTY) {
                GetChildrenResponse children = new GetChildrenResponse();
                err = connection.call(ZkWire.GET_CHILDREN, new GetChildrenRequest(parent, false), children);
                if (err != 0) {
                    throw new BenchException("cannot list the children of " + parent + ": " + ZkWire.errorName(err));
                }
                List<String> others = new ArrayList<>(children.getChildren());
                pipeline(connection, ZkWire.DELETE, others.size(), i -> {
                    delete.setPath(parent + "/" + others.get(i));
                    return delete;
                }, true, "delete");
                delete.setPath(parent);
                err = connection.call(ZkWire.DELETE, delete, null);
            }
            if (err != 0 && err != NO_NODE) {
                throw new BenchException("cannot delete " + parent + ": " + ZkWire.errorName(err));
            }
            parentExists = false;
        } catch (IOException e) {
            throw new BenchException("deleting " + parent + " through " + connection.describe() + " failed: " + e, e);
        } finally {
            connection.closeSession();
        }
    }

    /** Polls exists on {@code server} until it shows {@code path}, or the deadline passes. */
    private static void awaitExists(InetSocketAddress server, String path) throws BenchException, InterruptedException {
        ZkConnection connection = connect(server);
        try {
            ExistsRequest exists = new ExistsRequest(path, false);
            long end = System.nanoTime() + VISIBLE_DEADLINE.toNanos();
            int err;
            while ((err = connection.call(ZkWire.EXISTS, exists, null)) != 0) {
                if (err != NO_NODE) {
                    throw new BenchException(connection.describe() + " answered exists " + path + " with "
                            + ZkWire.errorName(err));
                }
                if (System.nanoTime() > end) {
                    throw new BenchException(connection.describe() + " does not show " + path + " within "
                            + VISIBLE_DEADLINE.toSeconds() + " s of its creation");
                }
                Thread.sleep(20); // polling a condition with a deadline
            }
        } catch (IOException e) {
            throw new BenchException("exists " + path + " on " + connection.describe() + " failed: " + e, e);
        } finally {
            connection.closeSession();
        }
    }

    private void pipeline(ZkConnection connection, int type, IntFunction<Record> request, boolean noNodeIsFine,
            String what) throws IOException, BenchException {
        pipeline(connection, type, paths.length, request, noNodeIsFine, what);
    }

    /**
     * Sends {@code count} requests of {@code type}, the i-th made by {@code request} (which may
     * return one record, refilled: it is written out before the next is asked for), with up to
     * {@link #SETUP_WINDOW} in flight, and checks every reply: an error ends it, except NoNode
     * when {@code noNodeIsFine}.
     */
    private static void pipeline(ZkConnection connection, int type, int count, IntFunction<Record> request,
            boolean noNodeIsFine, String what) throws IOException, BenchException {
        int[] xids = new int[SETUP_WINDOW];
        int sent = 0;
        int done = 0;
        while (done < count) {
            ZkWire.Encoder requests = connection.requests();
            requests.clear();
            int batch = 0;
            while (sent < count && sent - done < SETUP_WINDOW) {
                int xid = connection.nextXid();
                requests.append(xid, type, request.apply(sent));
                xids[sent % SETUP_WINDOW] = xid;
                sent++;
                batch++;
            }
            if (batch > 0) {
                connection.send();
            }
            ReplyHeader reply = connection.readReply();
            if (reply.getXid() != xids[done % SETUP_WINDOW]) {
                throw new IOException(connection.describe() + " answered xid " + reply.getXid() + " while xid "
                        + xids[done % SETUP_WINDOW] + " was the oldest in flight");
            }
            int err = reply.getErr();
            if (err != 0 && !(noNodeIsFine && err == NO_NODE)) {
                throw new BenchException(connection.describe() + " refused " + what + " number " + (done + 1)
                        + ": " + ZkWire.errorName(err));
            }
            done++;
        }
    }

    /** A new session on {@code server}, or a BenchException that says why there is none. */
    private static ZkConnection connect(InetSocketAddress server) throws BenchException {
        String where = server.getHostString() + ":" + server.getPort();
        try {
            return ZkConnection.open(server, CONNECT_TIMEOUT, READ_TIMEOUT);
        } catch (ConnectException e) {
            throw new BenchException("nothing answers at " + where + ". Is the server running, with its client port there?", e);
        } catch (IOException e) {
            throw new BenchException("cannot open a ZooKeeper session at " + where + ": " + e, e);
        }
    }
}
