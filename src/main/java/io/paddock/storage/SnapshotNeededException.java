package io.paddock.storage;

import java.io.IOException;

/**
 * A truncation (ZAB's TRUNC) that the data directory cannot carry out: no snapshot at or below
 * the zxid, with the log after it, rebuilds the tree at exactly that zxid (the log it needs was
 * purged, or is damaged). Nothing was changed on disk; only a full snapshot from the leader (SNAP)
 * can bring this server in line.
 */
public final class SnapshotNeededException extends IOException {

    private final long zxid;

    public SnapshotNeededException(long zxid, String why, Throwable cause) {
        super("Cannot truncate the data directory to zxid 0x" + Long.toHexString(zxid) + ": " + why
                + "; a full snapshot (SNAP) from the leader is needed", cause);
        this.zxid = zxid;
    }

    /** The zxid the truncation was asked to reach. */
    public long zxid() {
        return zxid;
    }
}
