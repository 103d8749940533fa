package io.paddock.tree;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A fuzzy walk of the live tree for a snapshot, made by {@link DataTree#snapshotCursor()}.
 *
 * <p><b>Why fuzzy.</b> Snapshots are fuzzy, as ZooKeeper's are, and made exact by replaying the
 * log from their start zxid. The tree actor owns the tree and must not stop serving while a
 * million nodes are written out; a copy-on-write copy would need immutable nodes (an allocation
 * per change on the hot path) or a second tree in memory. Instead the actor walks the live tree
 * in slices ({@code next(1000, sink)} between its other messages), hands the copied nodes to a
 * writer on another thread, and keeps applying writes between slices. Each node is copied as it
 * is when the walk reaches it, so the snapshot mixes states from {@link #startZxid()} up to the
 * zxid the tree had when the walk ended (endZxid). {@link DataTree#restore} of it followed by
 * {@link DataTree#replay} of the records in (startZxid, endZxid] gives the exact tree at endZxid,
 * because replay is idempotent (FuzzySnapshotTest checks this on random workloads).
 *
 * <p><b>The walk.</b> Depth first, parents before children, children in name order. No iterator
 * is held across calls, since the tree changes between them: the walk keeps a stack of (parent
 * path, last child name written) and resumes with the next name above the last one. A node
 * deleted before the walk reaches it is not written (its delete is replayed); a node created
 * meanwhile is written or not depending on where the walk is (its create is replayed either way).
 *
 * <p><b>Ended ephemerals.</b> A closeSession record does not name the ephemerals it deletes
 * (ZooKeeper's CloseSessionTxn has carried them since ZOOKEEPER-3145), yet each of those deletes
 * raises its parent's pzxid. If the parent was written before the close and the ephemeral would
 * have been written after it, replaying the close could not raise that pzxid. So the tree tells
 * the cursor about every ephemeral that existed at startZxid and that a close deletes before the
 * walk reaches it; the walk writes it where it would have been, as it was just before the close,
 * and replaying the close deletes it again and raises the parent's pzxid. At most one of these
 * per ephemeral alive at startZxid is kept, until the walk passes its place.
 *
 * <p>Only one cursor per tree is live: making a new one supersedes the previous one.
 */
public final class SnapshotCursor {

    private final DataTree tree;
    private final long startZxid;
    private final Map<Long, Integer> sessions;
    /** Parents whose children the walk is going through, innermost on top. */
    private final ArrayDeque<Frame> stack = new ArrayDeque<>();
    /** Ephemerals ended by a close before the walk reached them: parent path, then name. */
    private final HashMap<String, TreeMap<String, SnapshotNode>> ended = new HashMap<>();
    /** The last path written; null before the root. */
    private String position;
    private boolean started;
    private boolean done;
    private boolean superseded;

    private static final class Frame {
        final String path;
        /** The last child name written under {@code path}; null before the first. */
        String last;

        Frame(String path) {
            this.path = path;
        }
    }

    SnapshotCursor(DataTree tree, long startZxid, Map<Long, Integer> sessions) {
        this.tree = tree;
        this.startZxid = startZxid;
        this.sessions = Collections.unmodifiableMap(new TreeMap<>(sessions));
    }

    /** The tree's last zxid when the cursor was made: the log is replayed from the record after it. */
    public long startZxid() {
        return startZxid;
    }

    /** The session table (id to timeout in ms, in id order) at {@link #startZxid()}. */
    public Map<Long, Integer> sessions() {
        return sessions;
    }

    /**
     * Hands up to {@code maxNodes} further nodes to {@code sink}, parents before children.
     * Answers false once the walk is complete (the nodes of this call included), true when more
     * may follow. Call it only on the thread that changes the tree, between transactions.
     */
    public boolean next(int maxNodes, Consumer<SnapshotNode> sink) {
        if (maxNodes < 1) {
            throw new IllegalArgumentException("maxNodes must be positive: " + maxNodes);
        }
        if (superseded) {
            throw new IllegalStateException("a newer snapshot cursor was made on this tree");
        }
        if (done) {
            return false;
        }
        int written = 0;
        if (!started) {
            started = true;
            write(DataTree.ROOT, SnapshotNode.of(DataTree.ROOT, tree.node(DataTree.ROOT)), sink);
            written++;
        }
        while (!stack.isEmpty()) {
            Frame frame = stack.peek();
            ZNode parent = tree.node(frame.path);
            String live = parent == null ? null : after(parent.children, frame.last);
            TreeMap<String, SnapshotNode> gone = ended.get(frame.path);
            String ghost = gone == null || gone.isEmpty() ? null
                    : frame.last == null ? gone.firstKey() : gone.higherKey(frame.last);
            if (live == null && ghost == null) {
                stack.pop();
                ended.remove(frame.path);
                continue;
            }
            if (written == maxNodes) {
                return true;
            }
            String name = ghost != null && (live == null || ghost.compareTo(live) <= 0) ? ghost : live;
            String path = PathUtils.child(frame.path, name);
            frame.last = name;
            // An ended ephemeral is written as it was; if its path was used again since, the new
            // node's create and anything under it come back by replay, after the close.
            SnapshotNode copy = name.equals(ghost) ? gone.remove(name) : SnapshotNode.of(path, tree.node(path));
            write(path, copy, sink);
            written++;
        }
        done = true;
        tree.cursorDone(this);
        return false;
    }

    private void write(String path, SnapshotNode copy, Consumer<SnapshotNode> sink) {
        sink.accept(copy);
        position = path;
        ZNode now = tree.node(path);
        if ((now != null && now.numChildren() > 0) || ended.containsKey(path)) {
            stack.push(new Frame(path));
        }
    }

    private static String after(NavigableSet<String> children, String last) {
        if (children == null || children.isEmpty()) {
            return null;
        }
        return last == null ? children.first() : children.higher(last);
    }

    /** The tree is deleting {@code node}, an ephemeral of a session being closed. */
    void ending(String path, ZNode node) {
        if (done || superseded || node.czxid > startZxid
                || (position != null && walkOrder(path, position) <= 0)) {
            // Created after startZxid (its create is replayed), or already written.
            return;
        }
        ended.computeIfAbsent(PathUtils.parent(path), p -> new TreeMap<>())
                .put(PathUtils.name(path), SnapshotNode.of(path, node));
    }

    void supersede() {
        superseded = true;
        ended.clear();
    }

    /**
     * The order in which the walk writes paths: segment by segment in name order, a parent before
     * its children. That is string order with '/' taken as smaller than every other character.
     */
    static int walkOrder(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return x == '/' ? -1 : y == '/' ? 1 : Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
