package io.paddock.cli;

import io.paddock.client.AddWatchMode;
import io.paddock.client.PaddockException;
import io.paddock.client.WatcherType;
import io.paddock.tree.Id;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The commands about the session rather than one znode's content: sync, watches and identities. */
final class SessionCommands {

    private static final String ADD_WATCH_OPTIONS = "[-m mode] path # optional mode is one of "
            + Arrays.toString(AddWatchMode.values()) + " - default is " + AddWatchMode.PERSISTENT_RECURSIVE;

    private SessionCommands() {
    }

    /** sync: brings the server in use up to date with the leader for the path. */
    static ZnodeCommand sync() {
        return ZnodeCommand.of("sync", "path", "", "", 2, (a, c) -> {
            String path = a.arg(1);
            ZnodeCommand.checkPath(path, false);
            try {
                c.client().sync(path);
            } catch (PaddockException e) {
                throw new CliException("Sync has failed. rc=" + e.code().intValue());
            }
            c.out().println("Sync is OK");
        });
    }

    /** addWatch: a persistent watch, recursive unless -m PERSISTENT; its events print while printwatches is on. */
    static ZnodeCommand addWatch() {
        return ZnodeCommand.of("addWatch", ADD_WATCH_OPTIONS, "", "m", 2, (a, c) -> {
            if (a.count() != 2) {
                throw new CliException("addWatch " + ADD_WATCH_OPTIONS);
            }
            AddWatchMode mode = AddWatchMode.PERSISTENT_RECURSIVE;
            if (a.has('m')) {
                try {
                    mode = AddWatchMode.valueOf(a.value('m').toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new CliException("addWatch " + ADD_WATCH_OPTIONS);
                }
            }
            String path = a.arg(1);
            ZnodeCommand.checkPath(path, false);
            c.client().addWatch(path, mode, c.watcher());
        });
    }

    /**
     * removewatches: -c child watches, -d data watches, -a (the default) all, persistent ones
     * included. -l (zkCli: remove locally when the server is unreachable) is accepted, but the
     * removal always asks the server, which holds the watches.
     */
    static ZnodeCommand removewatches() {
        return ZnodeCommand.of("removewatches", "path [-c|-d|-a] [-l]", "cdal", "", 2, (a, c) -> {
            WatcherType type = WatcherType.ANY;
            if (a.has('c')) {
                type = WatcherType.CHILD;
            } else if (a.has('d')) {
                type = WatcherType.DATA;
            }
            String path = a.arg(1);
            ZnodeCommand.checkPath(path, false);
            c.client().removeWatches(path, type);
        });
    }

    /** addauth: an identity for the session, e.g. "addauth digest user:password". */
    static ZnodeCommand addauth() {
        return ZnodeCommand.of("addauth", "scheme auth", "", "", 2, (a, c) -> {
            byte[] auth = a.count() > 2 ? a.arg(2).getBytes(StandardCharsets.UTF_8) : new byte[0];
            c.client().addAuth(a.arg(1), auth);
        });
    }

    /** whoami: the identities the session acts with on the server in use. */
    static ZnodeCommand whoami() {
        return ZnodeCommand.of("whoami", "", "", "", 1, (a, c) -> {
            List<Id> ids = c.client().whoAmI();
            c.out().println("Auth scheme: User");
            for (Id id : ids) {
                c.out().println(Formats.identity(id));
            }
        });
    }
}
