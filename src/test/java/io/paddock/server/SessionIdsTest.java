package io.paddock.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SessionIdsTest {

    private static final long NOW_MS = 1_717_171_717_171L;

    @Test
    void highByteIsTheServerId() {
        for (long serverId : new long[] {0, 1, 2, 127, 128, 200, 254}) {
            assertEquals(serverId, SessionIds.initialSessionId(serverId, NOW_MS) >>> 56, "server " + serverId);
        }
    }

    @Test
    void nextFiveBytesAreTheLow40BitsOfTheTimeAndTheLowTwoBytesZero() {
        long id = SessionIds.initialSessionId(3, NOW_MS);
        assertEquals(NOW_MS & 0xff_ffff_ffffL, (id >>> 16) & 0xff_ffff_ffffL);
        assertEquals(0, id & 0xffff);
        assertEquals(0x0301_2345_6789_0000L, SessionIds.initialSessionId(3, 0xab01_2345_6789L));
    }

    @Test
    void differentTimesGiveDifferentIds() {
        assertNotEquals(SessionIds.initialSessionId(1, NOW_MS), SessionIds.initialSessionId(1, NOW_MS + 1));
        assertEquals(1L << 16,
                SessionIds.initialSessionId(1, NOW_MS + 1) - SessionIds.initialSessionId(1, NOW_MS));
    }

    @Test
    void idNeverEqualsTheContainerOwnerMarker() {
        // Server 128 at a time whose low 40 bits are 0 would give exactly Long.MIN_VALUE.
        assertEquals(Long.MIN_VALUE + 1, SessionIds.initialSessionId(128, 1L << 40));
    }

    @Test
    void serverIdsOutsideZeroTo254AreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SessionIds.initialSessionId(255, NOW_MS));
        assertThrows(IllegalArgumentException.class, () -> SessionIds.initialSessionId(-1, NOW_MS));
    }

    @Test
    void passwordIsZooKeepersSixteenSeededRandomBytes() {
        long sessionId = 0x0100_0abc_def0_0001L;
        byte[] expected = new byte[16];
        new Random(sessionId ^ 0xB3415C00L).nextBytes(expected);
        assertArrayEquals(expected, SessionIds.password(sessionId));
        // Pinned, so a change to the derivation cannot pass unnoticed.
        assertArrayEquals(new byte[] {60, 24, -85, -32, 91, 14, 97, -126, 116, 29, 98, 93, 18, 124, 21, -80},
                SessionIds.password(0x1234L));
    }

    @Test
    void passwordIsDeterministicAndDiffersBetweenSessions() {
        assertArrayEquals(SessionIds.password(42), SessionIds.password(42));
        assertFalse(java.util.Arrays.equals(SessionIds.password(42), SessionIds.password(43)));
    }

    @Test
    void checkPasswordAcceptsOnlyTheSessionsOwnPassword() {
        long sessionId = SessionIds.initialSessionId(2, NOW_MS);
        assertTrue(SessionIds.checkPassword(sessionId, SessionIds.password(sessionId)));
        assertFalse(SessionIds.checkPassword(sessionId, SessionIds.password(sessionId + 1)));
        assertFalse(SessionIds.checkPassword(sessionId, new byte[16]));
        assertFalse(SessionIds.checkPassword(sessionId, new byte[0]));
        assertFalse(SessionIds.checkPassword(sessionId, null));
    }

    @Test
    void sessionIdZeroNeverChecks() {
        assertFalse(SessionIds.checkPassword(0, SessionIds.password(0)));
    }
}
