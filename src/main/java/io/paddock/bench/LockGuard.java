package io.paddock.bench;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lock workload's critical section, shared by the contenders of one run in this process:
 * it counts the holders inside, so that two contenders holding the lock at once show as an
 * overlap instead of passing unseen. A correct lock gives zero overlaps.
 */
final class LockGuard {

    /** The detail under which the JSON line reports overlaps. */
    static final String OVERLAPS = "overlaps";

    private final AtomicInteger holders = new AtomicInteger();

    /**
     * The critical section of one acquisition: enters, yields once (so that an overlapping
     * holder has a chance to be inside at the same time), checks that no one else entered, leaves.
     */
    void hold(ClientTally tally) {
        int inside = holders.incrementAndGet();
        Thread.yield();
        int stillInside = holders.get();
        holders.decrementAndGet();
        if (inside != 1 || stillInside != 1) {
            tally.count(OVERLAPS, 1);
        }
    }
}
