package io.paddock.tree;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One znode. Holds what ZooKeeper's DataNode and StatPersisted hold and nothing more (the tree
 * will hold a million of these): no Stat object, no path, no parent link; children only once
 * there is one. Readers get getters; only {@link DataTree} mutates.
 *
 * <p>{@link #persistedCversion()} is ZooKeeper's persisted cversion: the number of children ever
 * created, which sequential suffixes and {@code Txn.Create.parentCversion} use. Clients see
 * {@code 2 * persistedCversion - numChildren} (every create plus every delete), as ZooKeeper's
 * DataNode.copyStat reports it.
 */
public final class ZNode {

    // Mode kinds, stored as a byte rather than folded into the owner as ZooKeeper does, so that no
    // session id can ever be mistaken for a container or TTL marker.
    static final byte PERSISTENT = 0;
    static final byte EPHEMERAL = 1;
    static final byte CONTAINER = 2;
    static final byte TTL = 3;

    /** ZooKeeper's ephemeralOwner marker for container nodes (EphemeralType.CONTAINER_EPHEMERAL_OWNER). */
    public static final long CONTAINER_EPHEMERAL_OWNER = Long.MIN_VALUE;
    /** ZooKeeper's extended-type marker whose low 40 bits carry a TTL in milliseconds. */
    private static final long TTL_EPHEMERAL_OWNER_MASK = 0xff00000000000000L;
    /** The largest TTL ZooKeeper can encode (EphemeralType.TTL.maxValue()). */
    public static final long MAX_TTL_MS = 0x000000ffffffffffL;

    private static final byte[] NO_DATA = new byte[0];

    byte[] data;
    List<Acl> acl;
    TreeSet<String> children;
    long czxid;
    long mzxid;
    long ctime;
    long mtime;
    long pzxid;
    int version;
    int cversion;
    int aversion;
    /** The owning session for EPHEMERAL, the TTL in ms for TTL, else 0. */
    long owner;
    byte kind;

    ZNode(byte[] data, List<Acl> acl, byte kind, long owner, long zxid, long timeMs) {
        this.data = data == null ? NO_DATA : data;
        this.acl = acl;
        this.kind = kind;
        this.owner = owner;
        this.czxid = zxid;
        this.mzxid = zxid;
        this.pzxid = zxid;
        this.ctime = timeMs;
        this.mtime = timeMs;
    }

    /** The data, never null. The array is shared: callers must not modify it. */
    public byte[] data() {
        return data;
    }

    public List<Acl> acl() {
        return acl;
    }

    /** The Stat a client sees: cversion counts creates and deletes; ephemeralOwner is 0 unless EPHEMERAL. */
    public Stat stat() {
        int numChildren = numChildren();
        return new Stat(czxid, mzxid, ctime, mtime, version, 2 * cversion - numChildren, aversion,
                ephemeralOwner(), data.length, numChildren, pzxid);
    }

    /** The base mode: PERSISTENT, EPHEMERAL, CONTAINER or PERSISTENT_WITH_TTL (never a sequential one). */
    public CreateMode mode() {
        return switch (kind) {
            case EPHEMERAL -> CreateMode.EPHEMERAL;
            case CONTAINER -> CreateMode.CONTAINER;
            case TTL -> CreateMode.PERSISTENT_WITH_TTL;
            default -> CreateMode.PERSISTENT;
        };
    }

    /** The TTL in milliseconds for a TTL node, else 0. */
    public long ttlMs() {
        return kind == TTL ? owner : 0;
    }

    /** The owning session for an EPHEMERAL node, else 0. */
    public long ephemeralOwner() {
        return kind == EPHEMERAL ? owner : 0;
    }

    /**
     * The ephemeralOwner as ZooKeeper persists it in snapshots: the session, Long.MIN_VALUE for a
     * container, 0xff00_0000_0000_0000 | ttl for a TTL node, 0 otherwise.
     */
    public long persistedEphemeralOwner() {
        return switch (kind) {
            case EPHEMERAL -> owner;
            case CONTAINER -> CONTAINER_EPHEMERAL_OWNER;
            case TTL -> TTL_EPHEMERAL_OWNER_MASK | owner;
            default -> 0;
        };
    }

    /** ZooKeeper's persisted cversion: children ever created here (what sequential suffixes count). */
    public int persistedCversion() {
        return cversion;
    }

    public int numChildren() {
        return children == null ? 0 : children.size();
    }

    /** Child names, sorted, unmodifiable; a live view, valid until the tree next changes. */
    public SortedSet<String> children() {
        return children == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(children);
    }

    public long czxid() {
        return czxid;
    }

    public long mzxid() {
        return mzxid;
    }

    public long pzxid() {
        return pzxid;
    }

    public long ctime() {
        return ctime;
    }

    public long mtime() {
        return mtime;
    }

    /** The data version. */
    public int version() {
        return version;
    }

    public int aversion() {
        return aversion;
    }

    boolean addChild(String name) {
        if (children == null) {
            children = new TreeSet<>();
        }
        return children.add(name);
    }

    boolean removeChild(String name) {
        if (children == null) {
            return false;
        }
        boolean removed = children.remove(name);
        if (children.isEmpty()) {
            children = null;
        }
        return removed;
    }
}
