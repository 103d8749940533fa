package io.paddock.api.zk;

import static io.paddock.api.zk.CuratorClients.await;
import static io.paddock.api.zk.CuratorClients.awaitState;
import static io.paddock.api.zk.CuratorClients.connect;
import static io.paddock.api.zk.CuratorClients.connectionStates;
import static io.paddock.api.zk.CuratorClients.next;
import static io.paddock.api.zk.CuratorClients.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.framework.state.ConnectionState;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Curator's LeaderLatch: three contenders, each its own client and session, exactly one leader,
 * and leadership moving on when the leader's client closes, its latch closes, or its session
 * expires on the server.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CuratorLeaderLatchTest {

    private static final long DEADLINE_MS = 30_000;
    private static final String PATH = "/election";

    /** "id:leader" or "id:notLeader", as the latches' listeners hear them. */
    private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void closingTheLeadersClientElectsExactlyOneOther(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind)) {
            Map<String, CuratorFramework> clients = new LinkedHashMap<>();
            Map<String, LeaderLatch> latches = new LinkedHashMap<>();
            try {
                contend(target, List.of("a", "b", "c"), clients, latches);
                String first = nextLeader();
                assertOnlyLeaderOnceJoined(3, first, latches);

                clients.remove(first).close();
                latches.remove(first);
                String second = nextLeader();
                assertNotEquals(first, second);
                assertOnlyLeaderOnceJoined(2, second, latches);
            } finally {
                closeAll(latches, clients.values());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void closingTheLeadersLatchTellsItNotLeaderAndElectsAnother(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind)) {
            Map<String, CuratorFramework> clients = new LinkedHashMap<>();
            Map<String, LeaderLatch> latches = new LinkedHashMap<>();
            try {
                contend(target, List.of("a", "b", "c"), clients, latches);
                String first = nextLeader();
                latches.remove(first).close(LeaderLatch.CloseMode.NOTIFY_LEADER);
                // The two listeners run on different clients' threads: their order is not defined.
                Set<String> next = new HashSet<>(List.of(take(), take()));
                assertTrue(next.remove(first + ":notLeader"), "the closed leader hears notLeader: " + next);
                String second = next.iterator().next();
                assertTrue(second.endsWith(":leader"), "another becomes leader: " + next);
                String secondId = second.substring(0, second.indexOf(':'));
                assertOnlyLeaderOnceJoined(2, secondId, latches);
            } finally {
                closeAll(latches, clients.values());
            }
        }
    }

    /**
     * The leader goes silent (its connection passes through a proxy that stops forwarding, so
     * neither the client nor the server closes the session): it hears notLeader once it counts
     * itself disconnected, the server expires its session and deletes its latch node, and only
     * then does another contender lead. When the proxy forwards again the old client learns that
     * its session expired, starts a new one and rejoins as a follower.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void leaderWhoseSessionExpiresIsReplaced(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind);
             TcpProxy proxy = new TcpProxy(target.address())) {
            Map<String, CuratorFramework> clients = new LinkedHashMap<>();
            Map<String, LeaderLatch> latches = new LinkedHashMap<>();
            try {
                String viaProxy = proxy.connectString();
                CuratorFramework silent = connect(settings(viaProxy, target.maxSessionTimeoutMs()), viaProxy);
                BlockingQueue<ConnectionState> silentStates = connectionStates(silent);
                clients.put("silent", silent);
                latches.put("silent", latch(silent, "silent"));
                assertEquals("silent", nextLeader(), "the first contender leads");
                contend(target, List.of("b", "c"), clients, latches);
                await("for three participants", DEADLINE_MS, () -> participants(latches.get("b")) == 3);
                long oldSession = silent.getZookeeperClient().getZooKeeper().getSessionId();

                proxy.freeze();
                assertEquals("silent:notLeader", take(), "the silenced leader steps down first");
                String second = nextLeader();
                assertTrue(second.equals("b") || second.equals("c"), second);
                List<String> left = participantIds(latches.get(second));
                assertEquals(2, left.size(), "the expired session's latch node is gone: " + left);
                assertFalse(left.contains("silent"));
                assertFalse(latches.get("silent").hasLeadership());

                proxy.thaw();
                awaitState(silentStates, ConnectionState.RECONNECTED, DEADLINE_MS);
                assertNotEquals(oldSession, silent.getZookeeperClient().getZooKeeper().getSessionId(),
                        "the old session expired, so the client needed a new one");
                await("until the old leader rejoins", DEADLINE_MS, () -> participants(latches.get(second)) == 3);
                assertEquals(second, latches.get("silent").getLeader().getId());
                assertOnlyLeader(second, latches);
            } finally {
                closeAll(latches, clients.values());
            }
        }
    }

    /** Each id gets its own client, straight to the server, and its own started latch. */
    private void contend(ZkTarget target, List<String> ids, Map<String, CuratorFramework> clients,
                         Map<String, LeaderLatch> latches) throws Exception {
        for (String id : ids) {
            clients.put(id, connect(target));
            latches.put(id, latch(clients.get(id), id));
        }
    }

    private LeaderLatch latch(CuratorFramework client, String id) throws Exception {
        LeaderLatch latch = new LeaderLatch(client, PATH, id, LeaderLatch.CloseMode.NOTIFY_LEADER);
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                heard.add(id + ":leader");
            }

            @Override
            public void notLeader() {
                heard.add(id + ":notLeader");
            }
        });
        latch.start();
        return latch;
    }

    /** The next "id:leader" heard; no other latch may have heard anything in between. */
    private String nextLeader() throws InterruptedException {
        String h = take();
        assertTrue(h.endsWith(":leader"), "expected a new leader, heard " + h);
        return h.substring(0, h.indexOf(':'));
    }

    private String take() throws InterruptedException {
        return next(heard, DEADLINE_MS, "no leadership change heard");
    }

    /** Once the leader's latch counts {@code joined} participants, {@link #assertOnlyLeader}. */
    private static void assertOnlyLeaderOnceJoined(int joined, String leader, Map<String, LeaderLatch> latches)
            throws Exception {
        await("for " + joined + " participants", DEADLINE_MS, () -> participants(latches.get(leader)) == joined);
        assertOnlyLeader(leader, latches);
    }

    /** Exactly one latch holds leadership, and every latch reads the same leader from the server. */
    private static void assertOnlyLeader(String leader, Map<String, LeaderLatch> latches) throws Exception {
        for (Map.Entry<String, LeaderLatch> e : latches.entrySet()) {
            assertEquals(e.getKey().equals(leader), e.getValue().hasLeadership(), e.getKey() + " hasLeadership");
            Participant p = e.getValue().getLeader();
            assertEquals(leader, p.getId(), e.getKey() + " sees the leader");
            assertTrue(p.isLeader());
        }
    }

    private static int participants(LeaderLatch latch) {
        try {
            return latch.getParticipants().size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> participantIds(LeaderLatch latch) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Participant p : latch.getParticipants()) {
            ids.add(p.getId());
        }
        return ids;
    }

    private static void closeAll(Map<String, LeaderLatch> latches, Collection<CuratorFramework> clients) {
        for (LeaderLatch l : latches.values()) {
            try {
                l.close(LeaderLatch.CloseMode.SILENT);
            } catch (IOException | IllegalStateException e) {
                // already closed, or its client is gone: nothing left to release
            }
        }
        CuratorClients.closeAll(clients);
    }
}
