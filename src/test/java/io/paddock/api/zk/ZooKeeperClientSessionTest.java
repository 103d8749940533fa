package io.paddock.api.zk;

import static io.paddock.api.zk.ZkAssertions.DEADLINE;
import static io.paddock.api.zk.ZkAssertions.OPEN;
import static io.paddock.api.zk.ZkAssertions.assertCode;
import static io.paddock.api.zk.ZkAssertions.assertEvent;
import static io.paddock.api.zk.ZkAssertions.awaitGone;
import static io.paddock.api.zk.ZkAssertions.bytes;
import static io.paddock.api.zk.ZkAssertions.connect;
import static io.paddock.api.zk.ZkAssertions.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sessions through the official client on Paddock and ZooKeeper: negotiated timeouts, sharing a
 * session by id and password, refusal of a wrong password or an unknown session (the client sees
 * Expired), expiry of a client cut off from the server (its ephemerals go, watchers hear it), and
 * reconnection: after a dropped connection or a server restart the client resumes its session
 * and its watches (SetWatches), and changes it missed while away fire at once.
 *
 * <p>The servers here tick every 250 ms, so sessions last from 500 ms to 5 s. A client is cut off
 * with a {@link TcpProxy} between it and the server, which neither side knows about.
 */
class ZooKeeperClientSessionTest {

    private static final int TICK_MS = 250;
    /** Short enough to expire quickly, long enough for the client to stay connected while working. */
    private static final int SHORT_SESSION_MS = 4 * TICK_MS;

    @RegisterExtension
    static final SharedTargets TARGETS = new SharedTargets(TICK_MS);

    /** A test body with a writer on the server and a client behind a proxy, its state events in {@code state}. */
    @FunctionalInterface
    private interface ProxiedClient {
        void run(String root, TcpProxy proxy, ZooKeeper writer, ZooKeeper zk, RecordingWatcher state)
                throws Exception;
    }

    private static void withProxiedClient(ZkTarget.Kind kind, ProxiedClient body) throws Exception {
        String root = TARGETS.uniqueRoot();
        ZkTarget t = TARGETS.get(kind);
        RecordingWatcher state = new RecordingWatcher("state");
        try (TcpProxy proxy = new TcpProxy(t.address()); ZooKeeper writer = connect(TARGETS, kind);
             ZooKeeper zk = ZkTarget.connect(proxy.connectString(), t.maxSessionTimeoutMs(), state)) {
            body.run(root, proxy, writer, zk, state);
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void negotiatedTimeoutIsClampedToTheServersBounds(ZkTarget.Kind kind) throws Exception {
        ZkTarget t = TARGETS.get(kind);
        Map<Integer, Integer> granted = new HashMap<>();
        for (int asked : new int[] {300, 2 * TICK_MS, 3000, 20 * TICK_MS, 600_000}) {
            try (ZooKeeper zk = t.connect(asked, new RecordingWatcher("asked " + asked))) {
                granted.put(asked, zk.getSessionTimeout());
            }
        }
        assertEquals(Map.of(300, 2 * TICK_MS, 2 * TICK_MS, 2 * TICK_MS, 3000, 3000, 20 * TICK_MS, 20 * TICK_MS,
                600_000, 20 * TICK_MS), granted);
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void aSecondClientCanJoinASessionAndItsCloseEndsTheSession(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        ZkTarget t = TARGETS.get(kind);
        RecordingWatcher firstEvents = new RecordingWatcher("first");
        try (ZooKeeper observer = connect(TARGETS, kind); ZooKeeper first = t.connect(SHORT_SESSION_MS, firstEvents)) {
            observer.create(root, null, OPEN, CreateMode.PERSISTENT);
            first.create(root + "/e1", null, OPEN, CreateMode.EPHEMERAL);
            RecordingWatcher secondEvents = new RecordingWatcher("second");
            ZooKeeper second = ZkTarget.connect(t.connectString(), SHORT_SESSION_MS, secondEvents,
                    first.getSessionId(), first.getSessionPasswd());
            try {
                secondEvents.awaitState(KeeperState.SyncConnected, DEADLINE);
                assertEquals(first.getSessionId(), second.getSessionId());
                second.create(root + "/e2", null, OPEN, CreateMode.EPHEMERAL);
                assertEquals(first.getSessionId(), observer.exists(root + "/e2", false).getEphemeralOwner());
            } finally {
                second.close();
            }
            // Closing ends the session for every client on it: the first learns it has expired.
            firstEvents.awaitState(KeeperState.Expired, DEADLINE);
            assertNull(observer.exists(root + "/e1", false));
            assertNull(observer.exists(root + "/e2", false));
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void aWrongPasswordIsRefusedAsExpiredAndLeavesTheSessionAlone(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        ZkTarget t = TARGETS.get(kind);
        try (ZooKeeper owner = connect(TARGETS, kind); ZooKeeper observer = connect(TARGETS, kind)) {
            owner.create(root, null, OPEN, CreateMode.EPHEMERAL);
            byte[] wrong = owner.getSessionPasswd().clone();
            wrong[0] ^= 1;
            RecordingWatcher w = new RecordingWatcher("intruder");
            ZooKeeper intruder = ZkTarget.connect(t.connectString(), SHORT_SESSION_MS, w, owner.getSessionId(), wrong);
            try {
                w.awaitState(KeeperState.Expired, DEADLINE);
                assertFalse(intruder.getState().isAlive());
                assertCode(Code.SESSIONEXPIRED, () -> intruder.exists("/", false));
            } finally {
                intruder.close();
            }
            // ZooKeeper drops the owner's connection when anyone presents its session id (even
            // with a wrong password); the owner reconnects to its unharmed session.
            assertEquals(owner.getSessionId(), observer.exists(root, false).getEphemeralOwner());
            assertNotNull(existsOnceReconnected(owner, root));
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void anUnknownSessionIsExpired(ZkTarget.Kind kind) throws Exception {
        ZkTarget t = TARGETS.get(kind);
        long sessionId;
        byte[] password;
        try (ZooKeeper zk = connect(TARGETS, kind)) {
            sessionId = zk.getSessionId();
            password = zk.getSessionPasswd();
        }
        // Closed: the same id and password now name no session.
        RecordingWatcher w = new RecordingWatcher("late");
        try (ZooKeeper late = ZkTarget.connect(t.connectString(), SHORT_SESSION_MS, w, sessionId, password)) {
            w.awaitState(KeeperState.Expired, DEADLINE);
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void aCutOffClientsSessionExpiresAndTakesItsEphemerals(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        ZkTarget t = TARGETS.get(kind);
        RecordingWatcher clientEvents = new RecordingWatcher("cut off");
        try (TcpProxy proxy = new TcpProxy(t.address()); ZooKeeper observer = connect(TARGETS, kind);
             ZooKeeper client = ZkTarget.connect(proxy.connectString(), SHORT_SESSION_MS, clientEvents)) {
            observer.create(root, null, OPEN, CreateMode.PERSISTENT);
            client.create(root + "/e", null, OPEN, CreateMode.EPHEMERAL);
            RecordingWatcher gone = new RecordingWatcher("gone");
            observer.exists(root + "/e", gone);
            proxy.block();
            clientEvents.awaitState(KeeperState.Disconnected, DEADLINE);
            // The server alone decides: once the session times out, the ephemeral goes.
            assertEvent(EventType.NodeDeleted, root + "/e", gone.next(DEADLINE));
            proxy.unblock();
            clientEvents.awaitState(KeeperState.Expired, DEADLINE);
            assertCode(Code.SESSIONEXPIRED, () -> client.exists(root, false));
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void anIdleClientIsKeptAliveByItsPings(ZkTarget.Kind kind) throws Exception {
        RecordingWatcher w = new RecordingWatcher("idle");
        // A one-second session: short enough to lapse several times over, long enough that a
        // busy machine's scheduling delays do not pass for a silent server.
        try (ZooKeeper zk = TARGETS.get(kind).connect(10 * TICK_MS, w)) {
            // Absence check over several session timeouts: pings keep the session.
            w.expectNone(Duration.ofMillis(30L * TICK_MS));
            assertNotNull(zk.exists("/", false));
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void watchesAreReArmedAfterAConnectionDrop(ZkTarget.Kind kind) throws Exception {
        withProxiedClient(kind, (root, proxy, writer, zk, state) -> {
            writer.create(root, bytes("0"), OPEN, CreateMode.PERSISTENT);
            RecordingWatcher data = new RecordingWatcher("data");
            RecordingWatcher recursive = new RecordingWatcher("recursive");
            zk.getData(root, data, null);
            zk.addWatch(root, recursive, AddWatchMode.PERSISTENT_RECURSIVE);
            long session = zk.getSessionId();
            proxy.dropConnections();
            state.awaitState(KeeperState.Disconnected, DEADLINE);
            state.awaitState(KeeperState.SyncConnected, DEADLINE);
            assertEquals(session, zk.getSessionId());
            writer.setData(root, bytes("1"), -1);
            assertEvent(EventType.NodeDataChanged, root, data.nextNode(DEADLINE));
            assertEvent(EventType.NodeDataChanged, root, recursive.nextNode(DEADLINE));
            writer.create(root + "/c", null, OPEN, CreateMode.PERSISTENT);
            assertEvent(EventType.NodeCreated, root + "/c", recursive.nextNode(DEADLINE));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void changesMissedWhileDisconnectedFireOnReconnect(ZkTarget.Kind kind) throws Exception {
        withProxiedClient(kind, (root, proxy, writer, zk, state) -> {
            writer.create(root, bytes("0"), OPEN, CreateMode.PERSISTENT);
            writer.create(root + "/doomed", null, OPEN, CreateMode.PERSISTENT);
            writer.create(root + "/quiet", null, OPEN, CreateMode.PERSISTENT);
            RecordingWatcher data = new RecordingWatcher("data");
            RecordingWatcher created = new RecordingWatcher("created");
            RecordingWatcher children = new RecordingWatcher("children");
            RecordingWatcher deleted = new RecordingWatcher("deleted");
            RecordingWatcher quiet = new RecordingWatcher("quiet");
            zk.getData(root, data, null);
            assertNull(zk.exists(root + "/new", created));
            zk.getChildren(root, children);
            zk.getData(root + "/doomed", deleted, null);
            zk.getData(root + "/quiet", quiet, null);
            proxy.block();
            state.awaitState(KeeperState.Disconnected, DEADLINE);
            writer.setData(root, bytes("1"), -1);
            writer.create(root + "/new", null, OPEN, CreateMode.PERSISTENT);
            writer.delete(root + "/doomed", -1);
            proxy.unblock();
            state.awaitState(KeeperState.SyncConnected, DEADLINE);
            // The client told the server its watches and the last zxid it saw; the server fires
            // those whose node changed since.
            assertEvent(EventType.NodeDataChanged, root, data.nextNode(DEADLINE));
            assertEvent(EventType.NodeCreated, root + "/new", created.nextNode(DEADLINE));
            assertEvent(EventType.NodeChildrenChanged, root, children.nextNode(DEADLINE));
            assertEvent(EventType.NodeDeleted, root + "/doomed", deleted.nextNode(DEADLINE));
            // An unchanged node's watch is re-armed, not fired.
            quiet.expectNoNodeEvent(ZkAssertions.QUIET);
            writer.setData(root + "/quiet", bytes("now"), -1);
            assertEvent(EventType.NodeDataChanged, root + "/quiet", quiet.nextNode(DEADLINE));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void sessionEphemeralsAndWatchesSurviveAServerRestart(ZkTarget.Kind kind) throws Exception {
        // A server of its own: the restart would disturb the other tests' clients. A longer tick
        // gives the session (20 ticks) time to outlive the restart.
        try (ZkTarget t = ZkTarget.start(kind, 500)) {
            RecordingWatcher state = new RecordingWatcher("state");
            try (ZooKeeper zk = t.connect(state); ZooKeeper other = t.connect(new RecordingWatcher("other"))) {
                long session = zk.getSessionId();
                zk.create("/kept", bytes("v1"), OPEN, CreateMode.PERSISTENT);
                zk.create("/mine", null, OPEN, CreateMode.EPHEMERAL);
                RecordingWatcher data = new RecordingWatcher("data");
                zk.getData("/kept", data, null);
                other.close();
                t.restart();
                state.awaitState(KeeperState.Disconnected, DEADLINE);
                state.awaitState(KeeperState.SyncConnected, DEADLINE);
                assertEquals(session, zk.getSessionId());
                assertEquals(session, zk.exists("/mine", false).getEphemeralOwner());
                try (ZooKeeper writer = t.connect(new RecordingWatcher("writer"))) {
                    writer.setData("/kept", bytes("v2"), -1);
                    WatchedEvent e = data.nextNode(DEADLINE);
                    assertEvent(EventType.NodeDataChanged, "/kept", e);
                    assertEquals("v2", text(zk.getData("/kept", false, null)));
                    zk.close();
                    awaitGone(writer, "/mine");
                    assertEquals(List.of("kept", "zookeeper"), sorted(writer.getChildren("/", false)));
                }
            }
        }
    }

    /** exists(), retried while the client is between connections (ConnectionLoss). */
    private static Stat existsOnceReconnected(ZooKeeper zk, String path) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            try {
                return zk.exists(path, false);
            } catch (KeeperException.ConnectionLossException e) {
                if (System.nanoTime() > end) {
                    throw e;
                }
                Thread.sleep(10); // polling a condition with a deadline
            }
        }
    }

    private static List<String> sorted(List<String> names) {
        return names.stream().sorted().toList();
    }
}
