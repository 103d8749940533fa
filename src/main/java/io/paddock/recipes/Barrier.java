package io.paddock.recipes;

import io.paddock.client.CreateOptions;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.tree.CreateMode;

import java.time.Duration;
import java.util.Objects;

/**
 * A barrier as Curator's DistributedBarrier: while its node exists, {@link #waitOnBarrier} blocks;
 * removing the node lets every waiter through. The node is PERSISTENT, so the barrier outlives
 * the session that set it. Waiters hold an exists watch, set again after every event.
 */
public final class Barrier {

    private final PaddockClient client;
    private final String path;

    public Barrier(PaddockClient client, String path) {
        this.client = Objects.requireNonNull(client, "client");
        this.path = RecipePaths.validate(path);
    }

    public String path() {
        return path;
    }

    /** Raises the barrier (creating missing parents); raising a raised barrier does nothing. */
    public void setBarrier() throws PaddockException, InterruptedException {
        try {
            client.create(path, new byte[0], CreateOptions.of(CreateMode.PERSISTENT).withParents());
        } catch (PaddockException.NodeExistsException raised) {
            // already up
        }
    }

    /** Lowers the barrier; lowering a lowered barrier does nothing. */
    public void removeBarrier() throws PaddockException, InterruptedException {
        try {
            client.delete(path, PaddockClient.ANY_VERSION);
        } catch (PaddockException.NoNodeException lowered) {
            // already down
        }
    }

    /** Blocks until the barrier is down. */
    public void waitOnBarrier() throws PaddockException, InterruptedException {
        await(-1);
    }

    /** Blocks until the barrier is down or the timeout passes; whether it is down. */
    public boolean waitOnBarrier(Duration timeout) throws PaddockException, InterruptedException {
        return await(Math.max(0, timeout.toNanos()));
    }

    private boolean await(long timeoutNanos) throws PaddockException, InterruptedException {
        long deadline = WakeSignal.deadline(timeoutNanos);
        WakeSignal signal = new WakeSignal();
        // Also woken by connection changes: after a new session the watch is gone and must be set again.
        client.addConnectionStateListener(signal);
        try {
            for (int failures = 0; ; ) {
                long seen = signal.generation();
                boolean raised;
                try {
                    raised = client.exists(path, signal).isPresent();
                    failures = 0;
                } catch (PaddockException e) {
                    signal.pauseAfter(e, seen, deadline, failures++);
                    continue;
                }
                if (!raised) {
                    return true;
                }
                if (!signal.awaitChange(seen, deadline)) {
                    return false;
                }
            }
        } finally {
            client.removeConnectionStateListener(signal);
        }
    }
}
