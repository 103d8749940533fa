package io.paddock.zab;

/**
 * A zxid is {@code epoch << 32 | counter}, as in ZooKeeper: the leader of an epoch numbers its
 * proposals 1, 2, 3… within it, and a new epoch restarts the counter.
 */
public final class Zxid {

    private Zxid() {
    }

    public static long make(long epoch, long counter) {
        return (epoch << 32) | (counter & 0xffffffffL);
    }

    public static long epoch(long zxid) {
        return zxid >>> 32;
    }

    public static long counter(long zxid) {
        return zxid & 0xffffffffL;
    }

    public static String hex(long zxid) {
        return "0x" + Long.toHexString(zxid);
    }
}
