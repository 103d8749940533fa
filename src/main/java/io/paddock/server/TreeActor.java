package io.paddock.server;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.paddock.tree.ApplyResult;
import io.paddock.tree.DataTree;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Id;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import io.paddock.tree.Prepared;
import io.paddock.tree.Reads;
import io.paddock.tree.TxnPrep;
import io.paddock.tree.TxnRecord;
import io.paddock.tree.WatchKind;
import io.paddock.tree.WatchManager;
import io.paddock.tree.WatchedEvent;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Owns the data tree and its watches. Writes are prepared against the tree plus the writes in
 * flight ({@link TxnPrep}), given the next zxid and the server's time, and applied in zxid order;
 * applying a record triggers its watches, which reach the sessions' actors before the reply to the
 * write. Reads are answered from the applied tree, and leave their watches.
 *
 * <p>Contract the session actors rely on: the replies to one sender's requests leave in the order
 * the requests came. Prepare and apply live in this one actor because prepare reads the tree, and
 * an actor does not share mutable state (ZooKeeper's prep thread reads the DataTree concurrently).
 */
public final class TreeActor extends AbstractBehavior<TreeActor.Command> {

    public sealed interface Command {
    }

    /** A write (see {@link Op#isWrite()}) on behalf of a session, or of no session (id 0). */
    public record Write(long sessionId, int cxid, List<Id> identities, Op op, ActorRef<Reply> replyTo)
            implements Command {
    }

    /** A read, sync, or watch operation. */
    public record Read(long sessionId, List<Id> identities, Op op, ActorRef<Reply> replyTo) implements Command {
    }

    /** The createSession transaction for a session id the tracker has chosen. */
    public record OpenSession(long sessionId, int timeoutMs, ActorRef<Reply> replyTo) implements Command {
    }

    /** The closeSession transaction; {@code expired} tells the session which way it ended. */
    public record CloseSession(long sessionId, boolean expired, ActorRef<Reply> replyTo) implements Command {
    }

    /** A session's actor, where its watch events and its end are delivered. */
    public record Attach(long sessionId, ActorRef<SessionActor.Command> session) implements Command {
    }

    public record GetStatus(ActorRef<ServerStatus> replyTo) implements Command {
    }

    private enum ReapTick implements Command {
        INSTANCE
    }

    public static Behavior<Command> create(PaddockConfig config, long serverId, LongSupplier clockMs) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            Duration interval = Duration.ofMillis(config.containerCheckIntervalMs());
            timers.startTimerWithFixedDelay(ReapTick.INSTANCE, interval);
            return new TreeActor(ctx, config, serverId, clockMs);
        }));
    }

    private final PaddockConfig config;
    private final long serverId;
    private final LongSupplier clockMs;
    private final DataTree tree = new DataTree();
    private final TxnPrep prep;
    private final WatchManager watches = new WatchManager();
    private final Map<Long, ActorRef<SessionActor.Command>> sessionActors = new HashMap<>();
    private long nextZxid;

    private TreeActor(ActorContext<Command> ctx, PaddockConfig config, long serverId, LongSupplier clockMs) {
        super(ctx);
        this.config = config;
        this.serverId = serverId;
        this.clockMs = clockMs;
        this.prep = new TxnPrep(tree, config.maxDataBytes(), config.superDigest());
        this.nextZxid = tree.lastZxid() + 1;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Write.class, this::onWrite)
                .onMessage(Read.class, this::onRead)
                .onMessage(OpenSession.class, this::onOpenSession)
                .onMessage(CloseSession.class, this::onCloseSession)
                .onMessage(Attach.class, this::onAttach)
                .onMessage(GetStatus.class, this::onGetStatus)
                .onMessageEquals(ReapTick.INSTANCE, this::onReapTick)
                .build();
    }

    private Behavior<Command> onWrite(Write w) {
        if (unknownSession(w.sessionId(), w.op(), w.replyTo())) {
            return this;
        }
        Prepared p = prep.prepare(nextZxid, w.sessionId(), w.cxid(), clockMs.getAsLong(), w.identities(), w.op());
        commit(p, w.replyTo(), null);
        return this;
    }

    private Behavior<Command> onOpenSession(OpenSession o) {
        commit(prep.prepareCreateSession(nextZxid, o.sessionId(), clockMs.getAsLong(), o.timeoutMs()), o.replyTo(), null);
        return this;
    }

    private Behavior<Command> onCloseSession(CloseSession c) {
        Prepared p = prep.prepareCloseSession(nextZxid, c.sessionId(), clockMs.getAsLong());
        commit(p, c.replyTo(), c.expired() ? "Expired" : "Closed");
        return this;
    }

    private Behavior<Command> onReapTick() {
        for (String path : tree.reapCandidates(clockMs.getAsLong())) {
            Prepared p = prep.prepare(nextZxid, ServerGateway.NO_SESSION, 0, clockMs.getAsLong(), List.of(), new Op.Reap(path));
            commit(p, null, null);
        }
        return this;
    }

    /**
     * Applies a prepared record. With the tree in memory a record commits as soon as it is
     * prepared; it is still the record, in zxid order, that changes the tree.
     */
    private void commit(Prepared p, ActorRef<Reply> replyTo, String endState) {
        TxnRecord record = p.record();
        if (record == null) {
            if (replyTo != null) {
                replyTo.tell(new Reply(tree.lastZxid(), new OpResult.Done()));
            }
            return;
        }
        nextZxid = record.zxid() + 1;
        ApplyResult applied = tree.apply(record);
        prep.applied(record.zxid());
        for (WatchedEvent event : applied.events()) {
            for (WatchManager.Delivery d : watches.trigger(event)) {
                ActorRef<SessionActor.Command> session = sessionActors.get(d.sessionId());
                if (session != null) {
                    session.tell(new SessionActor.Notify(d.event()));
                }
            }
        }
        if (endState != null) {
            watches.removeSession(record.sessionId());
            ActorRef<SessionActor.Command> session = sessionActors.remove(record.sessionId());
            if (session != null) {
                session.tell(new SessionActor.Ended(endState, record.zxid()));
            }
        }
        if (replyTo != null) {
            replyTo.tell(new Reply(record.zxid(), result(p.error(), applied.result())));
        }
    }

    /**
     * The answer to a write: what applying it gave, with the refusal's path and message from
     * prepare where it was refused. A failed multi keeps its result per op.
     */
    private static OpResult result(OpResult.Error refusal, OpResult applied) {
        if (refusal == null) {
            return applied;
        }
        if (applied instanceof OpResult.Multi multi) {
            List<OpResult> results = new java.util.ArrayList<>(multi.results());
            OpResult.Error failing = multi.firstError();
            int index = failing == null ? -1 : results.indexOf(failing);
            if (index >= 0) {
                results.set(index, refusal);
                return new OpResult.Multi(List.copyOf(results));
            }
        }
        return refusal;
    }

    private Behavior<Command> onRead(Read r) {
        if (unknownSession(r.sessionId(), r.op(), r.replyTo())) {
            return this;
        }
        long sessionId = r.sessionId();
        Op op = r.op();
        OpResult result;
        if (op instanceof Op.Sync s) {
            // Every earlier write has been applied by the time this message is handled.
            result = new OpResult.Synced(s.path());
        } else if (op instanceof Op.AddWatch a) {
            result = addWatch(sessionId, a);
        } else if (op instanceof Op.RemoveWatches rw) {
            result = removeWatches(sessionId, rw.path(), rw.kinds(), true);
        } else if (op instanceof Op.CheckWatches cw) {
            result = removeWatches(sessionId, cw.path(), cw.kinds(), false);
        } else {
            result = Reads.read(tree, sessionId, r.identities(), op, config.superDigest());
            if (sessionId != ServerGateway.NO_SESSION) {
                leaveWatch(sessionId, op, result);
            }
        }
        r.replyTo().tell(new Reply(tree.lastZxid(), result));
        return this;
    }

    /** Requests of a session that has ended are refused, as ZooKeeper's checkSession does. */
    private boolean unknownSession(long sessionId, Op op, ActorRef<Reply> replyTo) {
        if (sessionId == ServerGateway.NO_SESSION || tree.sessions().containsKey(sessionId)) {
            return false;
        }
        replyTo.tell(SessionActor.expired(tree.lastZxid(), op.path()));
        return true;
    }

    /** The watch a read leaves, as ZooKeeper's FinalRequestProcessor leaves it. */
    private void leaveWatch(long sessionId, Op op, OpResult result) {
        if (op instanceof Op.GetData g && g.watch() && result instanceof OpResult.Data) {
            watches.add(g.path(), sessionId, WatchKind.DATA);
        } else if (op instanceof Op.Exists e && e.watch()) {
            if (result instanceof OpResult.StatResult) {
                watches.add(e.path(), sessionId, WatchKind.DATA);
            } else if (result instanceof OpResult.Error err && err.code() == ErrorCode.NO_NODE) {
                watches.add(e.path(), sessionId, WatchKind.EXISTS);
            }
        } else if (op instanceof Op.GetChildren c && c.watch() && result instanceof OpResult.Children) {
            watches.add(c.path(), sessionId, WatchKind.CHILD);
        }
    }

    private OpResult addWatch(long sessionId, Op.AddWatch a) {
        if (sessionId == ServerGateway.NO_SESSION) {
            return new OpResult.Error(ErrorCode.BAD_ARGUMENTS, a.path(), "watches need a session");
        }
        if (a.kind() != WatchKind.PERSISTENT && a.kind() != WatchKind.PERSISTENT_RECURSIVE) {
            return new OpResult.Error(ErrorCode.BAD_ARGUMENTS, a.path(),
                    "addWatch takes PERSISTENT or PERSISTENT_RECURSIVE, not " + a.kind());
        }
        OpResult invalid = validPathOrError(a.path());
        if (invalid != null) {
            return invalid;
        }
        watches.add(a.path(), sessionId, a.kind());
        return new OpResult.Done();
    }

    private OpResult removeWatches(long sessionId, String path, List<WatchKind> kinds, boolean remove) {
        OpResult invalid = validPathOrError(path);
        if (invalid != null) {
            return invalid;
        }
        boolean found = false;
        for (WatchKind kind : kinds) {
            found |= remove ? watches.remove(path, sessionId, kind) : watches.contains(path, sessionId, kind);
        }
        return found ? new OpResult.Done()
                : new OpResult.Error(ErrorCode.NO_WATCHER, path, "no watch of kind " + kinds + " on " + path);
    }

    private static OpResult validPathOrError(String path) {
        try {
            io.paddock.tree.PathUtils.validate(path);
            return null;
        } catch (io.paddock.tree.TreeException e) {
            return e.toResult();
        }
    }

    private Behavior<Command> onAttach(Attach a) {
        if (tree.sessions().containsKey(a.sessionId())) {
            sessionActors.put(a.sessionId(), a.session());
        } else {
            // The session ended before its actor got here.
            a.session().tell(new SessionActor.Ended("Expired", tree.lastZxid()));
        }
        return this;
    }

    private Behavior<Command> onGetStatus(GetStatus g) {
        g.replyTo().tell(new ServerStatus("standalone", serverId, tree.lastZxid(), tree.nodeCount(),
                tree.sessions().size(), watches.watchCount(), Version.VERSION));
        return this;
    }
}
