package io.paddock.tree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The znode tree: ZooKeeper's DataTree as a deterministic state machine. No I/O, no clock, no
 * threads; {@link #apply(TxnRecord)} in zxid order is the only way it changes, for live commits
 * and log replay alike.
 *
 * <p>Every transaction is checked against the tree before anything is touched: one that cannot
 * apply (a create whose parent is missing, a delete of a node with children, ...) changes nothing
 * but {@link #lastZxid()} and answers an {@link OpResult.Error}. Prep should never emit such a
 * transaction; ZooKeeper logs and skips most of them, but its multi could apply half of itself
 * and its delete could orphan a subtree, which Paddock refuses instead.
 *
 * <p>Snapshots are fuzzy, as ZooKeeper's are (see {@link SnapshotCursor} for why): the tree is
 * walked in slices while transactions keep being applied. {@link #restore} builds a tree from
 * one, and {@link #replay} applies the records the walk overlapped, idempotently, which makes
 * the restored tree exact; after that, {@link #apply} as usual.
 *
 * <p>Not kept: quota bookkeeping (ZooKeeper rewrites /zookeeper/quota stat nodes on writes
 * under a quota) and watches (the tree actor's watch manager consumes the returned events).
 */
public final class DataTree {

    /** The paths ZooKeeper's DataTree creates itself and prep refuses to delete. */
    public static final String ROOT = "/";
    public static final String PROC_ZOOKEEPER = "/zookeeper";
    public static final String QUOTA_ZOOKEEPER = "/zookeeper/quota";
    public static final String CONFIG_ZOOKEEPER = "/zookeeper/config";

    private static final byte[] NO_BYTES = new byte[0];

    // Overlay states for checking a multi before applying it.
    private static final byte ABSENT = 0;
    private static final byte PRESENT = 1;
    private static final byte PRESENT_EPHEMERAL = 2;

    // Lookup by path; never iterated where order reaches the output (walks go through children).
    private final HashMap<String, ZNode> nodes;
    private final TreeMap<Long, Integer> sessions = new TreeMap<>();
    private final TreeMap<Long, TreeSet<String>> ephemerals = new TreeMap<>();
    private final TreeSet<String> containers = new TreeSet<>();
    private final TreeSet<String> ttls = new TreeSet<>();
    private final AclInterner acls = new AclInterner();
    private long lastZxid;
    /** The snapshot walk in progress, told about ephemerals a closeSession deletes; or null. */
    private SnapshotCursor cursor;

    /** "/" plus /zookeeper, /zookeeper/quota and /zookeeper/config, as ZooKeeper's constructor makes them. */
    public DataTree() {
        nodes = new HashMap<>();
        ZNode root = special(Acl.OPEN_ACL_UNSAFE);
        ZNode proc = special(Acl.OPEN_ACL_UNSAFE);
        ZNode quota = special(Acl.OPEN_ACL_UNSAFE);
        ZNode config = special(Acl.READ_ACL_UNSAFE);
        // ZooKeeper adds these children without counting them in cversion, so a fresh "/" shows
        // cversion -1 and /zookeeper -2; and it sets config's ACL with setACL(.., -1), aversion -1.
        config.aversion = -1;
        root.addChild(PathUtils.name(PROC_ZOOKEEPER));
        proc.addChild(PathUtils.name(QUOTA_ZOOKEEPER));
        proc.addChild(PathUtils.name(CONFIG_ZOOKEEPER));
        nodes.put(ROOT, root);
        nodes.put(PROC_ZOOKEEPER, proc);
        nodes.put(QUOTA_ZOOKEEPER, quota);
        nodes.put(CONFIG_ZOOKEEPER, config);
    }

    /** An empty tree, not even "/", for {@link #restore}, sized for about {@code expectedNodes}. */
    private DataTree(long lastZxid, Map<Long, Integer> sessions, int expectedNodes) {
        // Sized up front, a million-node restore skips doubling the table seventeen times.
        this.nodes = new HashMap<>(Math.max(16, (int) Math.min(1 << 30, expectedNodes / 3L * 4 + 1)));
        this.lastZxid = lastZxid;
        this.sessions.putAll(sessions);
    }

    private ZNode special(List<Acl> acl) {
        return new ZNode(null, acls.intern(acl), ZNode.PERSISTENT, 0, 0, 0);
    }

    /** True for "/", /zookeeper, /zookeeper/quota and /zookeeper/config (ZooKeeper's isSpecialPath). */
    public static boolean isSpecialPath(String path) {
        return ROOT.equals(path) || PROC_ZOOKEEPER.equals(path) || QUOTA_ZOOKEEPER.equals(path)
                || CONFIG_ZOOKEEPER.equals(path);
    }

    // ---- reading ----------------------------------------------------------------------------

    public long lastZxid() {
        return lastZxid;
    }

    /** The node at {@code path}, or null. */
    public ZNode node(String path) {
        return nodes.get(path);
    }

    /** Live sessions, id to timeout in ms, iterated in id order. */
    public Map<Long, Integer> sessions() {
        return Collections.unmodifiableMap(sessions);
    }

    /** The paths of a session's ephemeral nodes, sorted (a copy). */
    public SortedSet<String> ephemerals(long sessionId) {
        TreeSet<String> paths = ephemerals.get(sessionId);
        return paths == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(new TreeSet<>(paths));
    }

    /** The number of znodes, "/" included (ZooKeeper's mntr counts "/" twice: it keeps an alias). */
    public int nodeCount() {
        return nodes.size();
    }

    /**
     * The paths ZooKeeper's ContainerManager would try to delete at {@code nowMs}, sorted: containers
     * that have had a child (persisted cversion above 0) and have none now, and childless TTL nodes
     * whose mtime + ttl lies before now.
     */
    public List<String> reapCandidates(long nowMs) {
        TreeSet<String> due = new TreeSet<>();
        for (String path : containers) {
            ZNode node = nodes.get(path);
            if (node.cversion > 0 && node.numChildren() == 0) {
                due.add(path);
            }
        }
        for (String path : ttls) {
            ZNode node = nodes.get(path);
            if (node.numChildren() == 0 && nowMs - node.mtime > node.owner) {
                due.add(path);
            }
        }
        return List.copyOf(due);
    }

    /**
     * A 64-bit hash of every node (path, data, ACL, persisted stat) depth first with children in
     * name order, then of the session table. Equal trees give equal digests whatever the history.
     * The data of /zookeeper/config is left out: see {@link #setConfigData}.
     */
    public long digest() {
        Digest d = new Digest();
        Deque<String> todo = new ArrayDeque<>();
        todo.push(ROOT);
        while (!todo.isEmpty()) {
            String path = todo.pop();
            ZNode n = nodes.get(path);
            d.add(path);
            // /zookeeper/config's data is each server's own configuration, not replicated state
            // (ZooKeeper's digest leaves out everything under /zookeeper/ for the same reason).
            d.add(CONFIG_ZOOKEEPER.equals(path) ? NO_BYTES : n.data);
            d.add(n.acl.size());
            for (Acl a : n.acl) {
                d.add(a.perms());
                d.add(a.id().scheme());
                d.add(a.id().id());
            }
            d.add(n.czxid);
            d.add(n.mzxid);
            d.add(n.ctime);
            d.add(n.mtime);
            d.add(n.pzxid);
            d.add(n.version);
            d.add(n.cversion);
            d.add(n.aversion);
            d.add(n.kind);
            d.add(n.owner);
            d.add(n.numChildren());
            if (n.children != null) {
                for (String child : n.children.descendingSet()) {
                    todo.push(PathUtils.child(path, child));
                }
            }
        }
        d.add(sessions.size());
        for (Map.Entry<Long, Integer> s : sessions.entrySet()) {
            d.add(s.getKey());
            d.add(s.getValue());
        }
        return d.value();
    }

    /**
     * Sets /zookeeper/config's data to what this server's configuration says (ZooKeeper's
     * ZKDatabase.initConfigInZKDatabase, done after every load of the database). It is not a
     * transaction: no zxid, Stat field or watch changes, only the data (and so dataLength). Each
     * server sets it from its own configuration wherever its tree is built, so the digest leaves
     * it out.
     */
    public void setConfigData(byte[] data) {
        nodes.get(CONFIG_ZOOKEEPER).data = data == null ? NO_BYTES : data.clone();
    }

    // ---- applying ---------------------------------------------------------------------------

    /**
     * Applies one transaction. Zxids must strictly increase. A transaction that cannot apply
     * consumes its zxid, changes nothing else and answers an error (see the class comment).
     */
    public ApplyResult apply(TxnRecord record) {
        if (record.zxid() <= lastZxid) {
            throw new IllegalStateException("zxid 0x" + Long.toHexString(record.zxid())
                    + " does not follow the last applied zxid 0x" + Long.toHexString(lastZxid));
        }
        List<WatchedEvent> events = new ArrayList<>(2);
        OpResult result;
        Txn txn = record.txn();
        if (txn instanceof Txn.Multi multi) {
            result = applyMulti(record, multi, events);
        } else {
            TreeException refused = check(txn, null);
            result = refused != null ? refused.toResult() : applyOne(record, txn, events);
        }
        lastZxid = record.zxid();
        return new ApplyResult(result, events.isEmpty() ? List.of() : Collections.unmodifiableList(events));
    }

    private OpResult applyMulti(TxnRecord record, Txn.Multi multi, List<WatchedEvent> events) {
        List<Txn> txns = multi.txns();
        if (hasError(txns)) {
            return failedMulti(txns);
        }
        Overlay overlay = new Overlay();
        for (int i = 0; i < txns.size(); i++) {
            TreeException refused = check(txns.get(i), overlay);
            if (refused != null) {
                return refusedMulti(txns, i, refused);
            }
        }
        List<OpResult> results = new ArrayList<>(txns.size());
        for (Txn t : txns) {
            results.add(applyOne(record, t, events));
        }
        return new OpResult.Multi(results);
    }

    private static boolean hasError(List<Txn> txns) {
        for (Txn t : txns) {
            if (t instanceof Txn.Error) {
                return true;
            }
        }
        return false;
    }

    /**
     * ZooKeeper's processTxn multi branch: prep's Error entries keep their codes; every other
     * entry is rewritten to OK before the first error and RuntimeInconsistency after it.
     */
    private static OpResult failedMulti(List<Txn> txns) {
        List<OpResult> results = new ArrayList<>(txns.size());
        boolean postFailed = false;
        for (Txn t : txns) {
            if (t instanceof Txn.Error e) {
                postFailed = true;
                results.add(error(e.code(), null));
            } else {
                results.add(error(postFailed ? ErrorCode.RUNTIME_INCONSISTENCY : ErrorCode.OK, null));
            }
        }
        return new OpResult.Multi(results);
    }

    /** Shaped as a failed multi: OK before the culprit, its code, RuntimeInconsistency after. */
    private static OpResult refusedMulti(List<Txn> txns, int culprit, TreeException refused) {
        List<OpResult> results = new ArrayList<>(txns.size());
        for (int j = 0; j < txns.size(); j++) {
            results.add(j < culprit ? error(ErrorCode.OK, null)
                    : j == culprit ? refused.toResult() : error(ErrorCode.RUNTIME_INCONSISTENCY, null));
        }
        return new OpResult.Multi(results);
    }

    private static OpResult.Error error(ErrorCode code, String path) {
        return new OpResult.Error(code, path, code.codeName());
    }

    /** Applies a transaction that {@link #check} accepted. */
    private OpResult applyOne(TxnRecord record, Txn txn, List<WatchedEvent> events) {
        long zxid = record.zxid();
        if (txn instanceof Txn.Create c) {
            return create(c, record.sessionId(), zxid, record.timeMs(), events);
        } else if (txn instanceof Txn.Delete d) {
            deleteNode(d.path(), zxid, events);
            return new OpResult.Deleted();
        } else if (txn instanceof Txn.SetData s) {
            ZNode n = nodes.get(s.path());
            // Replaced, never written into: snapshot copies of the node share the old array.
            n.data = s.data() == null ? new byte[0] : s.data();
            n.version = s.version();
            n.mzxid = zxid;
            n.mtime = record.timeMs();
            events.add(new WatchedEvent(EventType.NodeDataChanged, s.path(), zxid));
            return new OpResult.StatResult(n.stat());
        } else if (txn instanceof Txn.SetAcl s) {
            ZNode n = nodes.get(s.path());
            List<Acl> old = n.acl;
            n.acl = acls.intern(s.acl());
            acls.release(old);
            n.aversion = s.version();
            return new OpResult.StatResult(n.stat());
        } else if (txn instanceof Txn.Check) {
            return new OpResult.Checked();
        } else if (txn instanceof Txn.CreateSession s) {
            sessions.put(record.sessionId(), s.timeoutMs());
            return new OpResult.Done();
        } else if (txn instanceof Txn.CloseSession) {
            closeSession(record.sessionId(), zxid, events);
            return new OpResult.Done();
        } else if (txn instanceof Txn.Error e) {
            return error(e.code(), null);
        }
        throw new IllegalArgumentException("unknown transaction " + txn);
    }

    private OpResult create(Txn.Create c, long sessionId, long zxid, long timeMs, List<WatchedEvent> events) {
        String path = c.path();
        String parentPath = PathUtils.parent(path);
        ZNode parent = nodes.get(parentPath);
        CreateMode mode = c.mode();
        byte kind = mode.isEphemeral() ? ZNode.EPHEMERAL
                : mode.isContainer() ? ZNode.CONTAINER
                : mode.isTtl() ? ZNode.TTL : ZNode.PERSISTENT;
        long owner = kind == ZNode.EPHEMERAL ? sessionId : kind == ZNode.TTL ? c.ttlMs() : 0;
        // ZooKeeper: -1 means "one more than now"; a cversion that is not newer leaves the parent
        // alone (it can only come from replaying over a fuzzy snapshot).
        int parentCversion = c.parentCversion() == -1 ? parent.cversion + 1 : c.parentCversion();
        if (parentCversion > parent.cversion) {
            parent.cversion = parentCversion;
            parent.pzxid = zxid;
        }
        ZNode node = new ZNode(c.data(), acls.intern(c.acl()), kind, owner, zxid, timeMs);
        parent.addChild(PathUtils.name(path));
        nodes.put(path, node);
        switch (kind) {
            case ZNode.CONTAINER -> containers.add(path);
            case ZNode.TTL -> ttls.add(path);
            case ZNode.EPHEMERAL -> ephemerals.computeIfAbsent(sessionId, k -> new TreeSet<>()).add(path);
            default -> {
            }
        }
        events.add(new WatchedEvent(EventType.NodeCreated, path, zxid));
        events.add(new WatchedEvent(EventType.NodeChildrenChanged, parentPath, zxid));
        return new OpResult.Created(path, node.stat());
    }

    /** Ends a session: its entry and its ephemerals go. */
    private void closeSession(long sessionId, long zxid, List<WatchedEvent> events) {
        sessions.remove(sessionId);
        TreeSet<String> owned = ephemerals.remove(sessionId);
        if (owned != null) {
            for (String path : owned) {
                if (cursor != null) {
                    cursor.ending(path, nodes.get(path));
                }
                deleteNode(path, zxid, events);
            }
        }
    }

    /**
     * Deletes a node. Applying, it never has children (checked before); replaying over a fuzzy
     * snapshot it may (see {@link #replay}), and they go with it, deepest first.
     */
    private void deleteNode(String path, long zxid, List<WatchedEvent> events) {
        if (nodes.get(path).children != null) {
            List<String> below = new ArrayList<>();
            Deque<String> todo = new ArrayDeque<>();
            todo.push(path);
            while (!todo.isEmpty()) {
                String p = todo.pop();
                ZNode n = nodes.get(p);
                if (n.children != null) {
                    for (String child : n.children) {
                        String c = PathUtils.child(p, child);
                        below.add(c);
                        todo.push(c);
                    }
                }
            }
            // Parents are listed before their children, so backwards is children first.
            for (int i = below.size() - 1; i >= 0; i--) {
                unlink(below.get(i), zxid, events);
            }
        }
        unlink(path, zxid, events);
    }

    private void unlink(String path, long zxid, List<WatchedEvent> events) {
        String parentPath = PathUtils.parent(path);
        ZNode parent = nodes.get(parentPath);
        ZNode node = nodes.remove(path);
        parent.removeChild(PathUtils.name(path));
        // ZooKeeper 3.9: a delete leaves the persisted cversion alone (the client's cversion still
        // moves, being derived from the child count) and only ever raises pzxid.
        if (zxid > parent.pzxid) {
            parent.pzxid = zxid;
        }
        acls.release(node.acl);
        switch (node.kind) {
            case ZNode.CONTAINER -> containers.remove(path);
            case ZNode.TTL -> ttls.remove(path);
            case ZNode.EPHEMERAL -> {
                TreeSet<String> owned = ephemerals.get(node.owner);
                if (owned != null) {
                    owned.remove(path);
                    if (owned.isEmpty()) {
                        ephemerals.remove(node.owner);
                    }
                }
            }
            default -> {
            }
        }
        events.add(new WatchedEvent(EventType.NodeDeleted, path, zxid));
        events.add(new WatchedEvent(EventType.NodeChildrenChanged, parentPath, zxid));
    }

    // ---- snapshots --------------------------------------------------------------------------

    /**
     * Starts a fuzzy walk of this tree for a snapshot, from {@link #lastZxid()} now; a walk in
     * progress is superseded. See {@link SnapshotCursor}.
     */
    public SnapshotCursor snapshotCursor() {
        if (cursor != null) {
            cursor.supersede();
        }
        cursor = new SnapshotCursor(this, lastZxid, sessions);
        return cursor;
    }

    void cursorDone(SnapshotCursor done) {
        if (cursor == done) {
            cursor = null;
        }
    }

    /**
     * Applies a record over a tree restored from a fuzzy snapshot: for the records in
     * (startZxid, endZxid] of that snapshot, whose effects some of its nodes already show. It is
     * {@link #apply} made idempotent, as ZooKeeper's processTxn is during a restore
     * (FileTxnSnapLog.processTransaction ignores its NoNode and NodeExists):
     * <ul>
     * <li>a create whose node exists changes nothing but the parent's cversion and pzxid, raised
     *     to the record's when higher (the snapshot wrote the parent before the child was
     *     created and the child after, ZOOKEEPER-1269); under a missing parent it does nothing;
     * <li>a delete of a missing node still raises the parent's pzxid (ZOOKEEPER-1046); a node
     *     that has children goes with them (they were written from a later incarnation of the
     *     path, and their creates come later in the log);
     * <li>setData and setAcl set the record's versions, or do nothing to a missing node;
     * <li>a multi is replayed entry by entry; closeSession deletes whatever ephemerals of the
     *     session the tree holds.
     * </ul>
     * Records the live tree refused are not told apart (nothing in a fuzzy tree can tell), so it
     * relies on prep emitting only records that apply, as ZooKeeper does; a failed multi (only
     * Error entries) and records with bad arguments change nothing, as in apply. The last zxid
     * advances. Once past endZxid, use {@link #apply}.
     */
    public ApplyResult replay(TxnRecord record) {
        if (record.zxid() <= lastZxid) {
            throw new IllegalStateException("zxid 0x" + Long.toHexString(record.zxid())
                    + " does not follow the last replayed zxid 0x" + Long.toHexString(lastZxid));
        }
        List<WatchedEvent> events = new ArrayList<>(2);
        OpResult result;
        Txn txn = record.txn();
        if (txn instanceof Txn.Multi multi) {
            result = replayMulti(record, multi, events);
        } else {
            TreeException bad = checkArguments(txn, false);
            result = bad != null ? bad.toResult() : replayOne(record, txn, events);
        }
        lastZxid = record.zxid();
        return new ApplyResult(result, events.isEmpty() ? List.of() : Collections.unmodifiableList(events));
    }

    private OpResult replayMulti(TxnRecord record, Txn.Multi multi, List<WatchedEvent> events) {
        List<Txn> txns = multi.txns();
        if (hasError(txns)) {
            return failedMulti(txns);
        }
        for (int i = 0; i < txns.size(); i++) {
            TreeException bad = checkArguments(txns.get(i), true);
            if (bad != null) {
                return refusedMulti(txns, i, bad);
            }
        }
        List<OpResult> results = new ArrayList<>(txns.size());
        for (Txn t : txns) {
            results.add(replayOne(record, t, events));
        }
        return new OpResult.Multi(results);
    }

    private OpResult replayOne(TxnRecord record, Txn txn, List<WatchedEvent> events) {
        long zxid = record.zxid();
        if (txn instanceof Txn.Create c) {
            String parentPath = PathUtils.parent(c.path());
            ZNode parent = parentPath == null ? null : nodes.get(parentPath);
            if (parent == null) {
                return error(parentPath == null ? ErrorCode.NODE_EXISTS : ErrorCode.NO_NODE, c.path());
            }
            if (nodes.containsKey(c.path())) {
                // -1 ("one more than now") cannot be replayed idempotently; prep never sends it.
                if (c.parentCversion() != -1 && c.parentCversion() > parent.cversion) {
                    parent.cversion = c.parentCversion();
                    parent.pzxid = zxid;
                }
                return error(ErrorCode.NODE_EXISTS, c.path());
            }
            return create(c, record.sessionId(), zxid, record.timeMs(), events);
        } else if (txn instanceof Txn.Delete d) {
            String path = d.path();
            if (path == null || nodes.get(path) == null) {
                String parentPath = path == null ? null : PathUtils.parent(path);
                ZNode parent = parentPath == null ? null : nodes.get(parentPath);
                if (parent != null && zxid > parent.pzxid) {
                    parent.pzxid = zxid;
                }
                return error(ErrorCode.NO_NODE, path);
            }
            deleteNode(path, zxid, events);
            return new OpResult.Deleted();
        } else if (txn instanceof Txn.SetData || txn instanceof Txn.SetAcl || txn instanceof Txn.Check) {
            String path = txn instanceof Txn.SetData s ? s.path()
                    : txn instanceof Txn.SetAcl a ? a.path() : ((Txn.Check) txn).path();
            if (path == null || nodes.get(path) == null) {
                return error(ErrorCode.NO_NODE, path);
            }
        }
        // What is left applies as it does live: absolute values, or sessions.
        return applyOne(record, txn, events);
    }

    /**
     * A tree from a snapshot's nodes, parents before children (as {@link SnapshotCursor} gives
     * them): children sets, the ephemeral, container and TTL indexes and the shared ACLs are
     * rebuilt; the last zxid is {@code startZxid}. A fuzzy snapshot's tree is exact only after
     * {@link #replay} of the records up to its endZxid.
     *
     * @throws IllegalArgumentException for input no snapshot walk can give: a node before its
     *                                  parent or without one, a path twice, an invalid path or
     *                                  mode, a missing system node
     */
    public static DataTree restore(long startZxid, Map<Long, Integer> sessions, Iterable<SnapshotNode> nodesParentsFirst) {
        return restore(startZxid, sessions, 0, nodesParentsFirst);
    }

    /**
     * As {@link #restore(long, Map, Iterable)}, with the number of nodes expected (a hint that
     * sizes the path table; 0 when unknown).
     */
    public static DataTree restore(long startZxid, Map<Long, Integer> sessions, int expectedNodes,
                                   Iterable<SnapshotNode> nodesParentsFirst) {
        DataTree tree = new DataTree(startZxid, sessions, expectedNodes);
        ParentCache parents = new ParentCache();
        for (SnapshotNode node : nodesParentsFirst) {
            tree.restoreNode(node, parents);
        }
        for (String special : List.of(ROOT, PROC_ZOOKEEPER, QUOTA_ZOOKEEPER, CONFIG_ZOOKEEPER)) {
            if (!tree.nodes.containsKey(special)) {
                throw new IllegalArgumentException("no " + special + " node");
            }
        }
        return tree;
    }

    /**
     * The parent a restore looked up last: a walk gives siblings one after another, so most nodes
     * find their parent here without cutting a parent path out of their own and hashing it.
     */
    private static final class ParentCache {
        String path;
        ZNode node;
    }

    private void restoreNode(SnapshotNode s, ParentCache parents) {
        String path = s.path();
        if (path == null || !PathUtils.isValid(path)) {
            throw new IllegalArgumentException("invalid path \"" + path + "\"");
        }
        if (nodes.containsKey(path)) {
            throw new IllegalArgumentException("node " + path + " appears twice");
        }
        if (s.mode() == null || s.acl() == null) {
            throw new IllegalArgumentException("node " + path + " has no mode or no ACL");
        }
        byte kind = switch (s.mode()) {
            case PERSISTENT -> ZNode.PERSISTENT;
            case EPHEMERAL -> ZNode.EPHEMERAL;
            case CONTAINER -> ZNode.CONTAINER;
            case PERSISTENT_WITH_TTL -> ZNode.TTL;
            default -> throw new IllegalArgumentException("node " + path + " has the mode " + s.mode()
                    + ", not a base mode");
        };
        if (kind == ZNode.TTL && (s.ttlMs() <= 0 || s.ttlMs() > ZNode.MAX_TTL_MS)) {
            throw new IllegalArgumentException("node " + path + " has a TTL out of range: " + s.ttlMs());
        }
        ZNode parent = restoredParent(path, parents);
        long owner = kind == ZNode.EPHEMERAL ? s.ephemeralOwner() : kind == ZNode.TTL ? s.ttlMs() : 0;
        ZNode n = new ZNode(s.data(), acls.intern(s.acl()), kind, owner, s.czxid(), s.ctime());
        n.mzxid = s.mzxid();
        n.mtime = s.mtime();
        n.pzxid = s.pzxid();
        n.version = s.version();
        n.cversion = s.cversion();
        n.aversion = s.aversion();
        if (parent != null) {
            parent.addChild(PathUtils.name(path));
        }
        nodes.put(path, n);
        switch (kind) {
            case ZNode.CONTAINER -> containers.add(path);
            case ZNode.TTL -> ttls.add(path);
            case ZNode.EPHEMERAL -> ephemerals.computeIfAbsent(owner, k -> new TreeSet<>()).add(path);
            default -> {
            }
        }
    }

    /** The parent of a valid {@code path} being restored; null for "/"; refuses a missing one. */
    private ZNode restoredParent(String path, ParentCache parents) {
        int slash = path.lastIndexOf('/');
        if (path.length() == 1) {
            return null;
        }
        String cached = parents.path;
        if (cached != null && (slash == 0 ? cached.length() == 1 : cached.length() == slash && path.startsWith(cached))) {
            return parents.node;
        }
        String parentPath = slash == 0 ? ROOT : path.substring(0, slash);
        ZNode parent = nodes.get(parentPath);
        if (parent == null) {
            throw new IllegalArgumentException("node " + path + " comes before its parent, or has none");
        }
        parents.path = parentPath;
        parents.node = parent;
        return parent;
    }

    // ---- checking before applying -------------------------------------------------------------

    /**
     * Why {@code txn} cannot apply to the tree (plus, inside a multi, the effect of the multi's
     * earlier entries recorded in {@code overlay}), or null when it can. Records its own effect in
     * the overlay.
     */
    private TreeException check(Txn txn, Overlay overlay) {
        TreeException bad = checkArguments(txn, overlay != null);
        if (bad != null) {
            return bad;
        }
        if (txn instanceof Txn.Create c) {
            String path = c.path();
            String parentPath = PathUtils.parent(path);
            if (parentPath == null) {
                return refuse(ErrorCode.NODE_EXISTS, path, "node exists");
            }
            // ZooKeeper's createNode order: a missing parent first, then an existing node.
            byte parentState = state(parentPath, overlay);
            if (parentState == ABSENT) {
                return refuse(ErrorCode.NO_NODE, path, "parent " + parentPath + " does not exist");
            }
            if (state(path, overlay) != ABSENT) {
                return refuse(ErrorCode.NODE_EXISTS, path, "node exists");
            }
            if (parentState == PRESENT_EPHEMERAL) {
                return refuse(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, path, "parent " + parentPath + " is ephemeral");
            }
            if (overlay != null) {
                overlay.set(path, c.mode().isEphemeral() ? PRESENT_EPHEMERAL : PRESENT);
                overlay.addChildren(parentPath, 1);
            }
            return null;
        } else if (txn instanceof Txn.Delete d) {
            String path = d.path();
            if (state(path, overlay) == ABSENT) {
                return refuse(ErrorCode.NO_NODE, path, "no node");
            }
            if (childCount(path, overlay) > 0) {
                return refuse(ErrorCode.NOT_EMPTY, path, "node has children");
            }
            if (overlay != null) {
                overlay.set(path, ABSENT);
                overlay.addChildren(PathUtils.parent(path), -1);
            }
            return null;
        } else if (txn instanceof Txn.SetData s) {
            return mustExist(s.path(), overlay);
        } else if (txn instanceof Txn.SetAcl s) {
            return mustExist(s.path(), overlay);
        } else if (txn instanceof Txn.Check c) {
            return mustExist(c.path(), overlay);
        }
        return null;
    }

    /** What {@link #check} refuses whatever the tree holds: the transaction's own arguments. */
    private static TreeException checkArguments(Txn txn, boolean inMulti) {
        if (txn instanceof Txn.Create c) {
            String path = c.path();
            if (path == null || !PathUtils.isValid(path)) {
                return refuse(ErrorCode.BAD_ARGUMENTS, path, "invalid path");
            }
            if (c.mode() == null || c.acl() == null) {
                return refuse(ErrorCode.BAD_ARGUMENTS, path, "create without a mode or an ACL");
            }
            if (c.mode().isTtl() && (c.ttlMs() <= 0 || c.ttlMs() > ZNode.MAX_TTL_MS)) {
                return refuse(ErrorCode.BAD_ARGUMENTS, path, "TTL out of range: " + c.ttlMs());
            }
        } else if (txn instanceof Txn.Delete d) {
            if (isSpecialPath(d.path())) {
                return refuse(ErrorCode.BAD_ARGUMENTS, d.path(), "cannot delete a system node");
            }
        } else if (txn instanceof Txn.SetAcl s) {
            if (s.acl() == null) {
                return refuse(ErrorCode.INVALID_ACL, s.path(), "no ACL");
            }
        } else if (inMulti && !(txn instanceof Txn.SetData || txn instanceof Txn.Check || txn instanceof Txn.Error)) {
            return refuse(ErrorCode.BAD_ARGUMENTS, null, "not allowed in a multi: " + txn.getClass().getSimpleName());
        }
        return null;
    }

    private TreeException mustExist(String path, Overlay overlay) {
        return path != null && state(path, overlay) != ABSENT ? null : refuse(ErrorCode.NO_NODE, path, "no node");
    }

    private static TreeException refuse(ErrorCode code, String path, String why) {
        return new TreeException(code, path, code.codeName() + " for " + path + ": " + why);
    }

    private byte state(String path, Overlay overlay) {
        if (overlay != null) {
            Byte s = overlay.state.get(path);
            if (s != null) {
                return s;
            }
        }
        ZNode n = nodes.get(path);
        return n == null ? ABSENT : n.kind == ZNode.EPHEMERAL ? PRESENT_EPHEMERAL : PRESENT;
    }

    private int childCount(String path, Overlay overlay) {
        // A node deleted and re-created inside the multi had no children when deleted, so the
        // tree's count plus the multi's changes is right either way.
        ZNode n = nodes.get(path);
        int count = n == null ? 0 : n.numChildren();
        return overlay == null ? count : count + overlay.childDelta.getOrDefault(path, 0);
    }

    /** What a multi's earlier entries did, as seen by the checks of its later ones. */
    private static final class Overlay {
        final HashMap<String, Byte> state = new HashMap<>();
        final HashMap<String, Integer> childDelta = new HashMap<>();

        void set(String path, byte s) {
            state.put(path, s);
        }

        void addChildren(String path, int delta) {
            childDelta.merge(path, delta, Integer::sum);
        }
    }

    /** An order-sensitive 64-bit mix; not cryptographic, only stable across runs and JVMs. */
    private static final class Digest {
        private long h = 0x6a09e667f3bcc908L;

        void add(long v) {
            h ^= v;
            h *= 0x9e3779b97f4a7c15L;
            h ^= h >>> 29;
        }

        void add(String s) {
            add(s.length());
            for (int i = 0; i < s.length(); i++) {
                add(s.charAt(i));
            }
        }

        void add(byte[] b) {
            add(b.length);
            int i = 0;
            for (; i + 8 <= b.length; i += 8) {
                long v = 0;
                for (int k = 0; k < 8; k++) {
                    v = (v << 8) | (b[i + k] & 0xffL);
                }
                add(v);
            }
            for (; i < b.length; i++) {
                add(b[i]);
            }
        }

        long value() {
            return h;
        }
    }
}
