package io.paddock.cli;

import io.paddock.client.AclStat;
import io.paddock.client.Children;
import io.paddock.client.NodeData;
import io.paddock.client.PaddockClient;
import io.paddock.tree.PathUtils;
import io.paddock.tree.Stat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The commands that read znodes: ls, get, stat, getAcl, getEphemerals, getAllChildrenNumber. */
final class ReadCommands {

    private static final String GET_USAGE = """
            get [-s] [-w] [-b] [-x] path
             -b   Output data in base64 format
             -s   Print znode stats additionally
             -w   Watch for changes on the znode
             -x   Output data in hexdump format
            """;

    /** What zkCli's ls -? prints (commons-cli's help of its options). */
    private static final String LS_HELP = """
            usage: ls [options] path
             -?   help
             -R   recurse
             -s   stat
             -w   watch""";

    private ReadCommands() {
    }

    /**
     * ls: the children, sorted; -s adds the node's Stat; -w leaves a child watch; -R lists the
     * node and every descendant, breadth first as zkCli does (then -s and -w are not used).
     */
    static ZnodeCommand ls() {
        return ZnodeCommand.of("ls", "[-s] [-w] [-R] path", "?swR", "", 2, (a, c) -> {
            if (a.has('?')) {
                c.out().println(LS_HELP);
            }
            boolean watch = a.has('w') || deprecatedWatch(a, c, "'ls path [watch]' has been deprecated. "
                    + "Please use 'ls [-w] path' instead.");
            String path = a.arg(1);
            ZnodeCommand.checkPath(path, false);
            PaddockClient client = c.client();
            if (a.has('R')) {
                for (String p : breadthFirst(path, client.getDescendants(path))) {
                    c.out().println(p);
                }
                return;
            }
            Children children = PaddockClient.await(client.getChildrenAsync(path, watch ? c.watcher() : null));
            c.out().println(Formats.children(children.names()));
            if (a.has('s')) {
                c.out().print(Formats.stat(children.stat()));
            }
        });
    }

    /** get: the data as UTF-8 text (-b base64, -x a hex dump); -s adds the Stat; -w leaves a data watch. */
    static ZnodeCommand get() {
        return new ZnodeCommand("get", "[-s] [-w] [-b] [-x] path", "swbx", "", 2, GET_USAGE, (a, c) -> {
            boolean watch = a.has('w') || deprecatedWatch(a, c, "'get path [watch]' has been deprecated. "
                    + "Please use 'get [-s] [-w] path' instead.");
            String path = a.arg(1);
            ZnodeCommand.checkPath(path, false);
            NodeData node = c.client().getData(path, watch ? c.watcher() : null);
            byte[] data = node.data() == null ? new byte[0] : node.data();
            String shown;
            if (a.has('x')) {
                shown = Formats.hexDump(data);
            } else if (a.has('b')) {
                shown = Base64.getEncoder().encodeToString(data);
            } else {
                shown = new String(data, StandardCharsets.UTF_8);
            }
            c.out().println(shown);
            if (a.has('s')) {
                c.out().print(Formats.stat(node.stat()));
            }
        });
    }

    /** stat: the Stat, or "Node does not exist"; -w leaves an exists watch (which a later create fires). */
    static ZnodeCommand stat() {
        return ZnodeCommand.of("stat", "[-w] path", "w", "", 2, (a, c) -> {
            boolean watch = a.has('w') || deprecatedWatch(a, c, "'stat path [watch]' has been deprecated. "
                    + "Please use 'stat [-w] path' instead.");
            String path = a.arg(1);
            ZnodeCommand.checkPath(path, false);
            Optional<Stat> stat = c.client().exists(path, watch ? c.watcher() : null);
            if (stat.isEmpty()) {
                throw new CliException("Node does not exist: " + path);
            }
            c.out().print(Formats.stat(stat.get()));
        });
    }

    /** getAcl: each ACL entry as jute prints an Id, then the permission letters; -s adds the Stat. */
    static ZnodeCommand getAcl() {
        return ZnodeCommand.of("getAcl", "[-s] path", "s", "", 2, (a, c) -> {
            String path = a.arg(1);
            ZnodeCommand.checkPath(path, false);
            AclStat acl = c.client().getAcl(path);
            c.out().print(Formats.acl(acl.acl()));
            if (a.has('s')) {
                c.out().print(Formats.stat(acl.stat()));
            }
        });
    }

    /** getEphemerals: the session's ephemeral znodes under a path prefix (all of them without one). */
    static ZnodeCommand getEphemerals() {
        return ZnodeCommand.of("getEphemerals", "path", "", "", 1, (a, c) -> {
            String prefix = a.count() > 1 ? a.arg(1) : "/";
            ZnodeCommand.checkPath(prefix, false);
            c.out().println(c.client().getEphemerals(prefix));
        });
    }

    /** getAllChildrenNumber: how many znodes lie below the path. */
    static ZnodeCommand getAllChildrenNumber() {
        return ZnodeCommand.of("getAllChildrenNumber", "path", "", "", 2, (a, c) -> {
            String path = a.arg(1);
            ZnodeCommand.checkPath(path, false);
            c.out().println(c.client().getDescendants(path).size());
        });
    }

    /**
     * zkCli 3.x still takes "cmd path watch" (any third word means watch), warning that the form
     * is deprecated.
     */
    private static boolean deprecatedWatch(CliArgs a, ZnodeCommand.Context c, String warning) {
        if (a.count() > 2) {
            c.err().println(warning);
            return true;
        }
        return false;
    }

    /**
     * The node and its descendants in the order zkCli's ls -R and setAcl -R visit them (ZKUtil's
     * breadth-first walk): level by level, each node's children sorted by name.
     */
    static List<String> breadthFirst(String root, List<String> descendants) {
        Map<String, List<String>> childrenOf = new HashMap<>();
        for (String d : descendants) {
            String parent = PathUtils.parent(d);
            if (parent != null) {
                childrenOf.computeIfAbsent(parent, k -> new ArrayList<>()).add(d);
            }
        }
        List<String> out = new ArrayList<>(descendants.size() + 1);
        Deque<String> queue = new ArrayDeque<>();
        queue.add(root);
        while (!queue.isEmpty()) {
            String node = queue.poll();
            out.add(node);
            List<String> kids = childrenOf.get(node);
            if (kids != null) {
                kids.sort(Comparator.comparing(PathUtils::name));
                queue.addAll(kids);
            }
        }
        return out;
    }
}
