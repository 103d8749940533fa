package io.paddock.client.akka;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import io.paddock.client.ConnectionState;
import io.paddock.client.EventState;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.WatchEvent;
import io.paddock.client.akka.PaddockClientActor.Command;
import io.paddock.client.akka.PaddockClientActor.Response;
import io.paddock.tree.EventType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The actor's own rules (opening, stashing, subscribers, closing) around a scripted client: no server. */
class PaddockClientActorLifecycleTest {

    static final Duration DEADLINE = Duration.ofSeconds(10);
    static final PaddockClientActor.Settings FAST =
            PaddockClientActor.Settings.defaults().withReopenDelay(Duration.ofMillis(50));

    static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** A factory that waits for the test to let it open. */
    static PaddockClientActor.ClientFactory gated(CountDownLatch gate, PaddockClient client) {
        return () -> {
            if (!gate.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw PaddockException.connectionLoss("the test never opened the gate", null);
            }
            return client;
        };
    }

    @Test
    void requestsSentBeforeTheSessionOpensAreAnsweredOnceItOpens() {
        ScriptedClient scripted = new ScriptedClient();
        CountDownLatch gate = new CountDownLatch(1);
        ActorRef<Command> actor = testKit.spawn(PaddockClientActor.create(gated(gate, scripted.client), FAST));
        TestProbe<Response> probe = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.GetData("/a", false, probe.getRef()));
        actor.tell(new PaddockClientActor.GetData("/b", false, probe.getRef()));
        probe.expectNoMessage(Duration.ofMillis(100));
        gate.countDown();
        // Stashed requests are unstashed in the order they came.
        assertEquals("/a", probe.expectMessageClass(PaddockClientActor.GetDataResult.class, DEADLINE).path());
        assertEquals("/b", probe.expectMessageClass(PaddockClientActor.GetDataResult.class, DEADLINE).path());
        testKit.stop(actor);
    }

    @Test
    void aFailedOpenAnswersTheWaitingRequestsAndIsTriedAgain() {
        ScriptedClient scripted = new ScriptedClient();
        CountDownLatch firstAttempt = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        PaddockClientActor.ClientFactory factory = () -> {
            if (attempts.incrementAndGet() == 1) {
                firstAttempt.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                throw PaddockException.connectionLoss("no server answers", null);
            }
            return scripted.client;
        };
        ActorRef<Command> actor = testKit.spawn(PaddockClientActor.create(factory, FAST));
        TestProbe<Response> probe = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.GetData("/early", false, probe.getRef()));
        probe.expectNoMessage(Duration.ofMillis(50));
        firstAttempt.countDown();
        Response.Failed failed = probe.expectMessageClass(Response.Failed.class, DEADLINE);
        assertInstanceOf(PaddockException.ConnectionLossException.class, failed.error());
        actor.tell(new PaddockClientActor.GetData("/later", false, probe.getRef()));
        assertEquals("/later", probe.expectMessageClass(PaddockClientActor.GetDataResult.class, DEADLINE).path());
        assertEquals(2, attempts.get());
        testKit.stop(actor);
    }

    @Test
    void aFullStashAnswersAtOnceWithConnectionLoss() {
        ScriptedClient scripted = new ScriptedClient();
        CountDownLatch gate = new CountDownLatch(1);
        ActorRef<Command> actor = testKit.spawn(PaddockClientActor.create(gated(gate, scripted.client),
                FAST.withStashCapacity(1)));
        TestProbe<Response> probe = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.GetData("/kept", false, probe.getRef()));
        actor.tell(new PaddockClientActor.GetData("/refused", false, probe.getRef()));
        assertInstanceOf(PaddockException.ConnectionLossException.class,
                probe.expectMessageClass(Response.Failed.class, DEADLINE).error());
        gate.countDown();
        assertEquals("/kept", probe.expectMessageClass(PaddockClientActor.GetDataResult.class, DEADLINE).path());
        testKit.stop(actor);
    }

    @Test
    void theWatchFlagLeavesAWatchOnlyWhenSet() {
        ScriptedClient scripted = new ScriptedClient();
        ActorRef<Command> actor = testKit.spawn(PaddockClientActor.create(() -> scripted.client, FAST));
        TestProbe<Response> probe = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.GetData("/plain", false, probe.getRef()));
        probe.expectMessageClass(PaddockClientActor.GetDataResult.class, DEADLINE);
        actor.tell(new PaddockClientActor.GetData("/watched", true, probe.getRef()));
        probe.expectMessageClass(PaddockClientActor.GetDataResult.class, DEADLINE);
        assertNull(scripted.getDataWatchers.get(0));
        assertNotNull(scripted.getDataWatchers.get(1));
        testKit.stop(actor);
    }

    @Test
    void failuresArriveAsTheTypedExceptionAndExpectThrowsThem() throws Exception {
        ScriptedClient scripted = new ScriptedClient();
        ActorRef<Command> actor = testKit.spawn(PaddockClientActor.create(() -> scripted.client, FAST));
        CompletionStage<Response> asked = AskPattern.ask(actor,
                replyTo -> new PaddockClientActor.Delete("/missing", -1, replyTo), DEADLINE, testKit.scheduler());
        Response response = asked.toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        PaddockException.NoNodeException e = assertThrows(PaddockException.NoNodeException.class,
                () -> response.expect(PaddockClientActor.DeleteResult.class));
        assertEquals("/missing", e.path());

        Response data = AskPattern.<Command, Response>ask(actor,
                replyTo -> new PaddockClientActor.GetData("/x", false, replyTo), DEADLINE, testKit.scheduler())
                .toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals("/x", new String(data.expect(PaddockClientActor.GetDataResult.class).data(), StandardCharsets.UTF_8));
        assertThrows(IllegalStateException.class, () -> data.expect(PaddockClientActor.DeleteResult.class));
        testKit.stop(actor);
    }

    @Test
    void watchEventsReachEverySubscriberUntilItUnsubscribesOrStops() {
        ScriptedClient scripted = new ScriptedClient();
        ActorRef<Command> actor = testKit.spawn(PaddockClientActor.create(() -> scripted.client, FAST));
        TestProbe<WatchEvent> first = testKit.createTestProbe();
        TestProbe<WatchEvent> second = testKit.createTestProbe();
        TestProbe<WatchEvent> stopping = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.Subscribe(first.getRef()));
        actor.tell(new PaddockClientActor.Subscribe(second.getRef()));
        actor.tell(new PaddockClientActor.Subscribe(stopping.getRef()));
        // A request answered proves the client is open and the listeners are in place.
        TestProbe<Response> probe = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.GetData("/a", true, probe.getRef()));
        probe.expectMessageClass(PaddockClientActor.GetDataResult.class, DEADLINE);

        WatchEvent changed = new WatchEvent(EventType.NodeDataChanged, EventState.SyncConnected, "/a", 7);
        WatchEvent deleted = new WatchEvent(EventType.NodeDeleted, EventState.SyncConnected, "/a", 8);
        scripted.fire(changed);
        scripted.fire(deleted);
        assertEquals(changed, first.receiveMessage(DEADLINE));
        assertEquals(deleted, first.receiveMessage(DEADLINE));
        assertEquals(changed, second.receiveMessage(DEADLINE));
        assertEquals(deleted, second.receiveMessage(DEADLINE));
        assertEquals(changed, stopping.receiveMessage(DEADLINE));
        assertEquals(deleted, stopping.receiveMessage(DEADLINE));

        actor.tell(new PaddockClientActor.Unsubscribe(second.getRef()));
        stopping.stop();
        WatchEvent expired = WatchEvent.state(EventState.Expired);
        scripted.fire(expired);
        assertEquals(expired, first.receiveMessage(DEADLINE));
        second.expectNoMessage(Duration.ofMillis(100));
        testKit.stop(actor);
    }

    @Test
    void connectionStateSubscribersHearTheCurrentStateThenEveryChange() {
        ScriptedClient scripted = new ScriptedClient();
        ActorRef<Command> actor = testKit.spawn(PaddockClientActor.create(() -> scripted.client, FAST));
        TestProbe<ConnectionState> states = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.SubscribeConnectionState(states.getRef()));
        assertEquals(ConnectionState.CONNECTED, states.receiveMessage(DEADLINE));
        scripted.changeState(ConnectionState.SUSPENDED);
        scripted.changeState(ConnectionState.RECONNECTED);
        assertEquals(ConnectionState.SUSPENDED, states.receiveMessage(DEADLINE));
        assertEquals(ConnectionState.RECONNECTED, states.receiveMessage(DEADLINE));

        TestProbe<ConnectionState> late = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.SubscribeConnectionState(late.getRef()));
        assertEquals(ConnectionState.RECONNECTED, late.receiveMessage(DEADLINE));

        TestProbe<Response> probe = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.GetSession(probe.getRef()));
        PaddockClientActor.SessionResult session = probe.expectMessageClass(PaddockClientActor.SessionResult.class, DEADLINE);
        assertEquals(0x42L, session.sessionId());
        assertEquals(ConnectionState.RECONNECTED, session.state());
        testKit.stop(actor);
    }

    @Test
    void stoppingTheActorDetachesFromItsClientAndClosesIt() {
        ScriptedClient scripted = new ScriptedClient();
        ActorRef<Command> actor = testKit.spawn(PaddockClientActor.create(() -> scripted.client, FAST));
        TestProbe<Response> probe = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.GetData("/a", false, probe.getRef()));
        probe.expectMessageClass(PaddockClientActor.GetDataResult.class, DEADLINE);
        assertEquals(0, scripted.closes.get());
        assertEquals(1, scripted.watchListeners.size());
        testKit.stop(actor);
        probe.awaitAssert(DEADLINE, () -> {
            assertEquals(1, scripted.closes.get());
            return null;
        });
        // The Closed event and state change that closing reports must not become dead letters.
        assertTrue(scripted.watchListeners.isEmpty());
        assertTrue(scripted.stateListeners.isEmpty());
    }

    @Test
    void closeAnswersDoneAfterClosingTheClientAndStops() throws Exception {
        ScriptedClient scripted = new ScriptedClient();
        ActorRef<Command> actor = testKit.spawn(PaddockClientActor.create(() -> scripted.client, FAST));
        TestProbe<Response> probe = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.GetData("/a", false, probe.getRef()));
        probe.expectMessageClass(PaddockClientActor.GetDataResult.class, DEADLINE);
        TestProbe<akka.Done> done = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.Close(done.getRef()));
        done.expectMessage(DEADLINE, akka.Done.getInstance());
        assertEquals(1, scripted.closes.get());
        done.expectTerminated(actor, DEADLINE);
    }

    @Test
    void closeBeforeTheSessionOpensAnswersTheWaitingRequests() {
        ScriptedClient scripted = new ScriptedClient();
        CountDownLatch gate = new CountDownLatch(1);
        ActorRef<Command> actor = testKit.spawn(PaddockClientActor.create(gated(gate, scripted.client), FAST));
        TestProbe<Response> probe = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.GetData("/waiting", false, probe.getRef()));
        TestProbe<akka.Done> done = testKit.createTestProbe();
        actor.tell(new PaddockClientActor.Close(done.getRef()));
        assertInstanceOf(PaddockException.ConnectionLossException.class,
                probe.expectMessageClass(Response.Failed.class, DEADLINE).error());
        done.expectMessage(DEADLINE, akka.Done.getInstance());
        gate.countDown();
        // The session that opens afterwards has no actor to serve: it is closed.
        probe.awaitAssert(DEADLINE, () -> {
            assertEquals(1, scripted.closes.get());
            return null;
        });
    }

    @Test
    void aClientThatOpensAfterTheActorStoppedIsClosed() throws Exception {
        ScriptedClient scripted = new ScriptedClient();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch opening = new CountDownLatch(1);
        ActorRef<Command> actor = testKit.spawn(PaddockClientActor.create(() -> {
            opening.countDown();
            return gated(gate, scripted.client).open();
        }, FAST));
        assertTrue(opening.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        testKit.stop(actor);
        gate.countDown();
        TestProbe<Object> probe = testKit.createTestProbe();
        probe.awaitAssert(DEADLINE, () -> {
            assertEquals(1, scripted.closes.get());
            return null;
        });
    }
}
