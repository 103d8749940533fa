package io.paddock.api.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.function.Executable;

/** Small shared helpers for the client-side tests: data, stats, errors, waiting. */
final class ZkAssertions {

    static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;
    static final Duration DEADLINE = ZkTarget.DEADLINE;
    /** How long an absence check waits: a few server round trips and container checks. */
    static final Duration QUIET = Duration.ofMillis(300);
    /** No wait: for a second absence check right after a first one has waited. */
    static final Duration NOW = Duration.ZERO;

    private ZkAssertions() {
    }

    /** A test body on a fresh unique root with one client. */
    @FunctionalInterface
    interface OneClient {
        void run(String root, ZooKeeper zk) throws Exception;
    }

    /** A test body on a fresh unique root with a client that watches and a second that writes. */
    @FunctionalInterface
    interface TwoClients {
        void run(String root, ZooKeeper zk, ZooKeeper writer) throws Exception;
    }

    /** A client of the class's shared server of this kind; its default watcher is named for the kind. */
    static ZooKeeper connect(SharedTargets targets, ZkTarget.Kind kind) throws Exception {
        return targets.get(kind).connect(new RecordingWatcher(kind.name()));
    }

    /** Runs the body with a fresh root and one client, closed afterwards. */
    static void withClient(SharedTargets targets, ZkTarget.Kind kind, OneClient body) throws Exception {
        String root = targets.uniqueRoot();
        try (ZooKeeper zk = connect(targets, kind)) {
            body.run(root, zk);
        }
    }

    /** Runs the body with a fresh root and two clients (zk, writer), both closed afterwards. */
    static void withClients(SharedTargets targets, ZkTarget.Kind kind, TwoClients body) throws Exception {
        String root = targets.uniqueRoot();
        try (ZooKeeper zk = connect(targets, kind); ZooKeeper writer = connect(targets, kind)) {
            body.run(root, zk, writer);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Runs the call and checks it fails with exactly this code; returns the exception. */
    static KeeperException assertCode(KeeperException.Code code, Executable call) {
        KeeperException e = assertThrows(KeeperException.class, call);
        assertEquals(code, e.code(), () -> "expected " + code + " but got " + e);
        return e;
    }

    /** Waits until the node is gone (containers, TTL nodes, expired ephemerals). */
    static void awaitGone(ZooKeeper zk, String path) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (zk.exists(path, false) != null) {
            if (System.nanoTime() > end) {
                fail(path + " still exists after " + DEADLINE);
            }
            Thread.sleep(20); // polling a condition with a deadline
        }
    }

    /** A node event: its type and path, with the session connected. */
    static void assertEvent(EventType type, String path, WatchedEvent e) {
        assertEquals(type + " " + path + " (SyncConnected)",
                e.getType() + " " + e.getPath() + " (" + e.getState() + ")", () -> "event " + e);
        assertEquals(KeeperState.SyncConnected, e.getState());
    }

    /** The Stat fields a fresh node has whatever the server: versions 0, no children. */
    static void assertFreshStat(Stat s, int dataLength, long ephemeralOwner) {
        assertEquals(0, s.getVersion(), "version");
        assertEquals(0, s.getCversion(), "cversion");
        assertEquals(0, s.getAversion(), "aversion");
        assertEquals(0, s.getNumChildren(), "numChildren");
        assertEquals(dataLength, s.getDataLength(), "dataLength");
        assertEquals(ephemeralOwner, s.getEphemeralOwner(), "ephemeralOwner");
        // One transaction created it: every zxid is that transaction's, both times its time.
        assertEquals(s.getCzxid(), s.getMzxid(), "mzxid of a new node");
        assertEquals(s.getCzxid(), s.getPzxid(), "pzxid of a new node");
        assertEquals(s.getCtime(), s.getMtime(), "mtime of a new node");
    }

    /**
     * Two Stats of the same node compared field by field, times and zxids included: the client
     * got them from the same server state.
     */
    static void assertSameStat(Stat expected, Stat actual) {
        assertEquals(expected.toString(), actual.toString());
    }
}
