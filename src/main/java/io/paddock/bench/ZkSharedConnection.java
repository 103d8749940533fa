package io.paddock.bench;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One ZooKeeper session on its own connection, shared by several clients (--connections fewer
 * than --clients, as etcd's benchmark shares gRPC connections): each client writes its requests
 * on it under a lock, and one reader thread hands each reply to the client that sent the request.
 * A session's replies come in the order of its requests, so the reader pairs them with a queue
 * of the requests in flight, in the order they were written.
 *
 * <p>The queue is not under the write lock: a writer blocked on a full socket while the server
 * waits for its replies to be read would otherwise stop the reader too. When the connection
 * fails, every request in flight, and every one sent after, is answered as lost.
 */
final class ZkSharedConnection {

    /** A reply, timed where it arrived; {@code lost} when the connection failed instead ({@code err} then means nothing). */
    record Reply(int err, long arrivedNs, String lost, boolean timedOut) {
    }

    private record Pending(int xid, Consumer<Reply> to) {
    }

    private final ZkConnection connection;
    private final Queue<Pending> inFlight = new ConcurrentLinkedQueue<>();
    private final Object writeLock = new Object();
    private final Thread reader;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile String failure;
    private volatile boolean timedOut;
    private volatile boolean closing;
    private volatile int closeXid = -1;
    private int users;

    /** Starts reading {@code connection} for {@code users} clients; the last to {@link #release()} it ends the session. */
    ZkSharedConnection(ZkConnection connection, int users) {
        this.connection = connection;
        this.users = users;
        this.reader = new Thread(this::readReplies, "bench-zk-reader-" + connection.describe());
        reader.setDaemon(true);
        reader.start();
    }

    String describe() {
        return connection.describe();
    }

    /** Writes the next request of {@code source}; its reply, or its loss, goes to {@code to} (on the reader's thread). */
    void send(ZkBenchClient.Requests source, Consumer<Reply> to) {
        synchronized (writeLock) {
            if (failure == null) {
                try {
                    int xid = connection.nextXid();
                    ZkWire.Encoder requests = connection.requests();
                    requests.clear();
                    source.appendNext(requests, xid);
                    inFlight.add(new Pending(xid, to));
                    connection.send();
                } catch (IOException e) {
                    fail(e.toString(), false);
                }
            }
        }
        if (failure != null) {
            // The reader may have drained the queue before this request joined it.
            to.accept(new Reply(0, System.nanoTime(), failure, timedOut));
            drain();
        }
    }

    /** One client is done with it; the last ends the session (closeSession) and waits for the server to confirm. */
    void release() {
        synchronized (writeLock) {
            if (--users > 0 || closing) {
                return;
            }
            if (failure == null) {
                try {
                    closeXid = connection.nextXid();
                    closing = true;
                    ZkWire.Encoder requests = connection.requests();
                    requests.clear();
                    requests.append(closeXid, ZkWire.CLOSE_SESSION, null);
                    connection.send();
                } catch (IOException e) {
                    closing = true;
                    closed.countDown();
                }
            } else {
                closing = true;
                closed.countDown();
            }
        }
        try {
            closed.await(ZkWorkload.READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connection.close();
        }
    }

    /** Closes the connection at once, whoever still uses it; the session then expires on the server. */
    void abort() {
        closing = true;
        connection.close();
    }

    private void readReplies() {
        try {
            while (true) {
                var header = readNext();
                if (header.getXid() < 0) {
                    continue; // a watch event or ping: the shared clients set no watches
                }
                long arrivedNs = System.nanoTime();
                if (closing && header.getXid() == closeXid) {
                    closed.countDown();
                    return;
                }
                Pending oldest = inFlight.poll();
                if (oldest == null || oldest.xid() != header.getXid()) {
                    throw new IOException(connection.describe() + " answered xid " + header.getXid() + " while "
                            + (oldest == null ? "no request was in flight" : "the oldest in flight is xid " + oldest.xid()));
                }
                oldest.to().accept(new Reply(header.getErr(), arrivedNs, null, false));
            }
        } catch (SocketTimeoutException e) {
            fail("no reply from " + connection.describe() + " within the read timeout: " + e, true);
        } catch (IOException e) {
            fail(closing ? "the session was closed" : e.toString(), false);
        } finally {
            closed.countDown();
        }
    }

    /** The next frame's header; waiting quietly through read timeouts while nothing is in flight. */
    private org.apache.zookeeper.proto.ReplyHeader readNext() throws IOException {
        while (true) {
            try {
                return connection.readAny();
            } catch (SocketTimeoutException e) {
                if (!inFlight.isEmpty() || connection.midFrame() || closing) {
                    throw e;
                }
            }
        }
    }

    private void fail(String why, boolean timeout) {
        if (failure == null) {
            timedOut = timeout;
            failure = why;
        }
        connection.close();
        drain();
    }

    private void drain() {
        Pending p;
        while ((p = inFlight.poll()) != null) {
            p.to().accept(new Reply(0, System.nanoTime(), failure, timedOut));
        }
    }
}
