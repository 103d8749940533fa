package io.paddock.bench;

import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A client whose requests travel on a session it shares with other clients
 * ({@link ZkSharedConnection}): a closed loop with at most {@code outstanding} requests in
 * flight, as {@link ZkBenchClient} runs on a session of its own. Latency is from the request
 * written to its reply read by the connection's reader. When the connection fails, the requests
 * in flight count as {@code ConnectionLoss} ({@code RequestTimeout}) and the client ends.
 */
final class ZkSharedClient implements BenchRun.Client {

    private final ZkSharedConnection connection;
    private final ZkBenchClient.Requests source;
    private final int outstanding;
    private final BlockingQueue<ZkSharedConnection.Reply> arrived = new LinkedBlockingQueue<>();
    /** When each request in flight was sent, oldest first: its replies come in the order it sent them. */
    private final ArrayDeque<Long> sentNs = new ArrayDeque<>();
    private boolean released;

    ZkSharedClient(ZkSharedConnection connection, ZkBenchClient.Requests source, int outstanding) {
        this.connection = connection;
        this.source = source;
        this.outstanding = outstanding;
    }

    @Override
    public void run(ClientTally tally) {
        long endNs = tally.window().endNs();
        boolean lost = false;
        try {
            while (true) {
                while (!lost && sentNs.size() < outstanding && System.nanoTime() < endNs) {
                    sentNs.add(System.nanoTime());
                    connection.send(source, arrived::add);
                }
                if (sentNs.isEmpty()) {
                    return;
                }
                ZkSharedConnection.Reply reply = arrived.take();
                long sent = sentNs.remove();
                if (reply.lost() != null) {
                    lost = true;
                    String cause = reply.timedOut() ? ZkBenchClient.REQUEST_TIMEOUT : ZkBenchClient.CONNECTION_LOSS;
                    tally.failure(Math.max(reply.arrivedNs(), tally.window().measureFromNs()), cause, 1, reply.lost());
                } else if (reply.err() == 0) {
                    tally.success(sent, reply.arrivedNs());
                } else {
                    String name = ZkWire.errorName(reply.err());
                    tally.failure(reply.arrivedNs(), name, 1, name + " (" + reply.err() + ") from "
                            + connection.describe());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.abort();
        } finally {
            close();
        }
    }

    @Override
    public synchronized void close() {
        if (!released) {
            released = true;
            connection.release();
        }
    }
}
