package io.paddock.api.http;

import akka.NotUsed;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import io.paddock.server.SessionEvent;
import io.paddock.tree.EventType;
import io.paddock.tree.WatchRequests;
import io.paddock.tree.WatchedEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SseEventsTest {

    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void anIdleStreamSendsKeepAliveComments() throws Exception {
        Source<SessionEvent, NotUsed> idle = Source.<SessionEvent>maybe().mapMaterializedValue(m -> NotUsed.getInstance());
        List<ServerSentEvent> first = SseEvents.stream(idle, Duration.ofMillis(50)).take(2)
                .runWith(Sink.seq(), kit.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(List.of(ServerSentEvent.heartbeat(), ServerSentEvent.heartbeat()), first);
    }

    @Test
    void theSessionEventIsTheLastOneSent() throws Exception {
        Source<SessionEvent, NotUsed> events = Source.from(List.of(
                new SessionEvent.State("Expired", 0x20),
                new SessionEvent.Watch(new WatchedEvent(EventType.NodeCreated, "/x", 0x21))));
        List<ServerSentEvent> sent = SseEvents.stream(events)
                .runWith(Sink.seq(), kit.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(1, sent.size());
        assertEquals(Optional.of("Session"), sent.get(0).getEventType());
        assertEquals("{\"type\":\"None\",\"state\":\"Expired\",\"zxid\":\"0x20\"}", sent.get(0).getData());
    }

    @Test
    void watchRemovalEventsKeepZooKeepersNames() {
        ServerSentEvent e = SseEvents.toSse(new SessionEvent.Watch(
                new WatchedEvent(EventType.PersistentWatchRemoved, "/w", 0xabc)));
        assertEquals(Optional.of("PersistentWatchRemoved"), e.getEventType());
        assertEquals(Optional.of("0xabc"), e.getId());
    }

    @Test
    void anEventSetWatchesFiredHasNoSseIdSoALaterLastEventIdStaysAZxid() {
        ServerSentEvent e = SseEvents.toSse(new SessionEvent.Watch(
                new WatchedEvent(EventType.NodeDataChanged, "/moved", WatchRequests.NO_ZXID)));
        assertEquals(Optional.empty(), e.getId());
        assertEquals(Optional.of("NodeDataChanged"), e.getEventType());
        assertEquals("{\"type\":\"NodeDataChanged\",\"path\":\"/moved\",\"zxid\":\"0xffffffffffffffff\"}", e.getData());
    }
}
