package io.paddock;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.paddock.api.http.HttpApi;
import io.paddock.api.zk.ZkFrontEnd;
import io.paddock.api.zk.ZkServer;
import io.paddock.server.ActorGateway;
import io.paddock.server.ClusterSettings;
import io.paddock.server.PeerActor;
import io.paddock.server.PaddockConfig;
import io.paddock.server.ServerGateway;
import io.paddock.server.SessionTracker;
import io.paddock.server.LogWriter;
import io.paddock.server.TreeActor;
import io.paddock.storage.EpochFiles;
import io.paddock.storage.MyId;
import io.paddock.storage.Recovery;
import io.paddock.storage.TxnLog;
import io.paddock.tree.DataTree;
import io.paddock.zab.Ensemble;
import io.paddock.zab.Peer;
import io.paddock.zab.Timing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running Paddock server: its actor system, the server's actors, its HTTP API and its
 * ZooKeeper-protocol port. This is
 * what {@code bin/paddock server} runs, what tests start, and what an Akka application can embed.
 */
public final class PaddockNode implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private record Actors(ActorRef<TreeActor.Command> tree, ActorRef<SessionTracker.Command> tracker,
                          ActorRef<PeerActor.Command> peer, AtomicLong appliedZxid, AtomicBoolean serving) {
    }

    private final ActorSystem<Void> system;
    private final ActorRef<TreeActor.Command> tree;
    private final ServerGateway gateway;
    private final ServerBinding httpBinding;
    private final ZkServer zk;
    private final long serverId;

    private PaddockNode(long serverId, ActorSystem<Void> system, ActorRef<TreeActor.Command> tree, ServerGateway gateway,
                        ServerBinding httpBinding, ZkServer zk) {
        this.system = system;
        this.tree = tree;
        this.gateway = gateway;
        this.httpBinding = httpBinding;
        this.zk = zk;
        this.serverId = serverId;
    }

    /** This server's id: dataDir/myid in an ensemble, 0 standalone. */
    public long serverId() {
        return serverId;
    }

    public static PaddockNode start(PaddockConfig config) throws Exception {
        return start(config, ConfigFactory.load());
    }

    /**
     * Starts a node with the given Akka configuration (application.conf overrides): recovers the
     * tree from dataDir (newest valid snapshot plus the log after it), then starts the actors and
     * binds the HTTP API. A corrupt log stops the start with an exception naming file and offset.
     */
    public static PaddockNode start(PaddockConfig config, Config akkaConfig) throws Exception {
        java.nio.file.Files.createDirectories(config.dataDir());
        // A standalone server is server 0, as in ZooKeeper; a member of an ensemble is dataDir/myid.
        long serverId = config.standalone() ? 0 : MyId.read(config.dataDir());
        TxnLog log = TxnLog.open(config.dataDir(), LogWriter.options(config.storage()));
        DataTree tree;
        Peer core = null;
        try {
            tree = Recovery.recover(config.dataDir(), log).tree();
            if (!config.standalone()) {
                core = core(config, serverId, tree, log);
                akkaConfig = ClusterSettings.forEnsemble(config, serverId, config.peerBindAddress())
                        .withFallback(akkaConfig);
            }
        } catch (Exception e) {
            log.close();
            throw e;
        }
        CompletableFuture<Actors> actors = new CompletableFuture<>();
        ActorSystem<Void> system = ActorSystem.create(guardian(config, serverId, tree, log, core, actors),
                ClusterSettings.SYSTEM_NAME, akkaConfig);
        try {
            Actors a = actors.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            ServerGateway gateway = new ActorGateway(system, a.tree(), a.tracker(), config.eventWindow(), a.peer(),
                    config.tickTime(), a.appliedZxid()::get, a.serving()::get);
            ServerBinding binding = new HttpApi(gateway, config, system)
                    .bind(config.clientPortAddress(), config.httpPort())
                    .toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "http-unbind",
                    () -> binding.unbind().thenApply(x -> Done.getInstance()));
            ZkServer zk = ZkServer.bind(gateway, config, new ZkFrontEnd(config, System.currentTimeMillis()), system)
                    .toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "zk-unbind", zk::unbind);
            return new PaddockNode(serverId, system, a.tree(), gateway, binding, zk);
        } catch (Exception e) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /**
     * The ZAB core of an ensemble member, from what its dataDir holds: both epochs, the last logged
     * zxid (the recovered tree applied the whole log, as ZooKeeper's does at start-up) and the log's
     * tail, from which a leader serves DIFFs.
     */
    private static Peer core(PaddockConfig config, long serverId, DataTree tree, TxnLog log) throws IOException {
        SortedSet<Long> voters = new TreeSet<>();
        SortedSet<Long> observers = new TreeSet<>();
        config.servers().forEach((id, spec) -> (spec.observer() ? observers : voters).add(id));
        EpochFiles.Epochs epochs = EpochFiles.read(config.dataDir(), tree.lastZxid());
        Peer.Options options = new Peer.Options(config.storage().commitLogCount());
        return new Peer(new Ensemble(serverId, voters, observers), new Timing(config.initLimit(), config.syncLimit()),
                options, epochs.accepted(), epochs.current(), tree.lastZxid(), log.tail(options.historyWindow()));
    }

    /**
     * Spawns the server's actors. If one of them stops, the server can no longer keep its
     * promises, so the whole node stops rather than serve half-alive.
     */
    private static Behavior<Void> guardian(PaddockConfig config, long serverId, DataTree recovered, TxnLog log,
                                           Peer core, CompletableFuture<Actors> ready) {
        return Behaviors.setup(ctx -> {
            // The tracker learns the recovered sessions before the tree actor can change them.
            var sessions = Map.copyOf(recovered.sessions());
            AtomicLong appliedZxid = new AtomicLong(recovered.lastZxid());
            AtomicBoolean serving = new AtomicBoolean(core == null);
            ActorRef<PeerActor.Command> peer = null;
            if (core != null) {
                Map<Long, String> paths = new HashMap<>();
                config.servers().forEach((id, spec) -> paths.put(id, ClusterSettings.peerPath(spec)));
                // Named "peer": the other servers address it by this path (ClusterSettings.peerPath).
                peer = ctx.spawn(PeerActor.create(core, paths, config.tickTime()), "peer");
                ctx.watch(peer);
            }
            ActorRef<TreeActor.Command> tree = ctx.spawn(
                    TreeActor.create(config, serverId, System::currentTimeMillis, recovered, log, peer, appliedZxid, serving),
                    "tree");
            ActorRef<SessionTracker.Command> tracker = ctx.spawn(
                    SessionTracker.create(config, serverId, tree, System::currentTimeMillis, sessions, peer), "sessions");
            if (peer != null) {
                tree.tell(new TreeActor.TrackSessions(tracker));
                peer.tell(new PeerActor.TrackerReady(tracker));
            }
            ctx.watch(tree);
            ctx.watch(tracker);
            ready.complete(new Actors(tree, tracker, peer, appliedZxid, serving));
            return Behaviors.<Void>receive(Void.class)
                    .onSignal(Terminated.class, t -> {
                        ctx.getLog().error("{} stopped; stopping the server", t.getRef().path().name());
                        ctx.getSystem().terminate();
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    public ServerGateway gateway() {
        return gateway;
    }

    public InetSocketAddress httpAddress() {
        return httpBinding.localAddress();
    }

    /** Where the ZooKeeper client protocol is served (clientPortAddress:clientPort). */
    public InetSocketAddress clientAddress() {
        return zk.localAddress();
    }

    public ActorSystem<?> system() {
        return system;
    }

    /** A digest of the whole applied tree and its sessions: equal trees, equal digests. */
    public CompletionStage<Long> treeDigest() {
        return akka.actor.typed.javadsl.AskPattern.ask(tree, TreeActor.GetDigest::new, START_TIMEOUT, system.scheduler());
    }

    public CompletionStage<Done> whenTerminated() {
        return system.getWhenTerminated();
    }

    /** Stops the node gracefully and waits until it has stopped. */
    @Override
    public void close() {
        CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
        try {
            system.getWhenTerminated().toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the node did not stop within " + START_TIMEOUT, e);
        }
    }
}
