package io.paddock.client;

import io.paddock.EnsembleProcesses;
import io.paddock.api.zk.TcpProxy;
import io.paddock.client.PaddockClientTest.Recorder;
import io.paddock.tree.CreateMode;
import io.paddock.tree.EventType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PaddockClient against a 3-server ensemble of real {@code bin/paddock server} processes: when the
 * server it uses is killed (SIGKILL), the client moves to another one with its session, its
 * ephemeral node, its identities and its watches; a session that expires is reported LOST and
 * replaced; a write whose answer is lost is never sent twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaddockClientEnsembleTest {

    /** Sessions from 2 ticks (1 s) to 20 ticks (10 s). */
    private static final int TICK_MS = 500;
    private static final Duration START_DEADLINE = Duration.ofSeconds(180);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    EnsembleProcesses ensemble;
    long leader;
    final List<PaddockClient> clients = new ArrayList<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        ensemble = new EnsembleProcesses(dir, 3, 0, TICK_MS, List.of());
        ensemble.startAll();
        leader = ensemble.awaitLeader(START_DEADLINE, ensemble.ids());
    }

    @AfterAll
    void stop() {
        ensemble.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(PaddockClient::close);
        clients.clear();
    }

    private String address(long id) {
        return "127.0.0.1:" + ensemble.httpPort(id);
    }

    private PaddockClient client(PaddockClientBuilder builder) throws Exception {
        PaddockClient c = builder.build();
        clients.add(c);
        return c;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSessionItsWatchesAndItsEphemeralMoveWhenTheServerInUseIsKilled() throws Exception {
        Map<String, Long> serverIds = new TreeMap<>();
        for (long id : ensemble.ids()) {
            serverIds.put(address(id), id);
        }
        // The client knows the followers first: killing the one it uses needs no election.
        List<Long> order = ensemble.ids().stream().sorted((a, b) -> Boolean.compare(a == leader, b == leader)).toList();
        String connectString = order.stream().map(this::address).collect(Collectors.joining(","));
        BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
        PaddockClient client = client(PaddockClient.builder(connectString).sessionTimeout(Duration.ofMillis(20 * TICK_MS))
                .connectionStateListener((c, s) -> states.add(s)));
        PaddockClient writer = client(PaddockClient.builder(address(leader)));
        assertEquals(ConnectionState.CONNECTED, states.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        long session = client.sessionId();
        client.create("/moving", bytes("v1"), CreateMode.PERSISTENT);
        client.create("/moving/mine", new byte[0], CreateMode.EPHEMERAL);
        client.create("/moving/stays", new byte[0], CreateMode.PERSISTENT);
        client.addAuth("digest", bytes("alice:secret"));
        Recorder data = new Recorder();
        Recorder children = new Recorder();
        Recorder missed = new Recorder();
        client.getData("/moving", data);
        client.getChildren("/moving", children);
        client.getData("/moving/stays", missed);

        long first = serverIds.get(client.currentServer());
        try {
            ensemble.kill(first);
            // Changed while the client has no server: its watcher hears it once it has one.
            writer.setData("/moving/stays", bytes("changed"), -1);
            assertEquals(ConnectionState.SUSPENDED, states.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(ConnectionState.RECONNECTED, states.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(session, client.sessionId());
            assertNotEquals(first, serverIds.get(client.currentServer()));

            assertEquals("NodeDataChanged /moving/stays", PaddockClientTest.describe(missed.nextNodeEvent()));
            assertEquals(session, client.exists("/moving/mine").orElseThrow().ephemeralOwner());
            writer.setData("/moving", bytes("v2"), -1);
            assertEquals("NodeDataChanged /moving", PaddockClientTest.describe(data.nextNodeEvent()));
            writer.create("/moving/theirs", new byte[0], CreateMode.PERSISTENT);
            assertEquals(EventType.NodeChildrenChanged, children.nextNodeEvent().type());
            // The new server is at least as current as anything the client has seen.
            assertEquals("v2", new String(client.getData("/moving").data(), StandardCharsets.UTF_8));
            assertTrue(client.whoAmI().stream().anyMatch(id -> id.scheme().equals("digest") && id.id().equals("alice")),
                    () -> "identities after the move: " + client.whoAmIAsync().toCompletableFuture().join());
            assertNotNull(client.exists("/moving/theirs").orElse(null));
        } finally {
            ensemble.start(first);
        }
    }

    @Test
    void aSessionThatExpiresIsReportedLostAndReplaced() throws Exception {
        try (TcpProxy proxy = new TcpProxy(new InetSocketAddress("127.0.0.1", ensemble.httpPort(leader)))) {
            BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
            PaddockClient c = client(PaddockClient.builder(proxy.connectString())
                    .sessionTimeout(Duration.ofMillis(4 * TICK_MS)).requestTimeout(Duration.ofSeconds(2))
                    .connectionStateListener((cl, s) -> states.add(s)));
            PaddockClient observer = client(PaddockClient.builder(address(leader)));
            assertEquals(ConnectionState.CONNECTED, states.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            long first = c.sessionId();
            Recorder watcher = new Recorder();
            c.create("/expiring", new byte[0], CreateMode.EPHEMERAL);
            c.getData("/expiring", watcher);
            proxy.freeze();
            assertEquals(ConnectionState.SUSPENDED, states.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(ConnectionState.LOST, states.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(EventState.Expired, watcher.next().state());
            // The ensemble expires it too: its ephemeral goes.
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (observer.exists("/expiring").isPresent()) {
                assertTrue(System.nanoTime() < deadline, "the expired session's ephemeral stayed");
                Thread.sleep(50);
            }
            proxy.thaw();
            assertEquals(ConnectionState.RECONNECTED, states.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            assertNotEquals(first, c.sessionId());
            c.create("/expiring", new byte[0], CreateMode.EPHEMERAL);
            assertEquals(c.sessionId(), observer.exists("/expiring").orElseThrow().ephemeralOwner());
        }
    }

    @Test
    void aWriteWhoseAnswerIsLostIsNotSentAgain() throws Exception {
        long follower = ensemble.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
        try (TcpProxy proxy = new TcpProxy(new InetSocketAddress("127.0.0.1", ensemble.httpPort(follower)))) {
            PaddockClient c = client(PaddockClient.builder(proxy.connectString()).requestTimeout(Duration.ofSeconds(3)));
            PaddockClient observer = client(PaddockClient.builder(address(leader)));
            observer.create("/once", new byte[0], CreateMode.PERSISTENT);
            c.sync("/once");
            proxy.dropReplies();
            assertThrows(PaddockException.ConnectionLossException.class,
                    () -> c.create("/once/job-", new byte[0], CreateMode.PERSISTENT_SEQUENTIAL));
            assertThrows(PaddockException.ConnectionLossException.class, () -> c.setData("/once", bytes("x"), -1));
            proxy.forwardReplies();
            proxy.dropConnections();
            observer.sync("/once");
            assertEquals(1, observer.getChildren("/once").size(), "the sequential create ran twice");
            assertEquals(1, observer.exists("/once").orElseThrow().version(), "the setData ran twice");
            // A read is retried: the answer comes once replies flow again.
            assertArrayEquals(bytes("x"), c.getData("/once").data());
            observer.deleteRecursive("/once");
        }
    }
}
