package io.paddock.server;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.stream.OverflowStrategy;
import akka.stream.javadsl.Source;
import akka.stream.typed.javadsl.ActorSource;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The bridge between a session actor and a stream of its events: a Source whose materialized
 * actor the session feeds. When a slow reader lets the buffer fill, the stream fails, and the
 * client reconnects with its last event id: the session's window replays what it missed.
 */
public final class EventStream {

    /** What the session sends to the stream's actor. */
    public sealed interface Message {
    }

    public record Element(SessionEvent event) implements Message {
    }

    public enum Complete implements Message {
        INSTANCE
    }

    private EventStream() {
    }

    /** Sends a last event and completes the stream. */
    public static void end(ActorRef<Message> stream, SessionEvent last) {
        stream.tell(new Element(last));
        stream.tell(Complete.INSTANCE);
    }

    /** A Source that, once run, hands its actor to {@code attach}. */
    public static Source<SessionEvent, NotUsed> source(int bufferSize, Consumer<ActorRef<Message>> attach) {
        Source<Message, ActorRef<Message>> actorSource = ActorSource.actorRef(
                m -> m == Complete.INSTANCE,
                m -> Optional.empty(),
                bufferSize,
                OverflowStrategy.fail());
        return actorSource
                .mapMaterializedValue(ref -> {
                    attach.accept(ref);
                    return NotUsed.getInstance();
                })
                .collectType(Element.class)
                .map(Element::event);
    }
}
