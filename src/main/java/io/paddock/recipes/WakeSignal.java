package io.paddock.recipes;

import io.paddock.client.ConnectionState;
import io.paddock.client.ConnectionStateListener;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.WatchEvent;
import io.paddock.client.Watcher;

import java.util.concurrent.TimeUnit;

/**
 * How a blocking recipe call (a barrier's wait) sleeps until something may have changed: a
 * generation counter that every watch event and every connection-state change bumps. The caller
 * reads the generation, looks at the znodes (setting its watches), and then waits for the
 * generation to move, so that an event arriving between the look and the wait is not lost.
 */
final class WakeSignal implements Watcher, ConnectionStateListener {

    private long generation;

    synchronized long generation() {
        return generation;
    }

    @Override
    public void process(WatchEvent event) {
        bump();
    }

    @Override
    public void stateChanged(PaddockClient client, ConnectionState newState) {
        bump();
    }

    synchronized void bump() {
        generation++;
        notifyAll();
    }

    /**
     * Waits until the generation moves past {@code seen} or the deadline ({@link System#nanoTime}
     * based, Long.MAX_VALUE for none) passes; whether it moved.
     */
    synchronized boolean awaitChange(long seen, long deadlineNanos) throws InterruptedException {
        while (generation == seen) {
            if (deadlineNanos == Long.MAX_VALUE) {
                wait();
                continue;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /**
     * Whether a failed look at the znodes is worth another once the connection is back: no server
     * answered (ConnectionLoss, timeouts), or the session ended and the client is opening another.
     */
    static boolean isTransient(PaddockException e) {
        return e instanceof PaddockException.ConnectionLossException
                || e instanceof PaddockException.SessionExpiredException
                || e instanceof PaddockException.OperationTimeoutException
                || e instanceof PaddockException.RequestTimeoutException
                || e instanceof PaddockException.SessionMovedException;
    }

    /**
     * After a transient failure: waits for a change (a reconnection bumps the generation) or a
     * short backoff, whichever comes first; rethrows the failure once the deadline has passed.
     */
    void pauseAfter(PaddockException e, long seen, long deadlineNanos, int failures)
            throws PaddockException, InterruptedException {
        if (!isTransient(e)) {
            throw e;
        }
        long pauseEnd = System.nanoTime() + RecipeWorker.retryDelay(failures).toNanos();
        long end = deadlineNanos - pauseEnd < 0 ? deadlineNanos : pauseEnd;
        awaitChange(seen, end);
        if (deadlineNanos != Long.MAX_VALUE && deadlineNanos - System.nanoTime() <= 0) {
            throw e;
        }
    }

    /** A deadline {@code timeoutNanos} from now, or none for a negative timeout. */
    static long deadline(long timeoutNanos) {
        if (timeoutNanos < 0) {
            return Long.MAX_VALUE;
        }
        long d = System.nanoTime() + timeoutNanos;
        return d == Long.MAX_VALUE ? d - 1 : d;
    }
}
