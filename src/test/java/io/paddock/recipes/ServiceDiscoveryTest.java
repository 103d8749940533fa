package io.paddock.recipes;

import io.paddock.client.PaddockClient;
import io.paddock.tree.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registration and discovery among several clients of one in-JVM node (the seed's /servers case). */
class ServiceDiscoveryTest {

    static final Duration DEADLINE = RecipeServer.DEADLINE;

    @TempDir
    static Path dataDir;

    static RecipeServer server;

    @BeforeAll
    static void start() throws Exception {
        server = RecipeServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<String> ids(List<ServiceInstance> instances) {
        return instances.stream().map(ServiceInstance::id).toList();
    }

    static ServiceDiscovery discovery(PaddockClient client, String base, String name) throws Exception {
        ServiceDiscovery d = new ServiceDiscovery(client, base, name);
        d.start();
        return d;
    }

    @Test
    void aRegisteredInstanceIsDiscoveredWithItsData() throws Exception {
        String base = "/svc1";
        ServiceInstance web1 = new ServiceInstance("web", "web-1", "10.0.0.1", 8080, 0.25, Map.of("zone", "eu"));
        try (ServiceRegistry registry = new ServiceRegistry(server.client(), base)) {
            registry.register(web1);
            try (ServiceDiscovery d = discovery(server.client(), base, "web")) {
                assertEquals(List.of(web1), d.instances(), "start() returns with the live set read");
                assertEquals(Optional.of(web1), d.instance("web-1"));
            }
            PaddockClient reader = server.client();
            assertEquals(web1, ServiceInstance.fromJson(reader.getData(base + "/web/web-1").data()));
            assertTrue(reader.exists(base + "/web/web-1").orElseThrow().ephemeralOwner() != 0, "not ephemeral");
        }
    }

    @Test
    void instancesComingOnlineAndGoingOfflineAreSeen() throws Exception {
        String base = "/svc2";
        List<List<String>> heard = new ArrayList<>();
        try (ServiceDiscovery d = new ServiceDiscovery(server.client(), base, "api");
             ServiceRegistry registry = new ServiceRegistry(server.client(), base)) {
            d.addListener(set -> {
                synchronized (heard) {
                    heard.add(ids(set));
                }
            });
            d.start();
            assertEquals(List.of(), d.instances());
            registry.register(ServiceInstance.of("api", "b", "h", 2));
            registry.register(ServiceInstance.of("api", "a", "h", 1));
            assertTrue(d.awaitInstances(s -> ids(s).equals(List.of("a", "b")), DEADLINE), d.instances().toString());
            registry.unregister("api", "b");
            assertTrue(d.awaitInstances(s -> ids(s).equals(List.of("a")), DEADLINE), d.instances().toString());
            // Listeners hear a set just after instances() shows it.
            RecipeServer.await("for the listener", DEADLINE, () -> {
                synchronized (heard) {
                    return !heard.isEmpty() && heard.get(heard.size() - 1).equals(List.of("a"));
                }
            });
            synchronized (heard) {
                assertEquals(List.of("a"), heard.get(heard.size() - 1));
                assertTrue(heard.contains(List.of("a", "b")), heard.toString());
            }
        }
    }

    @Test
    void anInstanceVanishesWhenItsSessionEnds() throws Exception {
        String base = "/svc3";
        PaddockClient dying = server.client();
        ServiceRegistry registry = new ServiceRegistry(dying, base);
        registry.register(ServiceInstance.of("db", "db-1", "h", 5432));
        try (ServiceDiscovery d = discovery(server.client(), base, "db")) {
            assertEquals(List.of("db-1"), ids(d.instances()));
            dying.close(); // the process dies; nobody unregisters
            assertTrue(d.awaitInstances(List::isEmpty, DEADLINE), d.instances().toString());
        }
    }

    @Test
    void leastLoadedFollowsPublishedLoadAndTheOtherStrategiesPickLiveInstances() throws Exception {
        String base = "/svc4";
        try (ServiceRegistry registry = new ServiceRegistry(server.client(), base);
             ServiceDiscovery d = discovery(server.client(), base, "work")) {
            registry.register(ServiceInstance.of("work", "a", "h", 1).withLoad(0.5));
            registry.register(ServiceInstance.of("work", "b", "h", 2).withLoad(0.2));
            registry.register(ServiceInstance.of("work", "c", "h", 3).withLoad(0.9));
            assertTrue(d.awaitInstances(s -> s.size() == 3, DEADLINE));
            assertEquals("b", d.pick(ProviderStrategy.leastLoaded()).orElseThrow().id());

            registry.updateLoad("work", "a", 0.1);
            assertTrue(d.awaitInstances(s -> s.get(0).load() == 0.1, DEADLINE), d.instances().toString());
            assertEquals("a", d.pick(ProviderStrategy.leastLoaded()).orElseThrow().id());

            registry.updateLoad("work", "b", 0.1); // a tie: the smaller id wins, every time
            assertTrue(d.awaitInstances(s -> s.get(1).load() == 0.1, DEADLINE));
            for (int i = 0; i < 5; i++) {
                assertEquals("a", d.pick(ProviderStrategy.leastLoaded()).orElseThrow().id());
            }

            ProviderStrategy rr = ProviderStrategy.roundRobin();
            List<String> turns = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                turns.add(d.pick(rr).orElseThrow().id());
            }
            assertEquals(List.of("a", "b", "c", "a", "b", "c"), turns);

            ProviderStrategy random = ProviderStrategy.random(new Random(7));
            for (int i = 0; i < 20; i++) {
                assertTrue(List.of("a", "b", "c").contains(d.pick(random).orElseThrow().id()));
            }
        }
    }

    @Test
    void theRegistryRegistersAgainInANewSession() throws Exception {
        String base = "/svc5";
        SessionSwapClient swap = new SessionSwapClient(() -> server.client());
        PaddockClient reader = server.client();
        try (ServiceRegistry registry = new ServiceRegistry(swap, base);
             ServiceDiscovery d = discovery(server.client(), base, "cache")) {
            registry.register(ServiceInstance.of("cache", "c1", "h", 6379).withLoad(0.3));
            long oldSession = swap.sessionId();
            swap.loseSession();
            assertNotEquals(oldSession, swap.sessionId());
            RecipeServer.await("for the instance in the new session", DEADLINE, () -> reader.exists(base + "/cache/c1")
                    .map(s -> s.ephemeralOwner() == swap.sessionId()).orElse(false));
            assertTrue(d.awaitInstances(s -> ids(s).equals(List.of("c1")) && s.get(0).load() == 0.3, DEADLINE));
            registry.updateLoad("cache", "c1", 0.7);
            assertTrue(d.awaitInstances(s -> s.size() == 1 && s.get(0).load() == 0.7, DEADLINE));
        }
    }

    @Test
    void aLeftoverNodeOfTheSameIdFromAnotherSessionIsReplaced() throws Exception {
        String base = "/svc6";
        PaddockClient old = server.client();
        old.create(base + "/q/q1", "old".getBytes(StandardCharsets.UTF_8),
                io.paddock.client.CreateOptions.of(CreateMode.EPHEMERAL).withParents());
        PaddockClient mine = server.client();
        try (ServiceRegistry registry = new ServiceRegistry(mine, base)) {
            registry.register(ServiceInstance.of("q", "q1", "h", 1));
            assertEquals(mine.sessionId(), mine.exists(base + "/q/q1").orElseThrow().ephemeralOwner());
            assertEquals(ServiceInstance.of("q", "q1", "h", 1), ServiceInstance.fromJson(mine.getData(base + "/q/q1").data()));
        }
    }

    @Test
    void discoveryKeepsUpAfterItsOwnSessionIsLost() throws Exception {
        String base = "/svc7";
        SessionSwapClient swap = new SessionSwapClient(() -> server.client());
        try (ServiceRegistry registry = new ServiceRegistry(server.client(), base);
             ServiceDiscovery d = discovery(swap, base, "mq")) {
            registry.register(ServiceInstance.of("mq", "m1", "h", 1));
            assertTrue(d.awaitInstances(s -> ids(s).equals(List.of("m1")), DEADLINE));
            // Registered and changed while the discovery has no session: no watch of it can fire.
            swap.loseSession(() -> {
                registry.register(ServiceInstance.of("mq", "m2", "h", 2));
                registry.updateLoad("mq", "m1", 0.8);
            });
            assertTrue(d.awaitInstances(s -> ids(s).equals(List.of("m1", "m2")) && s.get(0).load() == 0.8, DEADLINE),
                    d.instances().toString());
            // And its watches are set again in the new session.
            registry.unregister("mq", "m1");
            assertTrue(d.awaitInstances(s -> ids(s).equals(List.of("m2")), DEADLINE), d.instances().toString());
        }
    }

    @Test
    void nodesThatHoldNoInstanceAreNotLive() throws Exception {
        String base = "/svc8";
        PaddockClient c = server.client();
        c.create(base + "/x/junk", "host1.example".getBytes(StandardCharsets.UTF_8),
                io.paddock.client.CreateOptions.of(CreateMode.PERSISTENT).withParents());
        try (ServiceRegistry registry = new ServiceRegistry(c, base);
             ServiceDiscovery d = discovery(server.client(), base, "x")) {
            assertEquals(List.of(), d.instances());
            registry.register(ServiceInstance.of("x", "ok", "h", 1));
            assertTrue(d.awaitInstances(s -> ids(s).equals(List.of("ok")), DEADLINE));
            // Made valid later, it becomes live.
            c.setData(base + "/x/junk", ServiceInstance.of("x", "junk", "h", 2).toJson(), PaddockClient.ANY_VERSION);
            assertTrue(d.awaitInstances(s -> ids(s).equals(List.of("junk", "ok")), DEADLINE));
        }
    }
}
