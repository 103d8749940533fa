package io.paddock.recipes;

import io.paddock.PaddockNode;
import io.paddock.api.zk.TestJvm;
import io.paddock.client.PaddockClient;
import io.paddock.server.PaddockConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's servers going online and offline, with each server a process of its own: discovery
 * sees a killed one vanish once its session expires and a new one come online, and the provider
 * strategies pick from the live set (least-loaded following the load each one publishes).
 */
class ServiceDiscoveryProcessTest {

    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
    /**
     * Beyond the session timeout: expiry is checked per tick (500 ms here), then the event is
     * delivered, on a machine busy starting JVMs. Over HTTP, the server also keeps the session of a
     * dead process alive until it notices its event stream is gone, which akka-http tells only when
     * a keep-alive write fails: the second one after the death, 2 x 5 s (akka/akka-http#1977).
     */
    static final Duration OFFLINE_MARGIN = Duration.ofSeconds(4)
            .plus(RecipeServer.clientKind().equals("http") ? Duration.ofSeconds(10) : Duration.ZERO);
    static final Duration DEADLINE = Duration.ofSeconds(60);
    static final String BASE = "/services";
    static final String SERVICE = "web";

    @TempDir
    Path dataDir;

    PaddockNode node;
    PaddockClient client;
    ServiceDiscovery discovery;
    final Map<String, TestJvm> servers = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        node = PaddockNode.start(PaddockConfig.defaults(dataDir).withPorts(0, 0).withClientPortAddress("127.0.0.1")
                .withTickTime(500));
        client = RecipeServer.connect(RecipeServer.clientKind(), connectString(), Duration.ofSeconds(10));
        discovery = new ServiceDiscovery(client, BASE, SERVICE);
        discovery.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (TestJvm p : servers.values()) {
            p.close();
        }
        discovery.close();
        client.close();
        node.close();
    }

    String connectString() {
        return RecipeServer.clientKind().equals("zk") ? "127.0.0.1:" + node.clientAddress().getPort()
                : "127.0.0.1:" + node.httpAddress().getPort();
    }

    void launch(String id, int port, double load) throws Exception {
        TestJvm p = TestJvm.start(ServiceInstanceMain.class, List.of(RecipeServer.clientKind(), connectString(), BASE,
                SERVICE, id, Integer.toString(port), Double.toString(load), Long.toString(SESSION_TIMEOUT.toMillis())));
        servers.put(id, p);
        assertNotNull(p.awaitLine("REGISTERED " + id, DEADLINE), () -> id + " did not register:\n" + p.output());
    }

    void tell(String id, String line) throws IOException {
        OutputStream in = servers.get(id).process().getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    static List<String> ids(List<ServiceInstance> instances) {
        return instances.stream().map(ServiceInstance::id).toList();
    }

    void awaitIds(List<String> expected, Duration deadline) throws InterruptedException {
        assertTrue(discovery.awaitInstances(s -> ids(s).equals(expected), deadline),
                "expected " + expected + ", live " + ids(discovery.instances()));
    }

    @Test
    void aKilledServerGoesOfflineAndANewOneComesOnline() throws Exception {
        launch("s1", 9001, 0.5);
        launch("s2", 9002, 0.2);
        awaitIds(List.of("s1", "s2"), DEADLINE);
        assertEquals(9001, discovery.instance("s1").orElseThrow().port());

        long killedAt = System.nanoTime();
        servers.get("s1").kill();
        awaitIds(List.of("s2"), SESSION_TIMEOUT.plus(OFFLINE_MARGIN));
        System.out.println("s1 offline after " + (System.nanoTime() - killedAt) / 1_000_000 + " ms");

        launch("s3", 9003, 0.4);
        awaitIds(List.of("s2", "s3"), DEADLINE);

        // A server that shuts down cleanly goes at once.
        tell("s3", "exit");
        assertNotNull(servers.get("s3").awaitLine("EXITED s3", DEADLINE));
        awaitIds(List.of("s2"), DEADLINE);
    }

    @Test
    void theStrategiesPickFromTheLiveSetAndLeastLoadedFollowsPublishedLoad() throws Exception {
        launch("a", 9101, 0.5);
        launch("b", 9102, 0.2);
        launch("c", 9103, 0.9);
        awaitIds(List.of("a", "b", "c"), DEADLINE);
        assertEquals("b", discovery.pick(ProviderStrategy.leastLoaded()).orElseThrow().id());

        tell("a", "load 0.1");
        assertNotNull(servers.get("a").awaitLine("LOAD a", DEADLINE));
        assertTrue(discovery.awaitInstances(s -> s.get(0).load() == 0.1, DEADLINE));
        assertEquals("a", discovery.pick(ProviderStrategy.leastLoaded()).orElseThrow().id());

        ProviderStrategy rr = ProviderStrategy.roundRobin();
        List<String> turns = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            turns.add(discovery.pick(rr).orElseThrow().id());
        }
        assertEquals(List.of("a", "b", "c", "a", "b", "c"), turns);

        // The least loaded dies: the pick moves to the least loaded of those left.
        servers.get("a").kill();
        awaitIds(List.of("b", "c"), SESSION_TIMEOUT.plus(OFFLINE_MARGIN));
        assertEquals("b", discovery.pick(ProviderStrategy.leastLoaded()).orElseThrow().id());
        tell("c", "load 0.05");
        assertTrue(discovery.awaitInstances(s -> s.size() == 2 && s.get(1).load() == 0.05, DEADLINE));
        assertEquals("c", discovery.pick(ProviderStrategy.leastLoaded()).orElseThrow().id());
    }
}
