package io.paddock.cli;

import io.paddock.client.CreateOptions;
import io.paddock.client.Created;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.Stat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** The commands that change znodes: create, set, delete, deleteall, setAcl. */
final class WriteCommands {

    /** ZooKeeper's largest TTL: the 40 bits EphemeralType.TTL keeps for it in an ephemeralOwner. */
    static final long MAX_TTL_MS = 0xFF_FFFF_FFFFL;

    private static final String SET_USAGE = """
            set path data [-s] [-v version] [-b]
             -b         Supply data in base64 format
             -s         Print znode stats additionally
             -v <arg>   Set with an expected version
            """;

    private WriteCommands() {
    }

    /**
     * create: -e ephemeral, -s sequential, -c container, -t ttl (a persistent node that goes once
     * it has been unmodified and childless that long). "Created &lt;path&gt;" goes to stderr, as
     * zkCli prints it.
     */
    static ZnodeCommand create() {
        return ZnodeCommand.of("create", "[-s] [-e] [-c] [-t ttl] path [data] [acl]", "esc", "t", 2, (a, c) -> {
            CreateOptions options = createOptions(a, c);
            String path = a.arg(1);
            ZnodeCommand.checkPath(path, options.mode().isSequential());
            byte[] data = a.count() > 2 ? a.arg(2).getBytes(StandardCharsets.UTF_8) : new byte[0];
            Created created = c.client().create(path, data, options);
            c.err().println("Created " + created.path());
        });
    }

    /** The mode, TTL and ACL of a create, refused as zkCli refuses them before asking the server. */
    static CreateOptions createOptions(CliArgs a, ZnodeCommand.Context c) throws CliException {
        boolean e = a.has('e');
        boolean s = a.has('s');
        boolean container = a.has('c');
        boolean t = a.has('t');
        if (container && (e || s)) {
            throw new CliException("-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.");
        }
        long ttl = 0;
        if (t) {
            try {
                ttl = Long.parseLong(a.value('t').trim());
            } catch (NumberFormatException ex) {
                throw new CliException("-t argument must be a long value");
            }
        }
        if (t && e) {
            throw new CliException("TTLs cannot be used with Ephemeral znodes");
        }
        if (t && container) {
            throw new CliException("TTLs cannot be used with Container znodes");
        }
        if (t && (ttl <= 0 || ttl > MAX_TTL_MS)) {
            throw new CliException("ttl must be positive and cannot be larger than: " + MAX_TTL_MS);
        }
        CreateMode mode;
        if (e) {
            mode = s ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.EPHEMERAL;
        } else if (s) {
            mode = t ? CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL : CreateMode.PERSISTENT_SEQUENTIAL;
        } else if (container) {
            mode = CreateMode.CONTAINER;
        } else {
            mode = t ? CreateMode.PERSISTENT_WITH_TTL : CreateMode.PERSISTENT;
        }
        List<Acl> acl = a.count() > 3 ? AclParser.parse(a.arg(3), c.err()) : Acl.OPEN_ACL_UNSAFE;
        return new CreateOptions(mode, ttl, acl, false);
    }

    /** set: new data (-b: given in base64), -v the expected version, -s prints the new Stat. */
    static ZnodeCommand set() {
        return new ZnodeCommand("set", "path data [-s] [-v version] [-b]", "sb", "v", 3, SET_USAGE, (a, c) -> {
            String path = a.arg(1);
            byte[] data;
            if (a.has('b')) {
                try {
                    data = Base64.getDecoder().decode(a.arg(2));
                } catch (IllegalArgumentException ex) {
                    throw new CliException(ex.getMessage());
                }
            } else {
                data = a.arg(2).getBytes(StandardCharsets.UTF_8);
            }
            int version = ZnodeCommand.intFlag(a, 'v', PaddockClient.ANY_VERSION);
            ZnodeCommand.checkPath(path, false);
            Stat stat = c.client().setData(path, data, version);
            if (a.has('s')) {
                c.out().print(Formats.stat(stat));
            }
        });
    }

    /** delete: one node without children; -v the expected version (zkCli 3 also takes "delete path version"). */
    static ZnodeCommand delete() {
        return ZnodeCommand.of("delete", "[-v version] path", "", "v", 2, (a, c) -> {
            String path = a.arg(1);
            int version = ZnodeCommand.intFlag(a, 'v', PaddockClient.ANY_VERSION);
            if (a.count() > 2) {
                c.err().println("'delete path [version]' has been deprecated. "
                        + "Please use 'delete [-v version] path' instead.");
                try {
                    version = Integer.parseInt(a.arg(2).trim());
                } catch (NumberFormatException ex) {
                    throw new CliException("-v argument must be an int value");
                }
            }
            ZnodeCommand.checkPath(path, false);
            c.client().delete(path, version);
        });
    }

    /**
     * deleteall: the node and its whole subtree. Paddock deletes it in one transaction, so -b
     * (zkCli's batch size for its many multi calls) is checked and has nothing left to tune, and
     * a refusal anywhere leaves the whole subtree in place.
     */
    static ZnodeCommand deleteall() {
        return ZnodeCommand.of("deleteall", "path [-b batch size]", "", "b", 2, (a, c) -> {
            String path = a.arg(1);
            int batch = ZnodeCommand.intFlag(a, 'b', 1000);
            if (batch <= 0) {
                throw new CliException("-b argument must be a positive int value");
            }
            ZnodeCommand.checkPath(path, false);
            c.client().deleteRecursive(path);
        });
    }

    /**
     * setAcl: -v the expected ACL version, -s prints the new Stat, -R sets the ACL of the node and
     * of every descendant (each refusal printed, the others still set, the command failing in the end).
     */
    static ZnodeCommand setAcl() {
        return ZnodeCommand.of("setAcl", "[-s] [-v version] [-R] path acl", "sR", "v", 3, (a, c) -> {
            String path = a.arg(1);
            List<Acl> acl = AclParser.parse(a.arg(2), c.err());
            int version = ZnodeCommand.intFlag(a, 'v', PaddockClient.ANY_VERSION);
            ZnodeCommand.checkPath(path, false);
            PaddockClient client = c.client();
            if (!a.has('R')) {
                Stat stat = client.setAcl(path, acl, version);
                if (a.has('s')) {
                    c.out().print(Formats.stat(stat));
                }
                return;
            }
            boolean failed = false;
            for (String p : ReadCommands.breadthFirst(path, client.getDescendants(path))) {
                try {
                    client.setAcl(p, acl, version);
                } catch (PaddockException e) {
                    // zkCli prints KeeperException's own message for each node it could not change.
                    c.err().println("KeeperErrorCode = " + Formats.codeMessage(e.code()) + " for " + p);
                    failed = true;
                }
            }
            if (failed) {
                throw new CliException(null);
            }
        });
    }
}
