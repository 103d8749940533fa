package io.paddock.tree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Answers read requests from the tree, as ZooKeeper 3.9's FinalRequestProcessor does: path
 * check, then NoNode, then the ACL check, then the answer. Pure: it registers no watches (the tree
 * actor does, from the same request) and changes nothing.
 */
public final class Reads {

    private Reads() {
    }

    /**
     * The answer to a read {@code op} for a session holding {@code identities}. Errors come back
     * as {@link OpResult.Error}. WhoAmI is answered from {@code identities} alone. Ops that are not
     * reads answered here (writes, sync, watch management) are a caller bug: IllegalArgumentException.
     */
    public static OpResult read(DataTree tree, long sessionId, List<Id> identities, Op op, String superDigest) {
        try {
            if (op instanceof Op.MultiRead m) {
                return multiRead(tree, sessionId, identities, m, superDigest);
            }
            return readOne(tree, sessionId, identities, op, superDigest);
        } catch (TreeException e) {
            return e.toResult();
        }
    }

    private static OpResult readOne(DataTree tree, long sessionId, List<Id> ids, Op op, String superDigest)
            throws TreeException {
        if (op instanceof Op.GetData g) {
            ZNode n = readable(tree, g.path(), ids, superDigest);
            return new OpResult.Data(n.data(), n.stat());
        } else if (op instanceof Op.Exists e) {
            // ZooKeeper 3.9 checks READ on a node that exists (a missing one is NoNode for anyone).
            ZNode n = readable(tree, e.path(), ids, superDigest);
            return new OpResult.StatResult(n.stat());
        } else if (op instanceof Op.GetChildren g) {
            ZNode n = readable(tree, g.path(), ids, superDigest);
            return new OpResult.Children(List.copyOf(n.children()), n.stat());
        } else if (op instanceof Op.ListRecursive l) {
            return new OpResult.Paths(listRecursive(tree, l.path(), ids, superDigest));
        } else if (op instanceof Op.GetAllChildrenNumber g) {
            readable(tree, g.path(), ids, superDigest);
            return new OpResult.Count(descendantCount(tree, g.path()));
        } else if (op instanceof Op.GetAcl g) {
            return getAcl(tree, g.path(), ids, superDigest);
        } else if (op instanceof Op.GetEphemerals g) {
            return new OpResult.Paths(ephemerals(tree, sessionId, g.path()));
        } else if (op instanceof Op.WhoAmI) {
            return new OpResult.Identities(whoAmI(ids));
        }
        throw new IllegalArgumentException("not a read answered from the tree: " + op.getClass().getSimpleName());
    }

    /** Each op answered on its own, errors inline (ZooKeeper's multiRead takes getData and getChildren only). */
    private static OpResult multiRead(DataTree tree, long sessionId, List<Id> ids, Op.MultiRead m, String superDigest)
            throws TreeException {
        for (Op op : m.ops()) {
            if (!(op instanceof Op.GetData) && !(op instanceof Op.GetChildren)) {
                throw new TreeException(ErrorCode.BAD_ARGUMENTS, op == null ? null : op.path(),
                        "a multi read takes only getData and getChildren");
            }
        }
        List<OpResult> results = new ArrayList<>(m.ops().size());
        for (Op op : m.ops()) {
            try {
                results.add(readOne(tree, sessionId, ids, op, superDigest));
            } catch (TreeException e) {
                results.add(e.toResult());
            }
        }
        return new OpResult.Multi(results);
    }

    /**
     * whoAmI: the identities the request carries, each once, in the order ZooKeeper shows its
     * connection's authInfo: the client's ip ids first (ZooKeeper adds one when the connection
     * opens), then the rest in the order they came (addauth appends). No ACL is read, as in
     * ZooKeeper. Ids come back whole; ZooKeeper's ClientInfo shows a digest id by its user name.
     */
    private static List<Id> whoAmI(List<Id> ids) {
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        List<Id> out = new ArrayList<>(ids.size());
        for (Id id : ids) {
            if (id != null && "ip".equals(id.scheme()) && !out.contains(id)) {
                out.add(id);
            }
        }
        for (Id id : ids) {
            if (id != null && !"ip".equals(id.scheme()) && !out.contains(id)) {
                out.add(id);
            }
        }
        return List.copyOf(out);
    }

    private static ZNode existing(DataTree tree, String path) throws TreeException {
        // ZooKeeper validates the paths of writes only; a read of a malformed path finds no node.
        ZNode n = path == null ? null : tree.node(path);
        if (n == null) {
            throw new TreeException(ErrorCode.NO_NODE, path, "NoNode for " + path);
        }
        return n;
    }

    private static ZNode readable(DataTree tree, String path, List<Id> ids, String superDigest) throws TreeException {
        ZNode n = existing(tree, path);
        require(n, Perms.READ, path, ids, superDigest);
        return n;
    }

    private static void require(ZNode n, int perm, String path, List<Id> ids, String superDigest) throws TreeException {
        try {
            AclCheck.checkPerm(n.acl(), perm, ids, superDigest);
        } catch (TreeException e) {
            throw new TreeException(e.code(), path, e.getMessage() + " for " + path);
        }
    }

    /**
     * getACL needs READ or ADMIN; without ADMIN, digest ids come back as "user:x" so a reader
     * cannot copy the password hash (ZooKeeper 3.9's FinalRequestProcessor).
     */
    private static OpResult getAcl(DataTree tree, String path, List<Id> ids, String superDigest) throws TreeException {
        ZNode n = existing(tree, path);
        require(n, Perms.READ | Perms.ADMIN, path, ids, superDigest);
        try {
            AclCheck.checkPerm(n.acl(), Perms.ADMIN, ids, superDigest);
            return new OpResult.AclList(n.acl(), n.stat());
        } catch (TreeException notAdmin) {
            List<Acl> redacted = new ArrayList<>(n.acl().size());
            for (Acl a : n.acl()) {
                Id id = a.id();
                if ("digest".equals(id.scheme())) {
                    int colon = id.id().indexOf(':');
                    String shown = colon < 0 ? id.id() : id.id().substring(0, colon) + ":x";
                    redacted.add(new Acl(a.perms(), new Id(id.scheme(), shown)));
                } else {
                    redacted.add(a);
                }
            }
            return new OpResult.AclList(List.copyOf(redacted), n.stat());
        }
    }

    /**
     * Every descendant, sorted, the node itself excluded. zkCli's {@code ls -R} calls getChildren on
     * every node of the subtree, so READ is needed on each: the first one refused fails the whole.
     */
    private static List<String> listRecursive(DataTree tree, String path, List<Id> ids, String superDigest)
            throws TreeException {
        ZNode top = readable(tree, path, ids, superDigest);
        List<String> out = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>();
        for (String child : top.children()) {
            todo.add(PathUtils.child(path, child));
        }
        while (!todo.isEmpty()) {
            String p = todo.poll();
            ZNode n = tree.node(p);
            require(n, Perms.READ, p, ids, superDigest);
            out.add(p);
            for (String child : n.children()) {
                todo.add(PathUtils.child(p, child));
            }
        }
        out.sort(null);
        return out;
    }

    private static int descendantCount(DataTree tree, String path) {
        if (path.length() == 1) {
            return tree.nodeCount() - 1;
        }
        int count = 0;
        Deque<String> todo = new ArrayDeque<>();
        todo.add(path);
        while (!todo.isEmpty()) {
            String p = todo.poll();
            for (String child : tree.node(p).children()) {
                count++;
                todo.add(PathUtils.child(p, child));
            }
        }
        return count;
    }

    /**
     * The session's ephemerals whose path starts with {@code prefix}, sorted. Like ZooKeeper this
     * is a string prefix, not a subtree: "/a" also matches "/ab" and "/a/" only what lies under /a.
     * An empty prefix or "/" gives all; like ZooKeeper's server, the prefix is not validated and
     * need not exist.
     */
    private static List<String> ephemerals(DataTree tree, long sessionId, String prefix) {
        String p = prefix == null ? "" : prefix.trim();
        List<String> out = new ArrayList<>();
        if (p.isEmpty() || p.equals("/")) {
            out.addAll(tree.ephemerals(sessionId));
            return out;
        }
        for (String path : tree.ephemerals(sessionId).tailSet(p)) {
            if (!path.startsWith(p)) {
                break;
            }
            out.add(path);
        }
        return out;
    }
}
