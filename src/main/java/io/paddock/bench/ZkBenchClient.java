package io.paddock.bench;

import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.SetDataRequest;

import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * One benchmark client over ZooKeeper's binary protocol: one session on its own connection,
 * running a closed loop with at most {@code outstanding} requests pipelined on it. Requests take
 * increasing xids; a session's replies come in the order of its requests, so each reply must
 * answer the oldest request in flight, and one that does not ends the client as a broken
 * stream. Requests sent together (filling the window) go out in one write.
 *
 * <p>The records and buffers are the connection's and this client's, reused for every request.
 * Replies are read for their header only: the body (a Stat, or data and Stat) is skipped.
 *
 * <p>Errors count by ZooKeeper's error name ({@code BadVersion}, ...). When the connection fails,
 * every request in flight counts as {@code ConnectionLoss} ({@code RequestTimeout} when no reply
 * came within the read timeout), and the client ends: it does not reconnect. Such a loss counts
 * even in warm-up (as if at the start of the measured time), so a client that dropped out early
 * shows in the errors rather than only in a lower rate.
 */
final class ZkBenchClient implements BenchRun.Client {

    static final String CONNECTION_LOSS = "ConnectionLoss";
    static final String REQUEST_TIMEOUT = "RequestTimeout";

    /** The requests one client sends, in order, whatever connection carries them. Used by one thread. */
    interface Requests {
        /** Appends the next request, numbered {@code xid}, to {@code requests}. */
        void appendNext(ZkWire.Encoder requests, int xid) throws IOException;
    }

    /**
     * The keyed workloads' requests: getData or setData of the key the schedule names next.
     *
     * @param paths the keys' paths, shared by all clients (read only); the schedule's key indexes them
     * @param value the data every setData writes (read only)
     */
    static Requests keyed(OpSchedule schedule, String[] paths, byte[] value) {
        SetDataRequest setData = new SetDataRequest();
        GetDataRequest getData = new GetDataRequest();
        setData.setData(value);
        setData.setVersion(-1); // any version: clients sharing a key never conflict
        getData.setWatch(false);
        return (requests, xid) -> {
            schedule.advance();
            if (schedule.isRead()) {
                getData.setPath(paths[schedule.key()]);
                requests.append(xid, ZkWire.GET_DATA, getData);
            } else {
                setData.setPath(paths[schedule.key()]);
                requests.append(xid, ZkWire.SET_DATA, setData);
            }
        };
    }

    /** The create workload's requests: a persistent znode of {@code value} at each path {@code names} gives. */
    static Requests creates(java.util.function.LongFunction<String> names, java.util.function.LongSupplier next,
            byte[] value) {
        CreateRequest create = new CreateRequest(null, value, ZkWire.OPEN_ACL_UNSAFE, ZkWire.PERSISTENT);
        return (requests, xid) -> {
            create.setPath(names.apply(next.getAsLong()));
            requests.append(xid, ZkWire.CREATE, create);
        };
    }

    private final ZkConnection connection;
    private final Requests source;
    private final int outstanding;
    /** The requests in flight, oldest at {@code head}: their xids and when they were sent. */
    private final int[] xids;
    private final long[] sentNs;
    private int head;
    private int inFlight;

    ZkBenchClient(ZkConnection connection, OpSchedule schedule, String[] paths, byte[] value, int outstanding) {
        this(connection, keyed(schedule, paths, value), outstanding);
    }

    ZkBenchClient(ZkConnection connection, Requests source, int outstanding) {
        this.connection = connection;
        this.source = source;
        this.outstanding = outstanding;
        this.xids = new int[outstanding];
        this.sentNs = new long[outstanding];
    }

    @Override
    public void run(ClientTally tally) {
        long endNs = tally.window().endNs();
        try {
            while (true) {
                if (inFlight < outstanding && System.nanoTime() < endNs) {
                    sendUpTo(outstanding - inFlight, endNs);
                }
                if (inFlight == 0) {
                    break;
                }
                ReplyHeader reply = connection.readReply();
                long arrivedNs = System.nanoTime();
                int expected = xids[head];
                if (reply.getXid() != expected) {
                    throw new IOException(connection.describe() + " answered xid " + reply.getXid()
                            + " while the oldest request in flight is xid " + expected);
                }
                if (reply.getErr() == 0) {
                    tally.success(sentNs[head], arrivedNs);
                } else {
                    String name = ZkWire.errorName(reply.getErr());
                    tally.failure(arrivedNs, name, 1, name + " (" + reply.getErr() + ") from "
                            + connection.describe() + " for xid " + expected);
                }
                head = (head + 1) % outstanding;
                inFlight--;
            }
            connection.closeSession();
        } catch (SocketTimeoutException e) {
            lost(tally, REQUEST_TIMEOUT, "no reply from " + connection.describe() + " within the read timeout: " + e);
        } catch (IOException e) {
            // An interrupt closes the channel: the run is being abandoned, and nothing is counted.
            if (!Thread.currentThread().isInterrupted()) {
                lost(tally, CONNECTION_LOSS, e.toString());
            }
        } finally {
            connection.close();
        }
    }

    /** Appends up to {@code n} requests (fewer once the window has ended) and writes them at once. */
    private void sendUpTo(int n, long endNs) throws IOException {
        ZkWire.Encoder requests = connection.requests();
        requests.clear();
        int appended = 0;
        while (appended < n && (appended == 0 || System.nanoTime() < endNs)) {
            int xid = connection.nextXid();
            source.appendNext(requests, xid);
            xids[(head + inFlight + appended) % outstanding] = xid;
            appended++;
        }
        long now = System.nanoTime();
        for (int i = 0; i < appended; i++) {
            sentNs[(head + inFlight + i) % outstanding] = now;
        }
        inFlight += appended;
        connection.send();
    }

    private void lost(ClientTally tally, String cause, String message) {
        long now = System.nanoTime();
        long at = Math.max(now, tally.window().measureFromNs());
        tally.failure(at, cause, inFlight, message);
        inFlight = 0;
    }

    @Override
    public void close() {
        connection.close();
    }
}
