package io.paddock.recipes;

import io.paddock.PaddockNode;
import io.paddock.api.zk.TestJvm;
import io.paddock.client.PaddockClient;
import io.paddock.server.PaddockConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Leader election among participants in separate JVMs: SIGKILL the leader and the next in line
 * takes over once the dead one's session expires, and never do two live processes claim
 * leadership at once (as their printed lines and the znodes show).
 */
class LeaderLatchProcessTest {

    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
    /**
     * Beyond the session timeout: expiry is checked per tick (500 ms here), then the event is
     * delivered, on a machine busy starting JVMs. Over HTTP, the server also keeps the session of a
     * dead process alive until it notices its event stream is gone, which akka-http tells only when
     * a keep-alive write fails: the second one after the death, 2 x 5 s (akka/akka-http#1977).
     */
    static final Duration FAILOVER_MARGIN = Duration.ofSeconds(4)
            .plus(RecipeServer.clientKind().equals("http") ? Duration.ofSeconds(10) : Duration.ZERO);
    static final Duration START_DEADLINE = Duration.ofSeconds(60);
    static final String LATCH = "/election/proc";

    @TempDir
    Path dataDir;

    PaddockNode node;
    PaddockClient observer;
    final Map<String, TestJvm> processes = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        node = PaddockNode.start(PaddockConfig.defaults(dataDir).withPorts(0, 0).withClientPortAddress("127.0.0.1")
                .withTickTime(500));
        observer = RecipeServer.connect(kind(), connectString(), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws Exception {
        for (TestJvm p : processes.values()) {
            p.close();
        }
        observer.close();
        node.close();
    }

    static String kind() {
        return RecipeServer.clientKind();
    }

    String connectString() {
        return kind().equals("zk") ? "127.0.0.1:" + node.clientAddress().getPort()
                : "127.0.0.1:" + node.httpAddress().getPort();
    }

    TestJvm launch(String id) throws Exception {
        TestJvm p = TestJvm.start(LatchParticipantMain.class,
                List.of(kind(), connectString(), LATCH, id, Long.toString(SESSION_TIMEOUT.toMillis())));
        processes.put(id, p);
        assertNotNull(p.awaitLine("JOINED " + id, START_DEADLINE), () -> id + " did not join:\n" + p.output());
        return p;
    }

    /** The live processes whose last word about leadership is LEADER. */
    List<String> claimingLeadership() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, TestJvm> e : processes.entrySet()) {
            if (!e.getValue().process().isAlive()) {
                continue;
            }
            String last = null;
            for (String line : e.getValue().output().split("\n")) {
                if (line.startsWith("LEADER ") || line.startsWith("NOT_LEADER ")) {
                    last = line;
                }
            }
            if (last != null && last.startsWith("LEADER ")) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** The id stored in the lowest participant node: the leader as the znodes say. */
    String leaderByZnodes() throws Exception {
        List<String> order = LeaderSelection.ordered(observer.getChildren(LATCH));
        if (order.isEmpty()) {
            return null;
        }
        return new String(observer.getData(LATCH + "/" + order.get(0)).data(), StandardCharsets.UTF_8);
    }

    /**
     * Waits until {@code expected} is the one process claiming leadership and the znodes agree;
     * at every look, at most one live process claims it. Returns how long it took.
     */
    Duration awaitLeader(String expected, Duration deadline) throws Exception {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        while (true) {
            List<String> claiming = claimingLeadership();
            assertTrue(claiming.size() <= 1, "two live leaders at once: " + claiming);
            if (claiming.equals(List.of(expected)) && expected.equals(leaderByZnodes())) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (!claiming.isEmpty() && !claiming.equals(List.of(expected))) {
                fail(claiming + " leads, not " + expected);
            }
            if (System.nanoTime() - end > 0) {
                fail("no leader " + expected + " within " + deadline + "; claiming " + claiming + ", znodes say "
                        + leaderByZnodes());
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    @Test
    void whenTheLeaderProcessIsKilledTheNextInLineLeadsWithinTheSessionTimeout() throws Exception {
        launch("p0");
        awaitLeader("p0", START_DEADLINE);
        launch("p1");
        launch("p2");
        assertEquals(3, observer.getChildren(LATCH).size());
        assertEquals(List.of("p0"), claimingLeadership());

        processes.get("p0").kill();
        Duration failover = awaitLeader("p1", SESSION_TIMEOUT.plus(FAILOVER_MARGIN));
        assertEquals(2, observer.getChildren(LATCH).size(), "the dead leader's node outlived its session");
        System.out.println("failover p0 -> p1 took " + failover.toMillis() + " ms");

        processes.get("p1").kill();
        awaitLeader("p2", SESSION_TIMEOUT.plus(FAILOVER_MARGIN));
        assertEquals(1, observer.getChildren(LATCH).size());

        // A newcomer queues behind the leader and does not take over.
        launch("p3");
        awaitLeader("p2", Duration.ofSeconds(5));
        assertEquals(2, observer.getChildren(LATCH).size());
        assertEquals(List.of("p2"), claimingLeadership());
    }

    @Test
    void killingAFollowerLeavesTheLeaderInPlaceAndTheQueueIntact() throws Exception {
        launch("q0");
        awaitLeader("q0", START_DEADLINE);
        launch("q1");
        launch("q2");
        processes.get("q1").kill(); // q2 watched q1: it must now watch q0, not take over
        long end = System.nanoTime() + SESSION_TIMEOUT.plus(FAILOVER_MARGIN).toNanos();
        while (observer.getChildren(LATCH).size() != 2) {
            if (System.nanoTime() - end > 0) {
                fail("the dead follower's node outlived its session");
            }
            assertEquals(List.of("q0"), claimingLeadership());
            TimeUnit.MILLISECONDS.sleep(20);
        }
        assertEquals(List.of("q0"), claimingLeadership());
        processes.get("q0").kill();
        awaitLeader("q2", SESSION_TIMEOUT.plus(FAILOVER_MARGIN));
    }
}
