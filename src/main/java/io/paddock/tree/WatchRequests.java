package io.paddock.tree;

import java.util.List;

/**
 * The watch operations of a request, over a session's {@link WatchManager}: the one-shot watch a
 * read leaves, as ZooKeeper's FinalRequestProcessor leaves it, and addWatch, removeWatches and
 * checkWatches. Pure: the caller owns the manager.
 */
public final class WatchRequests {

    private WatchRequests() {
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

    private static OpResult validPathOrError(String path) {
        try {
            PathUtils.validate(path);
            return null;
        } catch (TreeException e) {
            return e.toResult();
        }
    }
}
