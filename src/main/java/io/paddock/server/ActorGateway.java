package io.paddock.server;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.stream.javadsl.Source;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Id;
import io.paddock.tree.Op;
import io.paddock.tree.TreeException;
import io.paddock.zab.PeerStatus;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** {@link ServerGateway} over the server's actors: one ask per call. */
public final class ActorGateway implements ServerGateway {

    /**
     * How long an ask waits for an answer. A healthy server always answers; past this the
     * outcome is unknown, and the front end says so (503), as an ask timeout means. A request of
     * no session goes to the tree without an ask (see {@link ReplyTo}): its front end bounds it.
     */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final ActorSystem<?> system;
    private final ActorRef<TreeActor.Command> tree;
    private final ActorRef<SessionTracker.Command> tracker;
    private final int eventBufferSize;
    private final ActorRef<PeerActor.Command> peer;
    private final int tickTimeMs;
    private final java.util.function.LongSupplier appliedZxid;
    private final java.util.function.BooleanSupplier serving;

    public ActorGateway(ActorSystem<?> system, ActorRef<TreeActor.Command> tree,
                        ActorRef<SessionTracker.Command> tracker, int eventBufferSize) {
        this(system, tree, tracker, eventBufferSize, null, 0, () -> Long.MAX_VALUE, () -> true);
    }

    /**
     * @param peer        the peer actor of an ensemble member (null standalone), for the status
     * @param appliedZxid the tree actor's last applied zxid (see {@link TreeActor#create})
     * @param serving     whether the tree actor serves clients now (see {@link TreeActor#create})
     */
    public ActorGateway(ActorSystem<?> system, ActorRef<TreeActor.Command> tree,
                        ActorRef<SessionTracker.Command> tracker, int eventBufferSize,
                        ActorRef<PeerActor.Command> peer, int tickTimeMs, java.util.function.LongSupplier appliedZxid,
                        java.util.function.BooleanSupplier serving) {
        this.system = system;
        this.tree = tree;
        this.tracker = tracker;
        this.eventBufferSize = eventBufferSize;
        this.peer = peer;
        this.tickTimeMs = tickTimeMs;
        this.appliedZxid = appliedZxid;
        this.serving = serving;
    }

    @Override
    public boolean serving() {
        return serving.getAsBoolean();
    }

    @Override
    public long appliedZxid() {
        return appliedZxid.getAsLong();
    }

    /** A plain future completed on the answering actor's thread (see {@link PlainAsk}). */
    private <T, R> CompletionStage<R> ask(ActorRef<T> target, Function<ActorRef<R>, T> message) {
        return PlainAsk.ask(target, message, REQUEST_TIMEOUT, system.scheduler());
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
            // Straight to the tree, answered as a future without an ask's timer (see ReplyTo).
            List<Id> identities = clientAddress == null ? List.of() : List.of(new Id("ip", clientAddress));
            CompletableFuture<Reply> reply = new CompletableFuture<>();
            tree.tell(op.isWrite()
                    ? new TreeActor.Write(NO_SESSION, 0, identities, op, ReplyTo.future(reply))
                    : new TreeActor.Read(NO_SESSION, identities, op, ReplyTo.future(reply)));
            return reply;
        }
        return ask(tracker, replyTo -> new SessionTracker.Forward(sessionId,
                new SessionActor.Submit(op, clientAddress, replyTo)));
    }

    @Override
    public void submit(long sessionId, Op op, String clientAddress, ActorRef<Reply> replyTo) {
        tracker.tell(new SessionTracker.Forward(sessionId, new SessionActor.Submit(op, clientAddress, replyTo)));
    }

    @Override
    public void subscribe(long sessionId, ActorRef<EventStream.Message> stream) {
        tracker.tell(new SessionTracker.Forward(sessionId, new SessionActor.Subscribe(SessionActor.FROM_NOW, stream, false)));
    }

    @Override
    public void touch(long sessionId) {
        tracker.tell(new SessionTracker.Touch(sessionId));
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
        CompletionStage<ServerStatus> local = ask(tree, TreeActor.GetStatus::new);
        if (peer == null) {
            return local;
        }
        return local.thenCombine(ask(peer, PeerActor.GetStatus::new), (s, p) -> s.withEnsemble(ensemble(p)));
    }

    @Override
    public CompletionStage<SortedMap<Long, SortedSet<String>>> watchesBySession() {
        return ask(tree, TreeActor.GetWatches::new);
    }

    private ServerStatus.Ensemble ensemble(PeerStatus p) {
        List<ServerStatus.Learner> learners = p.learners().stream()
                .map(l -> new ServerStatus.Learner(l.id(), l.observer(), l.synced(), l.ackedZxid(),
                        (long) l.halfTicksSinceHeard() * tickTimeMs / 2))
                .toList();
        return new ServerStatus.Ensemble(p.leaderId(), p.acceptedEpoch(), p.currentEpoch(), p.serving(),
                p.lastLoggedZxid(), p.lastCommittedZxid(), learners);
    }
}
