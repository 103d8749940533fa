package io.paddock.api.zk;

import static io.paddock.api.zk.ZkAssertions.OPEN;
import static io.paddock.api.zk.ZkAssertions.assertEvent;
import static io.paddock.api.zk.ZkAssertions.bytes;
import static io.paddock.api.zk.ZkAssertions.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.paddock.EnsembleProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ZooKeeper client's session moving between the servers of a 3-server Paddock ensemble (real
 * {@code bin/paddock server} processes): when its server dies, the client reconnects to another
 * one with the same session, its ephemeral node stays, and its watches come along. Paddock only:
 * there is no ZooKeeper ensemble to compare with here; standalone ZooKeeper's behaviour for the
 * same reconnection is in {@link ZooKeeperClientSessionTest}.
 */
class ZooKeeperClientEnsembleTest {

    /** A session lasts 20 ticks (10 s): ample for a client to find another server. */
    private static final int TICK_MS = 500;
    private static final Duration START_DEADLINE = Duration.ofSeconds(180);
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Where bin/paddock server writes its ZooKeeper-protocol port (Main.CLIENT_PORT_FILE). */
    private static final String CLIENT_PORT_FILE = "paddock-client.port";

    @TempDir
    Path dir;

    @Test
    void sessionAndWatchesMoveToAnotherServerWhenTheirServerDies() throws Exception {
        try (EnsembleProcesses ensemble = new EnsembleProcesses(dir, 3, 0, TICK_MS, List.of())) {
            ensemble.startAll();
            long leader = ensemble.awaitLeader(START_DEADLINE, ensemble.ids());
            Map<Long, Integer> ports = new TreeMap<>();
            for (long id : ensemble.ids()) {
                ports.put(id, clientPort(ensemble, id));
            }
            // The client knows the two followers only: killing the one it uses needs no election.
            List<Long> followers = ensemble.ids().stream().filter(id -> id != leader).toList();
            String connectString = followers.stream().map(id -> "127.0.0.1:" + ports.get(id))
                    .collect(Collectors.joining(","));
            RecordingWatcher state = new RecordingWatcher("state");
            try (RawZooKeeper zk = new RawZooKeeper(connectString, 20 * TICK_MS, state);
                 ZooKeeper writer = ZkTarget.connect("127.0.0.1:" + ports.get(leader), 20 * TICK_MS,
                         new RecordingWatcher("writer"))) {
                state.awaitState(KeeperState.SyncConnected, DEADLINE);
                long session = zk.getSessionId();
                zk.create("/moving", bytes("v1"), OPEN, CreateMode.PERSISTENT);
                zk.create("/moving/mine", null, OPEN, CreateMode.EPHEMERAL);
                RecordingWatcher data = new RecordingWatcher("data");
                RecordingWatcher children = new RecordingWatcher("children");
                zk.getData("/moving", data, null);
                zk.getChildren("/moving", children);

                long first = serverOf(zk, ports);
                ensemble.kill(first);
                state.awaitState(KeeperState.Disconnected, DEADLINE);
                state.awaitState(KeeperState.SyncConnected, DEADLINE);
                assertEquals(session, zk.getSessionId());
                long second = serverOf(zk, ports);
                assertNotEquals(first, second);
                assertTrue(followers.contains(second), "moved to " + second);

                assertEquals(session, zk.exists("/moving/mine", false).getEphemeralOwner());
                writer.setData("/moving", bytes("v2"), -1);
                assertEvent(EventType.NodeDataChanged, "/moving", data.nextNode(DEADLINE));
                writer.create("/moving/theirs", null, OPEN, CreateMode.PERSISTENT);
                assertEvent(EventType.NodeChildrenChanged, "/moving", children.nextNode(DEADLINE));
                // The new server is at least as current as anything the client has seen.
                assertEquals("v2", text(zk.getData("/moving", false, null)));
            }
        }
    }

    private static int clientPort(EnsembleProcesses ensemble, long id) throws Exception {
        Path file = ensemble.dataDir(id).resolve(CLIENT_PORT_FILE);
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > end) {
                fail("server " + id + " wrote no " + file + "\n" + ensemble.transcripts());
            }
            Thread.sleep(20); // polling a condition with a deadline
        }
        return Integer.parseInt(Files.readString(file).trim());
    }

    private static long serverOf(RawZooKeeper zk, Map<Long, Integer> ports) {
        int port = zk.remoteAddress().getPort();
        return ports.entrySet().stream().filter(e -> e.getValue() == port).findFirst()
                .orElseThrow(() -> new AssertionError("connected to unknown port " + port)).getKey();
    }
}
