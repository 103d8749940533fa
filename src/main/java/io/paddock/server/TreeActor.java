package io.paddock.server;

import akka.actor.typed.ActorRef;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.paddock.storage.SnapshotTransfer;
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
import io.paddock.tree.WatchRequests;
import io.paddock.tree.WatchManager;
import io.paddock.tree.WatchedEvent;
import io.paddock.tree.Txn;
import io.paddock.zab.Input;
import io.paddock.zab.Output;
import io.paddock.zab.ServerState;
import io.paddock.zab.Zxid;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
    public record Write(long sessionId, int cxid, List<Id> identities, Op op, ReplyTo replyTo)
            implements Command {
    }

    /** A read, sync, or watch operation. */
    public record Read(long sessionId, List<Id> identities, Op op, ReplyTo replyTo) implements Command {
    }

    /** The createSession transaction for a session id the tracker has chosen. */
    public record OpenSession(long sessionId, int timeoutMs, ReplyTo replyTo) implements Command {
    }

    /** The closeSession transaction; {@code expired} tells the session which way it ended. */
    public record CloseSession(long sessionId, boolean expired, ReplyTo replyTo) implements Command {
    }

    /** A session's actor, where its watch events and its end are delivered. */
    public record Attach(long sessionId, ActorRef<SessionActor.Command> session) implements Command {
    }

    public record GetStatus(ActorRef<ServerStatus> replyTo) implements Command {
    }

    /** The digest of the whole applied tree (see DataTree.digest): for consistency checks. */
    /** Every watching session with the paths it watches (the wchs, wchc and wchp words). */
    public record GetWatches(ActorRef<java.util.SortedMap<Long, java.util.SortedSet<String>>> replyTo)
            implements Command {
    }

    public record GetDigest(ActorRef<Long> replyTo) implements Command {
    }

    private enum ReapTick implements Command {
        INSTANCE
    }

    // ---- the ensemble: messages from the peer actor and the node -----------------------------

    /** Committed records, to apply in this order (ensemble). */
    public record ApplyCommitted(List<Output.Apply> records) implements Command {
    }

    /** Leader: prepare a write forwarded by a learner (or by this server) into a proposal. */
    /**
     * An ensemble member's log was truncated or replaced by a leader's snapshot: {@code tree} is
     * the tree the data directory now holds, which replaces this actor's.
     */
    public record ResetTree(DataTree tree) implements Command {
    }

    public record PrepareForwarded(long origin, long tag, byte[] request) implements Command {
    }

    /** A write or sync of this server's that the ensemble could not take. */
    public record Refused(long tag, String reason) implements Command {
    }

    /** A sync of this server's is answered once the tree has applied {@code zxid}. */
    public record SyncDone(long tag, long zxid) implements Command {
    }

    public record RoleChanged(Output.RoleChanged role) implements Command {
    }

    /** Leader: the applied tree, serialized for a learner that needs a full snapshot. */
    public record TakeSnapshot(long forServer, ActorRef<PeerActor.Command> replyTo) implements Command {
    }

    /** The session tracker, told of every session the ensemble opens or closes. */
    public record TrackSessions(ActorRef<SessionTracker.Command> tracker) implements Command {
    }

    /**
     * The log writer's generation in an ensemble, where it never changes: a log failure there
     * stops the server (its peers carry on), instead of refusing writes and going on.
     */
    public static final long ENSEMBLE_GENERATION = 0;

    /**
     * @param tree the tree recovered from dataDir (snapshot plus log)
     * @param log  the open log the tree was recovered from; the log writer takes it over
     */
    public static Behavior<Command> create(PaddockConfig config, long serverId, LongSupplier clockMs, DataTree tree,
                                           TxnLog log) {
        return create(config, serverId, clockMs, tree, log, null, new AtomicLong(), new AtomicBoolean(true));
    }

    /**
     * @param peer the server's peer actor in an ensemble, null standalone: writes then go to the
     *             ensemble's leader and are applied when committed, and the tree tells the peer actor
     *             its log writer
     * @param appliedZxid set to the last applied zxid after every change of the tree, for front
     *                    ends to read without a message (ServerGateway.appliedZxid)
     * @param serving     set whenever this server starts or stops serving clients (always true
     *                    standalone), for front ends to read without a message (ServerGateway.serving)
     */
    public static Behavior<Command> create(PaddockConfig config, long serverId, LongSupplier clockMs, DataTree tree,
                                           TxnLog log, ActorRef<PeerActor.Command> peer, AtomicLong appliedZxid,
                                           AtomicBoolean serving) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            Duration interval = Duration.ofMillis(config.containerCheckIntervalMs());
            timers.startTimerWithFixedDelay(ReapTick.INSTANCE, interval);
            return new TreeActor(ctx, timers, config, serverId, clockMs, tree, log, peer, appliedZxid, serving);
        }));
    }

    /** Records waiting for the log, with whom to answer once they are durable. */
    private record Pending(Prepared prepared, ReplyTo replyTo, String endState) {
        long zxid() {
            return prepared.record().zxid();
        }
    }

    /** A sync answered once every record before it has been applied. */
    private record WaitingSync(long zxid, Op.Sync sync, ReplyTo replyTo) {
    }

    /**
     * Ensemble: a write of this server's client, answered when its record is applied here. The
     * refusal is prepare's (with its message), known only where this server prepared it.
     */
    private record Waiting(OpResult.Error refusal, ReplyTo replyTo, String endState) {
    }

    /** Ensemble: a sync sent to the leader, waiting for its zxid. */
    private record SyncRequest(Op.Sync sync, ReplyTo replyTo) {
    }

    private static final int SNAPSHOT_SLICE_NODES = 1000;

    private final TimerScheduler<Command> timers;
    private final PaddockConfig config;
    private final long serverId;
    private final LongSupplier clockMs;
    private final AtomicLong appliedZxid;
    private final AtomicBoolean servingFlag;
    private DataTree tree;
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

    // Ensemble only (peer != null).
    private final ActorRef<PeerActor.Command> peer;
    private ActorRef<SessionTracker.Command> sessionTracker;
    private boolean serving;
    private boolean leading;
    /** What GET /v1/status shows: standalone, or the ensemble role (looking, leader, follower, observer). */
    private String mode;
    private long nextTag;
    private final Map<Long, Waiting> waiting = new HashMap<>();
    private final Map<Long, SyncRequest> syncRequests = new HashMap<>();

    private long appliedSinceSnapshot;
    private long snapshotAfter;
    private SnapshotCursor snapshot;
    private boolean snapshotWalked;

    private TreeActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, PaddockConfig config, long serverId,
                      LongSupplier clockMs, DataTree tree, TxnLog log, ActorRef<PeerActor.Command> peer,
                      AtomicLong appliedZxid, AtomicBoolean servingFlag) {
        super(ctx);
        this.peer = peer;
        this.appliedZxid = appliedZxid;
        this.servingFlag = servingFlag;
        servingFlag.set(peer == null);
        appliedZxid.set(tree.lastZxid());
        this.mode = peer == null ? "standalone" : "looking";
        // Tags name this run's requests in proposals; a random start keeps a tag of an earlier run,
        // still travelling in some proposal, from answering a request of this one.
        this.nextTag = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        this.timers = timers;
        this.config = config;
        this.serverId = serverId;
        this.clockMs = clockMs;
        this.tree = tree;
        tree.setConfigData(DynamicConfig.data(config));
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
        if (peer != null) {
            peer.tell(new PeerActor.Wire(ctx.getSelf(), logWriter));
        }
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
                .onMessage(GetWatches.class, g -> {
                    g.replyTo().tell(watches.bySession());
                    return this;
                })
                .onMessage(GetDigest.class, g -> {
                    g.replyTo().tell(tree.digest());
                    return this;
                })
                .onMessageEquals(ReapTick.INSTANCE, this::onReapTick)
                .onMessage(LogWriter.Persisted.class, this::onPersisted)
                .onMessage(LogWriter.Failed.class, this::onLogFailed)
                .onMessage(ResetTree.class, r -> {
                    resetTree(r.tree());
                    return this;
                })
                .onMessage(SnapshotTaker.SliceWritten.class, this::onSliceWritten)
                .onMessage(SnapshotTaker.Done.class, this::onSnapshotDone)
                .onMessage(ApplyCommitted.class, this::onApplyCommitted)
                .onMessage(PrepareForwarded.class, this::onPrepareForwarded)
                .onMessage(Refused.class, this::onRefused)
                .onMessage(SyncDone.class, this::onSyncDone)
                .onMessage(RoleChanged.class, this::onRoleChanged)
                .onMessage(TakeSnapshot.class, this::onTakeSnapshot)
                .onMessage(TrackSessions.class, t -> {
                    sessionTracker = t.tracker();
                    return this;
                })
                .build();
    }

    private Behavior<Command> onWrite(Write w) {
        if (unknownSession(w.sessionId(), w.op(), w.replyTo())) {
            return this;
        }
        if (peer != null) {
            replicate(new ForwardedWrite.Write(w.sessionId(), w.cxid(), w.identities(), w.op()), w.replyTo(), null);
            return this;
        }
        Prepared p = prep.prepare(nextZxid, w.sessionId(), w.cxid(), clockMs.getAsLong(), w.identities(), w.op());
        commit(p, w.replyTo(), null);
        return this;
    }

    private Behavior<Command> onOpenSession(OpenSession o) {
        if (peer != null) {
            replicate(new ForwardedWrite.OpenSession(o.sessionId(), o.timeoutMs()), o.replyTo(), null);
            return this;
        }
        commit(prep.prepareCreateSession(nextZxid, o.sessionId(), clockMs.getAsLong(), o.timeoutMs()), o.replyTo(), null);
        return this;
    }

    private Behavior<Command> onCloseSession(CloseSession c) {
        String endState = c.expired() ? "Expired" : "Closed";
        if (peer != null) {
            replicate(new ForwardedWrite.CloseSession(c.sessionId()), c.replyTo(), endState);
            return this;
        }
        Prepared p = prep.prepareCloseSession(nextZxid, c.sessionId(), clockMs.getAsLong());
        commit(p, c.replyTo(), endState);
        return this;
    }

    private Behavior<Command> onReapTick() {
        if (peer != null && !(leading && serving)) {
            return this; // the leader alone removes empty containers and expired TTL nodes
        }
        for (String path : tree.reapCandidates(clockMs.getAsLong())) {
            Prepared p = prep.prepare(nextZxid, ServerGateway.NO_SESSION, 0, clockMs.getAsLong(), List.of(), new Op.Reap(path));
            if (peer != null) {
                propose(p, serverId, 0);
            } else {
                commit(p, null, null);
            }
        }
        return this;
    }

    /** Hands a prepared record to the log; it is applied and answered once durable. */
    private void commit(Prepared p, ReplyTo replyTo, String endState) {
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
        releaseSyncs();
        maybeSnapshot();
        return this;
    }

    private void apply(Pending p) {
        TxnRecord record = p.prepared().record();
        ApplyResult applied = tree.apply(record);
        prep.applied(record.zxid());
        appliedZxid.set(record.zxid());
        appliedSinceSnapshot++;
        deliver(applied);
        if (p.endState() != null) {
            endSession(record.sessionId(), p.endState(), record.zxid());
        }
        if (p.replyTo() != null) {
            p.replyTo().tell(new Reply(record.zxid(), result(p.prepared().error(), applied.result())));
        }
    }

    /** The watch events of an applied record, to the sessions watching; before any reply. */
    private void deliver(ApplyResult applied) {
        for (WatchedEvent event : applied.events()) {
            for (WatchManager.Delivery d : watches.trigger(event)) {
                ActorRef<SessionActor.Command> session = sessionActors.get(d.sessionId());
                if (session != null) {
                    session.tell(new SessionActor.Notify(d.event()));
                }
            }
        }
    }

    private void endSession(long sessionId, String endState, long zxid) {
        watches.removeSession(sessionId);
        ActorRef<SessionActor.Command> session = sessionActors.remove(sessionId);
        if (session != null) {
            session.tell(new SessionActor.Ended(endState, zxid));
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
                        ReplyTo.NOBODY), Duration.ofMillis(config.tickTime()));
            }
        }
        pending.clear();
        for (WaitingSync s : syncs) {
            s.replyTo().tell(new Reply(tree.lastZxid(), refusal));
        }
        syncs.clear();
        return this;
    }

    // ---- the ensemble -----------------------------------------------------------------------

    /**
     * A change asked of this server: the leader prepares its own clients' changes at once; a
     * learner forwards them to the leader. Either way the client is answered when the committed
     * record is applied here, so it reads its own write on this server.
     */
    private void replicate(ForwardedWrite write, ReplyTo replyTo, String endState) {
        if (!serving) {
            replyTo.tell(notServing(write instanceof ForwardedWrite.Write w ? w.op().path() : null));
            return;
        }
        long tag = nextTag++;
        if (leading) {
            Prepared p = prepare(write);
            waiting.put(tag, new Waiting(p.error(), replyTo, endState));
            propose(p, serverId, tag);
        } else {
            waiting.put(tag, new Waiting(null, replyTo, endState));
            peer.tell(new PeerActor.Submit(tag, ForwardedWriteCodec.encode(write)));
        }
    }

    private Prepared prepare(ForwardedWrite write) {
        long now = clockMs.getAsLong();
        if (write instanceof ForwardedWrite.Write w) {
            return prep.prepare(nextZxid, w.sessionId(), w.cxid(), now, w.identities(), w.op());
        } else if (write instanceof ForwardedWrite.OpenSession o) {
            return prep.prepareCreateSession(nextZxid, o.sessionId(), now, o.timeoutMs());
        }
        return prep.prepareCloseSession(nextZxid, write.sessionId(), now);
    }

    /** Leader: a prepared record becomes a proposal; the peer actor replicates it. */
    private void propose(Prepared p, long origin, long tag) {
        TxnRecord record = p.record();
        if (record == null) {
            Waiting w = origin == serverId ? waiting.remove(tag) : null;
            if (w != null) {
                w.replyTo().tell(new Reply(tree.lastZxid(), new OpResult.Done()));
            }
            return;
        }
        nextZxid = record.zxid() + 1;
        peer.tell(new PeerActor.Propose(record, origin, tag));
    }

    private Behavior<Command> onPrepareForwarded(PrepareForwarded f) {
        if (!(leading && serving)) {
            return this; // leadership ended after the core asked: the learner has been told its role changed
        }
        ForwardedWrite write;
        try {
            write = ForwardedWriteCodec.decode(f.request());
        } catch (IllegalArgumentException e) {
            getContext().getLog().warn("Dropping a write forwarded by server {} that cannot be read: {}", f.origin(),
                    e.getMessage());
            return this;
        }
        propose(prepare(write), f.origin(), f.tag());
        return this;
    }

    /** Committed records: applied in order, with their watches, and answered where they came from. */
    private Behavior<Command> onApplyCommitted(ApplyCommitted c) {
        for (Output.Apply a : c.records()) {
            TxnRecord record = a.record();
            Waiting w = a.origin() == serverId ? waiting.remove(a.tag()) : null;
            ApplyResult applied = tree.apply(record);
            if (prep != null) {
                prep.applied(record.zxid());
            }
            appliedZxid.set(record.zxid());
            appliedSinceSnapshot++;
            deliver(applied);
            if (record.txn() instanceof Txn.CreateSession open) {
                if (sessionTracker != null) {
                    sessionTracker.tell(new SessionTracker.SessionOpened(record.sessionId(), open.timeoutMs()));
                }
            } else if (record.txn() instanceof Txn.CloseSession) {
                endSession(record.sessionId(), w != null && w.endState() != null ? w.endState() : "Expired",
                        record.zxid());
                if (sessionTracker != null) {
                    sessionTracker.tell(new SessionTracker.SessionClosed(record.sessionId()));
                }
            }
            if (w != null && w.replyTo() != null) {
                w.replyTo().tell(new Reply(record.zxid(), result(w.refusal(), applied.result())));
            }
        }
        releaseSyncs();
        maybeSnapshot();
        return this;
    }

    private Behavior<Command> onRefused(Refused r) {
        OpResult.Error refusal = new OpResult.Error(ErrorCode.CONNECTION_LOSS, null, r.reason());
        Waiting w = waiting.remove(r.tag());
        if (w != null) {
            w.replyTo().tell(new Reply(tree.lastZxid(), refusal));
        }
        SyncRequest s = syncRequests.remove(r.tag());
        if (s != null) {
            s.replyTo().tell(new Reply(tree.lastZxid(), refusal));
        }
        return this;
    }

    private Behavior<Command> onSyncDone(SyncDone d) {
        SyncRequest s = syncRequests.remove(d.tag());
        if (s != null) {
            syncs.add(new WaitingSync(d.zxid(), s.sync(), s.replyTo()));
            releaseSyncs();
        }
        return this;
    }

    /**
     * Serving or not, leading or not. When a server stops serving, every write and sync still
     * waiting has failed as far as its client knows (ConnectionLoss: it may yet be committed, as
     * with ZooKeeper); a new leader numbers its proposals in its new epoch.
     */
    private Behavior<Command> onRoleChanged(RoleChanged changed) {
        Output.RoleChanged r = changed.role();
        boolean wasServing = serving;
        serving = r.serving();
        servingFlag.set(serving);
        leading = r.state() == ServerState.LEADING;
        mode = switch (r.state()) {
            case LEADING -> "leader";
            case FOLLOWING -> "follower";
            case OBSERVING -> "observer";
            case LOOKING -> "looking";
        };
        if (wasServing && !serving) {
            OpResult.Error refusal = new OpResult.Error(ErrorCode.CONNECTION_LOSS, null,
                    "server " + serverId + " lost its leader; the request may or may not have been applied");
            waiting.values().forEach(w -> w.replyTo().tell(new Reply(tree.lastZxid(), refusal)));
            waiting.clear();
            syncRequests.values().forEach(s -> s.replyTo().tell(new Reply(tree.lastZxid(), refusal)));
            syncRequests.clear();
            syncs.forEach(s -> s.replyTo().tell(new Reply(tree.lastZxid(), refusal)));
            syncs.clear();
        }
        if (serving && leading) {
            prep = new TxnPrep(tree, config.maxDataBytes(), config.superDigest());
            nextZxid = Zxid.make(r.epoch(), 1);
        } else {
            prep = null;
        }
        return this;
    }

    private Behavior<Command> onTakeSnapshot(TakeSnapshot t) {
        byte[] bytes;
        try {
            bytes = SnapshotTransfer.serialize(tree);
        } catch (java.io.IOException | RuntimeException e) {
            // The learner's sync stalls and its initLimit ends it; it tries again with a new sync.
            getContext().getLog().error("Could not serialize the tree for server {}: {}", t.forServer(), e.toString());
            return this;
        }
        t.replyTo().tell(new PeerActor.SnapshotReady(t.forServer(), tree.lastZxid(), bytes));
        return this;
    }

    /**
     * Ensemble: the log writer rolled the log back (TRUNC) or installed a leader's snapshot (SNAP)
     * and rebuilt the tree from disk; this server was not serving meanwhile. Sessions that the new
     * tree does not hold have ended. /zookeeper/config shows this server's configuration again.
     */
    private void resetTree(DataTree rebuilt) {
        tree = rebuilt;
        // The rebuilt tree holds what the snapshot held (another server's, after a SNAP).
        tree.setConfigData(DynamicConfig.data(config));
        appliedZxid.set(tree.lastZxid());
        snapshot = null; // a walk of the old tree must not finish into a snapshot
        for (Long id : List.copyOf(sessionActors.keySet())) {
            if (!tree.sessions().containsKey(id)) {
                endSession(id, "Expired", tree.lastZxid());
            }
        }
    }

    private void releaseSyncs() {
        while (!syncs.isEmpty() && syncs.peek().zxid() <= tree.lastZxid()) {
            WaitingSync s = syncs.poll();
            s.replyTo().tell(new Reply(tree.lastZxid(), new OpResult.Synced(s.sync().path())));
        }
    }

    private OpResult.Error notServingError(String path) {
        return new OpResult.Error(ErrorCode.CONNECTION_LOSS, path,
                "server " + serverId + " is not serving: it has no leader in sync with it right now");
    }

    private Reply notServing(String path) {
        return new Reply(tree.lastZxid(), notServingError(path));
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
        if (peer != null && !serving) {
            r.replyTo().tell(notServing(op.path()));
            return this;
        }
        OpResult result;
        if (op instanceof Op.Sync s && peer != null) {
            long tag = nextTag++;
            syncRequests.put(tag, new SyncRequest(s, r.replyTo()));
            peer.tell(new PeerActor.SubmitSync(tag));
            return this;
        } else if (op instanceof Op.Sync s) {
            if (!pending.isEmpty()) {
                syncs.add(new WaitingSync(pending.peekLast().zxid(), s, r.replyTo()));
                return this;
            }
            result = new OpResult.Synced(s.path());
        } else if (op instanceof Op.AddWatch a) {
            result = WatchRequests.addWatch(watches, sessionId, a);
        } else if (op instanceof Op.RemoveWatches rw) {
            result = WatchRequests.removeWatches(watches, sessionId, rw.path(), rw.kinds(), true);
        } else if (op instanceof Op.CheckWatches cw) {
            result = WatchRequests.removeWatches(watches, sessionId, cw.path(), cw.kinds(), false);
        } else if (op instanceof Op.DropWatches) {
            result = WatchRequests.dropWatches(watches, sessionId);
        } else if (op instanceof Op.SetWatches sw) {
            // The events it owes go out before its reply: the session actor passes both on in order.
            WatchRequests.Rearmed rearmed = WatchRequests.setWatches(watches, tree, sessionId, sw);
            ActorRef<SessionActor.Command> session = sessionActors.get(sessionId);
            if (session != null) {
                for (WatchedEvent event : rearmed.events()) {
                    session.tell(new SessionActor.Notify(event));
                }
            }
            result = rearmed.result();
        } else {
            result = Reads.read(tree, sessionId, r.identities(), op, config.superDigest());
            if (sessionId != ServerGateway.NO_SESSION) {
                WatchRequests.leaveWatch(watches, sessionId, op, result);
            }
        }
        r.replyTo().tell(new Reply(tree.lastZxid(), result));
        return this;
    }

    /** Requests of a session that has ended are refused, as ZooKeeper's checkSession does. */
    private boolean unknownSession(long sessionId, Op op, ReplyTo replyTo) {
        if (sessionId == ServerGateway.NO_SESSION || tree.sessions().containsKey(sessionId)) {
            return false;
        }
        replyTo.tell(SessionActor.expired(tree.lastZxid(), op.path()));
        return true;
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
        g.replyTo().tell(new ServerStatus(mode, serverId, tree.lastZxid(), tree.nodeCount(),
                tree.sessions().size(), watches.watchCount(), Version.VERSION));
        return this;
    }
}
