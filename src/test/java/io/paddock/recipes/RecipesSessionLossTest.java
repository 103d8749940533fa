package io.paddock.recipes;

import io.paddock.client.ConnectionState;
import io.paddock.client.CreateOptions;
import io.paddock.client.PaddockClient;
import io.paddock.tree.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The recipes on a real PaddockClient whose session the server ends (as an expiry does): the
 * client reports LOST, opens a new session and reports RECONNECTED, and every recipe carries on
 * in the new session. HTTP client only: ZooKeeper's own client does not open a new session.
 */
class RecipesSessionLossTest {

    static final Duration DEADLINE = RecipeServer.DEADLINE;

    @TempDir
    static Path dataDir;

    static RecipeServer server;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RecipeServer.clientKind().equals("http"), "needs a client that opens a new session after LOST");
        server = RecipeServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Ends the client's session on the server and waits until the client has a new one. */
    static void endSession(PaddockClient client) throws Exception {
        List<ConnectionState> heard = new CopyOnWriteArrayList<>();
        client.addConnectionStateListener((c, s) -> heard.add(s));
        long old = client.sessionId();
        server.node().gateway().closeSession(old).toCompletableFuture().get(10, TimeUnit.SECONDS);
        RecipeServer.await("for a new session", DEADLINE,
                () -> client.state() == ConnectionState.RECONNECTED && client.sessionId() != old && client.sessionId() != 0);
        RecipeServer.await("for LOST then RECONNECTED", DEADLINE,
                () -> heard.contains(ConnectionState.LOST) && heard.contains(ConnectionState.RECONNECTED));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aLeaderWhoseSessionEndsStopsLeadingAndJoinsAgainBehindTheNext() throws Exception {
        String path = "/loss/latch";
        PaddockClient aClient = server.client();
        List<String> aHeard = new CopyOnWriteArrayList<>();
        LeaderLatch a = new LeaderLatch(aClient, path, "a");
        a.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                aHeard.add("isLeader");
            }

            @Override
            public void notLeader() {
                aHeard.add("notLeader");
            }
        });
        a.start();
        LeaderLatch b = new LeaderLatch(server.client(), path, "b");
        try {
            assertTrue(a.await(DEADLINE));
            b.start();
            RecipeServer.await("for b to queue", DEADLINE, () -> b.participants().size() == 2);
            endSession(aClient);
            assertTrue(b.await(DEADLINE), "b did not take over");
            RecipeServer.await("for a to queue again behind b", DEADLINE, () -> {
                List<Participant> all = b.participants();
                return all.size() == 2 && all.get(1).id().equals("a");
            });
            assertFalse(a.hasLeadership());
            RecipeServer.await("for a's notLeader", DEADLINE, () -> aHeard.equals(List.of("isLeader", "notLeader")));
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void aRegisteredInstanceIsRegisteredAgainInTheNewSession() throws Exception {
        String base = "/loss/services";
        PaddockClient mine = server.client();
        try (ServiceRegistry registry = new ServiceRegistry(mine, base);
             ServiceDiscovery d = new ServiceDiscovery(server.client(), base, "web")) {
            d.start();
            registry.register(ServiceInstance.of("web", "w1", "h", 80).withLoad(0.4));
            assertTrue(d.awaitInstances(s -> s.size() == 1, DEADLINE));
            endSession(mine);
            RecipeServer.await("for the node of the new session", DEADLINE, () -> mine.exists(base + "/web/w1")
                    .map(s -> s.ephemeralOwner() == mine.sessionId()).orElse(false));
            assertTrue(d.awaitInstances(s -> s.size() == 1 && s.get(0).load() == 0.4, DEADLINE));
        }
    }

    @Test
    void discoveryAndTheConfigWatcherCatchUpWithWhatChangedAcrossTheirSessionLoss() throws Exception {
        String base = "/loss/disc";
        PaddockClient writer = server.client();
        writer.create("/loss/config", utf8("v1"), CreateOptions.of(CreateMode.PERSISTENT).withParents());
        PaddockClient watcherClient = server.client();
        try (ServiceRegistry registry = new ServiceRegistry(writer, base);
             ServiceDiscovery d = new ServiceDiscovery(watcherClient, base, "db");
             ConfigWatcher w = new ConfigWatcher(watcherClient, "/loss/config")) {
            d.start();
            w.start();
            registry.register(ServiceInstance.of("db", "d1", "h", 1));
            assertTrue(d.awaitInstances(s -> s.size() == 1, DEADLINE));
            endSession(watcherClient);
            registry.register(ServiceInstance.of("db", "d2", "h", 2));
            writer.setData("/loss/config", utf8("v2"), PaddockClient.ANY_VERSION);
            assertTrue(d.awaitInstances(s -> s.size() == 2, DEADLINE), d.instances().toString());
            assertTrue(w.awaitValue(v -> v.map(ConfigValue::text).orElse("").equals("v2"), DEADLINE));
            assertNotEquals(0, watcherClient.sessionId());
        }
    }

    @Test
    void aBarrierWaiterWhoseSessionEndsStillPassesWhenTheBarrierGoes() throws Exception {
        String path = "/loss/barrier";
        Barrier setter = new Barrier(server.client(), path);
        setter.setBarrier();
        PaddockClient waiterClient = server.client();
        Barrier waiter = new Barrier(waiterClient, path);
        java.util.concurrent.CompletableFuture<Boolean> passed = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return waiter.waitOnBarrier(DEADLINE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        endSession(waiterClient);
        assertFalse(passed.isDone());
        setter.removeBarrier();
        assertEquals(Boolean.TRUE, passed.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
    }
}
