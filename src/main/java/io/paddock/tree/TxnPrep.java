package io.paddock.tree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * ZooKeeper's PrepRequestProcessor as a pure class: checks each write against the tree plus the
 * writes already prepared but not yet applied (ZooKeeper's outstandingChanges), and turns it into
 * an idempotent {@link TxnRecord}. The caller assigns zxids and times; nothing here reads a clock.
 *
 * <p>The invariant: preparing records against tree + outstanding changes and applying them later
 * in order gives the same records and the same tree as applying each right after preparing it.
 *
 * <p>Outstanding changes are per-node snapshots (like ZooKeeper's ChangeRecord), never copies of
 * child sets: a create under a parent with 100,000 children costs two small objects. A request's
 * changes are staged and only published when the whole request succeeds, so a failed multi needs
 * no rollback (ZooKeeper's rollbackPendingChanges).
 *
 * <p>Where Paddock differs from ZooKeeper 3.9, on purpose:
 * <ul>
 * <li>A failed multi is logged with {@link Txn.Error} entries only (OK before the culprit, its
 *     code, RuntimeInconsistency after): what ZooKeeper's DataTree rewrites the entries to when it
 *     applies one. ZooKeeper logs the earlier entries' real transactions.
 * <li>Data over {@code maxDataBytes} is BAD_ARGUMENTS; ZooKeeper has no such check in prep (its
 *     jute.maxbuffer drops the connection instead).
 * <li>Reap re-checks that the container or TTL node is still due and yields no record when it is
 *     not; ZooKeeper's deleteContainer only re-checks emptiness and logs an error txn otherwise.
 *     Containers that never had a child are never reaped (maxNeverUsedIntervalMs is 0).
 * <li>DeleteAll is one atomic transaction; ZooKeeper's deleteall is a client-side loop of multis.
 * <li>Check carries the node's current version; ZooKeeper's CheckVersionTxn carries current + 1.
 * <li>TTL and container nodes are always enabled (ZooKeeper needs extendedTypesEnabled for TTL).
 * <li>Quota nodes get no special validation (Paddock keeps no quotas).
 * </ul>
 * As in ZooKeeper: a refused write still takes its zxid (an error txn is logged); every write of
 * a session other than 0 that is unknown or closing is SESSION_EXPIRED (checkSession); creating
 * under /zookeeper is allowed, subject to ACLs (/zookeeper/config is read-only for world).
 */
public final class TxnPrep {

    private static final byte[] NO_DATA = new byte[0];

    private final DataTree tree;
    private final int maxDataBytes;
    private final String superDigest;

    // The latest outstanding snapshot of each node touched by a prepared, unapplied record. A
    // snapshot with exists == false is a prepared delete.
    private final HashMap<String, NodeView> pendingNodes = new HashMap<>();
    // The same snapshots indexed by parent (sorted child names) and, for ephemerals, by owner, so
    // subtrees and a session's ephemerals can be listed without scanning.
    private final HashMap<String, TreeMap<String, NodeView>> pendingChildren = new HashMap<>();
    private final HashMap<Long, TreeMap<String, NodeView>> pendingEphemerals = new HashMap<>();
    private final HashMap<Long, SessionView> pendingSessions = new HashMap<>();
    // Every published snapshot in zxid order, so applied(zxid) can drop them.
    private final ArrayDeque<Pending> log = new ArrayDeque<>();
    private long lastZxid;

    public TxnPrep(DataTree tree, int maxDataBytes, String superDigest) {
        this.tree = tree;
        this.maxDataBytes = maxDataBytes;
        this.superDigest = superDigest;
        this.lastZxid = tree.lastZxid();
    }

    // ---- public API ---------------------------------------------------------------------------

    /**
     * Prepares a write: Create, Delete, DeleteAll, SetData, SetAcl, Check, Multi or Reap. The zxid
     * must exceed every zxid prepared or applied before; it is used unless the result's record is
     * null (a Reap no longer due).
     */
    public Prepared prepare(long zxid, long sessionId, int cxid, long timeMs, List<Id> identities, Op op) {
        if (op == null || !op.isWrite()) {
            throw new IllegalArgumentException("not a write: " + op);
        }
        checkZxid(zxid);
        Request rq = new Request(zxid, sessionId, timeMs, identities == null ? List.of() : identities);
        if (op instanceof Op.Reap reap) {
            Txn txn = reap(reap.path(), rq);
            if (txn == null) {
                return new Prepared(null, null);
            }
            return accept(rq, cxid, txn);
        }
        if (op instanceof Op.Multi multi) {
            return multi(multi, rq, cxid);
        }
        try {
            return accept(rq, cxid, one(op, rq));
        } catch (TreeException e) {
            lastZxid = zxid;
            return new Prepared(record(rq, cxid, new Txn.Error(e.code())), e.toResult());
        }
    }

    /** Prepares a new session; ephemeral creates for it are accepted from now on. */
    public Prepared prepareCreateSession(long zxid, long sessionId, long timeMs, int timeoutMs) {
        checkZxid(zxid);
        Request rq = new Request(zxid, sessionId, timeMs, List.of());
        if (sessionId == 0) {
            lastZxid = zxid;
            TreeException e = fail(ErrorCode.BAD_ARGUMENTS, null, "session id 0 is reserved for sessionless requests");
            return new Prepared(record(rq, 0, new Txn.Error(e.code())), e.toResult());
        }
        rq.sessions.put(sessionId, true);
        return accept(rq, 0, new Txn.CreateSession(timeoutMs));
    }

    /**
     * Prepares the end of a session: its ephemerals (applied or prepared) count as deleted and its
     * later writes as expired. Always logged, as ZooKeeper logs every closeSession.
     */
    public Prepared prepareCloseSession(long zxid, long sessionId, long timeMs) {
        checkZxid(zxid);
        Request rq = new Request(zxid, sessionId, timeMs, List.of());
        for (String path : ephemeralsOf(sessionId, rq)) {
            stageDelete(path, rq);
        }
        rq.sessions.put(sessionId, false);
        return accept(rq, 0, new Txn.CloseSession());
    }

    /** The tree has applied every record up to {@code zxid}: forget outstanding changes up to it. */
    public void applied(long zxid) {
        while (!log.isEmpty() && log.peekFirst().zxid() <= zxid) {
            drop(log.pollFirst());
        }
    }

    /** The number of outstanding snapshots (nodes and sessions) not yet dropped by {@link #applied}. */
    public int outstandingChanges() {
        return log.size();
    }

    // ---- requests -----------------------------------------------------------------------------

    /** One request being prepared: its context and its staged, not yet published, changes. */
    private static final class Request {
        final long zxid;
        final long sessionId;
        final long timeMs;
        final List<Id> identities;
        final LinkedHashMap<String, NodeView> nodes = new LinkedHashMap<>();
        final LinkedHashMap<Long, Boolean> sessions = new LinkedHashMap<>();

        Request(long zxid, long sessionId, long timeMs, List<Id> identities) {
            this.zxid = zxid;
            this.sessionId = sessionId;
            this.timeMs = timeMs;
            this.identities = identities;
        }
    }

    private Prepared accept(Request rq, int cxid, Txn txn) {
        publish(rq);
        lastZxid = rq.zxid;
        return new Prepared(record(rq, cxid, txn), null);
    }

    private static TxnRecord record(Request rq, int cxid, Txn txn) {
        return new TxnRecord(rq.zxid, rq.sessionId, cxid, rq.timeMs, txn);
    }

    private void checkZxid(long zxid) {
        long floor = Math.max(lastZxid, tree.lastZxid());
        if (zxid <= floor) {
            throw new IllegalArgumentException("zxid 0x" + Long.toHexString(zxid)
                    + " does not follow 0x" + Long.toHexString(floor));
        }
    }

    private Prepared multi(Op.Multi multi, Request rq, int cxid) {
        List<Op> ops = multi.ops() == null ? List.of() : multi.ops();
        List<Txn> txns = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            try {
                if (!(op instanceof Op.Create || op instanceof Op.Delete || op instanceof Op.SetData
                        || op instanceof Op.Check)) {
                    throw fail(ErrorCode.BAD_ARGUMENTS, op == null ? null : op.path(),
                            "only create, delete, setData and check may be in a multi");
                }
                txns.add(one(op, rq));
            } catch (TreeException e) {
                // ZooKeeper's codes: OK before the failing op, its code, RuntimeInconsistency after.
                // Nothing staged is published, so no outstanding change needs rolling back.
                List<Txn> errors = new ArrayList<>(ops.size());
                for (int j = 0; j < ops.size(); j++) {
                    errors.add(new Txn.Error(j < i ? ErrorCode.OK : j == i ? e.code() : ErrorCode.RUNTIME_INCONSISTENCY));
                }
                lastZxid = rq.zxid;
                OpResult.Error error = new OpResult.Error(e.code(), op == null ? null : op.path(), e.getMessage());
                return new Prepared(record(rq, cxid, new Txn.Multi(List.copyOf(errors))), error);
            }
        }
        return accept(rq, cxid, new Txn.Multi(List.copyOf(txns)));
    }

    private Txn one(Op op, Request rq) throws TreeException {
        if (op instanceof Op.Create c) {
            return create(c, rq);
        } else if (op instanceof Op.Delete d) {
            return delete(d, rq);
        } else if (op instanceof Op.DeleteAll d) {
            return deleteAll(d, rq);
        } else if (op instanceof Op.SetData s) {
            return setData(s, rq);
        } else if (op instanceof Op.SetAcl s) {
            return setAcl(s, rq);
        } else if (op instanceof Op.Check c) {
            return check(c, rq);
        }
        throw fail(ErrorCode.BAD_ARGUMENTS, op.path(), "not a single write: " + op.getClass().getSimpleName());
    }

    // ---- the writes ---------------------------------------------------------------------------

    private Txn create(Op.Create c, Request rq) throws TreeException {
        String path = c.path();
        CreateMode mode = c.mode();
        if (mode == null) {
            throw fail(ErrorCode.BAD_ARGUMENTS, path, "create needs a mode");
        }
        // ZooKeeper's validateCreateRequest: the TTL first, then the session.
        if (mode.isTtl()) {
            if (c.ttlMs() <= 0 || c.ttlMs() > ZNode.MAX_TTL_MS) {
                throw fail(ErrorCode.BAD_ARGUMENTS, path, "ttl must be positive and at most " + ZNode.MAX_TTL_MS
                        + " ms, was " + c.ttlMs());
            }
        } else if (c.ttlMs() != 0) {
            throw fail(ErrorCode.BAD_ARGUMENTS, path, "ttl given for mode " + mode);
        }
        if (mode.isEphemeral() && rq.sessionId == 0) {
            throw fail(ErrorCode.BAD_ARGUMENTS, path, "ephemeral nodes need a session");
        }
        checkSession(rq, path);
        PathUtils.validate(path, mode.isSequential());
        byte[] data = c.data() == null ? NO_DATA : c.data();
        checkSize(path, data);
        List<Acl> acl = fixup(c.acl(), rq, path);
        int slash = path.lastIndexOf('/');
        String parentPath = slash == 0 ? "/" : path.substring(0, slash);
        NodeView parent = view(parentPath, rq);
        if (!parent.exists()) {
            // ZooKeeper names the missing parent (getRecordForPath(parentPath)).
            throw fail(ErrorCode.NO_NODE, parentPath, "parent of " + path + " does not exist");
        }
        requirePerm(parent.acl(), Perms.CREATE, rq, path);
        // The suffix is the parent's persisted cversion: children ever created, deletes not counted.
        String full = mode.isSequential() ? path + String.format(Locale.ROOT, "%010d", parent.cversion()) : path;
        if (view(full, rq).exists()) {
            throw fail(ErrorCode.NODE_EXISTS, full, "node exists");
        }
        if (parent.mode() == CreateMode.EPHEMERAL) {
            throw fail(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, full, "parent " + parentPath + " is ephemeral");
        }
        int parentCversion = parent.cversion() + 1;
        long ttlMs = mode.isTtl() ? c.ttlMs() : 0;
        stage(rq, parentPath, parent.withChildren(rq.zxid, parentCversion, parent.numChildren() + 1));
        stage(rq, full, new NodeView(rq.zxid, true, baseMode(mode), mode.isEphemeral() ? rq.sessionId : 0, ttlMs,
                0, 0, 0, 0, acl, rq.timeMs));
        return new Txn.Create(full, data, acl, mode, ttlMs, parentCversion);
    }

    private Txn delete(Op.Delete d, Request rq) throws TreeException {
        String path = d.path();
        checkSession(rq, path);
        PathUtils.validate(path);
        refuseSpecial(path);
        String parentPath = PathUtils.parent(path);
        NodeView parent = view(parentPath, rq);
        if (!parent.exists()) {
            throw fail(ErrorCode.NO_NODE, parentPath, "parent of " + path + " does not exist");
        }
        // ZooKeeper checks DELETE on the parent before it looks at the node itself.
        requirePerm(parent.acl(), Perms.DELETE, rq, path);
        NodeView node = view(path, rq);
        if (!node.exists()) {
            throw fail(ErrorCode.NO_NODE, path, "no node");
        }
        checkAndIncVersion(node.version(), d.version(), path);
        if (node.numChildren() > 0) {
            throw fail(ErrorCode.NOT_EMPTY, path, "node has children");
        }
        stageDelete(path, rq);
        return new Txn.Delete(path);
    }

    private Txn deleteAll(Op.DeleteAll d, Request rq) throws TreeException {
        String path = d.path();
        checkSession(rq, path);
        PathUtils.validate(path);
        // "/" and /zookeeper are the only subtrees holding system nodes, and both are special.
        refuseSpecial(path);
        if (!view(path, rq).exists()) {
            throw fail(ErrorCode.NO_NODE, path, "no node");
        }
        List<String> doomed = postOrder(path, rq);
        for (String p : doomed) {
            requirePerm(view(PathUtils.parent(p), rq).acl(), Perms.DELETE, rq, p);
        }
        List<Txn> deletes = new ArrayList<>(doomed.size());
        for (String p : doomed) {
            stageDelete(p, rq);
            deletes.add(new Txn.Delete(p));
        }
        return new Txn.Multi(Collections.unmodifiableList(deletes));
    }

    private Txn setData(Op.SetData s, Request rq) throws TreeException {
        String path = s.path();
        checkSession(rq, path);
        PathUtils.validate(path);
        byte[] data = s.data() == null ? NO_DATA : s.data();
        checkSize(path, data);
        NodeView node = view(path, rq);
        if (!node.exists()) {
            throw fail(ErrorCode.NO_NODE, path, "no node");
        }
        requirePerm(node.acl(), Perms.WRITE, rq, path);
        int version = checkAndIncVersion(node.version(), s.version(), path);
        stage(rq, path, node.withData(rq.zxid, version, rq.timeMs));
        return new Txn.SetData(path, data, version);
    }

    private Txn setAcl(Op.SetAcl s, Request rq) throws TreeException {
        String path = s.path();
        checkSession(rq, path);
        PathUtils.validate(path);
        // ZooKeeper fixes the new ACL up before it looks the node up.
        List<Acl> acl = fixup(s.acl(), rq, path);
        NodeView node = view(path, rq);
        if (!node.exists()) {
            throw fail(ErrorCode.NO_NODE, path, "no node");
        }
        requirePerm(node.acl(), Perms.ADMIN, rq, path);
        int aversion = checkAndIncVersion(node.aversion(), s.version(), path);
        stage(rq, path, node.withAcl(rq.zxid, acl, aversion));
        return new Txn.SetAcl(path, acl, aversion);
    }

    private Txn check(Op.Check c, Request rq) throws TreeException {
        String path = c.path();
        checkSession(rq, path);
        PathUtils.validate(path);
        NodeView node = view(path, rq);
        if (!node.exists()) {
            throw fail(ErrorCode.NO_NODE, path, "no node");
        }
        // ZooKeeper 3.9 checks READ on the node for a version check.
        requirePerm(node.acl(), Perms.READ, rq, path);
        checkAndIncVersion(node.version(), c.version(), path);
        return new Txn.Check(path, node.version());
    }

    /** The delete of a container or TTL node that is still due, or null. No session or ACL check. */
    private Txn reap(String path, Request rq) {
        if (path == null || !PathUtils.isValid(path) || DataTree.isSpecialPath(path)) {
            return null;
        }
        NodeView node = view(path, rq);
        if (!node.exists() || node.numChildren() > 0) {
            return null;
        }
        boolean due = node.mode() == CreateMode.CONTAINER && node.cversion() > 0
                || node.mode() == CreateMode.PERSISTENT_WITH_TTL && node.mtime() + node.ttlMs() < rq.timeMs;
        if (!due) {
            return null;
        }
        stageDelete(path, rq);
        return new Txn.Delete(path);
    }

    // ---- checks -------------------------------------------------------------------------------

    private void checkSession(Request rq, String path) throws TreeException {
        if (rq.sessionId != 0 && !live(rq.sessionId)) {
            throw fail(ErrorCode.SESSION_EXPIRED, path, "session 0x" + Long.toHexString(rq.sessionId)
                    + " is expired or closing");
        }
    }

    private void checkSize(String path, byte[] data) throws TreeException {
        if (data.length > maxDataBytes) {
            throw fail(ErrorCode.BAD_ARGUMENTS, path, "data of " + data.length + " bytes exceeds maxDataBytes ("
                    + maxDataBytes + ")");
        }
    }

    private static void refuseSpecial(String path) throws TreeException {
        if (DataTree.isSpecialPath(path)) {
            throw fail(ErrorCode.BAD_ARGUMENTS, path, "cannot delete a system node");
        }
    }

    private List<Acl> fixup(List<Acl> acl, Request rq, String path) throws TreeException {
        try {
            return AclCheck.fixup(acl, rq.identities);
        } catch (TreeException e) {
            throw fail(e.code(), path, e.getMessage());
        }
    }

    private void requirePerm(List<Acl> acl, int perm, Request rq, String path) throws TreeException {
        try {
            AclCheck.checkPerm(acl, perm, rq.identities, superDigest);
        } catch (TreeException e) {
            throw fail(e.code(), path, e.getMessage());
        }
    }

    /** ZooKeeper's checkAndIncVersion: -1 matches any; the next version skips -1 after wrapping. */
    private static int checkAndIncVersion(int current, int expected, String path) throws TreeException {
        if (expected != -1 && expected != current) {
            throw fail(ErrorCode.BAD_VERSION, path, "version is " + current + ", not " + expected);
        }
        int next = current + 1;
        return next == -1 ? 0 : next;
    }

    private static TreeException fail(ErrorCode code, String path, String why) {
        return new TreeException(code, path, code.codeName() + " for " + path + ": " + why);
    }

    private static CreateMode baseMode(CreateMode mode) {
        if (mode.isEphemeral()) {
            return CreateMode.EPHEMERAL;
        }
        if (mode.isContainer()) {
            return CreateMode.CONTAINER;
        }
        return mode.isTtl() ? CreateMode.PERSISTENT_WITH_TTL : CreateMode.PERSISTENT;
    }

    // ---- the view: tree + outstanding + this request's staged changes -------------------------

    /**
     * A node as prep sees it. {@code cversion} is the persisted one (children ever created),
     * {@code owner} the session of an ephemeral, {@code zxid} the record that made this snapshot
     * (0 when read from the tree).
     */
    private record NodeView(long zxid, boolean exists, CreateMode mode, long owner, long ttlMs, int version,
            int aversion, int cversion, int numChildren, List<Acl> acl, long mtime) {

        static final NodeView MISSING = new NodeView(0, false, CreateMode.PERSISTENT, 0, 0, 0, 0, 0, 0, List.of(), 0);

        static NodeView of(ZNode n) {
            return new NodeView(0, true, n.mode(), n.ephemeralOwner(), n.ttlMs(), n.version(), n.aversion(),
                    n.persistedCversion(), n.numChildren(), n.acl(), n.mtime());
        }

        NodeView withChildren(long z, int newCversion, int newNumChildren) {
            return new NodeView(z, exists, mode, owner, ttlMs, version, aversion, newCversion, newNumChildren, acl, mtime);
        }

        NodeView withData(long z, int newVersion, long newMtime) {
            return new NodeView(z, exists, mode, owner, ttlMs, newVersion, aversion, cversion, numChildren, acl, newMtime);
        }

        NodeView withAcl(long z, List<Acl> newAcl, int newAversion) {
            return new NodeView(z, exists, mode, owner, ttlMs, version, newAversion, cversion, numChildren, newAcl, mtime);
        }

        /** The prepared delete; keeps mode and owner so the owner's index entry can be found. */
        NodeView deleted(long z) {
            return new NodeView(z, false, mode, owner, ttlMs, version, aversion, cversion, 0, acl, mtime);
        }
    }

    /** Whether a session is live after a prepared createSession or closeSession. */
    private record SessionView(long zxid, boolean live) {
    }

    /** One published snapshot, for {@link #applied} to drop: a node's (path set) or a session's. */
    private record Pending(long zxid, String path, NodeView node, long sessionId, SessionView session) {
    }

    private NodeView view(String path, Request rq) {
        NodeView v = rq.nodes.get(path);
        if (v == null) {
            v = pendingNodes.get(path);
        }
        if (v != null) {
            return v;
        }
        ZNode n = tree.node(path);
        return n == null ? NodeView.MISSING : NodeView.of(n);
    }

    private boolean live(long sessionId) {
        SessionView s = pendingSessions.get(sessionId);
        return s != null ? s.live() : tree.sessions().containsKey(sessionId);
    }

    /** Existing children of a node, sorted, as seen through the outstanding changes. */
    private SortedSet<String> children(String path, Request rq) {
        TreeSet<String> names = new TreeSet<>();
        ZNode n = tree.node(path);
        if (n != null) {
            for (String name : n.children()) {
                if (view(PathUtils.child(path, name), rq).exists()) {
                    names.add(name);
                }
            }
        }
        TreeMap<String, NodeView> pending = pendingChildren.get(path);
        if (pending != null) {
            for (String name : pending.keySet()) {
                if (view(PathUtils.child(path, name), rq).exists()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** The subtree at {@code root}, children (in name order) before their parent. Iterative: paths can be deep. */
    private List<String> postOrder(String root, Request rq) {
        List<String> out = new ArrayList<>();
        Deque<Map.Entry<String, Iterator<String>>> stack = new ArrayDeque<>();
        stack.push(Map.entry(root, children(root, rq).iterator()));
        while (!stack.isEmpty()) {
            Map.Entry<String, Iterator<String>> top = stack.peek();
            if (top.getValue().hasNext()) {
                String child = PathUtils.child(top.getKey(), top.getValue().next());
                stack.push(Map.entry(child, children(child, rq).iterator()));
            } else {
                stack.pop();
                out.add(top.getKey());
            }
        }
        return out;
    }

    /** A session's ephemerals, applied or prepared, that still exist as prep sees it; sorted. */
    private SortedSet<String> ephemeralsOf(long sessionId, Request rq) {
        TreeSet<String> paths = new TreeSet<>();
        for (String p : tree.ephemerals(sessionId)) {
            if (ownedBy(p, sessionId, rq)) {
                paths.add(p);
            }
        }
        TreeMap<String, NodeView> pending = pendingEphemerals.get(sessionId);
        if (pending != null) {
            for (String p : pending.keySet()) {
                if (ownedBy(p, sessionId, rq)) {
                    paths.add(p);
                }
            }
        }
        return paths;
    }

    private boolean ownedBy(String path, long sessionId, Request rq) {
        NodeView v = view(path, rq);
        return v.exists() && v.mode() == CreateMode.EPHEMERAL && v.owner() == sessionId;
    }

    // ---- staging and publishing ---------------------------------------------------------------

    private static void stage(Request rq, String path, NodeView v) {
        rq.nodes.put(path, v);
    }

    /** Stages the delete of a childless node: the parent loses a child, its cversion unchanged. */
    private void stageDelete(String path, Request rq) {
        String parentPath = PathUtils.parent(path);
        NodeView parent = view(parentPath, rq);
        stage(rq, parentPath, parent.withChildren(rq.zxid, parent.cversion(), parent.numChildren() - 1));
        stage(rq, path, view(path, rq).deleted(rq.zxid));
    }

    private void publish(Request rq) {
        for (Map.Entry<String, NodeView> e : rq.nodes.entrySet()) {
            String path = e.getKey();
            NodeView v = e.getValue();
            pendingNodes.put(path, v);
            String parent = PathUtils.parent(path);
            if (parent != null) {
                pendingChildren.computeIfAbsent(parent, k -> new TreeMap<>()).put(PathUtils.name(path), v);
            }
            if (v.mode() == CreateMode.EPHEMERAL) {
                pendingEphemerals.computeIfAbsent(v.owner(), k -> new TreeMap<>()).put(path, v);
            }
            log.addLast(new Pending(rq.zxid, path, v, 0, null));
        }
        for (Map.Entry<Long, Boolean> e : rq.sessions.entrySet()) {
            SessionView s = new SessionView(rq.zxid, e.getValue());
            pendingSessions.put(e.getKey(), s);
            log.addLast(new Pending(rq.zxid, null, null, e.getKey(), s));
        }
    }

    /** Forgets an applied snapshot unless a later one has replaced it (then that one stays). */
    private void drop(Pending p) {
        // Identity, not equality: only a later record's snapshot may replace this one.
        if (p.path() == null) {
            if (pendingSessions.get(p.sessionId()) == p.session()) {
                pendingSessions.remove(p.sessionId());
            }
            return;
        }
        NodeView v = p.node();
        if (pendingNodes.get(p.path()) == v) {
            pendingNodes.remove(p.path());
        }
        String parent = PathUtils.parent(p.path());
        if (parent != null) {
            removeIfSame(pendingChildren, parent, PathUtils.name(p.path()), v);
        }
        if (v.mode() == CreateMode.EPHEMERAL) {
            removeIfSame(pendingEphemerals, v.owner(), p.path(), v);
        }
    }

    private static <K> void removeIfSame(HashMap<K, TreeMap<String, NodeView>> index, K key, String name, NodeView v) {
        TreeMap<String, NodeView> m = index.get(key);
        if (m != null && m.get(name) == v) {
            m.remove(name);
            if (m.isEmpty()) {
                index.remove(key);
            }
        }
    }
}
