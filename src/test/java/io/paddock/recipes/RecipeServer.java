package io.paddock.recipes;

import io.paddock.PaddockNode;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.server.PaddockConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * An in-JVM Paddock node for the recipe tests, and clients of it. A short tick lets a test ask
 * for sessions of a few seconds, so that an expiry is quick.
 *
 * <p>Clients are HTTP PaddockClients; {@code -Dpaddock.recipes.client=zk} runs the same tests
 * over ZooKeeper's client and the wire port instead ({@link ZkWirePaddockClient}), where they
 * need nothing that client lacks.
 */
final class RecipeServer implements AutoCloseable {

    /** Sessions of 0.4 s to 4 s (2 to 20 ticks). */
    static final int TICK_MS = 200;
    static final Duration DEADLINE = Duration.ofSeconds(30);

    private final PaddockNode node;
    private final List<PaddockClient> clients = new ArrayList<>();

    private RecipeServer(PaddockNode node) {
        this.node = node;
    }

    static RecipeServer start(Path dataDir) throws Exception {
        return start(dataDir, TICK_MS);
    }

    static RecipeServer start(Path dataDir, int tickMs) throws Exception {
        PaddockConfig config = PaddockConfig.defaults(dataDir).withPorts(0, 0).withClientPortAddress("127.0.0.1")
                .withTickTime(tickMs).withContainerCheckIntervalMs(200);
        return new RecipeServer(PaddockNode.start(config));
    }

    PaddockNode node() {
        return node;
    }

    String httpConnect() {
        return "127.0.0.1:" + node.httpAddress().getPort();
    }

    String zkConnect() {
        return "127.0.0.1:" + node.clientAddress().getPort();
    }

    /** The kind of client the tests use: "http" unless the system property says "zk". */
    static String clientKind() {
        return System.getProperty("paddock.recipes.client", "http");
    }

    /** Arguments a worker process needs to connect the same way: kind, connect string. */
    List<String> connectArgs() {
        return clientKind().equals("zk") ? List.of("zk", zkConnect()) : List.of("http", httpConnect());
    }

    static PaddockClient connect(String kind, String connectString, Duration sessionTimeout)
            throws PaddockException, InterruptedException, IOException {
        if (kind.equals("zk")) {
            return ZkWirePaddockClient.connect(connectString, (int) sessionTimeout.toMillis());
        }
        return PaddockClient.builder(connectString).sessionTimeout(sessionTimeout).build();
    }

    /** A client with a session of {@code sessionTimeout}, closed with the server. */
    PaddockClient client(Duration sessionTimeout) throws Exception {
        List<String> args = connectArgs();
        PaddockClient c = connect(args.get(0), args.get(1), sessionTimeout);
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    PaddockClient client() throws Exception {
        return client(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        synchronized (clients) {
            for (PaddockClient c : clients) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    // closing anyway
                }
            }
        }
        node.close();
    }

    /** Something a wait polls; it may ask the server. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls until the condition holds; fails after {@code deadline}. */
    static void await(String what, Duration deadline, Condition condition) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - end > 0) {
                fail("timed out waiting " + what + " (" + deadline + ")");
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }
}
