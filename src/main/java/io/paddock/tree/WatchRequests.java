package io.paddock.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * The watch operations of a request, over a session's {@link WatchManager}: the one-shot watch a
 * read leaves, as ZooKeeper's FinalRequestProcessor leaves it, and addWatch, removeWatches,
 * checkWatches and setWatches. Pure: the caller owns the manager.
 */
public final class WatchRequests {

    private WatchRequests() {
    }

    /**
     * The zxid of an event that no transaction caused: ZooKeeper 3.9's WatchedEvent.NO_ZXID, which
     * its setWatches events carry (the change they report happened at some zxid it does not know).
     */
    public static final long NO_ZXID = -1;

    /** What setWatches did: its answer, and the events the session is owed now, in order. */
    public record Rearmed(OpResult result, List<WatchedEvent> events) {
    }

    /** The watch a read leaves, as ZooKeeper's FinalRequestProcessor leaves it. */
    public static void leaveWatch(WatchManager watches, long sessionId, Op op, OpResult result) {
        if (op instanceof Op.GetData g && g.watch() && result instanceof OpResult.Data) {
            watches.add(g.path(), sessionId, WatchKind.DATA);
        } else if (op instanceof Op.Exists e && e.watch()) {
            if (result instanceof OpResult.StatResult) {
                watches.add(e.path(), sessionId, WatchKind.DATA);
            } else if (result instanceof OpResult.Error err && err.code() == ErrorCode.NO_NODE) {
                watches.add(e.path(), sessionId, WatchKind.EXISTS);
            }
        } else if (op instanceof Op.GetChildren c && c.watch() && result instanceof OpResult.Children) {
            watches.add(c.path(), sessionId, WatchKind.CHILD);
        }
    }

    /** addWatch: a persistent (or persistent recursive) watch, for a session (id 0 has none). */
    public static OpResult addWatch(WatchManager watches, long sessionId, Op.AddWatch a) {
        if (sessionId == 0) {
            return new OpResult.Error(ErrorCode.BAD_ARGUMENTS, a.path(), "watches need a session");
        }
        if (a.kind() != WatchKind.PERSISTENT && a.kind() != WatchKind.PERSISTENT_RECURSIVE) {
            return new OpResult.Error(ErrorCode.BAD_ARGUMENTS, a.path(),
                    "addWatch takes PERSISTENT or PERSISTENT_RECURSIVE, not " + a.kind());
        }
        OpResult invalid = validPathOrError(a.path());
        if (invalid != null) {
            return invalid;
        }
        watches.add(a.path(), sessionId, a.kind());
        return new OpResult.Done();
    }

    /** removeWatches ({@code remove}) or checkWatches: NoWatcher when the session has none of those kinds there. */
    public static OpResult removeWatches(WatchManager watches, long sessionId, String path, List<WatchKind> kinds,
                                         boolean remove) {
        OpResult invalid = validPathOrError(path);
        if (invalid != null) {
            return invalid;
        }
        boolean found = false;
        for (WatchKind kind : kinds) {
            found |= remove ? watches.remove(path, sessionId, kind) : watches.contains(path, sessionId, kind);
        }
        return found ? new OpResult.Done()
                : new OpResult.Error(ErrorCode.NO_WATCHER, path, "no watch of kind " + kinds + " on " + path);
    }

    /** Drops every watch of the session (see {@link Op.DropWatches}). */
    public static OpResult dropWatches(WatchManager watches, long sessionId) {
        if (sessionId == 0) {
            return new OpResult.Error(ErrorCode.BAD_ARGUMENTS, "/", "watches need a session");
        }
        watches.removeSession(sessionId);
        return new OpResult.Done();
    }

    /**
     * setWatches (ZooKeeper's setWatches and setWatches2, sent by a client that reconnects), as
     * ZooKeeper 3.9's DataTree.setWatches: the data watches first, then exist, child, persistent and
     * persistent-recursive ones, each path in the order given.
     * <ul>
     *   <li>data: node missing → NodeDeleted now; mzxid above relativeZxid → NodeDataChanged now;
     *       else the data watch is set;</li>
     *   <li>exist: node present → NodeCreated now; else the exists watch is set;</li>
     *   <li>child: node missing → NodeDeleted now; pzxid above relativeZxid → NodeChildrenChanged
     *       now; else the child watch is set;</li>
     *   <li>persistent and persistent-recursive: set, never an event.</li>
     * </ul>
     * Unlike ZooKeeper's, Paddock's watches belong to the session and outlive its connection
     * (the wire front end drops them with {@link #dropWatches} when a ZooKeeper client
     * reconnects, as ZooKeeper would; an HTTP client keeps them): a
     * one-shot watch of that kind the session still held on the path when the request came has
     * not fired, so it is left as it is and owes no event (firing now would report a change
     * twice, or one the watch will report itself). A fired event is for this session alone and
     * touches no other watch, as ZooKeeper's watcher.process. Like ZooKeeper, no path is
     * checked and no ACL read. Events carry {@link #NO_ZXID}.
     */
    public static Rearmed setWatches(WatchManager watches, DataTree tree, long sessionId, Op.SetWatches s) {
        if (sessionId == 0) {
            return new Rearmed(new OpResult.Error(ErrorCode.BAD_ARGUMENTS, s.path(), "watches need a session"),
                    List.of());
        }
        long relativeZxid = s.relativeZxid();
        List<String> data = orEmpty(s.data());
        List<String> exist = orEmpty(s.exist());
        List<String> child = orEmpty(s.child());
        // What the session held before this request: a watch armed below for one list must not
        // count as held for a later list (DATA and EXISTS are one watch in the manager).
        boolean[] dataHeld = held(watches, sessionId, data, WatchKind.DATA);
        boolean[] existHeld = held(watches, sessionId, exist, WatchKind.EXISTS);
        boolean[] childHeld = held(watches, sessionId, child, WatchKind.CHILD);

        List<WatchedEvent> events = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            String path = data.get(i);
            if (path == null || dataHeld[i]) {
                continue;
            }
            ZNode node = tree.node(path);
            if (node == null) {
                events.add(new WatchedEvent(EventType.NodeDeleted, path, NO_ZXID));
            } else if (node.mzxid > relativeZxid) {
                events.add(new WatchedEvent(EventType.NodeDataChanged, path, NO_ZXID));
            } else {
                watches.add(path, sessionId, WatchKind.DATA);
            }
        }
        for (int i = 0; i < exist.size(); i++) {
            String path = exist.get(i);
            if (path == null || existHeld[i]) {
                continue;
            }
            if (tree.node(path) != null) {
                events.add(new WatchedEvent(EventType.NodeCreated, path, NO_ZXID));
            } else {
                watches.add(path, sessionId, WatchKind.EXISTS);
            }
        }
        for (int i = 0; i < child.size(); i++) {
            String path = child.get(i);
            if (path == null || childHeld[i]) {
                continue;
            }
            ZNode node = tree.node(path);
            if (node == null) {
                events.add(new WatchedEvent(EventType.NodeDeleted, path, NO_ZXID));
            } else if (node.pzxid > relativeZxid) {
                events.add(new WatchedEvent(EventType.NodeChildrenChanged, path, NO_ZXID));
            } else {
                watches.add(path, sessionId, WatchKind.CHILD);
            }
        }
        // The manager keeps one entry per path and session: setting a held watch again adds nothing.
        for (String path : orEmpty(s.persistent())) {
            if (path != null) {
                watches.add(path, sessionId, WatchKind.PERSISTENT);
            }
        }
        for (String path : orEmpty(s.persistentRecursive())) {
            if (path != null) {
                watches.add(path, sessionId, WatchKind.PERSISTENT_RECURSIVE);
            }
        }
        return new Rearmed(new OpResult.Done(), List.copyOf(events));
    }

    private static boolean[] held(WatchManager watches, long sessionId, List<String> paths, WatchKind kind) {
        boolean[] held = new boolean[paths.size()];
        for (int i = 0; i < held.length; i++) {
            String path = paths.get(i);
            held[i] = path != null && watches.contains(path, sessionId, kind);
        }
        return held;
    }

    private static List<String> orEmpty(List<String> paths) {
        return paths == null ? List.of() : paths;
    }

    private static OpResult validPathOrError(String path) {
        try {
            PathUtils.validate(path);
            return null;
        } catch (TreeException e) {
            return e.toResult();
        }
    }
}
