package io.paddock.server;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.paddock.tree.OpResult;
import io.paddock.zab.Output;
import io.paddock.zab.ServerState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Opens sessions, routes front-end commands to each session's actor, and expires sessions that
 * stop showing signs of life. Every command it routes touches the session; expiry runs at
 * tickTime granularity over {@link SessionExpiry}'s buckets and ends a session with a
 * closeSession transaction, like any other change.
 *
 * <p>In an ensemble the leader alone expires sessions, all of them, as ZooKeeper's leader does:
 * every server reports the sessions its clients touched to its peer actor, which sends them to the
 * leader with its ping answers, and the leader's tracker hears them back as
 * {@link TouchedElsewhere}. Every tracker learns each session the ensemble opens or closes from its
 * tree, so that a client may continue its session on any server.
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

    /** Ensemble: the tree applied a createSession (from any server). */
    public record SessionOpened(long sessionId, int timeoutMs) implements Command {
    }

    /** Ensemble: the tree applied a closeSession. */
    public record SessionClosed(long sessionId) implements Command {
    }

    /** Ensemble, leader: sessions the learners' clients touched. */
    public record TouchedElsewhere(java.util.List<Long> sessionIds) implements Command {
    }

    /** Ensemble: the peer's role changed; a serving leader expires sessions, nobody else does. */
    public record RoleChanged(Output.RoleChanged role) implements Command {
    }

    /**
     * @param recovered the sessions the recovered tree holds (id to timeout): each gets its actor
     *                  and a fresh full timeout, as ZooKeeper gives sessions after a restart
     */
    public static Behavior<Command> create(PaddockConfig config, long serverId, ActorRef<TreeActor.Command> tree,
                                           LongSupplier clockMs, Map<Long, Integer> recovered) {
        return create(config, serverId, tree, clockMs, recovered, null);
    }

    /**
     * @param peer the server's peer actor in an ensemble (null standalone): recovered sessions are
     *             then only known, not opened here, until a client continues one on this server
     */
    public static Behavior<Command> create(PaddockConfig config, long serverId, ActorRef<TreeActor.Command> tree,
                                           LongSupplier clockMs, Map<Long, Integer> recovered,
                                           ActorRef<PeerActor.Command> peer) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ofMillis(config.tickTime()));
            SessionTracker tracker = new SessionTracker(ctx, config, serverId, tree, clockMs, peer);
            if (peer == null) {
                recovered.forEach(tracker::open);
            } else {
                tracker.known.putAll(recovered);
            }
            return tracker;
        }));
    }

    private record Entry(ActorRef<SessionActor.Command> actor, int timeoutMs) {
    }

    private final PaddockConfig config;
    private final ActorRef<TreeActor.Command> tree;
    private final LongSupplier clockMs;
    private SessionExpiry expiry;
    private final Map<Long, Entry> sessions = new HashMap<>();
    private long nextSessionId;

    // Ensemble only (peer != null).
    private final ActorRef<PeerActor.Command> peer;
    /** Every session the ensemble has open, by id, with its timeout. */
    private final Map<Long, Integer> known = new HashMap<>();
    /** Sessions touched here since the last report to the peer actor. */
    private final Set<Long> touched = new LinkedHashSet<>();
    /** Whether this tracker expires sessions: always standalone, only as a serving leader in an ensemble. */
    private boolean expires;

    private SessionTracker(ActorContext<Command> ctx, PaddockConfig config, long serverId,
                           ActorRef<TreeActor.Command> tree, LongSupplier clockMs, ActorRef<PeerActor.Command> peer) {
        super(ctx);
        this.config = config;
        this.tree = tree;
        this.clockMs = clockMs;
        this.peer = peer;
        this.expires = peer == null;
        this.expiry = new SessionExpiry(config.tickTime());
        // A standalone ZooKeeper numbers its sessions as server 1 (createSessionTrackerServerId).
        this.nextSessionId = SessionIds.initialSessionId(peer == null ? STANDALONE_SESSION_SERVER_ID : serverId,
                clockMs.getAsLong());
    }

    /** The server id a standalone server puts in its session ids' high byte, as ZooKeeper's does. */
    static final long STANDALONE_SESSION_SERVER_ID = 1;

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
                .onMessage(SessionOpened.class, this::onSessionOpened)
                .onMessage(SessionClosed.class, this::onSessionClosed)
                .onMessage(TouchedElsewhere.class, this::onTouchedElsewhere)
                .onMessage(RoleChanged.class, this::onRoleChanged)
                .build();
    }

    private Behavior<Command> onCreate(Create c) {
        long sessionId = nextSessionId++;
        int timeoutMs = SessionExpiry.negotiateTimeout(c.requestedTimeoutMs(), config.minSessionTimeout(),
                config.maxSessionTimeout());
        // Not the context's ask: it pipes Akka's Java stage, which starts a thread for the callback
        // on a machine of two CPUs (see PlainAsk).
        ActorRef<Command> self = getContext().getSelf();
        PlainAsk.ask(tree, (ActorRef<Reply> replyTo) ->
                                new TreeActor.OpenSession(sessionId, timeoutMs, ReplyTo.actor(replyTo)),
                        ActorGateway.REQUEST_TIMEOUT, getContext().getSystem().scheduler())
                .whenComplete((reply, failure) -> self.tell(new Opened(sessionId, timeoutMs, reply, c.replyTo())));
        return this;
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
        touch(sessionId, timeoutMs);
        // Ids are time-based; never hand out one a recovered session holds.
        if (sessionId >= nextSessionId && (sessionId >>> 56) == (nextSessionId >>> 56)) {
            nextSessionId = sessionId + 1;
        }
    }

    private Behavior<Command> onForward(Forward f) {
        Entry entry = sessions.get(f.sessionId());
        if (entry == null && peer != null && known.containsKey(f.sessionId())) {
            // A session opened on another server continues here.
            open(f.sessionId(), known.get(f.sessionId()));
            entry = sessions.get(f.sessionId());
        }
        if (entry == null) {
            f.command().rejectExpired(0);
            return this;
        }
        touch(f.sessionId(), entry.timeoutMs());
        entry.actor().tell(f.command());
        return this;
    }

    private Behavior<Command> onTouch(Touch t) {
        Entry entry = sessions.get(t.sessionId());
        if (entry != null) {
            touch(t.sessionId(), entry.timeoutMs());
        }
        return this;
    }

    /** A sign of life: counted here if this tracker expires sessions, and reported to the leader. */
    private void touch(long sessionId, int timeoutMs) {
        if (expires) {
            expiry.touch(sessionId, timeoutMs, clockMs.getAsLong());
        }
        if (peer != null) {
            touched.add(sessionId);
        }
    }

    private Behavior<Command> onClose(Close c) {
        boolean local = sessions.remove(c.sessionId()) != null;
        // A session opened on another server may be closed here without having been used here.
        boolean elsewhere = peer != null && known.containsKey(c.sessionId());
        known.remove(c.sessionId());
        if (!local && !elsewhere) {
            c.replyTo().tell(SessionActor.expired(0, null));
            return this;
        }
        expiry.remove(c.sessionId());
        tree.tell(new TreeActor.CloseSession(c.sessionId(), false, ReplyTo.actor(c.replyTo())));
        return this;
    }

    private Behavior<Command> onIsOpen(IsOpen q) {
        // A session opened on another server of the ensemble is open here too (Forward continues it).
        q.replyTo().tell(sessions.containsKey(q.sessionId()) || (peer != null && known.containsKey(q.sessionId())));
        return this;
    }

    private Behavior<Command> onTick() {
        if (peer != null && !touched.isEmpty()) {
            peer.tell(new PeerActor.Touched(new ArrayList<>(touched)));
            touched.clear();
        }
        if (!expires) {
            return this;
        }
        for (long sessionId : expiry.expire(clockMs.getAsLong())) {
            // Out of both maps at once: a request that arrives while the close is in flight must
            // find the session gone, not open a second actor for it beside the one stopping.
            boolean local = sessions.remove(sessionId) != null;
            boolean elsewhere = known.remove(sessionId) != null;
            if (local || elsewhere) {
                getContext().getLog().info("Expiring session 0x{}", Long.toHexString(sessionId));
                tree.tell(new TreeActor.CloseSession(sessionId, true, ReplyTo.NOBODY));
            }
        }
        return this;
    }

    private Behavior<Command> onSessionOpened(SessionOpened o) {
        known.put(o.sessionId(), o.timeoutMs());
        if (expires) {
            expiry.touch(o.sessionId(), o.timeoutMs(), clockMs.getAsLong());
        }
        return this;
    }

    private Behavior<Command> onSessionClosed(SessionClosed c) {
        known.remove(c.sessionId());
        expiry.remove(c.sessionId());
        // The tree ends the session's actor; it is gone from here first, so its stop is no failure.
        sessions.remove(c.sessionId());
        return this;
    }

    private Behavior<Command> onTouchedElsewhere(TouchedElsewhere t) {
        if (expires) {
            long now = clockMs.getAsLong();
            for (long id : t.sessionIds()) {
                Integer timeoutMs = known.get(id);
                if (timeoutMs != null) {
                    expiry.touch(id, timeoutMs, now);
                }
            }
        }
        return this;
    }

    /**
     * A leader that starts serving gives every session a fresh full timeout, as ZooKeeper's new
     * leader does: nobody could touch it while there was no leader.
     */
    private Behavior<Command> onRoleChanged(RoleChanged changed) {
        boolean leader = changed.role().serving() && changed.role().state() == ServerState.LEADING;
        if (leader && !expires) {
            expiry = new SessionExpiry(config.tickTime());
            long now = clockMs.getAsLong();
            known.forEach((id, timeoutMs) -> expiry.touch(id, timeoutMs, now));
        }
        expires = leader;
        return this;
    }

    private Behavior<Command> onSessionStopped(SessionStopped s) {
        Entry entry = sessions.get(s.sessionId());
        if (entry != null && entry.actor().equals(s.actor())) {
            // The actor stopped without its session ending (a failure): end the session properly.
            sessions.remove(s.sessionId());
            expiry.remove(s.sessionId());
            tree.tell(new TreeActor.CloseSession(s.sessionId(), true, ReplyTo.NOBODY));
        }
        return this;
    }
}
