package io.paddock.server;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import akka.serialization.SerializationExtension;
import io.paddock.tree.TxnRecord;
import io.paddock.zab.Input;
import io.paddock.zab.Output;
import io.paddock.zab.Peer;
import io.paddock.zab.PeerMessage;
import io.paddock.zab.PeerStatus;
import io.paddock.zab.ServerState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The thin actor around one server's ZAB core ({@link Peer}): it turns mailbox messages and a timer
 * into the core's inputs and carries out the core's outputs in the order given, etcd's Ready loop.
 * Peer messages travel on the servers' own TCP links ({@link PeerLinks}), encoded by
 * {@link PeerCodec}: sent from this actor, read and decoded on the links' threads and delivered
 * here in order per sender. Akka Cluster's membership decides nothing here; its failure detector
 * only hints that a leader is gone. Disk work goes to the log writer, which the tree actor spawned
 * and which reports its completions straight back here; committed records, requests to
 * prepare and changes of role go to the tree actor; session touches reported by learners go to the
 * session tracker. The actor holds no protocol logic.
 */
public final class PeerActor extends AbstractBehavior<PeerActor.Command> {

    public interface Command {
    }

    /** The tree actor and the log writer it owns, told by the tree actor when it starts. */
    public record Wire(ActorRef<TreeActor.Command> tree, ActorRef<LogWriter.Command> log) implements Command {
    }

    /** The session tracker, told by the node once it has spawned it. */
    public record TrackerReady(ActorRef<SessionTracker.Command> tracker) implements Command {
    }

    /** Leader: a record the tree prepared, for {@code origin}'s request {@code tag}. */
    public record Propose(TxnRecord record, long origin, long tag) implements Command {
    }

    /** A write of one of this server's clients (a {@link ForwardedWrite}, encoded). */
    public record Submit(long tag, byte[] request) implements Command {
    }

    public record SubmitSync(long tag) implements Command {
    }

    public record SnapshotReady(long forServer, long zxid, byte[] snapshot) implements Command {
    }

    /** Sessions this server's clients showed signs of life for, since the tracker's last report. */
    public record Touched(List<Long> sessionIds) implements Command {
    }

    /** A completion of disk work the core asked for (a stand-in for the log writer may send it). */
    public record DiskDone(Input completion) implements Command {
    }

    /** What the log writer reports, through an adapter: this actor asks for all the disk work. */
    private record FromLog(LogWriter.Event event) implements Command {
    }

    public record GetStatus(ActorRef<PeerStatus> replyTo) implements Command {
    }

    private enum Tick implements Command {
        INSTANCE
    }

    /** ZooKeeper's finalizeWait, and how often a silent leader is checked on. */
    private enum Settle implements Command {
        INSTANCE
    }

    /** A {@link LeaderProbe} ended: {@code refusedBy} is the leader whose port refused, or -1. */
    private record ProbeDone(long refusedBy) implements Command {
    }

    static final long SETTLE_MS = 200;

    /** A message from server {@code from}, decoded on its link's reader thread. */
    private record Received(long from, PeerMessage message) implements Command {
    }

    /** Akka Cluster's failure detector marked the member at {@code address} unreachable. */
    private record Unreachable(String address) implements Command {
    }

    /**
     * @param links          this server's peer port, bound; the actor starts the links and closes
     *                       them when it stops
     * @param peerAddresses  every server's peer port by id (this server's own is ignored)
     * @param clusterMembers every server's Akka Cluster address ("akka://paddock@host:port") by id,
     *                       to name the server behind the failure detector's verdicts
     */
    public static Behavior<Command> create(Peer core, PeerLinks links, Map<Long, InetSocketAddress> peerAddresses,
                                           Map<Long, String> clusterMembers, int tickTimeMs) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Behaviors.withStash(10_000, stash ->
                waitForWiring(ctx, timers, stash, core, new Links(links, peerAddresses, clusterMembers), tickTimeMs))));
    }

    private record Links(PeerLinks links, Map<Long, InetSocketAddress> peerAddresses,
                         Map<Long, String> clusterMembers) {
    }

    private static Behavior<Command> waitForWiring(ActorContext<Command> ctx, TimerScheduler<Command> timers,
                                                   StashBuffer<Command> stash, Peer core, Links links,
                                                   int tickTimeMs) {
        return Behaviors.receive(Command.class)
                .onMessage(Wire.class, w -> {
                    long halfTick = Math.max(1, tickTimeMs / 2);
                    timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ofMillis(halfTick));
                    timers.startTimerWithFixedDelay(Settle.INSTANCE, Duration.ofMillis(Math.min(SETTLE_MS, halfTick)));
                    return stash.unstashAll(new PeerActor(ctx, core, links, w, halfTick));
                })
                .onSignal(PostStop.class, s -> {
                    links.links().close();
                    return Behaviors.same();
                })
                .onAnyMessage(m -> {
                    stash.stash(m);
                    return Behaviors.same();
                })
                .build();
    }

    /** For the links' reader threads, which must not use the actor's own logger. */
    private static final org.slf4j.Logger LINK_LOG = org.slf4j.LoggerFactory.getLogger(PeerActor.class);

    private final Peer core;
    private final long myId;
    private final PeerLinks links;
    private final PeerCodec codec;
    /** The last message encoded and its bytes: a proposal goes to every follower as the same bytes. */
    private PeerMessage lastEncoded;
    private byte[] lastEncodedBytes;
    private final ActorRef<TreeActor.Command> tree;
    private final ActorRef<LogWriter.Command> log;
    private ActorRef<SessionTracker.Command> tracker;
    private Output.RoleChanged role;
    private final Set<Long> touched = new LinkedHashSet<>();
    /** Server ids by their Akka address ("akka://paddock@host:port"). */
    private final Map<String, Long> addresses = new HashMap<>();
    private final LeaderProbe probe;

    private PeerActor(ActorContext<Command> ctx, Peer core, Links links, Wire wire, long halfTickMs) {
        super(ctx);
        this.core = core;
        this.myId = core.status().myId();
        this.codec = new PeerCodec(SerializationExtension.get(Adapter.toClassic(ctx.getSystem())));
        this.tree = wire.tree();
        this.log = wire.log();
        log.tell(new LogWriter.ReportTo(ctx.messageAdapter(LogWriter.Event.class, FromLog::new)));
        // Pings come every half tick: one and a half without any is worth a look.
        this.probe = new LeaderProbe(links.peerAddresses(), halfTickMs * 3 / 2);
        links.clusterMembers().forEach((id, address) -> addresses.put(address, id));
        this.links = links.links();
        ActorRef<Command> self = ctx.getSelf();
        this.links.start(links.peerAddresses(), (from, bytes) -> {
            try {
                self.tell(new Received(from, codec.decode(bytes)));
            } catch (IOException e) {
                LINK_LOG.warn("Dropping a message from server {} that cannot be read: {}", from, e.getMessage());
            }
        });
        // Membership decides nothing here; an unreachable leader only ends the wait for syncLimit.
        ActorRef<ClusterEvent.UnreachableMember> unreachable = ctx.messageAdapter(ClusterEvent.UnreachableMember.class,
                u -> new Unreachable(u.member().address().toString()));
        Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(unreachable, ClusterEvent.UnreachableMember.class));
        ctx.getLog().info("Server {} starts LOOKING (last logged zxid 0x{}, peer port {}, peers {})", myId,
                Long.toHexString(core.status().lastLoggedZxid()), this.links.localPort(), links.peerAddresses());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Received.class, this::onReceived)
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessageEquals(Settle.INSTANCE, this::onSettle)
                .onMessage(ProbeDone.class, this::onProbeDone)
                .onMessage(Propose.class, p -> step(new Input.Propose(p.record(), p.origin(), p.tag())))
                .onMessage(Submit.class, s -> step(new Input.Submit(s.tag(), s.request())))
                .onMessage(SubmitSync.class, s -> step(new Input.SubmitSync(s.tag())))
                .onMessage(SnapshotReady.class, s -> step(new Input.SnapshotReady(s.forServer(), s.zxid(), s.snapshot())))
                .onMessage(Touched.class, t -> {
                    touched.addAll(t.sessionIds());
                    return this;
                })
                .onMessage(DiskDone.class, d -> step(d.completion()))
                .onMessage(FromLog.class, f -> onLog(f.event()))
                .onMessage(Unreachable.class, u -> {
                    Long id = addresses.get(u.address());
                    if (id == null) {
                        return this;
                    }
                    getContext().getLog().info("Server {} is unreachable, says the cluster's failure detector", id);
                    return step(new Input.PeerUnreachable(id));
                })
                .onMessage(TrackerReady.class, t -> {
                    tracker = t.tracker();
                    if (role != null) {
                        tracker.tell(new SessionTracker.RoleChanged(role));
                    }
                    return this;
                })
                .onMessage(GetStatus.class, g -> {
                    g.replyTo().tell(core.status());
                    return this;
                })
                .onSignal(PostStop.class, s -> {
                    links.close();
                    return this;
                })
                .build();
    }

    private Behavior<Command> onLog(LogWriter.Event event) {
        if (event instanceof LogWriter.Persisted p) {
            return step(new Input.Persisted(p.zxid()));
        } else if (event instanceof LogWriter.EpochsPersisted e) {
            return step(new Input.EpochsPersisted(e.acceptedEpoch(), e.currentEpoch()));
        } else if (event instanceof LogWriter.Truncated t) {
            // The tree hears of its new state before any record the core commits after it.
            tree.tell(new TreeActor.ResetTree(t.tree()));
            return step(new Input.Truncated(t.zxid()));
        } else if (event instanceof LogWriter.Installed i) {
            tree.tell(new TreeActor.ResetTree(i.tree()));
            return step(new Input.SnapshotInstalled(i.zxid()));
        } else if (event instanceof LogWriter.Failed f) {
            // ZooKeeper exits here too: a member that cannot log cannot ack, and its peers carry on.
            getContext().getLog().error("The transaction log failed ({}); stopping this server", f.reason());
            return Behaviors.stopped();
        }
        throw new IllegalStateException("unknown log event " + event);
    }

    private Behavior<Command> onReceived(Received r) {
        probe.heard(r.from(), System.nanoTime());
        return step(new Input.Received(r.from(), r.message()));
    }

    private Behavior<Command> onTick() {
        if (!touched.isEmpty()) {
            List<Long> ids = new ArrayList<>(touched);
            touched.clear();
            run(core.step(new Input.Touched(ids)));
        }
        return step(new Input.Tick());
    }

    private Behavior<Command> onSettle() {
        step(new Input.Settle());
        var started = probe.probeIfDue(System.nanoTime(),
                getContext().getSystem().dispatchers().lookup(DispatcherSelector.blocking()));
        if (started != null) {
            getContext().pipeToSelf(started, (refusedBy, error) -> new ProbeDone(error == null ? refusedBy : -1));
        }
        return this;
    }

    private Behavior<Command> onProbeDone(ProbeDone done) {
        probe.probeDone(System.nanoTime());
        if (done.refusedBy() < 0 || done.refusedBy() != probe.leaderId()) {
            return this;
        }
        getContext().getLog().info("Leader {} is silent and its peer port {} refuses connections: its process is gone",
                done.refusedBy(), probe.peerPort(done.refusedBy()));
        return step(new Input.PeerUnreachable(done.refusedBy()));
    }

    private Behavior<Command> step(Input input) {
        run(core.step(input));
        return this;
    }

    /** Carries out the core's outputs in order; consecutive Applies reach the tree as one message. */
    private void run(List<Output> outputs) {
        List<Output.Apply> applies = new ArrayList<>();
        for (Output o : outputs) {
            if (o instanceof Output.Apply a) {
                applies.add(a);
                continue;
            }
            if (!applies.isEmpty()) {
                tree.tell(new TreeActor.ApplyCommitted(List.copyOf(applies)));
                applies.clear();
            }
            if (o instanceof Output.Send s) {
                send(s.to(), s.message());
            } else if (o instanceof Output.Append a) {
                log.tell(new LogWriter.Append(TreeActor.ENSEMBLE_GENERATION, a.record()));
            } else if (o instanceof Output.Truncate t) {
                log.tell(new LogWriter.Truncate(t.zxid()));
            } else if (o instanceof Output.InstallSnapshot i) {
                log.tell(new LogWriter.Install(i.zxid(), i.snapshot()));
            } else if (o instanceof Output.PersistEpochs e) {
                log.tell(new LogWriter.PersistEpochs(e.acceptedEpoch(), e.currentEpoch()));
            } else if (o instanceof Output.TakeSnapshot t) {
                tree.tell(new TreeActor.TakeSnapshot(t.forServer(), getContext().getSelf()));
            } else if (o instanceof Output.Prepare p) {
                tree.tell(new TreeActor.PrepareForwarded(p.origin(), p.tag(), p.request()));
            } else if (o instanceof Output.Refused r) {
                tree.tell(new TreeActor.Refused(r.tag(), r.reason()));
            } else if (o instanceof Output.SyncDone s) {
                tree.tell(new TreeActor.SyncDone(s.tag(), s.zxid()));
            } else if (o instanceof Output.SessionsTouched t) {
                if (tracker != null) {
                    tracker.tell(new SessionTracker.TouchedElsewhere(t.sessionIds()));
                }
            } else if (o instanceof Output.RoleChanged r) {
                getContext().getLog().info("Server {} is {}{} (leader {}, epoch {})", myId, r.state(),
                        r.serving() ? " and serving" : ", not serving", r.leaderId(), r.epoch());
                if (role == null || role.leaderId() != r.leaderId() || role.state() != r.state()) {
                    boolean learning = r.state() == ServerState.FOLLOWING
                            || r.state() == ServerState.OBSERVING;
                    probe.follow(learning ? r.leaderId() : -1, System.nanoTime());
                }
                role = r;
                tree.tell(new TreeActor.RoleChanged(r));
                if (tracker != null) {
                    tracker.tell(new SessionTracker.RoleChanged(r));
                }
            } else {
                throw new IllegalStateException("unknown output " + o);
            }
        }
        if (!applies.isEmpty()) {
            tree.tell(new TreeActor.ApplyCommitted(List.copyOf(applies)));
        }
        // A SNAP's bytes must not stay reachable from here until the next send.
        lastEncoded = null;
        lastEncodedBytes = null;
    }

    private void send(long to, PeerMessage message) {
        // How each learner is brought up to date is what an operator looks for after a failure.
        if (message instanceof PeerMessage.Diff d) {
            getContext().getLog().info("Synchronising server {} with a DIFF after zxid 0x{}", to, Long.toHexString(d.zxid()));
        } else if (message instanceof PeerMessage.Trunc t) {
            getContext().getLog().info("Synchronising server {} with a TRUNC to zxid 0x{}", to, Long.toHexString(t.zxid()));
        } else if (message instanceof PeerMessage.Snap s) {
            getContext().getLog().info("Synchronising server {} with a SNAP of the tree at zxid 0x{} ({} bytes)", to,
                    Long.toHexString(s.zxid()), s.snapshot().length);
        }
        if (message != lastEncoded) {
            lastEncodedBytes = codec.encode(message);
            lastEncoded = message;
        }
        links.send(to, lastEncodedBytes);
    }
}
