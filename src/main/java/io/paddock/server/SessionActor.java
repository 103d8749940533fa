package io.paddock.server;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.paddock.tree.AclCheck;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Id;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import io.paddock.tree.TreeException;
import io.paddock.tree.WatchedEvent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One client session: answers its requests in the order they came, and delivers its watch events
 * in the order the tree produced them.
 *
 * <p>Writes are passed on at once (they are ordered by the tree); a read waits until every
 * earlier write and sync of this session has been answered, so the session reads its own writes.
 * Because the tree sends watch events and replies to this actor in apply order, a client always
 * receives an event before any reply that shows the change behind it.
 *
 * <p>The session keeps its most recent events (a bounded window) so that an event stream that
 * reconnects with the zxid it last saw loses nothing, or is told to resync when it would.
 */
public final class SessionActor extends AbstractBehavior<SessionActor.Command> {

    public sealed interface Command {
    }

    /** A command from a front end, answered with SessionExpired when the session is gone. */
    public sealed interface ClientCommand extends Command {
        void rejectExpired(long zxid);
    }

    public record Submit(Op op, String clientAddress, ActorRef<Reply> replyTo) implements ClientCommand {
        @Override
        public void rejectExpired(long zxid) {
            replyTo.tell(expired(zxid, op.path()));
        }
    }

    public record Heartbeat(ActorRef<Reply> replyTo) implements ClientCommand {
        @Override
        public void rejectExpired(long zxid) {
            replyTo.tell(expired(zxid, null));
        }
    }

    public record AddAuth(String scheme, byte[] auth, ActorRef<Reply> replyTo) implements ClientCommand {
        @Override
        public void rejectExpired(long zxid) {
            replyTo.tell(expired(zxid, null));
        }
    }

    /** As a Subscribe's lastEventZxid: deliver events from now on, replay none. */
    public static final OptionalLong FROM_NOW = OptionalLong.of(Long.MAX_VALUE);

    /**
     * Attaches an event stream, replacing any earlier one. With {@code keepAlive} the attached
     * stream alone keeps the session alive (an SSE reader sends nothing else); without, the
     * session lives on its client's requests and pings, as a ZooKeeper connection's does, so
     * that a client that hangs with its connection open still expires.
     */
    public record Subscribe(OptionalLong lastEventZxid, ActorRef<EventStream.Message> stream, boolean keepAlive)
            implements ClientCommand {

        public Subscribe(OptionalLong lastEventZxid, ActorRef<EventStream.Message> stream) {
            this(lastEventZxid, stream, true);
        }

        @Override
        public void rejectExpired(long zxid) {
            EventStream.end(stream, new SessionEvent.State("Expired", zxid));
        }
    }

    /** From the tree: a watch of this session fired. */
    public record Notify(WatchedEvent event) implements Command {
    }

    /** From the tree: the session's closeSession transaction was applied. */
    public record Ended(String state, long zxid) implements Command {
    }

    private record Answered(Reply reply) implements Command {
    }

    private record StreamGone(ActorRef<EventStream.Message> stream) implements Command {
    }

    private enum KeepAlive implements Command {
        INSTANCE
    }

    static Reply expired(long zxid, String path) {
        return new Reply(zxid, new OpResult.Error(ErrorCode.SESSION_EXPIRED, path, "session expired or closed"));
    }

    public static Behavior<Command> create(long sessionId, PaddockConfig config, ActorRef<TreeActor.Command> tree,
                                           ActorRef<SessionTracker.Command> tracker) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new SessionActor(ctx, timers, sessionId, config, tree, tracker)));
    }

    private record Waiting(Op op, String clientAddress, ActorRef<Reply> replyTo) {
    }

    private record Held(long seq, WatchedEvent event) {
    }

    private final TimerScheduler<Command> timers;
    private final long sessionId;
    private final PaddockConfig config;
    private final ActorRef<TreeActor.Command> tree;
    private final ActorRef<SessionTracker.Command> tracker;
    private final ReplyTo answers;

    private final List<Id> authIds = new ArrayList<>();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** Requests passed to the tree, in order: its replies come back in this order. */
    private final ArrayDeque<Waiting> inFlight = new ArrayDeque<>();
    private int inFlightBarriers;
    private int nextCxid = 1;
    private long lastSeenZxid;

    private final ArrayDeque<Held> events = new ArrayDeque<>();
    private long nextEventSeq;
    /** The first held event no stream has been given yet. */
    private long undeliveredSeq;
    /** The newest zxid among events dropped from the window (-1: none dropped). */
    private long droppedThroughZxid = -1;
    /** An event no stream had been given was dropped: the next stream starts with a Resync. */
    private boolean lostUndelivered;
    private ActorRef<EventStream.Message> stream;

    private SessionActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, long sessionId,
                         PaddockConfig config, ActorRef<TreeActor.Command> tree,
                         ActorRef<SessionTracker.Command> tracker) {
        super(ctx);
        this.timers = timers;
        this.sessionId = sessionId;
        this.config = config;
        this.tree = tree;
        this.tracker = tracker;
        this.answers = ReplyTo.actor(ctx.messageAdapter(Reply.class, Answered::new));
        // Sent before any request of this session, so the tree knows where to deliver its events.
        tree.tell(new TreeActor.Attach(sessionId, ctx.getSelf()));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Submit.class, this::onSubmit)
                .onMessage(Answered.class, this::onAnswered)
                .onMessage(Heartbeat.class, this::onHeartbeat)
                .onMessage(AddAuth.class, this::onAddAuth)
                .onMessage(Notify.class, this::onNotify)
                .onMessage(Subscribe.class, this::onSubscribe)
                .onMessage(StreamGone.class, this::onStreamGone)
                .onMessageEquals(KeepAlive.INSTANCE, this::onKeepAlive)
                .onMessage(Ended.class, this::onEnded)
                .build();
    }

    // ---- requests ---------------------------------------------------------------------------

    private Behavior<Command> onSubmit(Submit s) {
        waiting.add(new Waiting(s.op(), s.clientAddress(), s.replyTo()));
        dispatch();
        return this;
    }

    /** Writes and syncs are barriers: a read behind one waits until it is answered. */
    private static boolean isBarrier(Op op) {
        return op.isWrite() || op instanceof Op.Sync;
    }

    private void dispatch() {
        while (!waiting.isEmpty()) {
            Waiting next = waiting.peek();
            boolean barrier = isBarrier(next.op());
            if (!barrier && inFlightBarriers > 0) {
                return;
            }
            waiting.poll();
            List<Id> identities = identities(next.clientAddress());
            if (next.op().isWrite()) {
                tree.tell(new TreeActor.Write(sessionId, nextCxid++, identities, next.op(), answers));
            } else {
                tree.tell(new TreeActor.Read(sessionId, identities, next.op(), answers));
            }
            if (barrier) {
                inFlightBarriers++;
            }
            inFlight.add(next);
        }
    }

    private List<Id> identities(String clientAddress) {
        List<Id> ids = new ArrayList<>(authIds.size() + 1);
        ids.addAll(authIds);
        if (clientAddress != null) {
            ids.add(new Id("ip", clientAddress));
        }
        return ids;
    }

    private Behavior<Command> onAnswered(Answered a) {
        Waiting done = inFlight.poll();
        if (done == null) {
            throw new IllegalStateException("session 0x" + Long.toHexString(sessionId) + ": a reply nobody waits for");
        }
        if (isBarrier(done.op())) {
            inFlightBarriers--;
        }
        lastSeenZxid = Math.max(lastSeenZxid, a.reply().zxid());
        done.replyTo().tell(a.reply());
        dispatch();
        return this;
    }

    private Behavior<Command> onHeartbeat(Heartbeat h) {
        h.replyTo().tell(new Reply(lastSeenZxid, new OpResult.Done()));
        return this;
    }

    private Behavior<Command> onAddAuth(AddAuth a) {
        try {
            Id id = AclCheck.identityFor(a.scheme(), a.auth(), config.superDigest());
            if (!authIds.contains(id)) {
                authIds.add(id);
            }
            a.replyTo().tell(new Reply(lastSeenZxid, new OpResult.Done()));
        } catch (TreeException e) {
            a.replyTo().tell(new Reply(lastSeenZxid, e.toResult()));
        }
        return this;
    }

    // ---- events -----------------------------------------------------------------------------

    private Behavior<Command> onNotify(Notify n) {
        WatchedEvent event = n.event();
        lastSeenZxid = Math.max(lastSeenZxid, event.zxid());
        Held held = new Held(nextEventSeq++, event);
        events.add(held);
        if (events.size() > config.eventWindow()) {
            Held dropped = events.poll();
            droppedThroughZxid = Math.max(droppedThroughZxid, dropped.event().zxid());
            if (dropped.seq() >= undeliveredSeq) {
                lostUndelivered = true;
                undeliveredSeq = dropped.seq() + 1;
            }
        }
        if (stream != null) {
            stream.tell(new EventStream.Element(new SessionEvent.Watch(event)));
            undeliveredSeq = nextEventSeq;
        }
        return this;
    }

    private Behavior<Command> onSubscribe(Subscribe s) {
        if (stream != null) {
            getContext().unwatch(stream);
            stream.tell(EventStream.Complete.INSTANCE);
        }
        stream = s.stream();
        getContext().watchWith(stream, new StreamGone(stream));
        if (s.lastEventZxid().isPresent()) {
            long last = s.lastEventZxid().getAsLong();
            if (droppedThroughZxid > last) {
                stream.tell(new EventStream.Element(new SessionEvent.Resync(lastSeenZxid)));
            } else {
                replay(held -> held.event().zxid() > last);
            }
        } else {
            if (lostUndelivered) {
                stream.tell(new EventStream.Element(new SessionEvent.Resync(lastSeenZxid)));
            }
            replay(held -> held.seq() >= undeliveredSeq);
        }
        lostUndelivered = false;
        undeliveredSeq = nextEventSeq;
        if (s.keepAlive()) {
            timers.startTimerWithFixedDelay(KeepAlive.INSTANCE, Duration.ofMillis(Math.max(1, config.tickTime() / 2)));
        } else {
            timers.cancel(KeepAlive.INSTANCE);
        }
        tracker.tell(new SessionTracker.Touch(sessionId));
        return this;
    }

    private void replay(java.util.function.Predicate<Held> wanted) {
        for (Held held : events) {
            if (wanted.test(held)) {
                stream.tell(new EventStream.Element(new SessionEvent.Watch(held.event())));
            }
        }
    }

    private Behavior<Command> onStreamGone(StreamGone g) {
        if (g.stream().equals(stream)) {
            stream = null;
            timers.cancel(KeepAlive.INSTANCE);
        }
        return this;
    }

    private Behavior<Command> onKeepAlive() {
        tracker.tell(new SessionTracker.Touch(sessionId));
        return this;
    }

    private Behavior<Command> onEnded(Ended e) {
        if (stream != null) {
            EventStream.end(stream, new SessionEvent.State(e.state(), e.zxid()));
        }
        // Everything already passed to the tree was answered before the close was applied.
        for (Waiting w : waiting) {
            w.replyTo().tell(expired(e.zxid(), w.op().path()));
        }
        for (Waiting w : inFlight) {
            w.replyTo().tell(expired(e.zxid(), w.op().path()));
        }
        return Behaviors.stopped();
    }
}
