package io.paddock.examples;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AskPattern;
import com.typesafe.config.ConfigFactory;
import io.paddock.PaddockNode;
import io.paddock.client.CreateOptions;
import io.paddock.client.PaddockException;
import io.paddock.client.akka.PaddockClientActor;
import io.paddock.client.akka.PaddockClientActor.Command;
import io.paddock.client.akka.PaddockClientActor.Response;
import io.paddock.server.PaddockConfig;
import io.paddock.tree.CreateMode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * An Akka application that embeds a Paddock node in its own actor system and uses it through the
 * typed client actor: it writes a configuration znode, and its own {@link ConfigWatcher} actor
 * follows every change; then it closes the node, and its actor system goes on without it.
 *
 * <pre>
 * bin/paddock example akka [--data-dir dir] [--http-port 0]
 * </pre>
 */
public final class AkkaClientExample {

    static final String CONFIG_PATH = "/app/config";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private AkkaClientExample() {
    }

    public static void main(String[] args) {
        System.exit(ExampleCommand.run(prepend("akka", args), System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        ExampleOptions options;
        int httpPort;
        try {
            options = ExampleOptions.parse(args, List.of("data-dir", "http-port"));
            if (!options.positional().isEmpty()) {
                throw new IllegalArgumentException("unexpected arguments " + options.positional());
            }
            httpPort = Integer.parseInt(options.string("http-port", "0"));
        } catch (IllegalArgumentException e) {
            err.println("paddock example akka: " + e.getMessage());
            err.println("Usage: paddock example akka [--data-dir dir] [--http-port 0]");
            return ExampleCommand.USAGE;
        }
        Path dataDir;
        boolean temporary = options.string("data-dir", null) == null;
        try {
            dataDir = temporary ? Files.createTempDirectory("paddock-akka-example") : Path.of(options.string("data-dir", null));
        } catch (IOException e) {
            err.println("paddock example akka: cannot make a data directory: " + e.getMessage());
            return ExampleCommand.FAILED;
        }
        // The application's own system. Paddock's settings as a fallback give it the dispatchers
        // the node's actors need, should the application's configuration lack them.
        ActorSystem<SpawnProtocol.Command> system = ActorSystem.create(SpawnProtocol.create(), "app",
                ConfigFactory.load().withFallback(PaddockNode.akkaSettings()));
        try {
            return runIn(system, dataDir, httpPort, out);
        } catch (PaddockException e) {
            err.println("paddock example akka: " + e.getMessage());
            return ExampleCommand.FAILED;
        } catch (Exception e) {
            err.println("paddock example akka: " + e);
            return ExampleCommand.FAILED;
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionally(t -> null).join();
            if (temporary) {
                deleteTree(dataDir);
            }
        }
    }

    private static int runIn(ActorSystem<SpawnProtocol.Command> system, Path dataDir, int httpPort, PrintStream out)
            throws Exception {
        PaddockNode node = PaddockNode.embedded(system,
                PaddockConfig.defaults(dataDir).withPorts(0, httpPort).withClientPortAddress("127.0.0.1"));
        String connect = "127.0.0.1:" + node.httpAddress().getPort();
        out.println("embedded a Paddock node in actor system \"" + system.name() + "\": HTTP API on " + connect
                + ", ZooKeeper protocol on port " + node.clientAddress().getPort() + ", data in " + dataDir);

        ActorRef<Command> paddock = spawn(system, PaddockClientActor.create(connect), "paddock-client");
        ask(system, paddock, r -> new PaddockClientActor.Create(CONFIG_PATH, bytes("v1"),
                CreateOptions.of(CreateMode.PERSISTENT).withParents(), r)).expect(PaddockClientActor.CreateResult.class);
        out.println("created " + CONFIG_PATH + " = v1");

        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        spawn(system, ConfigWatcher.create(paddock, CONFIG_PATH, value -> {
            out.println("config watcher: " + CONFIG_PATH + " = " + value);
            seen.add(value);
        }), "config-watcher");
        awaitValue(seen, "v1");
        for (String value : List.of("v2", "v3")) {
            PaddockClientActor.SetDataResult set = ask(system, paddock,
                    r -> new PaddockClientActor.SetData(CONFIG_PATH, bytes(value), -1, r))
                    .expect(PaddockClientActor.SetDataResult.class);
            out.println("set " + CONFIG_PATH + " = " + value + " (version " + set.stat().version() + ")");
            awaitValue(seen, value);
        }

        PaddockClientActor.CreateResult member = ask(system, paddock, r -> new PaddockClientActor.Create("/app/members/m-",
                bytes(""), CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL).withParents(), r))
                .expect(PaddockClientActor.CreateResult.class);
        PaddockClientActor.GetChildrenResult members = ask(system, paddock,
                r -> new PaddockClientActor.GetChildren("/app/members", false, r))
                .expect(PaddockClientActor.GetChildrenResult.class);
        out.println("joined as " + member.path() + "; members: " + members.children());

        // Closing the session first removes its ephemeral node at once, while the node still serves.
        AskPattern.<Command, akka.Done>ask(paddock, PaddockClientActor.Close::new, TIMEOUT, system.scheduler())
                .toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        out.println("closed the client actor's session");
        node.close();
        boolean appRunning = !system.getWhenTerminated().toCompletableFuture().isDone();
        out.println("closed the node; actor system \"" + system.name() + "\" still running: " + appRunning);
        return appRunning ? ExampleCommand.OK : ExampleCommand.FAILED;
    }

    private static void awaitValue(BlockingQueue<String> seen, String value) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (String v = null; !value.equals(v); ) {
            v = seen.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (v == null) {
                throw new IllegalStateException("the config watcher did not see " + value + " within " + TIMEOUT);
            }
        }
    }

    private static Response ask(ActorSystem<?> system, ActorRef<Command> paddock,
                                Function<ActorRef<Response>, Command> request) throws Exception {
        return AskPattern.ask(paddock, request::apply, TIMEOUT, system.scheduler())
                .toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Spawns a top-level actor of the application from outside, through its SpawnProtocol guardian. */
    private static <T> ActorRef<T> spawn(ActorSystem<SpawnProtocol.Command> system, Behavior<T> behavior, String name)
            throws Exception {
        return AskPattern.<SpawnProtocol.Command, ActorRef<T>>ask(system,
                        replyTo -> new SpawnProtocol.Spawn<>(behavior, name, Props.empty(), replyTo),
                        TIMEOUT, system.scheduler())
                .toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
