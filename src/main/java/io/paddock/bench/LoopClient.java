package io.paddock.bench;

/**
 * A client that does one op at a time, in a closed loop, until the window ends: the churn and
 * lock workloads, whose op is a sequence of requests (a session's whole life; acquire and release)
 * timed as one. An op counts when it ends inside the window; a failed op counts under its cause,
 * and a fatal one ends the client (counted even in warm-up, as at the start of the measured time,
 * as {@link ZkBenchClient} counts a lost connection).
 */
final class LoopClient implements BenchRun.Client {

    /** One op of the loop, and what the client holds between ops. */
    interface Op {
        /** Does op number {@code n} (from 0 for this client); returns once it is done. */
        void run(long n, ClientTally tally) throws OpFailure, InterruptedException;

        /** Ends what the client holds (its session, if it keeps one); safe to call again. */
        void close();
    }

    private final Op op;

    LoopClient(Op op) {
        this.op = op;
    }

    @Override
    public void run(ClientTally tally) {
        long endNs = tally.window().endNs();
        try {
            for (long n = 0; System.nanoTime() < endNs; n++) {
                long startNs = System.nanoTime();
                try {
                    op.run(n, tally);
                    tally.success(startNs, System.nanoTime());
                } catch (OpFailure f) {
                    if (Thread.currentThread().isInterrupted()) {
                        return; // the run is being abandoned: an interrupt closed the connection
                    }
                    long now = System.nanoTime();
                    tally.failure(f.fatal() ? Math.max(now, tally.window().measureFromNs()) : now, f.countedAs(), 1,
                            f.getMessage());
                    if (f.fatal()) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            op.close();
        }
    }

    @Override
    public void close() {
        op.close();
    }
}
