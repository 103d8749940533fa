package io.paddock.tree;

import java.util.List;

/**
 * A client request, as every front end (HTTP, ZooKeeper wire) hands it to the server. Writes are
 * prepared into transactions by {@link TxnPrep}; reads are answered from the tree by {@link Reads}.
 */
public sealed interface Op {

    /** The path the request concerns ("/" for requests that concern none). */
    String path();

    /** True when the request changes the tree and so becomes a transaction. */
    default boolean isWrite() {
        return false;
    }

    // ---- writes -------------------------------------------------------------------------

    /** Create a znode; {@code ttlMs} matters only for the TTL modes (0 otherwise). */
    record Create(String path, byte[] data, List<Acl> acl, CreateMode mode, long ttlMs) implements Op {
        @Override
        public boolean isWrite() {
            return true;
        }
    }

    /** Delete a childless znode; version -1 matches any. */
    record Delete(String path, int version) implements Op {
        @Override
        public boolean isWrite() {
            return true;
        }
    }

    /** Delete a znode and its whole subtree in one transaction. */
    record DeleteAll(String path) implements Op {
        @Override
        public boolean isWrite() {
            return true;
        }
    }

    /** Replace a znode's data; version -1 matches any. */
    record SetData(String path, byte[] data, int version) implements Op {
        @Override
        public boolean isWrite() {
            return true;
        }
    }

    /** Replace a znode's ACL; version (the aversion) -1 matches any. */
    record SetAcl(String path, List<Acl> acl, int version) implements Op {
        @Override
        public boolean isWrite() {
            return true;
        }
    }

    /** Check a znode's data version; only meaningful inside a multi. */
    record Check(String path, int version) implements Op {
        @Override
        public boolean isWrite() {
            return true;
        }
    }

    /** All-or-nothing: Create, Delete, SetData and Check ops as one transaction. */
    record Multi(List<Op> ops) implements Op {
        @Override
        public String path() {
            return "/";
        }

        @Override
        public boolean isWrite() {
            return true;
        }
    }

    /**
     * Server-internal: delete a container or TTL node if it is still due for removal when the
     * request is prepared (ZooKeeper's deleteContainer).
     */
    record Reap(String path) implements Op {
        @Override
        public boolean isWrite() {
            return true;
        }
    }

    /**
     * Answered once every write the server accepted before it has been applied, so that the
     * session's next read reflects them.
     */
    record Sync(String path) implements Op {
    }

    // ---- reads --------------------------------------------------------------------------

    /** Data and Stat; with watch, a data watch (or an exists watch when the node is missing). */
    record GetData(String path, boolean watch) implements Op {
    }

    /** Stat or NoNode; with watch, a data watch if the node exists, otherwise an exists watch. */
    record Exists(String path, boolean watch) implements Op {
    }

    /** Sorted child names and the Stat; with watch, a child watch. */
    record GetChildren(String path, boolean watch) implements Op {
    }

    /** Every descendant's path, sorted (the node itself excluded). */
    record ListRecursive(String path) implements Op {
    }

    /** The number of descendants of a znode (ZooKeeper's getAllChildrenNumber). */
    record GetAllChildrenNumber(String path) implements Op {
    }

    /** ACL and Stat. */
    record GetAcl(String path) implements Op {
    }

    /** The requesting session's own ephemeral nodes at or under {@code path}, sorted. */
    record GetEphemerals(String path) implements Op {
    }

    /** Add a persistent or persistent-recursive watch (ZooKeeper's addWatch). */
    record AddWatch(String path, WatchKind kind) implements Op {
    }

    /**
     * Remove this session's watches of a kind on a path (ZooKeeper's removeWatches);
     * {@code kinds} lists which kinds to remove. NoWatcher when there was none.
     */
    record RemoveWatches(String path, List<WatchKind> kinds) implements Op {
    }

    /** Like {@link RemoveWatches} but removes nothing: NoWatcher unless such a watch exists. */
    record CheckWatches(String path, List<WatchKind> kinds) implements Op {
    }

    /**
     * Re-arms a reconnecting client's watches (ZooKeeper's setWatches/setWatches2): a watch whose
     * node changed after {@code relativeZxid}, the last zxid the client saw, fires at once, as
     * the event it missed; the others are set again. A watch the session still holds on this
     * server is left as it is. Answered with {@link OpResult.Done} after any events it fired.
     */
    record SetWatches(long relativeZxid, List<String> data, List<String> exist, List<String> child,
                      List<String> persistent, List<String> persistentRecursive) implements Op {
        @Override
        public String path() {
            return "/";
        }
    }

    /**
     * Drops every watch the session holds on this server, as ZooKeeper drops a connection's
     * watches when it closes: a ZooKeeper client that reconnects sends this first (Paddock's wire
     * front end does, for the client), then re-arms what it knows with {@link SetWatches}, so no
     * change is reported both by a watch left from the old connection and by the re-arming.
     */
    record DropWatches() implements Op {
        @Override
        public String path() {
            return "/";
        }
    }

    /** The identities the session acts with (ZooKeeper's whoAmI): its added auth and its client's ip. */
    record WhoAmI() implements Op {
        @Override
        public String path() {
            return "/";
        }
    }

    /** Several GetData and GetChildren reads answered together (ZooKeeper's multiRead). */
    record MultiRead(List<Op> ops) implements Op {
        @Override
        public String path() {
            return "/";
        }
    }
}
