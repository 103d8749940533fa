package io.paddock.server;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.stream.javadsl.Source;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Id;
import io.paddock.tree.Op;
import io.paddock.tree.TreeException;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** {@link ServerGateway} over the server's actors: one ask per call. */
public final class ActorGateway implements ServerGateway {

    /**
     * How long a front end waits for an answer. A healthy server always answers; past this the
     * outcome is unknown, and the front end says so (503), as an ask timeout means.
     */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final ActorSystem<?> system;
    private final ActorRef<TreeActor.Command> tree;
    private final ActorRef<SessionTracker.Command> tracker;
    private final int eventBufferSize;

    public ActorGateway(ActorSystem<?> system, ActorRef<TreeActor.Command> tree,
                        ActorRef<SessionTracker.Command> tracker, int eventBufferSize) {
        this.system = system;
        this.tree = tree;
        this.tracker = tracker;
        this.eventBufferSize = eventBufferSize;
    }

    private <T, R> CompletionStage<R> ask(ActorRef<T> target, Function<ActorRef<R>, T> message) {
        return AskPattern.ask(target, message::apply, REQUEST_TIMEOUT, system.scheduler());
    }

    @Override
    public CompletionStage<SessionInfo> createSession(int requestedTimeoutMs) {
        CompletionStage<SessionTracker.Created> created =
                ask(tracker, replyTo -> new SessionTracker.Create(requestedTimeoutMs, replyTo));
        return created.thenCompose(c -> c.error() == null
                ? CompletableFuture.completedFuture(c.session())
                : CompletableFuture.failedFuture(new TreeException(c.error().code(), null, c.error().message())));
    }

    @Override
    public CompletionStage<Reply> submit(long sessionId, Op op, String clientAddress) {
        if (sessionId == NO_SESSION) {
            List<Id> identities = clientAddress == null ? List.of() : List.of(new Id("ip", clientAddress));
            return op.isWrite()
                    ? ask(tree, replyTo -> new TreeActor.Write(NO_SESSION, 0, identities, op, replyTo))
                    : ask(tree, replyTo -> new TreeActor.Read(NO_SESSION, identities, op, replyTo));
        }
        return ask(tracker, replyTo -> new SessionTracker.Forward(sessionId,
                new SessionActor.Submit(op, clientAddress, replyTo)));
    }

    @Override
    public CompletionStage<Reply> heartbeat(long sessionId) {
        return ask(tracker, replyTo -> new SessionTracker.Forward(sessionId, new SessionActor.Heartbeat(replyTo)));
    }

    @Override
    public CompletionStage<Reply> closeSession(long sessionId) {
        return ask(tracker, replyTo -> new SessionTracker.Close(sessionId, replyTo));
    }

    @Override
    public CompletionStage<Reply> addAuth(long sessionId, String scheme, byte[] auth) {
        return ask(tracker, replyTo -> new SessionTracker.Forward(sessionId,
                new SessionActor.AddAuth(scheme, auth, replyTo)));
    }

    @Override
    public CompletionStage<Source<SessionEvent, NotUsed>> events(long sessionId, OptionalLong lastEventZxid) {
        CompletionStage<Boolean> open = ask(tracker, replyTo -> new SessionTracker.IsOpen(sessionId, replyTo));
        return open.thenCompose(isOpen -> {
            if (!isOpen) {
                return CompletableFuture.failedFuture(new TreeException(ErrorCode.SESSION_EXPIRED, null,
                        "session 0x" + Long.toHexString(sessionId) + " is expired or closed"));
            }
            // Subscribing goes through the tracker too: a session that ends meanwhile ends the stream.
            return CompletableFuture.completedFuture(EventStream.source(eventBufferSize, stream ->
                    tracker.tell(new SessionTracker.Forward(sessionId,
                            new SessionActor.Subscribe(lastEventZxid, stream)))));
        });
    }

    @Override
    public CompletionStage<ServerStatus> status() {
        return ask(tree, TreeActor.GetStatus::new);
    }
}
