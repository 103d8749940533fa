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
import io.paddock.server.ActorGateway;
import io.paddock.server.PaddockConfig;
import io.paddock.server.ServerGateway;
import io.paddock.server.SessionTracker;
import io.paddock.server.LogWriter;
import io.paddock.server.TreeActor;
import io.paddock.storage.Recovery;
import io.paddock.storage.TxnLog;
import io.paddock.tree.DataTree;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One running Paddock server: its actor system, the server's actors, and its HTTP API. This is
 * what {@code bin/paddock server} runs, what tests start, and what an Akka application can embed.
 */
public final class PaddockNode implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private record Actors(ActorRef<TreeActor.Command> tree, ActorRef<SessionTracker.Command> tracker) {
    }

    private final ActorSystem<Void> system;
    private final ActorRef<TreeActor.Command> tree;
    private final ServerGateway gateway;
    private final ServerBinding httpBinding;

    private PaddockNode(ActorSystem<Void> system, ActorRef<TreeActor.Command> tree, ServerGateway gateway,
                        ServerBinding httpBinding) {
        this.system = system;
        this.tree = tree;
        this.gateway = gateway;
        this.httpBinding = httpBinding;
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
        long serverId = 0; // a standalone server is server 0, as in ZooKeeper
        java.nio.file.Files.createDirectories(config.dataDir());
        TxnLog log = TxnLog.open(config.dataDir(), LogWriter.options(config.storage()));
        DataTree tree;
        try {
            tree = Recovery.recover(config.dataDir(), log).tree();
        } catch (Exception e) {
            log.close();
            throw e;
        }
        CompletableFuture<Actors> actors = new CompletableFuture<>();
        ActorSystem<Void> system = ActorSystem.create(guardian(config, serverId, tree, log, actors), "paddock",
                akkaConfig);
        try {
            Actors a = actors.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            ServerGateway gateway = new ActorGateway(system, a.tree(), a.tracker(), config.eventWindow());
            ServerBinding binding = new HttpApi(gateway, config, system)
                    .bind(config.clientPortAddress(), config.httpPort())
                    .toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "http-unbind",
                    () -> binding.unbind().thenApply(x -> Done.getInstance()));
            return new PaddockNode(system, a.tree(), gateway, binding);
        } catch (Exception e) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /**
     * Spawns the server's actors. If one of them stops, the server can no longer keep its
     * promises, so the whole node stops rather than serve half-alive.
     */
    private static Behavior<Void> guardian(PaddockConfig config, long serverId, DataTree recovered, TxnLog log,
                                           CompletableFuture<Actors> ready) {
        return Behaviors.setup(ctx -> {
            // The tracker learns the recovered sessions before the tree actor can change them.
            var sessions = Map.copyOf(recovered.sessions());
            ActorRef<TreeActor.Command> tree =
                    ctx.spawn(TreeActor.create(config, serverId, System::currentTimeMillis, recovered, log), "tree");
            ActorRef<SessionTracker.Command> tracker = ctx.spawn(
                    SessionTracker.create(config, serverId, tree, System::currentTimeMillis, sessions), "sessions");
            ctx.watch(tree);
            ctx.watch(tracker);
            ready.complete(new Actors(tree, tracker));
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
