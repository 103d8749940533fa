package io.paddock.server;

import akka.actor.typed.ActorRef;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.paddock.storage.TxnLog;
import io.paddock.tree.ApplyResult;
import io.paddock.tree.DataTree;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Id;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import io.paddock.tree.Prepared;
import io.paddock.tree.Reads;
import io.paddock.tree.SnapshotCursor;
import io.paddock.tree.SnapshotNode;
import io.paddock.tree.TxnPrep;
import io.paddock.tree.TxnRecord;
import io.paddock.tree.WatchKind;
import io.paddock.tree.WatchManager;
import io.paddock.tree.WatchedEvent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Owns the data tree and its watches. Writes are prepared against the tree plus the writes in
 * flight ({@link TxnPrep}), given the next zxid and the server's time, made durable by the
 * {@link LogWriter}, and applied in zxid order once it reports them persisted; applying a record
 * triggers its watches, which reach the sessions' actors before the reply to the write. Reads
 * are answered from the applied tree (never from a record not yet durable), and leave their
 * watches. Every snapCount transactions (jittered) the tree is walked into a snapshot in slices,
 * between other messages.
 *
 * <p>Contract the session actors rely on: the replies to one sender's requests leave in the order
 * the requests came. Prepare and apply live in this one actor because prepare reads the tree, and
 * an actor does not share mutable state (ZooKeeper's prep thread reads the DataTree concurrently).
 */
public final class TreeActor extends AbstractBehavior<TreeActor.Command> {

    public interface Command {
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

    /** The digest of the whole applied tree (see DataTree.digest): for consistency checks. */
    public record GetDigest(ActorRef<Long> replyTo) implements Command {
    }

    private enum ReapTick implements Command {
        INSTANCE
    }

    /**
     * @param tree the tree recovered from dataDir (snapshot plus log)
     * @param log  the open log the tree was recovered from; the log writer takes it over
     */
    public static Behavior<Command> create(PaddockConfig config, long serverId, LongSupplier clockMs, DataTree tree,
                                           TxnLog log) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            Duration interval = Duration.ofMillis(config.containerCheckIntervalMs());
            timers.startTimerWithFixedDelay(ReapTick.INSTANCE, interval);
            return new TreeActor(ctx, timers, config, serverId, clockMs, tree, log);
        }));
    }

    /** Records waiting for the log, with whom to answer once they are durable. */
    private record Pending(Prepared prepared, ActorRef<Reply> replyTo, String endState) {
        long zxid() {
            return prepared.record().zxid();
        }
    }

    /** A sync answered once every record before it has been applied. */
    private record WaitingSync(long zxid, Op.Sync sync, ActorRef<Reply> replyTo) {
    }

    private static final int SNAPSHOT_SLICE_NODES = 1000;

    private final TimerScheduler<Command> timers;
    private final PaddockConfig config;
    private final long serverId;
    private final LongSupplier clockMs;
    private final DataTree tree;
    private TxnPrep prep;
    private final WatchManager watches = new WatchManager();
    private final Map<Long, ActorRef<SessionActor.Command>> sessionActors = new HashMap<>();
    private final ActorRef<LogWriter.Command> logWriter;
    private final ActorRef<SnapshotTaker.Command> snapshotTaker;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final ArrayDeque<WaitingSync> syncs = new ArrayDeque<>();
    private long nextZxid;
    /** Ended by every log failure; the log writer drops records of an ended generation. */
    private long generation;

    private long appliedSinceSnapshot;
    private long snapshotAfter;
    private SnapshotCursor snapshot;
    private boolean snapshotWalked;

    private TreeActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, PaddockConfig config, long serverId,
                      LongSupplier clockMs, DataTree tree, TxnLog log) {
        super(ctx);
        this.timers = timers;
        this.config = config;
        this.serverId = serverId;
        this.clockMs = clockMs;
        this.tree = tree;
        this.prep = new TxnPrep(tree, config.maxDataBytes(), config.superDigest());
        this.nextZxid = tree.lastZxid() + 1;
        PaddockConfig.Storage storage = config.storage();
        this.logWriter = ctx.spawn(LogWriter.create(config.dataDir(), log, LogWriter.options(storage), ctx.getSelf().narrow()), "log",
                DispatcherSelector.fromConfig("paddock.log-dispatcher"));
        this.snapshotTaker = ctx.spawn(SnapshotTaker.create(config.dataDir(), storage.snapRetainCount(),
                storage.purgeIntervalHours() > 0, ctx.getSelf(), logWriter), "snapshot",
                DispatcherSelector.fromConfig("paddock.snapshot-dispatcher"));
        ctx.watch(logWriter);
        ctx.watch(snapshotTaker);
        if (storage.purgeIntervalHours() > 0) {
            logWriter.tell(new LogWriter.Purge(storage.snapRetainCount()));
        }
        this.snapshotAfter = nextSnapshotAfter();
    }

    /** As ZooKeeper's SyncRequestProcessor: half of snapCount plus a random part, so servers differ. */
    private long nextSnapshotAfter() {
        long snapCount = Math.max(2, config.storage().snapCount());
        return snapCount / 2 + ThreadLocalRandom.current().nextLong(snapCount / 2);
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
                .onMessage(GetDigest.class, g -> {
                    g.replyTo().tell(tree.digest());
                    return this;
                })
                .onMessageEquals(ReapTick.INSTANCE, this::onReapTick)
                .onMessage(LogWriter.Persisted.class, this::onPersisted)
                .onMessage(LogWriter.Failed.class, this::onLogFailed)
                .onMessage(SnapshotTaker.SliceWritten.class, this::onSliceWritten)
                .onMessage(SnapshotTaker.Done.class, this::onSnapshotDone)
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

    /** Hands a prepared record to the log; it is applied and answered once durable. */
    private void commit(Prepared p, ActorRef<Reply> replyTo, String endState) {
        TxnRecord record = p.record();
        if (record == null) {
            if (replyTo != null) {
                replyTo.tell(new Reply(tree.lastZxid(), new OpResult.Done()));
            }
            return;
        }
        nextZxid = record.zxid() + 1;
        pending.add(new Pending(p, replyTo, endState));
        logWriter.tell(new LogWriter.Append(generation, record));
    }

    private Behavior<Command> onPersisted(LogWriter.Persisted persisted) {
        if (persisted.generation() != generation) {
            return this;
        }
        while (!pending.isEmpty() && pending.peek().zxid() <= persisted.zxid()) {
            apply(pending.poll());
        }
        while (!syncs.isEmpty() && syncs.peek().zxid() <= tree.lastZxid()) {
            WaitingSync s = syncs.poll();
            s.replyTo().tell(new Reply(tree.lastZxid(), new OpResult.Synced(s.sync().path())));
        }
        maybeSnapshot();
        return this;
    }

    private void apply(Pending p) {
        TxnRecord record = p.prepared().record();
        ApplyResult applied = tree.apply(record);
        prep.applied(record.zxid());
        appliedSinceSnapshot++;
        for (WatchedEvent event : applied.events()) {
            for (WatchManager.Delivery d : watches.trigger(event)) {
                ActorRef<SessionActor.Command> session = sessionActors.get(d.sessionId());
                if (session != null) {
                    session.tell(new SessionActor.Notify(d.event()));
                }
            }
        }
        if (p.endState() != null) {
            watches.removeSession(record.sessionId());
            ActorRef<SessionActor.Command> session = sessionActors.remove(record.sessionId());
            if (session != null) {
                session.tell(new SessionActor.Ended(p.endState(), record.zxid()));
            }
        }
        if (p.replyTo() != null) {
            p.replyTo().tell(new Reply(record.zxid(), result(p.prepared().error(), applied.result())));
        }
    }

    /**
     * The log could not take the records still pending: none of them is applied or acknowledged.
     * Prepare forgets them and numbering resumes after the last applied record; a session close
     * among them is tried again, so a session never outlives its close because a disk was full.
     */
    private Behavior<Command> onLogFailed(LogWriter.Failed failed) {
        if (failed.generation() != generation) {
            return this;
        }
        generation++;
        prep = new TxnPrep(tree, config.maxDataBytes(), config.superDigest());
        nextZxid = tree.lastZxid() + 1;
        OpResult.Error refusal = new OpResult.Error(ErrorCode.CONNECTION_LOSS, null,
                failed.reason() + "; the write was not applied");
        for (Pending p : pending) {
            if (p.replyTo() != null) {
                p.replyTo().tell(new Reply(tree.lastZxid(), refusal));
            }
            if (p.endState() != null) {
                timers.startSingleTimer(new CloseSession(p.prepared().record().sessionId(), "Expired".equals(p.endState()),
                        getContext().getSystem().ignoreRef()), Duration.ofMillis(config.tickTime()));
            }
        }
        pending.clear();
        for (WaitingSync s : syncs) {
            s.replyTo().tell(new Reply(tree.lastZxid(), refusal));
        }
        syncs.clear();
        return this;
    }

    // ---- snapshots --------------------------------------------------------------------------

    private void maybeSnapshot() {
        if (snapshot != null || appliedSinceSnapshot < snapshotAfter) {
            return;
        }
        appliedSinceSnapshot = 0;
        snapshotAfter = nextSnapshotAfter();
        // A new segment starts here, so that purging can drop whole segments older than a snapshot.
        logWriter.tell(LogWriter.Roll.INSTANCE);
        snapshot = tree.snapshotCursor();
        snapshotWalked = false;
        snapshotTaker.tell(new SnapshotTaker.Begin(snapshot.startZxid(), snapshot.sessions()));
    }

    /** The taker wrote a slice: walk the next one, between the requests that queued meanwhile. */
    private Behavior<Command> onSliceWritten(SnapshotTaker.SliceWritten written) {
        if (snapshot == null) {
            return this;
        }
        if (!written.ok()) {
            snapshot = null;
            return this;
        }
        if (snapshotWalked) {
            snapshotTaker.tell(new SnapshotTaker.Finish(tree.lastZxid()));
            return this;
        }
        List<SnapshotNode> slice = new ArrayList<>(SNAPSHOT_SLICE_NODES);
        snapshotWalked = !snapshot.next(SNAPSHOT_SLICE_NODES, slice::add);
        snapshotTaker.tell(new SnapshotTaker.Nodes(slice));
        return this;
    }

    private Behavior<Command> onSnapshotDone(SnapshotTaker.Done done) {
        snapshot = null;
        return this;
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
            if (!pending.isEmpty()) {
                syncs.add(new WaitingSync(pending.peekLast().zxid(), s, r.replyTo()));
                return this;
            }
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
