package io.paddock.server;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.paddock.tree.OpResult;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Opens sessions, routes front-end commands to each session's actor, and expires sessions that
 * stop showing signs of life. Every command it routes touches the session; expiry runs at
 * tickTime granularity over {@link SessionExpiry}'s buckets and ends a session with a
 * closeSession transaction, like any other change.
 */
public final class SessionTracker extends AbstractBehavior<SessionTracker.Command> {

    public sealed interface Command {
    }

    /** Opens a session; answers with the session or the error that refused it. */
    public record Create(int requestedTimeoutMs, ActorRef<Created> replyTo) implements Command {
    }

    public record Created(SessionInfo session, OpResult.Error error) {
    }

    /** Routes a command to a session's actor, touching the session; SessionExpired if unknown. */
    public record Forward(long sessionId, SessionActor.ClientCommand command) implements Command {
    }

    /** A sign of life from a session that is not sending requests (an open event stream). */
    public record Touch(long sessionId) implements Command {
    }

    public record Close(long sessionId, ActorRef<Reply> replyTo) implements Command {
    }

    /** Whether a session is open. */
    public record IsOpen(long sessionId, ActorRef<Boolean> replyTo) implements Command {
    }

    private record Opened(long sessionId, int timeoutMs, Reply reply, ActorRef<Created> replyTo) implements Command {
    }

    private record SessionStopped(long sessionId, ActorRef<SessionActor.Command> actor) implements Command {
    }

    private enum Tick implements Command {
        INSTANCE
    }

    /**
     * @param recovered the sessions the recovered tree holds (id to timeout): each gets its actor
     *                  and a fresh full timeout, as ZooKeeper gives sessions after a restart
     */
    public static Behavior<Command> create(PaddockConfig config, long serverId, ActorRef<TreeActor.Command> tree,
                                           LongSupplier clockMs, Map<Long, Integer> recovered) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ofMillis(config.tickTime()));
            SessionTracker tracker = new SessionTracker(ctx, config, serverId, tree, clockMs);
            recovered.forEach(tracker::open);
            return tracker;
        }));
    }

    private record Entry(ActorRef<SessionActor.Command> actor, int timeoutMs) {
    }

    private final PaddockConfig config;
    private final ActorRef<TreeActor.Command> tree;
    private final LongSupplier clockMs;
    private final SessionExpiry expiry;
    private final Map<Long, Entry> sessions = new HashMap<>();
    private long nextSessionId;

    private SessionTracker(ActorContext<Command> ctx, PaddockConfig config, long serverId,
                           ActorRef<TreeActor.Command> tree, LongSupplier clockMs) {
        super(ctx);
        this.config = config;
        this.tree = tree;
        this.clockMs = clockMs;
        this.expiry = new SessionExpiry(config.tickTime());
        this.nextSessionId = SessionIds.initialSessionId(serverId, clockMs.getAsLong());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Create.class, this::onCreate)
                .onMessage(Opened.class, this::onOpened)
                .onMessage(Forward.class, this::onForward)
                .onMessage(Touch.class, this::onTouch)
                .onMessage(Close.class, this::onClose)
                .onMessage(IsOpen.class, this::onIsOpen)
                .onMessage(SessionStopped.class, this::onSessionStopped)
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .build();
    }

    private Behavior<Command> onCreate(Create c) {
        long sessionId = nextSessionId++;
        int timeoutMs = SessionExpiry.negotiateTimeout(c.requestedTimeoutMs(), config.minSessionTimeout(),
                config.maxSessionTimeout());
        getContext().pipeToSelf(askTree(sessionId, timeoutMs), (reply, failure) ->
                new Opened(sessionId, timeoutMs, reply, c.replyTo()));
        return this;
    }

    private java.util.concurrent.CompletionStage<Reply> askTree(long sessionId, int timeoutMs) {
        return akka.actor.typed.javadsl.AskPattern.ask(tree,
                (ActorRef<Reply> replyTo) -> new TreeActor.OpenSession(sessionId, timeoutMs, replyTo),
                ActorGateway.REQUEST_TIMEOUT, getContext().getSystem().scheduler());
    }

    private Behavior<Command> onOpened(Opened o) {
        if (o.reply() == null) {
            o.replyTo().tell(new Created(null, new OpResult.Error(io.paddock.tree.ErrorCode.OPERATION_TIMEOUT, null,
                    "the createSession transaction was not answered in time")));
            return this;
        }
        if (o.reply().result() instanceof OpResult.Error e) {
            o.replyTo().tell(new Created(null, e));
            return this;
        }
        open(o.sessionId(), o.timeoutMs());
        o.replyTo().tell(new Created(new SessionInfo(o.sessionId(), o.timeoutMs(), SessionIds.password(o.sessionId())), null));
        return this;
    }

    /** Gives an open session its actor and its first timeout. */
    private void open(long sessionId, int timeoutMs) {
        ActorRef<SessionActor.Command> actor = getContext().spawn(
                SessionActor.create(sessionId, config, tree, getContext().getSelf()),
                "session-" + Long.toHexString(sessionId));
        getContext().watchWith(actor, new SessionStopped(sessionId, actor));
        sessions.put(sessionId, new Entry(actor, timeoutMs));
        expiry.touch(sessionId, timeoutMs, clockMs.getAsLong());
        // Ids are time-based; never hand out one a recovered session holds.
        if (sessionId >= nextSessionId && (sessionId >>> 56) == (nextSessionId >>> 56)) {
            nextSessionId = sessionId + 1;
        }
    }

    private Behavior<Command> onForward(Forward f) {
        Entry entry = sessions.get(f.sessionId());
        if (entry == null) {
            f.command().rejectExpired(0);
            return this;
        }
        expiry.touch(f.sessionId(), entry.timeoutMs(), clockMs.getAsLong());
        entry.actor().tell(f.command());
        return this;
    }

    private Behavior<Command> onTouch(Touch t) {
        Entry entry = sessions.get(t.sessionId());
        if (entry != null) {
            expiry.touch(t.sessionId(), entry.timeoutMs(), clockMs.getAsLong());
        }
        return this;
    }

    private Behavior<Command> onClose(Close c) {
        if (sessions.remove(c.sessionId()) == null) {
            c.replyTo().tell(SessionActor.expired(0, null));
            return this;
        }
        expiry.remove(c.sessionId());
        tree.tell(new TreeActor.CloseSession(c.sessionId(), false, c.replyTo()));
        return this;
    }

    private Behavior<Command> onIsOpen(IsOpen q) {
        q.replyTo().tell(sessions.containsKey(q.sessionId()));
        return this;
    }

    private Behavior<Command> onTick() {
        for (long sessionId : expiry.expire(clockMs.getAsLong())) {
            if (sessions.remove(sessionId) != null) {
                getContext().getLog().info("Expiring session 0x{}", Long.toHexString(sessionId));
                tree.tell(new TreeActor.CloseSession(sessionId, true, getContext().getSystem().ignoreRef()));
            }
        }
        return this;
    }

    private Behavior<Command> onSessionStopped(SessionStopped s) {
        Entry entry = sessions.get(s.sessionId());
        if (entry != null && entry.actor().equals(s.actor())) {
            // The actor stopped without its session ending (a failure): end the session properly.
            sessions.remove(s.sessionId());
            expiry.remove(s.sessionId());
            tree.tell(new TreeActor.CloseSession(s.sessionId(), true, getContext().getSystem().ignoreRef()));
        }
        return this;
    }
}
