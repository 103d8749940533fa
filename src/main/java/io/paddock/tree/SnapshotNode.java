package io.paddock.tree;

import java.util.List;

/**
 * One znode as a snapshot holds it: its path and every persisted field, copied from the live
 * tree at one moment of a {@link SnapshotCursor} walk. The data array is shared with the tree,
 * which never writes into an array it holds (setData replaces the array), so the copy stays
 * what it was.
 *
 * @param cversion       ZooKeeper's persisted cversion (children ever created), not the Stat's
 * @param mode           the base mode: PERSISTENT, EPHEMERAL, CONTAINER or PERSISTENT_WITH_TTL
 * @param ttlMs          the TTL of a PERSISTENT_WITH_TTL node, else 0
 * @param ephemeralOwner the owning session of an EPHEMERAL node, else 0
 */
public record SnapshotNode(String path, byte[] data, List<Acl> acl, long czxid, long mzxid, long ctime, long mtime,
                           int version, int cversion, int aversion, long pzxid, CreateMode mode, long ttlMs,
                           long ephemeralOwner) {

    /** The node at {@code path} as it is now. */
    static SnapshotNode of(String path, ZNode n) {
        return new SnapshotNode(path, n.data, n.acl, n.czxid, n.mzxid, n.ctime, n.mtime, n.version, n.cversion,
                n.aversion, n.pzxid, n.mode(), n.ttlMs(), n.ephemeralOwner());
    }
}
