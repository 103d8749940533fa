package io.paddock;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.paddock.client.PaddockClient;
import io.paddock.server.PaddockConfig;
import io.paddock.tree.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Paddock node inside an application's own actor system (PaddockNode.embedded). */
class EmbeddedNodeTest {

    static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    private ActorSystem<Ping> app;

    /** The application's own actor: answers a ping with the same text. */
    record Ping(String text, ActorRef<String> replyTo) {
    }

    static Behavior<Ping> echo() {
        return Behaviors.receive(Ping.class).onMessage(Ping.class, p -> {
            p.replyTo().tell(p.text());
            return Behaviors.same();
        }).build();
    }

    @AfterEach
    void stopApp() throws Exception {
        if (app != null) {
            app.terminate();
            app.getWhenTerminated().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    PaddockConfig standalone() {
        return PaddockConfig.defaults(dataDir).withPorts(0, 0).withClientPortAddress("127.0.0.1");
    }

    String ping(String text) throws Exception {
        return AskPattern.<Ping, String>ask(app, r -> new Ping(text, r), DEADLINE, app.scheduler())
                .toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    static int httpStatus(int port) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/status"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void closingAnEmbeddedNodeStopsOnlyPaddockAndLeavesTheApplicationRunning() throws Exception {
        app = ActorSystem.create(echo(), "app");
        PaddockNode node = PaddockNode.embedded(app, standalone());
        assertTrue(node.isEmbedded());
        assertEquals(app, node.system());
        int port = node.httpAddress().getPort();
        try (PaddockClient client = PaddockClient.builder("127.0.0.1:" + port).build()) {
            client.create("/app", "hello".getBytes(StandardCharsets.UTF_8), CreateMode.PERSISTENT);
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), client.getData("/app").data());
        }
        assertEquals("before", ping("before"));

        node.close();

        assertTrue(node.whenTerminated().toCompletableFuture().isDone(), "the node's actors have stopped");
        assertFalse(app.getWhenTerminated().toCompletableFuture().isDone(), "the application's system runs on");
        assertEquals("after", ping("after"));
        assertThrows(ConnectException.class, () -> httpStatus(port), "the HTTP port was released");
    }

    @Test
    void closingAnEmbeddedNodeEndsItsZooKeeperConnections() throws Exception {
        app = ActorSystem.create(echo(), "app");
        PaddockNode node = PaddockNode.embedded(app, standalone());
        try (java.net.Socket zk = new java.net.Socket("127.0.0.1", node.clientAddress().getPort())) {
            zk.setSoTimeout((int) DEADLINE.toMillis());
            // A ZooKeeper ConnectRequest: protocol 0, lastZxid 0, timeout 30 s, session 0, empty password.
            java.nio.ByteBuffer request = java.nio.ByteBuffer.allocate(4 + 28)
                    .putInt(28).putInt(0).putLong(0).putInt(30_000).putLong(0).putInt(0);
            zk.getOutputStream().write(request.array());
            java.io.DataInputStream in = new java.io.DataInputStream(zk.getInputStream());
            int length = in.readInt();
            in.readFully(new byte[length]); // the ConnectResponse: the connection is open
            node.close();
            // The node's end closes the connection: the client reads the end of the stream, not a timeout.
            assertEquals(-1, in.read(), "the connection outlived the node");
        }
        assertEquals("after", ping("after"));
    }

    @Test
    void theSameSystemCanEmbedANodeAgainAfterCloseAndItRecoversTheData() throws Exception {
        app = ActorSystem.create(echo(), "app");
        PaddockNode first = PaddockNode.embedded(app, standalone());
        try (PaddockClient client = PaddockClient.builder("127.0.0.1:" + first.httpAddress().getPort()).build()) {
            client.create("/kept", "v".getBytes(StandardCharsets.UTF_8), CreateMode.PERSISTENT);
        }
        first.close();

        PaddockNode second = PaddockNode.embedded(app, standalone());
        try (PaddockClient client = PaddockClient.builder("127.0.0.1:" + second.httpAddress().getPort()).build()) {
            assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), client.getData("/kept").data());
        } finally {
            second.close();
        }
        assertEquals("still here", ping("still here"));
    }

    @Test
    void aSystemEmbedsAtMostOneRunningNode() throws Exception {
        app = ActorSystem.create(echo(), "app");
        PaddockNode node = PaddockNode.embedded(app, standalone());
        try {
            Path other = dataDir.resolve("other");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> PaddockNode.embedded(app, standalone().withDataDir(other)));
            assertTrue(e.getMessage().contains("already embeds"), e.getMessage());
            assertEquals(200, httpStatus(node.httpAddress().getPort()), "the running node is untouched");
        } finally {
            node.close();
        }
    }

    @Test
    void terminatingTheApplicationSystemStopsTheEmbeddedNode() throws Exception {
        app = ActorSystem.create(echo(), "app");
        PaddockNode node = PaddockNode.embedded(app, standalone());
        int port = node.httpAddress().getPort();
        assertEquals(200, httpStatus(port));
        app.terminate();
        node.whenTerminated().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertThrows(ConnectException.class, () -> httpStatus(port));
    }

    @Test
    void anEnsembleMemberCannotBeEmbedded() {
        app = ActorSystem.create(echo(), "app");
        PaddockConfig member = standalone().withServers(Map.of(
                1L, new PaddockConfig.ServerSpec(1, "127.0.0.1", 2888, 3888, false),
                2L, new PaddockConfig.ServerSpec(2, "127.0.0.1", 2889, 3889, false),
                3L, new PaddockConfig.ServerSpec(3, "127.0.0.1", 2890, 3890, false)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PaddockNode.embedded(app, member));
        assertTrue(e.getMessage().contains("standalone"), e.getMessage());
    }

    @Test
    void aSystemWithoutPaddocksDispatchersIsRefusedWithTheSettingsToAdd() throws Exception {
        // Akka's reference settings only, as an application whose configuration replaced Paddock's.
        Config bare = ConfigFactory.parseString("akka.loglevel = WARNING").withFallback(ConfigFactory.defaultReference());
        app = ActorSystem.create(echo(), "bare", bare);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PaddockNode.embedded(app, standalone()));
        assertTrue(e.getMessage().contains("PaddockNode.akkaSettings()"), e.getMessage());
        app.terminate();
        app.getWhenTerminated().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);

        app = ActorSystem.create(echo(), "bare", bare.withFallback(PaddockNode.akkaSettings()));
        PaddockNode node = PaddockNode.embedded(app, standalone());
        try {
            assertEquals(200, httpStatus(node.httpAddress().getPort()));
        } finally {
            node.close();
        }
    }

    @Test
    void akkaSettingsDefineTheDispatchersAsPaddocksApplicationConfDoes() {
        Config shipped = ConfigFactory.parseResources("application.conf");
        Config settings = PaddockNode.akkaSettings();
        for (String dispatcher : new String[] {"paddock.log-dispatcher", "paddock.snapshot-dispatcher"}) {
            assertEquals(shipped.getConfig(dispatcher).root().unwrapped(), settings.getConfig(dispatcher).root().unwrapped(),
                    dispatcher);
        }
    }
}
