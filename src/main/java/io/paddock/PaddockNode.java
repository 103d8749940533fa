package io.paddock;

import akka.Done;
import akka.actor.Cancellable;
import akka.actor.CoordinatedShutdown;
import akka.actor.InvalidActorNameException;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Props;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.paddock.api.http.HttpApi;
import io.paddock.api.http.HttpBinding;
import io.paddock.api.zk.ZkFrontEnd;
import io.paddock.api.zk.ZkServer;
import io.paddock.server.ActorGateway;
import io.paddock.server.ClusterSettings;
import io.paddock.server.PeerActor;
import io.paddock.server.PeerLinks;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    /**
     * What a node embedded in an application's actor system has besides what every node has: the
     * root of its actors, a stage completed once they have all stopped, and the application's
     * shutdown task that unbinds the node's ports (cancelled when the node is closed first).
     */
    private record Embedding(ActorRef<StopNode> root, CompletableFuture<Done> stopped, Cancellable unbindOnShutdown) {
    }

    /** Tells an embedded node's root actor to stop the node's actors. */
    private enum StopNode { INSTANCE }

    /** The name of an embedded node's root actor among the application's system actors: one node per system. */
    static final String EMBEDDED_NAME = "paddock";

    /** The dispatchers the server's actors are spawned on: an application's system must define them too. */
    private static final List<String> DISPATCHERS = List.of("paddock.log-dispatcher", "paddock.snapshot-dispatcher");

    private final ActorSystem<?> system;
    private final ActorRef<TreeActor.Command> tree;
    private final ServerGateway gateway;
    private final HttpBinding httpBinding;
    private final ZkServer zk;
    private final long serverId;
    private final Embedding embedding;

    private PaddockNode(long serverId, ActorSystem<?> system, ActorRef<TreeActor.Command> tree, ServerGateway gateway,
                        HttpBinding httpBinding, ZkServer zk) {
        this(serverId, system, tree, gateway, httpBinding, zk, null);
    }

    private PaddockNode(long serverId, ActorSystem<?> system, ActorRef<TreeActor.Command> tree, ServerGateway gateway,
                        HttpBinding httpBinding, ZkServer zk, Embedding embedding) {
        this.system = system;
        this.tree = tree;
        this.gateway = gateway;
        this.httpBinding = httpBinding;
        this.zk = zk;
        this.serverId = serverId;
        this.embedding = embedding;
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
        PeerLinks links = null;
        try {
            tree = Recovery.recover(config.dataDir(), log).tree();
            if (!config.standalone()) {
                core = core(config, serverId, tree, log);
                PaddockConfig.ServerSpec me = config.servers().get(serverId);
                String bindHost = config.peerBindAddress() == null ? me.host() : config.peerBindAddress();
                links = PeerLinks.bind(serverId, new InetSocketAddress(bindHost, me.peerPort()));
                akkaConfig = ClusterSettings.forEnsemble(config, serverId, config.peerBindAddress())
                        .withFallback(akkaConfig);
            }
        } catch (Exception e) {
            log.close();
            throw e;
        }
        CompletableFuture<Actors> actors = new CompletableFuture<>();
        ActorSystem<Void> system;
        try {
            system = ActorSystem.create(guardian(config, serverId, tree, log, core, links, actors),
                    ClusterSettings.SYSTEM_NAME, akkaConfig);
        } catch (RuntimeException e) {
            if (links != null) {
                links.close();
            }
            throw e;
        }
        try {
            Actors a = actors.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            ServerGateway gateway = new ActorGateway(system, a.tree(), a.tracker(), config.eventWindow(), a.peer(),
                    config.tickTime(), a.appliedZxid()::get, a.serving()::get);
            HttpBinding binding = new HttpApi(gateway, config, system)
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
     * Starts a standalone node inside an application's own actor system: the server's actors under
     * a system actor named "paddock" (/system/paddock), its HTTP API and ZooKeeper-protocol port
     * bound with the application's system. {@link #close()} stops only those actors and bindings;
     * the application's system and actors go on. A node that stops on its own (one of its actors
     * failed) also leaves the application's system running: {@link #whenTerminated()} completes.
     *
     * <p>The application's system must define the two dispatchers the server's actors run on (its
     * log writer and snapshot taker block on disk): Paddock's application.conf defines them, so a
     * system created from {@code ConfigFactory.load()} with Paddock on the classpath has them; when
     * an application's own configuration replaced it (a shaded jar keeps one application.conf), add
     * {@link #akkaSettings()} as a fallback: {@code ActorSystem.create(guardian, "app",
     * ConfigFactory.load().withFallback(PaddockNode.akkaSettings()))}. One system embeds at most one
     * node at a time.
     *
     * <p>Only a standalone configuration can be embedded. An ensemble member's peers address each
     * other as {@code akka://paddock@host:peerPort/user/peer}, so a member needs an actor system
     * named "paddock", using the cluster provider with Artery on its own peerPort
     * ({@link ClusterSettings#forEnsemble}), with the peer actor at the top of the user guardian,
     * which only the system's own guardian can spawn: that is the system {@link #start} creates, so
     * run a member with {@link #start} (it may share the JVM with the application).
     *
     * @throws IllegalArgumentException for an ensemble member's configuration, or a system without
     *                                  Paddock's dispatchers
     * @throws IllegalStateException    if the system already embeds a running node
     */
    public static PaddockNode embedded(ActorSystem<?> appSystem, PaddockConfig config) throws Exception {
        Objects.requireNonNull(appSystem, "appSystem");
        if (!config.standalone()) {
            throw new IllegalArgumentException("only a standalone server can be embedded in an application's actor "
                    + "system; an ensemble member (" + config.servers().size() + " server.N lines) needs the actor "
                    + "system PaddockNode.start creates (named \"" + ClusterSettings.SYSTEM_NAME
                    + "\", cluster provider, Artery on its peerPort)");
        }
        for (String dispatcher : DISPATCHERS) {
            if (!appSystem.settings().config().hasPath(dispatcher)) {
                throw new IllegalArgumentException("the actor system \"" + appSystem.name() + "\" has no " + dispatcher
                        + ", on which Paddock's actors run: create it with PaddockNode.akkaSettings() as a fallback "
                        + "of its configuration");
            }
        }
        java.nio.file.Files.createDirectories(config.dataDir());
        TxnLog log = TxnLog.open(config.dataDir(), LogWriter.options(config.storage()));
        DataTree recovered;
        try {
            recovered = Recovery.recover(config.dataDir(), log).tree();
        } catch (Exception e) {
            log.close();
            throw e;
        }
        CompletableFuture<Actors> actors = new CompletableFuture<>();
        CompletableFuture<Done> stopped = new CompletableFuture<>();
        ActorRef<StopNode> root;
        try {
            root = appSystem.systemActorOf(embeddedRoot(guardian(config, 0, recovered, log, null, null, actors, true), stopped),
                    EMBEDDED_NAME, Props.empty());
        } catch (InvalidActorNameException e) {
            log.close();
            throw new IllegalStateException("the actor system \"" + appSystem.name() + "\" already embeds a Paddock node", e);
        }
        try {
            CompletableFuture.anyOf(actors, stopped).get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!actors.isDone()) {
                throw new IllegalStateException("the Paddock node's actors stopped while starting (see the log)");
            }
            Actors a = actors.join();
            ServerGateway gateway = new ActorGateway(appSystem, a.tree(), a.tracker(), config.eventWindow(), null,
                    config.tickTime(), a.appliedZxid()::get, a.serving()::get);
            HttpBinding binding = new HttpApi(gateway, config, appSystem)
                    .bind(config.clientPortAddress(), config.httpPort())
                    .toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            ZkServer zk;
            try {
                zk = ZkServer.bind(gateway, config, new ZkFrontEnd(config, System.currentTimeMillis()), appSystem)
                        .toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                binding.unbind();
                throw e;
            }
            // A node that stops on its own gives its ports back as well.
            stopped.thenRun(() -> {
                binding.unbind();
                zk.unbind();
            });
            Cancellable unbindOnShutdown = CoordinatedShutdown.get(appSystem).addCancellableTask(
                    CoordinatedShutdown.PhaseServiceUnbind(), "paddock-unbind",
                    () -> binding.unbind().thenCombine(zk.unbind(), (x, y) -> Done.getInstance()));
            return new PaddockNode(0, appSystem, a.tree(), gateway, binding, zk,
                    new Embedding(root, stopped, unbindOnShutdown));
        } catch (Exception e) {
            root.tell(StopNode.INSTANCE);
            stopped.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /**
     * The Akka settings the server's actors need in any actor system: the dispatchers of its log
     * writer and snapshot taker, as Paddock's application.conf defines them. For
     * {@link #embedded}, as a fallback of the application's configuration.
     */
    public static Config akkaSettings() {
        // Pinned: each blocks in write() and force(), so each gets a thread of its own.
        return ConfigFactory.parseString("""
                paddock {
                  log-dispatcher {
                    type = PinnedDispatcher
                    executor = "thread-pool-executor"
                  }
                  snapshot-dispatcher {
                    type = PinnedDispatcher
                    executor = "thread-pool-executor"
                  }
                }
                """);
    }

    /**
     * The root of an embedded node's actors: stops them when told to or when the guardian stops
     * on its own, and completes {@code stopped} once all of them have stopped (children stop first).
     */
    private static Behavior<StopNode> embeddedRoot(Behavior<Void> guardian, CompletableFuture<Done> stopped) {
        return Behaviors.setup(ctx -> {
            ctx.watch(ctx.spawn(guardian, "node"));
            return Behaviors.receive(StopNode.class)
                    .onMessageEquals(StopNode.INSTANCE, Behaviors::stopped)
                    .onSignal(Terminated.class, t -> Behaviors.stopped())
                    .onSignal(PostStop.class, s -> {
                        stopped.complete(Done.getInstance());
                        return Behaviors.same();
                    })
                    .build();
        });
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
                                           Peer core, PeerLinks links, CompletableFuture<Actors> ready) {
        return guardian(config, serverId, recovered, log, core, links, ready, false);
    }

    /**
     * @param embedded whether the node lives in an application's actor system: then a stopped actor
     *                 stops only the node's actors, never the application's system
     */
    private static Behavior<Void> guardian(PaddockConfig config, long serverId, DataTree recovered, TxnLog log,
                                           Peer core, PeerLinks links, CompletableFuture<Actors> ready,
                                           boolean embedded) {
        return Behaviors.setup(ctx -> {
            // The tracker learns the recovered sessions before the tree actor can change them.
            var sessions = Map.copyOf(recovered.sessions());
            AtomicLong appliedZxid = new AtomicLong(recovered.lastZxid());
            AtomicBoolean serving = new AtomicBoolean(core == null);
            ActorRef<PeerActor.Command> peer = null;
            if (core != null) {
                Map<Long, InetSocketAddress> peerPorts = new HashMap<>();
                Map<Long, String> members = new HashMap<>();
                config.servers().forEach((id, spec) -> {
                    peerPorts.put(id, new InetSocketAddress(spec.host(), spec.peerPort()));
                    members.put(id, ClusterSettings.address(spec));
                });
                peer = ctx.spawn(PeerActor.create(core, links, peerPorts, members, config.tickTime()), "peer");
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
                        if (embedded) {
                            return Behaviors.stopped();
                        }
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

    /** Completes when the node has stopped: its actor system terminated, or for an embedded node its actors. */
    public CompletionStage<Done> whenTerminated() {
        return embedding != null ? embedding.stopped() : system.getWhenTerminated();
    }

    /** Whether the node runs inside an application's actor system ({@link #embedded}). */
    public boolean isEmbedded() {
        return embedding != null;
    }

    /**
     * Stops the node gracefully and waits until it has stopped. An embedded node unbinds its ports,
     * ends its HTTP connections and stops its own actors; the application's system goes on.
     */
    @Override
    public void close() {
        if (embedding != null) {
            closeEmbedded();
            return;
        }
        CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
        try {
            system.getWhenTerminated().toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the node did not stop within " + START_TIMEOUT, e);
        }
    }

    private void closeEmbedded() {
        embedding.unbindOnShutdown().cancel();
        try {
            // terminate, not unbind: it also ends open connections (event streams would outlive the node).
            httpBinding.terminate().toCompletableFuture()
                    .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            zk.unbind().toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            zk.closeConnections();
            embedding.root().tell(StopNode.INSTANCE);
            embedding.stopped().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the embedded node", e);
        } catch (Exception e) {
            throw new IllegalStateException("the embedded node did not stop within " + START_TIMEOUT, e);
        }
    }
}
