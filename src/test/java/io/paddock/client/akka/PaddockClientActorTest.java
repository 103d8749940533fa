package io.paddock.client.akka;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import io.paddock.PaddockNode;
import io.paddock.client.AddWatchMode;
import io.paddock.client.ConnectionState;
import io.paddock.client.CreateOptions;
import io.paddock.client.MultiOp;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.WatchEvent;
import io.paddock.client.WatcherType;
import io.paddock.client.akka.PaddockClientActor.Command;
import io.paddock.client.akka.PaddockClientActor.Response;
import io.paddock.server.PaddockConfig;
import io.paddock.tree.CreateMode;
import io.paddock.tree.EventType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed client actor against a real in-JVM node, over HTTP. */
class PaddockClientActorTest {

    static final Duration DEADLINE = Duration.ofSeconds(15);

    @TempDir
    static Path dataDir;

    static PaddockNode node;
    static String connect;
    static ActorTestKit testKit;

    @BeforeAll
    static void start() throws Exception {
        node = PaddockNode.start(PaddockConfig.defaults(dataDir).withPorts(0, 0).withClientPortAddress("127.0.0.1"));
        connect = "127.0.0.1:" + node.httpAddress().getPort();
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
        node.close();
    }

    static ActorRef<Command> spawnClient() {
        return testKit.spawn(PaddockClientActor.create(PaddockClient.builder(connect).sessionTimeout(Duration.ofSeconds(10))));
    }

    static Response ask(ActorRef<Command> actor, Function<ActorRef<Response>, Command> request) throws Exception {
        return AskPattern.ask(actor, request::apply, DEADLINE, testKit.scheduler())
                .toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void askedOperationsReadAndWriteTheTree() throws Exception {
        ActorRef<Command> actor = spawnClient();
        PaddockClientActor.CreateResult created = ask(actor, r -> new PaddockClientActor.Create("/ask/a", bytes("one"),
                CreateOptions.of(CreateMode.PERSISTENT).withParents(), r)).expect(PaddockClientActor.CreateResult.class);
        assertEquals("/ask/a", created.path());

        PaddockClientActor.GetDataResult read = ask(actor, r -> new PaddockClientActor.GetData("/ask/a", false, r))
                .expect(PaddockClientActor.GetDataResult.class);
        assertArrayEquals(bytes("one"), read.data());

        PaddockClientActor.SetDataResult set = ask(actor, r -> new PaddockClientActor.SetData("/ask/a", bytes("two"),
                read.stat().version(), r)).expect(PaddockClientActor.SetDataResult.class);
        assertEquals(read.stat().version() + 1, set.stat().version());

        PaddockClientActor.GetChildrenResult children = ask(actor, r -> new PaddockClientActor.GetChildren("/ask", false, r))
                .expect(PaddockClientActor.GetChildrenResult.class);
        assertEquals(List.of("a"), children.children());

        assertTrue(ask(actor, r -> new PaddockClientActor.Exists("/ask/a", false, r))
                .expect(PaddockClientActor.ExistsResult.class).stat().isPresent());
        ask(actor, r -> new PaddockClientActor.Sync("/ask/a", r)).expect(PaddockClientActor.SyncResult.class);
        ask(actor, r -> new PaddockClientActor.Delete("/ask/a", -1, r)).expect(PaddockClientActor.DeleteResult.class);
        assertTrue(ask(actor, r -> new PaddockClientActor.Exists("/ask/a", false, r))
                .expect(PaddockClientActor.ExistsResult.class).stat().isEmpty());
        testKit.stop(actor);
    }

    @Test
    void refusalsArriveAsFailedWithTheTypedException() throws Exception {
        ActorRef<Command> actor = spawnClient();
        Response missing = ask(actor, r -> new PaddockClientActor.GetData("/refused/none", false, r));
        assertInstanceOf(PaddockException.NoNodeException.class, ((Response.Failed) missing).error());

        ask(actor, r -> new PaddockClientActor.Create("/refused", bytes(""), CreateMode.PERSISTENT, r))
                .expect(PaddockClientActor.CreateResult.class);
        assertThrows(PaddockException.NodeExistsException.class,
                () -> ask(actor, r -> new PaddockClientActor.Create("/refused", bytes(""), CreateMode.PERSISTENT, r))
                        .expect(PaddockClientActor.CreateResult.class));
        assertThrows(PaddockException.BadVersionException.class,
                () -> ask(actor, r -> new PaddockClientActor.SetData("/refused", bytes("x"), 41, r))
                        .expect(PaddockClientActor.SetDataResult.class));
        testKit.stop(actor);
    }

    @Test
    void tellAnswersTheReplyToRefAndMultiIsAllOrNothing() throws Exception {
        ActorRef<Command> actor = spawnClient();
        TestProbe<Response> probe = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.Multi(List.of(
                MultiOp.create("/multi", bytes(""), CreateMode.PERSISTENT),
                MultiOp.create("/multi/x", bytes("x"), CreateMode.PERSISTENT)), probe.getRef()));
        PaddockClientActor.MultiResult done = probe.expectMessageClass(PaddockClientActor.MultiResult.class, DEADLINE);
        assertEquals(2, done.results().size());

        actor.tell(new PaddockClientActor.Multi(List.of(
                MultiOp.create("/multi/y", bytes(""), CreateMode.PERSISTENT),
                MultiOp.check("/multi/x", 7)), probe.getRef()));
        assertInstanceOf(PaddockException.BadVersionException.class,
                probe.expectMessageClass(Response.Failed.class, DEADLINE).error());
        actor.tell(new PaddockClientActor.Exists("/multi/y", false, probe.getRef()));
        assertTrue(probe.expectMessageClass(PaddockClientActor.ExistsResult.class, DEADLINE).stat().isEmpty(),
                "the failed multi created nothing");
        testKit.stop(actor);
    }

    @Test
    void aReadWithTheWatchFlagSendsTheChangeToSubscribersOnce() throws Exception {
        ActorRef<Command> actor = spawnClient();
        TestProbe<WatchEvent> events = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.Subscribe(events.getRef()));
        ask(actor, r -> new PaddockClientActor.Create("/watched", bytes("v1"), CreateMode.PERSISTENT, r))
                .expect(PaddockClientActor.CreateResult.class);
        ask(actor, r -> new PaddockClientActor.GetData("/watched", true, r)).expect(PaddockClientActor.GetDataResult.class);
        ask(actor, r -> new PaddockClientActor.GetData("/watched", false, r)).expect(PaddockClientActor.GetDataResult.class);

        // The client's own change notifies it, as in ZooKeeper.
        ask(actor, r -> new PaddockClientActor.SetData("/watched", bytes("v2"), -1, r))
                .expect(PaddockClientActor.SetDataResult.class);
        WatchEvent changed = nodeEvent(events);
        assertEquals(EventType.NodeDataChanged, changed.type());
        assertEquals("/watched", changed.path());

        // One-shot: a second change without a new watch is not heard.
        ask(actor, r -> new PaddockClientActor.SetData("/watched", bytes("v3"), -1, r))
                .expect(PaddockClientActor.SetDataResult.class);
        ask(actor, r -> new PaddockClientActor.Sync("/watched", r)).expect(PaddockClientActor.SyncResult.class);
        events.expectNoMessage(Duration.ofMillis(300));
        testKit.stop(actor);
    }

    @Test
    void aPersistentWatchKeepsSendingUntilRemoved() throws Exception {
        ActorRef<Command> actor = spawnClient();
        TestProbe<WatchEvent> events = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.Subscribe(events.getRef()));
        ask(actor, r -> new PaddockClientActor.AddWatch("/persistent", AddWatchMode.PERSISTENT_RECURSIVE, r))
                .expect(PaddockClientActor.AddWatchResult.class);
        ask(actor, r -> new PaddockClientActor.Create("/persistent", bytes(""), CreateMode.PERSISTENT, r))
                .expect(PaddockClientActor.CreateResult.class);
        ask(actor, r -> new PaddockClientActor.Create("/persistent/c", bytes(""), CreateMode.PERSISTENT, r))
                .expect(PaddockClientActor.CreateResult.class);
        ask(actor, r -> new PaddockClientActor.SetData("/persistent/c", bytes("x"), -1, r))
                .expect(PaddockClientActor.SetDataResult.class);
        assertEquals(new Seen(EventType.NodeCreated, "/persistent"), Seen.of(nodeEvent(events)));
        assertEquals(new Seen(EventType.NodeCreated, "/persistent/c"), Seen.of(nodeEvent(events)));
        assertEquals(new Seen(EventType.NodeDataChanged, "/persistent/c"), Seen.of(nodeEvent(events)));

        ask(actor, r -> new PaddockClientActor.RemoveWatches("/persistent", WatcherType.ANY, r))
                .expect(PaddockClientActor.RemoveWatchesResult.class);
        ask(actor, r -> new PaddockClientActor.SetData("/persistent/c", bytes("y"), -1, r))
                .expect(PaddockClientActor.SetDataResult.class);
        ask(actor, r -> new PaddockClientActor.Sync("/persistent", r)).expect(PaddockClientActor.SyncResult.class);
        assertNoChangeEvents(events, Duration.ofMillis(300));
        testKit.stop(actor);
    }

    @Test
    void connectionStateSubscribersHearConnected() throws Exception {
        ActorRef<Command> actor = spawnClient();
        TestProbe<ConnectionState> states = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.SubscribeConnectionState(states.getRef()));
        assertEquals(ConnectionState.CONNECTED, states.receiveMessage(DEADLINE));
        PaddockClientActor.SessionResult session = ask(actor, PaddockClientActor.GetSession::new)
                .expect(PaddockClientActor.SessionResult.class);
        assertNotEquals(0L, session.sessionId());
        assertEquals(connect, session.server());
        testKit.stop(actor);
    }

    @Test
    void closingTheActorClosesItsSessionAndItsEphemeralsGo() throws Exception {
        ActorRef<Command> actor = spawnClient();
        ask(actor, r -> new PaddockClientActor.Create("/owned", bytes(""), CreateMode.EPHEMERAL, r))
                .expect(PaddockClientActor.CreateResult.class);
        try (PaddockClient observer = PaddockClient.connect(connect)) {
            assertTrue(observer.exists("/owned").isPresent());
            AskPattern.<Command, Done>ask(actor, PaddockClientActor.Close::new, DEADLINE, testKit.scheduler())
                    .toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            // Closed, not expired: the node is gone at once, long before the 10 s session timeout.
            assertTrue(observer.exists("/owned").isEmpty());
        }
        TestProbe<Object> probe = testKit.createTestProbe();
        probe.expectTerminated(actor, DEADLINE);
    }

    @Test
    void stoppingTheActorClosesItsSession() throws Exception {
        ActorRef<Command> actor = spawnClient();
        ask(actor, r -> new PaddockClientActor.Create("/stopped", bytes(""), CreateMode.EPHEMERAL, r))
                .expect(PaddockClientActor.CreateResult.class);
        try (PaddockClient observer = PaddockClient.connect(connect)) {
            testKit.stop(actor);
            TestProbe<Object> probe = testKit.createTestProbe();
            probe.awaitAssert(Duration.ofSeconds(5), () -> {
                try {
                    assertTrue(observer.exists("/stopped").isEmpty());
                } catch (PaddockException | InterruptedException e) {
                    throw new AssertionError(e);
                }
                return null;
            });
        }
    }

    record Seen(EventType type, String path) {
        static Seen of(WatchEvent e) {
            return new Seen(e.type(), e.path());
        }
    }

    /** The next node event, skipping session-state events (type None). */
    static WatchEvent nodeEvent(TestProbe<WatchEvent> events) {
        while (true) {
            WatchEvent e = events.receiveMessage(DEADLINE);
            if (e.type() != EventType.None) {
                return e;
            }
        }
    }

    /** Removing a watch may itself be reported (PersistentWatchRemoved); no change of a node may come. */
    static void assertNoChangeEvents(TestProbe<WatchEvent> events, Duration quiet) {
        while (true) {
            WatchEvent e;
            try {
                e = events.receiveMessage(quiet);
            } catch (AssertionError timeout) {
                return;
            }
            assertTrue(e.type() == EventType.PersistentWatchRemoved || e.type() == EventType.None, e.toString());
        }
    }
}
