package io.paddock.server;

import java.security.MessageDigest;
import java.util.Random;

/**
 * Session ids and passwords exactly as ZooKeeper makes them, so that clients see familiar ids
 * and any server of an ensemble can check a reconnecting client's password without having
 * stored it: the password is a function of the session id alone.
 */
public final class SessionIds {

    /** ZooKeeperServer's superSecret: it makes passwords a sanity check, not a secret. */
    private static final long SUPER_SECRET = 0xB3415C00L;
    private static final int PASSWORD_BYTES = 16;
    /** EphemeralType.MAX_EXTENDED_SERVER_ID: a high byte of 0xff marks TTL nodes' owners. */
    public static final long MAX_SERVER_ID = 254;
    /** EphemeralType.CONTAINER_EPHEMERAL_OWNER: no session may have this id. */
    private static final long CONTAINER_OWNER = Long.MIN_VALUE;

    private SessionIds() {
    }

    /**
     * The first session id a server hands out (the caller increments from there), as
     * SessionTrackerImpl.initializeNextSessionId: the server id in the high byte, the low 40
     * bits of the time in the next five bytes, and two zero bytes, so servers never collide
     * and a restarted server does not reuse its earlier ids.
     */
    public static long initialSessionId(long serverId, long nowMs) {
        if (serverId < 0 || serverId > MAX_SERVER_ID) {
            throw new IllegalArgumentException("server id must be 0.." + MAX_SERVER_ID + ": " + serverId);
        }
        // >>> rather than >> so the time's top bit never spills into the server id (ZOOKEEPER-1622).
        long id = (nowMs << 24) >>> 8;
        id |= serverId << 56;
        if (id == CONTAINER_OWNER) {
            id++;
        }
        return id;
    }

    /**
     * ZooKeeperServer.generatePasswd: 16 bytes from java.util.Random seeded with the session id
     * xor superSecret. Seeded on purpose: the same id always gives the same password.
     */
    public static byte[] password(long sessionId) {
        byte[] password = new byte[PASSWORD_BYTES];
        new Random(sessionId ^ SUPER_SECRET).nextBytes(password);
        return password;
    }

    /** ZooKeeperServer.checkPasswd: session id 0 never matches. */
    public static boolean checkPassword(long sessionId, byte[] password) {
        return sessionId != 0 && password != null && MessageDigest.isEqual(password, password(sessionId));
    }
}
