package io.paddock.api.http;

import akka.NotUsed;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paddock.server.SessionEvent;
import io.paddock.tree.EventType;
import io.paddock.tree.WatchRequests;
import io.paddock.tree.WatchedEvent;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A session's events as Server-Sent Events. A watch notification is named by ZooKeeper's event
 * type (NodeCreated, …) with data {"type","path","zxid"}; a Resync is named "Resync"; the session's
 * end is named "Session" with data {"type":"None","state","zxid"} and ends the stream. Every event's
 * SSE id is its zxid in hex, which a reconnecting client sends back as Last-Event-ID; except an
 * event that setWatches fired, whose zxid is ZooKeeper's NO_ZXID (-1): it has no place in zxid
 * order, and as an id it would ask a resumed stream to replay everything held.
 */
final class SseEvents {

    /** Comment lines sent while idle, so proxies and clients keep the connection open. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(5);

    /**
     * The keep-alive for a server's tick: at most {@link #KEEP_ALIVE}, and at most half a tick, so
     * that a reader that died (its process killed) is noticed within a tick. The server learns of
     * a dead reader only when a write to it fails, and until then the open stream keeps the
     * session alive: a longer pause would let a dead client's session outlive its timeout.
     */
    static Duration keepAliveFor(int tickTimeMs) {
        Duration halfTick = Duration.ofMillis(Math.max(50, tickTimeMs / 2));
        return halfTick.compareTo(KEEP_ALIVE) < 0 ? halfTick : KEEP_ALIVE;
    }

    private SseEvents() {
    }

    static Source<ServerSentEvent, NotUsed> stream(Source<SessionEvent, NotUsed> events) {
        return stream(events, KEEP_ALIVE);
    }

    /** The events as SSE, ending with the session's end, with a keep-alive after each idle {@code keepAlive}. */
    static Source<ServerSentEvent, NotUsed> stream(Source<SessionEvent, NotUsed> events, Duration keepAlive) {
        return events
                .takeWhile(e -> !(e instanceof SessionEvent.State), true)
                .map(SseEvents::toSse)
                .keepAlive(keepAlive, ServerSentEvent::heartbeat);
    }

    static ServerSentEvent toSse(SessionEvent event) {
        ObjectNode data = JsonModel.object();
        String name;
        long zxid;
        if (event instanceof SessionEvent.Watch w) {
            WatchedEvent e = w.event();
            name = e.type().name();
            zxid = e.zxid();
            data.put("type", name);
            data.put("path", e.path());
            data.put("zxid", HexIds.hex(zxid));
        } else if (event instanceof SessionEvent.Resync r) {
            name = "Resync";
            zxid = r.zxid();
            data.put("type", name);
            data.put("zxid", HexIds.hex(zxid));
        } else {
            SessionEvent.State s = (SessionEvent.State) event;
            name = "Session";
            zxid = s.zxid();
            data.put("type", EventType.None.name());
            data.put("state", s.state());
            data.put("zxid", HexIds.hex(zxid));
        }
        Optional<String> id = zxid == WatchRequests.NO_ZXID ? Optional.empty() : Optional.of(HexIds.hex(zxid));
        return ServerSentEvent.create(JsonModel.compact(data), Optional.of(name), id, OptionalInt.empty());
    }
}
