package io.paddock.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * ZooKeeper's ExpiryQueue for sessions, as a pure class: each session sits in the bucket of
 * the tick boundary after its deadline, so expiry works in batches of one tick, and a session
 * expires no earlier than its timeout and less than one tick after it. Time is passed in.
 *
 * <p>Not thread-safe: the session tracker actor owns it.
 */
public final class SessionExpiry {

    private final int tickTimeMs;
    /** session -> the bucket it sits in. */
    private final Map<Long, Long> bucketBySession = new HashMap<>();
    /** bucket time -> its sessions; ordered so the earliest bucket is first. */
    private final TreeMap<Long, Set<Long>> buckets = new TreeMap<>();

    public SessionExpiry(int tickTimeMs) {
        if (tickTimeMs <= 0) {
            throw new IllegalArgumentException("tickTimeMs must be positive: " + tickTimeMs);
        }
        this.tickTimeMs = tickTimeMs;
    }

    /**
     * Adds the session, or moves it, to the bucket of {@code nowMs + timeoutMs} rounded up to
     * the next tick boundary (strictly after it, as ZooKeeper's roundToNextInterval does).
     */
    public void touch(long sessionId, int timeoutMs, long nowMs) {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeoutMs must be positive: " + timeoutMs);
        }
        long bucket = bucketAfter(nowMs + timeoutMs);
        Long previous = bucketBySession.put(sessionId, bucket);
        if (previous != null) {
            if (previous == bucket) {
                return;
            }
            leaveBucket(sessionId, previous);
        }
        buckets.computeIfAbsent(bucket, b -> new HashSet<>()).add(sessionId);
    }

    public void remove(long sessionId) {
        Long bucket = bucketBySession.remove(sessionId);
        if (bucket != null) {
            leaveBucket(sessionId, bucket);
        }
    }

    public boolean contains(long sessionId) {
        return bucketBySession.containsKey(sessionId);
    }

    /** Removes and returns, in ascending order, every session whose bucket time is {@code <= nowMs}. */
    public List<Long> expire(long nowMs) {
        List<Long> expired = new ArrayList<>();
        Iterator<Map.Entry<Long, Set<Long>>> due = buckets.headMap(nowMs, true).entrySet().iterator();
        while (due.hasNext()) {
            for (Long sessionId : due.next().getValue()) {
                bucketBySession.remove(sessionId);
                expired.add(sessionId);
            }
            due.remove();
        }
        // Buckets are hash sets; sorting keeps the output independent of hash order.
        Collections.sort(expired);
        return expired;
    }

    /** The earliest bucket time, when the next {@link #expire} may find something; Long.MAX_VALUE when empty. */
    public long nextExpirationMs() {
        return buckets.isEmpty() ? Long.MAX_VALUE : buckets.firstKey();
    }

    public int size() {
        return bucketBySession.size();
    }

    /** The session timeout a server grants: the request clamped to [min, max], as ZooKeeper does. */
    public static int negotiateTimeout(int requestedMs, int minMs, int maxMs) {
        int timeoutMs = requestedMs;
        if (timeoutMs < minMs) {
            timeoutMs = minMs;
        }
        if (timeoutMs > maxMs) {
            timeoutMs = maxMs;
        }
        return timeoutMs;
    }

    private long bucketAfter(long timeMs) {
        return (Math.floorDiv(timeMs, tickTimeMs) + 1) * tickTimeMs;
    }

    private void leaveBucket(long sessionId, long bucket) {
        Set<Long> sessions = buckets.get(bucket);
        if (sessions != null) {
            sessions.remove(sessionId);
            // Unlike ZooKeeper, drop empty buckets now so nextExpirationMs stays exact.
            if (sessions.isEmpty()) {
                buckets.remove(bucket);
            }
        }
    }
}
