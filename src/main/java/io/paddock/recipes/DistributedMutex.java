package io.paddock.recipes;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.RetryPolicy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A lock shared by every process that uses the same path, re-entrant per thread as Curator's
 * InterProcessMutex is: the thread that holds it may acquire it again, and must release it as
 * many times; only the holding thread may release it (any other gets
 * {@link IllegalMonitorStateException}).
 *
 * <p>Each contender creates an ephemeral sequential node {@code _c_<guid>-lock-<seq>} under the
 * path (created, with missing ancestors, as container nodes) and holds the lock when its node is
 * the first; otherwise it watches only the node right before its own, so a release wakes one
 * waiter (no herd). Waiters are served in the order they queued.
 *
 * <p>Every acquisition carries a fencing token ({@link LockLease#fencingToken()}, the node's
 * czxid), larger for each later holder; see {@link LockLease} for why a resource should check it.
 * The lock is released when its holder's session ends. The holder learns of a possible loss from
 * the client's ConnectionState: SUSPENDED (may be lost: stop acting as the holder until
 * RECONNECTED), LOST (lost: another contender may hold it now).
 */
public final class DistributedMutex {

    public static final String LOCK_MARKER = "lock-";

    private final LockInternals internals;
    private final BooleanSupplier grantedOutright;
    private final BooleanSupplier wouldDeadlock;
    private final Map<Thread, Hold> holds = new ConcurrentHashMap<>();

    /** One thread's hold: its lease and how many times it acquired. Touched only by that thread. */
    private static final class Hold {
        final LockLease lease;
        int count = 1;

        Hold(LockLease lease) {
            this.lease = lease;
        }
    }

    public DistributedMutex(PaddockClient client, String path) {
        this(client, path, LockInternals.DEFAULT_RETRY);
    }

    /** @param retryPolicy how the lock retries its own writes whose outcome was lost with the connection */
    public DistributedMutex(PaddockClient client, String path, RetryPolicy retryPolicy) {
        this(new LockInternals(client, path, LOCK_MARKER, List.of(LOCK_MARKER), LockRule.exclusive(), retryPolicy),
                () -> false, () -> false);
    }

    /** A side of a read-write lock, with its own rule and its own re-entry checks. */
    DistributedMutex(LockInternals internals, BooleanSupplier grantedOutright, BooleanSupplier wouldDeadlock) {
        this.internals = internals;
        this.grantedOutright = grantedOutright;
        this.wouldDeadlock = wouldDeadlock;
    }

    /** Waits as long as it takes; returns the lease of the current thread's hold. */
    public LockLease acquire() throws PaddockException, InterruptedException {
        return acquire(false, 0L);
    }

    /**
     * Waits at most {@code timeout} (zero or less: one look at the queue); false when it passed,
     * with this contender's node removed again.
     */
    public boolean acquire(Duration timeout) throws PaddockException, InterruptedException {
        return acquire(true, System.nanoTime() + Math.max(0L, timeout.toNanos())) != null;
    }

    private LockLease acquire(boolean timed, long deadlineNanos) throws PaddockException, InterruptedException {
        Thread me = Thread.currentThread();
        Hold hold = holds.get(me);
        if (hold != null) {
            if (hold.count == Integer.MAX_VALUE) {
                throw new IllegalMonitorStateException("lock count overflow on " + internals.basePath());
            }
            hold.count++;
            return hold.lease;
        }
        if (wouldDeadlock.getAsBoolean()) {
            throw new IllegalStateException("the current thread holds the read lock of " + internals.basePath()
                    + " and would wait for itself to release it: release it before acquiring the write lock");
        }
        LockLease lease = internals.acquire(timed, deadlineNanos, grantedOutright);
        if (lease != null) {
            holds.put(me, new Hold(lease));
        }
        return lease;
    }

    /**
     * Releases one hold of the current thread; the last one deletes the node. The thread no longer
     * holds the lock even when the delete fails (it is retried with the retry policy, then finished
     * in the background, and the session's end removes the node in any case).
     */
    public void release() throws PaddockException, InterruptedException {
        Thread me = Thread.currentThread();
        Hold hold = holds.get(me);
        if (hold == null) {
            throw new IllegalMonitorStateException("the current thread does not hold the lock " + internals.basePath());
        }
        if (--hold.count > 0) {
            return;
        }
        holds.remove(me);
        internals.release(hold.lease);
    }

    /** The current thread's lease; {@link IllegalMonitorStateException} when it holds none. */
    public LockLease lease() {
        Hold hold = holds.get(Thread.currentThread());
        if (hold == null) {
            throw new IllegalMonitorStateException("the current thread does not hold the lock " + internals.basePath());
        }
        return hold.lease;
    }

    /** The current thread's fencing token (see {@link LockLease}). */
    public long fencingToken() {
        return lease().fencingToken();
    }

    /** Whether the current thread holds it, as far as this object knows (see {@link LockLease#stillHeldBy}). */
    public boolean isHeldByCurrentThread() {
        return holds.containsKey(Thread.currentThread());
    }

    /** How many times the current thread holds it (0 when it does not). */
    public int holdCount() {
        Hold hold = holds.get(Thread.currentThread());
        return hold == null ? 0 : hold.count;
    }

    /** The lock's path. */
    public String path() {
        return internals.basePath();
    }

    /** The contenders' node names, holder(s) first, in queue order. */
    public List<String> queue() throws PaddockException, InterruptedException {
        return internals.queue();
    }
}
