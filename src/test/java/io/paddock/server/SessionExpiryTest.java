package io.paddock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SessionExpiryTest {

    private static final int TICK = 2000;
    private final SessionExpiry expiry = new SessionExpiry(TICK);

    @Test
    void sessionExpiresNoEarlierThanItsTimeoutAndWithinOneTickAfter() {
        for (long now : new long[] {0, 1, 1000, 1999, 2000, 2001, 123_456_789}) {
            SessionExpiry queue = new SessionExpiry(TICK);
            queue.touch(1, 5000, now);
            long deadline = now + 5000;
            assertEquals(List.of(), queue.expire(deadline), "at the timeout, from " + now);
            long due = queue.nextExpirationMs();
            assertTrue(due > deadline && due <= deadline + TICK, "bucket " + due + " for deadline " + deadline);
            assertEquals(0, due % TICK);
            assertEquals(List.of(), queue.expire(due - 1));
            assertEquals(List.of(1L), queue.expire(due));
            assertFalse(queue.contains(1));
        }
    }

    @Test
    void bucketIsTheTickBoundaryStrictlyAfterTheDeadlineAsInZooKeeper() {
        expiry.touch(1, 4000, 0);      // deadline 4000, exactly on a boundary
        expiry.touch(2, 4000, 1);      // deadline 4001
        assertEquals(6000, expiry.nextExpirationMs());
        assertEquals(List.of(1L, 2L), expiry.expire(6000));
    }

    @Test
    void touchPostponesExpiry() {
        expiry.touch(1, 4000, 0);
        assertEquals(6000, expiry.nextExpirationMs());
        expiry.touch(1, 4000, 3000);
        assertEquals(8000, expiry.nextExpirationMs());
        assertEquals(List.of(), expiry.expire(6000));
        assertTrue(expiry.contains(1));
        assertEquals(List.of(1L), expiry.expire(8000));
    }

    @Test
    void touchWithinTheSameTickKeepsTheBucket() {
        expiry.touch(1, 4000, 100);
        expiry.touch(1, 4000, 1900);
        assertEquals(6000, expiry.nextExpirationMs());
        assertEquals(1, expiry.size());
    }

    @Test
    void sessionsOfOneTickExpireTogetherInAscendingOrder() {
        expiry.touch(30, 4000, 10);
        expiry.touch(-5, 4000, 900);
        expiry.touch(7, 4000, 1999);
        expiry.touch(8, 4000, 2000);   // next bucket
        assertEquals(List.of(-5L, 7L, 30L), expiry.expire(6000));
        assertEquals(8000, expiry.nextExpirationMs());
        assertEquals(1, expiry.size());
    }

    @Test
    void expireTakesEveryOverdueBucketAtOnce() {
        expiry.touch(3, 4000, 0);
        expiry.touch(2, 8000, 0);
        expiry.touch(1, 60000, 0);
        assertEquals(List.of(2L, 3L), expiry.expire(50_000));
        assertEquals(List.of(1L), expiry.expire(Long.MAX_VALUE));
        assertEquals(0, expiry.size());
    }

    @Test
    void removedSessionNeverExpires() {
        expiry.touch(1, 4000, 0);
        expiry.touch(2, 4000, 0);
        expiry.remove(1);
        expiry.remove(99);
        assertFalse(expiry.contains(1));
        assertEquals(List.of(2L), expiry.expire(6000));
    }

    @Test
    void nextExpirationFollowsTheEarliestNonEmptyBucket() {
        assertEquals(Long.MAX_VALUE, expiry.nextExpirationMs());
        expiry.touch(1, 4000, 0);
        expiry.touch(2, 10000, 0);
        expiry.touch(1, 20000, 0);     // leaves the 6000 bucket empty
        assertEquals(12000, expiry.nextExpirationMs());
        expiry.remove(2);
        assertEquals(22000, expiry.nextExpirationMs());
        expiry.remove(1);
        assertEquals(Long.MAX_VALUE, expiry.nextExpirationMs());
    }

    @Test
    void shorterTimeoutMovesTheSessionEarlier() {
        expiry.touch(1, 40000, 0);
        expiry.touch(1, 4000, 0);
        assertEquals(List.of(1L), expiry.expire(6000));
    }

    @Test
    void negotiationClampsToTheServersBounds() {
        assertEquals(4000, SessionExpiry.negotiateTimeout(1000, 4000, 40000));
        assertEquals(40000, SessionExpiry.negotiateTimeout(1_000_000, 4000, 40000));
        assertEquals(15000, SessionExpiry.negotiateTimeout(15000, 4000, 40000));
        assertEquals(4000, SessionExpiry.negotiateTimeout(0, 4000, 40000));
        assertEquals(4000, SessionExpiry.negotiateTimeout(-1, 4000, 40000));
    }

    @Test
    void nonPositiveTimesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SessionExpiry(0));
        assertThrows(IllegalArgumentException.class, () -> expiry.touch(1, 0, 0));
    }
}
