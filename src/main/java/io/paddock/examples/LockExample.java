package io.paddock.examples;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.recipes.DistributedMutex;
import io.paddock.recipes.LockLease;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The seed's second case, a distributed lock: every contender queues an EPHEMERAL_SEQUENTIAL node
 * under the lock's path, the first node holds it, and each other contender watches only the node
 * before its own (no herd effect). {@link DistributedMutex} is that recipe, finished (release
 * deletes the node, waiting really waits) and re-entrant as Curator's InterProcessMutex.
 *
 * <p>Run two or more at once to see them take turns: each acquisition prints the lease's fencing
 * token (the lock node's czxid, larger for every later holder) and the time, as does each release.
 *
 * <pre>
 * bin/paddock example lock [--connect host:port] [--hold 2s] [--times 3] [--path /locks/example]
 * </pre>
 */
final class LockExample {

    static final String DEFAULT_PATH = "/locks/example";

    static final String USAGE = """
            Usage: paddock example lock [--connect host:port] [--hold 2s] [--times 3] [--path /locks/example] [--session-timeout 10s]
              contends for the lock --times times, holding it --hold each time, and prints every
              acquisition and release with its fencing token; run several at once to see them take turns
            """;

    private LockExample() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        ExampleOptions options;
        Duration hold;
        int times;
        String path;
        Duration sessionTimeout;
        try {
            options = ExampleOptions.parse(args, List.of("connect", "hold", "times", "path", "session-timeout"));
            if (!options.positional().isEmpty()) {
                throw new IllegalArgumentException("unexpected arguments " + options.positional());
            }
            hold = options.duration("hold", Duration.ofSeconds(2));
            times = options.positiveInt("times", 3);
            path = options.string("path", DEFAULT_PATH);
            sessionTimeout = options.duration("session-timeout", ServersExample.DEFAULT_SESSION_TIMEOUT);
        } catch (IllegalArgumentException e) {
            err.println("paddock example lock: " + e.getMessage());
            err.print(USAGE);
            return ExampleCommand.USAGE;
        }
        PaddockClient client;
        try {
            client = PaddockClient.builder(options.connect()).sessionTimeout(sessionTimeout).build();
        } catch (PaddockException e) {
            err.println("paddock example lock: cannot connect to " + options.connect() + ": " + e.getMessage());
            return ExampleCommand.FAILED;
        }
        // SUSPENDED: the lock may be lost, stop acting as its holder; LOST: it is lost.
        client.addConnectionStateListener((c, state) -> out.println("connection " + state));
        String me = "pid " + ProcessHandle.current().pid();
        try (client) {
            DistributedMutex mutex = new DistributedMutex(client, path);
            for (int i = 1; i <= times; i++) {
                out.println(me + " waiting for " + path + " (" + i + " of " + times + ")");
                LockLease lease = mutex.acquire();
                out.println(me + " acquired " + path + " with fencing token " + lease.fencingTokenHex()
                        + " at " + Instant.now());
                // The work the lock protects; a real holder would pass the token to the resource.
                Thread.sleep(hold.toMillis());
                out.println(me + " releasing " + path + " with fencing token " + lease.fencingTokenHex()
                        + " at " + Instant.now());
                mutex.release();
                out.println(me + " released " + path);
            }
        } catch (PaddockException e) {
            err.println("paddock example lock: " + e.getMessage());
            return ExampleCommand.FAILED;
        }
        return ExampleCommand.OK;
    }
}
