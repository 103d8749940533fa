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
import java.util.function.IntFunction;

/**
 * The write, read and mixed workloads over ZooKeeper's binary protocol: the same keys as over
 * HTTP ({@code <parent>/k0000000} ..., {@code valueSize} bytes each) under a fresh parent znode,
 * the same order of keys and reads per client ({@link OpSchedule}), setData with any version and
 * getData without a watch. Set-up and clean-up run in sessions of their own, opened for the job
 * and closed after it, so that no session idles (and expires) through the runs; their creates and
 * deletes are pipelined, a window of {@link #SETUP_WINDOW} at a time.
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

    private final String name;
    private final List<InetSocketAddress> servers;
    private final String parent;
    private final String[] paths;
    private final byte[] value;
    private final double readRatio;
    /** Set once the parent exists, cleared once it is gone: clean-up may be asked for twice (a shutdown hook and the normal end). */
    private boolean parentExists;

    ZkWorkload(String name, List<InetSocketAddress> servers, String parent, int keys, int valueSize, double readRatio) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server to send requests to");
        }
        this.name = name;
        this.servers = List.copyOf(servers);
        this.parent = parent;
        this.paths = new String[keys];
        for (int k = 0; k < keys; k++) {
            paths[k] = parent + "/" + BenchKeys.keyName(k);
        }
        this.value = BenchKeys.valueBytes(valueSize);
        this.readRatio = readRatio;
    }

    /** The workload an invocation with {@code --protocol zk} asked for. */
    static ZkWorkload of(BenchOptions options, String parent) {
        if (options.workload() == WorkloadKind.FAILOVER) {
            throw new IllegalArgumentException("failover has no clients; FailoverBench runs it");
        }
        return new ZkWorkload(options.workload().optionName(), options.zkServers(), parent, options.keys(),
                options.valueSize(), options.readRatio());
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
        return name;
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
            create.setData(value);
            pipeline(first, ZkWire.CREATE, k -> {
                create.setPath(paths[k]);
                return create;
            }, false, "create");
        } catch (IOException e) {
            throw new BenchException("creating the keys through " + first.describe() + " failed: " + e, e);
        } finally {
            first.closeSession();
        }
        for (InetSocketAddress server : servers.subList(1, servers.size())) {
            awaitExists(server, paths[paths.length - 1]);
        }
    }

    @Override
    public BenchRun.Client newClient(int client, int clients, int outstanding) throws BenchException {
        ZkConnection connection = connect(servers.get(client % servers.size()));
        return new ZkBenchClient(connection, new OpSchedule(client, clients, paths.length, readRatio), paths, value,
                outstanding);
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
