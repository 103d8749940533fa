package io.paddock.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The watch workload's one client, whatever the protocol: K watcher sessions, each on a thread
 * of its own, set a data watch on one znode; when all have, the writer sets the znode's data;
 * the round ends when every watcher has received its notification. Then all re-arm and the next
 * round begins, until the window ends. An op is a round, its latency from sending the setData to
 * the last watcher's notification arriving; the time to the first is kept too ("first..." in the
 * JSON line), and "notifications" counts the notifications received in the counted rounds.
 *
 * <p>Any failure (a refused request, a lost connection, a notification that does not come within
 * the read timeout) counts once and ends the client, as a fan-out with a watcher missing measures
 * something else.
 */
final class WatchFanOut implements BenchRun.Client {

    /** The detail that counts the notifications received in counted rounds: watchers × rounds when none is lost. */
    static final String NOTIFICATIONS = "notifications";
    /** The extra latency: from the setData sent to the first notification. */
    static final String FIRST = "first";

    /** One watcher session. Used by its own thread only, except {@link #abort()}. */
    interface Watcher {
        /** Sets a one-shot data watch on the znode. */
        void arm() throws OpFailure;

        /** Waits for the notification that the znode's data changed. */
        void awaitChange() throws OpFailure;

        /** Ends the session. */
        void close();

        /** Closes the connection at once, from another thread, so that a blocked wait ends. */
        void abort();
    }

    /** The writer's session. */
    interface Writer {
        /** Sets the znode's data and waits for the answer. */
        void write() throws OpFailure;

        void close();
    }

    private final Writer writer;
    private final List<Watcher> watchers;
    private final long barrierTimeoutMs;

    WatchFanOut(Writer writer, List<Watcher> watchers, long barrierTimeoutMs) {
        if (watchers.isEmpty()) {
            throw new IllegalArgumentException("no watcher");
        }
        this.writer = writer;
        this.watchers = List.copyOf(watchers);
        this.barrierTimeoutMs = barrierTimeoutMs;
    }

    @Override
    public void run(ClientTally tally) {
        int k = watchers.size();
        long[] arrivedNs = new long[k];
        CyclicBarrier barrier = new CyclicBarrier(k + 1);
        AtomicReference<OpFailure> failed = new AtomicReference<>();
        AtomicInteger notified = new AtomicInteger();
        boolean[] stop = new boolean[1]; // written before barrier A, read after it: the barrier orders it
        List<Thread> threads = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int me = i;
            Watcher watcher = watchers.get(i);
            Thread thread = new Thread(() -> {
                try {
                    while (true) {
                        await(barrier); // A: the round starts, or the run ends
                        if (stop[0]) {
                            break;
                        }
                        watcher.arm();
                        await(barrier); // B: every watch is set
                        watcher.awaitChange();
                        arrivedNs[me] = System.nanoTime();
                        notified.incrementAndGet();
                        await(barrier); // C: every watcher has heard
                    }
                    watcher.close();
                } catch (OpFailure f) {
                    failed.compareAndSet(null, f);
                    barrier.reset();
                    watcher.abort();
                } catch (BrokenBarrierException | TimeoutException | InterruptedException e) {
                    watcher.abort();
                }
            }, "bench-watcher-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        tally.count(NOTIFICATIONS, 0);
        long endNs = tally.window().endNs();
        try {
            while (true) {
                stop[0] = System.nanoTime() >= endNs;
                await(barrier); // A
                if (stop[0]) {
                    break;
                }
                await(barrier); // B
                notified.set(0);
                long sentNs = System.nanoTime();
                writer.write();
                await(barrier); // C
                long first = Long.MAX_VALUE;
                long last = Long.MIN_VALUE;
                for (long at : arrivedNs) {
                    first = Math.min(first, at);
                    last = Math.max(last, at);
                }
                tally.success(sentNs, last);
                tally.extraLatency(FIRST, sentNs, first, last);
                if (tally.window().contains(last)) {
                    tally.count(NOTIFICATIONS, notified.get());
                }
            }
        } catch (OpFailure f) {
            failed.compareAndSet(null, f);
        } catch (BrokenBarrierException | TimeoutException e) {
            failed.compareAndSet(null, new OpFailure(ZkBenchClient.REQUEST_TIMEOUT,
                    "a watcher did not finish its part of the round within " + barrierTimeoutMs + " ms", true));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        OpFailure failure = failed.get();
        if (failure != null || Thread.currentThread().isInterrupted()) {
            barrier.reset();
            watchers.forEach(Watcher::abort);
        }
        if (failure != null && !Thread.currentThread().isInterrupted()) {
            tally.failure(Math.max(System.nanoTime(), tally.window().measureFromNs()), failure.countedAs(), 1,
                    failure.getMessage());
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                watchers.forEach(Watcher::abort);
            }
        }
        writer.close();
    }

    private void await(CyclicBarrier barrier) throws BrokenBarrierException, TimeoutException, InterruptedException {
        barrier.await(barrierTimeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        watchers.forEach(Watcher::abort);
        writer.close();
    }
}
