package io.paddock.recipes;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.RetryPolicy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A counting semaphore shared by every process that uses the same path: at most
 * {@code maxLeases} leases are held at once, as with Curator's InterProcessSemaphoreV2. Every
 * user of a path must give the same maxLeases (as in Curator, nothing checks it).
 *
 * <p>Contenders queue as ephemeral sequential nodes {@code _c_<guid>-lease-<seq>}; the first
 * maxLeases of the queue hold a lease. A waiter watches only the maxLeases nodes right before it:
 * it can only come within the first maxLeases once one of those has gone, so a release wakes at
 * most maxLeases waiters, never all of them (Curator's V2 wakes every waiter). Leases are served
 * in queue order. A lease ends with {@link #release}, or when its session ends.
 *
 * <p>Leases belong to no thread: any thread may release one. Each carries a fencing token (its
 * node's czxid), unique and growing in queue order.
 */
public final class DistributedSemaphore {

    public static final String LEASE_MARKER = "lease-";

    private final LockInternals internals;
    private final int maxLeases;
    private final Set<LockLease> held = ConcurrentHashMap.newKeySet();

    public DistributedSemaphore(PaddockClient client, String path, int maxLeases) {
        this(client, path, maxLeases, LockInternals.DEFAULT_RETRY);
    }

    public DistributedSemaphore(PaddockClient client, String path, int maxLeases, RetryPolicy retryPolicy) {
        this.internals = new LockInternals(client, path, LEASE_MARKER, List.of(LEASE_MARKER),
                LockRule.shared(maxLeases), retryPolicy);
        this.maxLeases = maxLeases;
    }

    /** Waits as long as it takes for a lease. */
    public LockLease acquire() throws PaddockException, InterruptedException {
        return remember(internals.acquire(false, 0L, () -> false));
    }

    /** A lease, or empty when {@code timeout} passed first (zero or less: one look at the queue). */
    public Optional<LockLease> acquire(Duration timeout) throws PaddockException, InterruptedException {
        long deadline = System.nanoTime() + Math.max(0L, timeout.toNanos());
        return Optional.ofNullable(remember(internals.acquire(true, deadline, () -> false)));
    }

    private LockLease remember(LockLease lease) {
        if (lease != null) {
            held.add(lease);
        }
        return lease;
    }

    /**
     * Gives a lease back (deleting its node). {@link IllegalStateException} for a lease this
     * semaphore did not give or that was released already.
     */
    public void release(LockLease lease) throws PaddockException, InterruptedException {
        if (!held.remove(lease)) {
            throw new IllegalStateException("not a lease held from this semaphore: " + lease);
        }
        internals.release(lease);
    }

    /** The leases of this object not yet released. */
    public Set<LockLease> heldLeases() {
        return Set.copyOf(held);
    }

    public int maxLeases() {
        return maxLeases;
    }

    public String path() {
        return internals.basePath();
    }

    /** The contenders' node names in queue order: the first maxLeases hold. */
    public List<String> queue() throws PaddockException, InterruptedException {
        return internals.queue();
    }
}
