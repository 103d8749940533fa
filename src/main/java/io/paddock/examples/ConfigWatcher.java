package io.paddock.examples;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.paddock.client.WatchEvent;
import io.paddock.client.akka.PaddockClientActor;
import io.paddock.tree.EventType;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An application's actor that follows one configuration znode through {@link PaddockClientActor},
 * as the seed's configuration-management use has clients watch one znode: it reads the value with
 * a watch, and reads it again (watching again: watches are one-shot) on every change. It talks to
 * the client actor with tell, through message adapters.
 */
final class ConfigWatcher {

    interface Message {
    }

    private record Heard(WatchEvent event) implements Message {
    }

    private record Answered(PaddockClientActor.Response response) implements Message {
    }

    private ConfigWatcher() {
    }

    /** {@code onValue} hears each value read, and "(none)" while the node does not exist. */
    static Behavior<Message> create(ActorRef<PaddockClientActor.Command> paddock, String path, Consumer<String> onValue) {
        return Behaviors.setup(ctx -> {
            ActorRef<PaddockClientActor.Response> answers =
                    ctx.messageAdapter(PaddockClientActor.Response.class, Answered::new);
            ActorRef<WatchEvent> events = ctx.messageAdapter(WatchEvent.class, Heard::new);
            // Subscribing first: the client actor handles its commands in order, so no event of
            // the watch the read leaves can come before the subscription.
            paddock.tell(new PaddockClientActor.Subscribe(events));
            paddock.tell(new PaddockClientActor.GetData(path, true, answers));
            return Behaviors.receive(Message.class)
                    .onMessage(Heard.class, h -> {
                        WatchEvent e = h.event();
                        if (path.equals(e.path()) && e.type() != EventType.None) {
                            // Created, changed or deleted: read again, which also watches again.
                            paddock.tell(new PaddockClientActor.GetData(path, true, answers));
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Answered.class, a -> {
                        PaddockClientActor.Response r = a.response();
                        if (r instanceof PaddockClientActor.GetDataResult d) {
                            onValue.accept(new String(d.data(), StandardCharsets.UTF_8));
                        } else if (r instanceof PaddockClientActor.Response.Failed f
                                && f.error() instanceof io.paddock.client.PaddockException.NoNodeException) {
                            // getData with a watch on a missing node leaves an exists watch: its creation wakes us.
                            onValue.accept("(none)");
                        } else if (r instanceof PaddockClientActor.Response.Failed f) {
                            ctx.getLog().warn("Could not read {}: {}", path, f.error().getMessage());
                        }
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
