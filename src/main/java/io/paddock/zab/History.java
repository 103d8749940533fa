package io.paddock.zab;

import io.paddock.tree.TxnRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The tail of this server's log kept in memory: what a leader sends in a DIFF, and what any peer
 * applies once it learns the records are committed. Records that are not yet applied are never
 * dropped (they must still be applied), nor is anything while a snapshot for a learner is being
 * taken (its records after the snapshot's zxid must still be here when it is ready).
 */
final class History {

    /** A logged record with the server and Submit it came from (0, 0 when unknown). */
    record Entry(TxnRecord record, long origin, long tag) {
        long zxid() {
            return record.zxid();
        }
    }

    /** What a leader sends a learner whose last logged zxid is known: see {@link #planSync}. */
    enum SyncKind { DIFF, TRUNC, SNAP }

    /** DIFF or TRUNC to {@code zxid}, then the records after it; or SNAP. */
    record SyncPlan(SyncKind kind, long zxid) {
    }

    private final int window;
    private final ArrayList<Entry> entries = new ArrayList<>();
    /** The zxid just before the first entry, or -1 when that is not known (the start-up log tail). */
    private long baseZxid;
    private long lastZxid;

    History(int window, long lastLoggedZxid, List<TxnRecord> recentLog) {
        this.window = window;
        long prev = -1;
        for (TxnRecord r : recentLog) {
            if (r.zxid() <= prev) {
                throw new IllegalArgumentException("recentLog is not in ascending zxid order at " + Zxid.hex(r.zxid()));
            }
            prev = r.zxid();
            entries.add(new Entry(r, 0, 0));
        }
        if (!recentLog.isEmpty() && prev != lastLoggedZxid) {
            throw new IllegalArgumentException("recentLog ends at " + Zxid.hex(prev)
                    + " but the last logged zxid is " + Zxid.hex(lastLoggedZxid));
        }
        this.lastZxid = lastLoggedZxid;
        this.baseZxid = entries.isEmpty() ? lastLoggedZxid : -1;
    }

    long lastZxid() {
        return lastZxid;
    }

    int size() {
        return entries.size();
    }

    void append(Entry e) {
        if (e.zxid() <= lastZxid) {
            throw new IllegalStateException("append of " + Zxid.hex(e.zxid()) + " after " + Zxid.hex(lastZxid));
        }
        entries.add(e);
        lastZxid = e.zxid();
    }

    /** Drops every record after {@code zxid}. */
    void truncate(long zxid) {
        int keep = firstIndexAfter(zxid);
        entries.subList(keep, entries.size()).clear();
        if (entries.isEmpty()) {
            baseZxid = zxid;
        }
        lastZxid = Math.min(lastZxid, zxid);
        if (!entries.isEmpty()) {
            lastZxid = entries.get(entries.size() - 1).zxid();
        }
    }

    /** After a snapshot was installed: nothing is logged after {@code zxid}. */
    void resetTo(long zxid) {
        entries.clear();
        baseZxid = zxid;
        lastZxid = zxid;
    }

    /** Drops the oldest applied records beyond the window (in batches, to keep appends cheap). */
    void trim(long appliedZxid, boolean pinned) {
        if (pinned || entries.size() <= window + window / 4 + 16) {
            return;
        }
        int drop = 0;
        int excess = entries.size() - window;
        while (drop < excess && entries.get(drop).zxid() <= appliedZxid) {
            drop++;
        }
        if (drop > 0) {
            baseZxid = entries.get(drop - 1).zxid();
            entries.subList(0, drop).clear();
        }
    }

    /** The records after {@code zxid}, in order. */
    List<Entry> after(long zxid) {
        int from = firstIndexAfter(zxid);
        return Collections.unmodifiableList(new ArrayList<>(entries.subList(from, entries.size())));
    }

    /** The records in ({@code from}, {@code to}], in order. */
    List<Entry> between(long from, long to) {
        int a = firstIndexAfter(from);
        int b = firstIndexAfter(to);
        return a >= b ? List.of() : new ArrayList<>(entries.subList(a, b));
    }

    /** Whether every record after {@code zxid} is held here. */
    boolean covers(long zxid) {
        return zxid >= lastZxid || contains(zxid) || (baseZxid >= 0 && zxid >= baseZxid);
    }

    boolean contains(long zxid) {
        int i = indexOf(zxid);
        return i >= 0;
    }

    /**
     * How to bring a learner whose last logged zxid is {@code peerLastZxid} to this history
     * (ZooKeeper's LearnerHandler.syncFollower without the on-disk log): in sync → empty DIFF;
     * ahead → TRUNC to our last zxid; a record we hold → DIFF; between two records we hold (it has
     * records we lack) → TRUNC to the one before; older than what we hold → SNAP. Two logs that hold
     * the same zxid agree up to it: one leader per epoch numbers each proposal once.
     */
    SyncPlan planSync(long peerLastZxid) {
        if (peerLastZxid == lastZxid) {
            return new SyncPlan(SyncKind.DIFF, peerLastZxid);
        }
        if (peerLastZxid > lastZxid) {
            return new SyncPlan(SyncKind.TRUNC, lastZxid);
        }
        if (peerLastZxid == baseZxid || contains(peerLastZxid)) {
            return new SyncPlan(SyncKind.DIFF, peerLastZxid);
        }
        int after = firstIndexAfter(peerLastZxid);
        if (after > 0) {
            return new SyncPlan(SyncKind.TRUNC, entries.get(after - 1).zxid());
        }
        if (baseZxid >= 0 && peerLastZxid > baseZxid) {
            return new SyncPlan(SyncKind.TRUNC, baseZxid);
        }
        return new SyncPlan(SyncKind.SNAP, -1);
    }

    private int indexOf(long zxid) {
        int lo = 0;
        int hi = entries.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long z = entries.get(mid).zxid();
            if (z < zxid) {
                lo = mid + 1;
            } else if (z > zxid) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** The index of the first entry whose zxid is above {@code zxid}. */
    private int firstIndexAfter(long zxid) {
        int lo = 0;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries.get(mid).zxid() <= zxid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
