package io.paddock.api.zk;

import static org.junit.jupiter.api.Assertions.fail;

import io.paddock.PaddockNode;
import io.paddock.server.PaddockConfig;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.ContainerManager;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;

/**
 * One standalone coordination server on 127.0.0.1 for a client-side test: either Paddock
 * (in-process {@link PaddockNode}) or Apache ZooKeeper 3.9.5 (in-process, from the test classpath),
 * each with its own temp data directory and a free port, configured alike so that what a client
 * observes can be compared: the same tick, the same session timeout bounds (2 and 20 ticks), the
 * same container/TTL check interval, fsync on, every four-letter word allowed, TTL nodes enabled.
 *
 * <p>A target can be {@link #stop() stopped} and {@link #restart() restarted} on the same port
 * and data, which is how a test makes a client lose its connection and reconnect.
 */
public final class ZkTarget implements AutoCloseable {

    /** Which server; parameterize tests with {@code @EnumSource(ZkTarget.Kind.class)}. */
    public enum Kind { PADDOCK, ZOOKEEPER }

    /** Small, so sessions expire fast: the minimum session timeout is 2 ticks (200 ms). */
    public static final int DEFAULT_TICK_MS = 100;
    /** How often empty containers and expired TTL nodes are removed, on both servers. */
    public static final int CONTAINER_CHECK_MS = 100;
    /** A generous bound for anything a test waits for. */
    public static final Duration DEADLINE = Duration.ofSeconds(15);

    static {
        // Real ZooKeeper reads these from system properties (Paddock ignores them): TTL nodes on,
        // every four-letter word allowed. Set before any ZooKeeper server class reads them.
        System.setProperty("zookeeper.extendedTypesEnabled", "true");
        System.setProperty("zookeeper.4lw.commands.whitelist", "*");
    }

    private final Kind kind;
    private final Path dir;
    private final int tickMs;
    private int port;
    private PaddockNode paddock;
    private EmbeddedZooKeeper zookeeper;

    private ZkTarget(Kind kind, Path dir, int tickMs) {
        this.kind = kind;
        this.dir = dir;
        this.tickMs = tickMs;
    }

    public static ZkTarget start(Kind kind) throws Exception {
        return start(kind, DEFAULT_TICK_MS);
    }

    /** A target whose tick (and so session timeout bounds, 2 and 20 ticks) is {@code tickMs}. */
    public static ZkTarget start(Kind kind, int tickMs) throws Exception {
        Path dir = Files.createTempDirectory("zktarget-" + kind.name().toLowerCase() + "-");
        ZkTarget t = new ZkTarget(kind, dir, tickMs);
        try {
            t.launch();
        } catch (Exception e) {
            t.deleteDir();
            throw e;
        }
        return t;
    }

    private void launch() throws Exception {
        switch (kind) {
            case PADDOCK -> {
                PaddockConfig config = PaddockConfig.defaults(dir.resolve("data"))
                        .withPorts(port, 0)
                        .withClientPortAddress("127.0.0.1")
                        .withTickTime(tickMs)
                        .withContainerCheckIntervalMs(CONTAINER_CHECK_MS);
                paddock = PaddockNode.start(config);
                port = paddock.clientAddress().getPort();
            }
            case ZOOKEEPER -> {
                zookeeper = EmbeddedZooKeeper.start(dir.resolve("data").toFile(), port, tickMs);
                port = zookeeper.port();
            }
        }
    }

    public Kind kind() {
        return kind;
    }

    /** "paddock" or "zookeeper", for messages and logs. */
    public String name() {
        return kind.name().toLowerCase();
    }

    public boolean isPaddock() {
        return kind == Kind.PADDOCK;
    }

    public int tickMs() {
        return tickMs;
    }

    /** The smallest session timeout the server grants (2 ticks). */
    public int minSessionTimeoutMs() {
        return 2 * tickMs;
    }

    /** The largest session timeout the server grants (20 ticks). */
    public int maxSessionTimeoutMs() {
        return 20 * tickMs;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    /** With a chroot, e.g. {@code connectString("/app")} is "127.0.0.1:port/app". */
    public String connectString(String chroot) {
        return connectString() + chroot;
    }

    /** The Paddock node (only for a Paddock target). */
    public PaddockNode paddockNode() {
        if (paddock == null) {
            throw new IllegalStateException(name() + " target has no running Paddock node");
        }
        return paddock;
    }

    /** A connected client with the largest session timeout; its watcher has consumed SyncConnected. */
    public ZooKeeper connect(RecordingWatcher watcher) throws Exception {
        return connect(connectString(), maxSessionTimeoutMs(), watcher);
    }

    public ZooKeeper connect(int sessionTimeoutMs, RecordingWatcher watcher) throws Exception {
        return connect(connectString(), sessionTimeoutMs, watcher);
    }

    /**
     * Opens a client and waits until it is connected. The watcher is the client's default
     * watcher; its SyncConnected event is taken off its queue, so the queue then starts empty.
     */
    public static ZooKeeper connect(String connectString, int sessionTimeoutMs, RecordingWatcher watcher)
            throws Exception {
        ZooKeeper zk = new ZooKeeper(connectString, sessionTimeoutMs, watcher);
        return awaitConnected(zk, watcher);
    }

    /**
     * Opens a client on an existing session (its id and password) and returns at once: the
     * watcher tells the outcome (SyncConnected, or Expired for a refused session).
     */
    public static ZooKeeper connect(String connectString, int sessionTimeoutMs, RecordingWatcher watcher,
                                    long sessionId, byte[] password) throws Exception {
        return new ZooKeeper(connectString, sessionTimeoutMs, watcher, sessionId, password);
    }

    private static ZooKeeper awaitConnected(ZooKeeper zk, RecordingWatcher watcher) throws Exception {
        try {
            watcher.awaitState(Watcher.Event.KeeperState.SyncConnected, DEADLINE);
            return zk;
        } catch (Throwable t) {
            zk.close();
            throw t;
        }
    }

    /** Stops the server, keeping its port and data; clients see their connection drop. */
    public void stop() {
        if (paddock != null) {
            paddock.close();
            paddock = null;
        }
        if (zookeeper != null) {
            zookeeper.close();
            zookeeper = null;
        }
    }

    /** Starts the server again on the same port and data (stopping it first if it runs). */
    public void restart() throws Exception {
        stop();
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            try {
                launch();
                return;
            } catch (Exception e) {
                // The port can linger for a moment after the previous server let go of it.
                if (System.nanoTime() > end) {
                    throw e;
                }
                Thread.sleep(50); // retrying a bind with a deadline
            }
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            deleteDir();
        }
    }

    private void deleteDir() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name() + "@" + connectString();
    }

    /**
     * Apache ZooKeeper's standalone server, wired as ZooKeeperServerMain wires it (server, NIO
     * connection factory, container manager) but with a port of our choosing and a clean stop.
     */
    static final class EmbeddedZooKeeper implements AutoCloseable {
        private final ZooKeeperServer server;
        private final ServerCnxnFactory factory;
        private final ContainerManager containers;

        private EmbeddedZooKeeper(ZooKeeperServer server, ServerCnxnFactory factory, ContainerManager containers) {
            this.server = server;
            this.factory = factory;
            this.containers = containers;
        }

        static EmbeddedZooKeeper start(File dataDir, int port, int tickMs) throws Exception {
            requireOnClasspath("com.codahale.metrics.Reservoir", "io.dropwizard.metrics:metrics-core:4.1.12.1");
            requireOnClasspath("org.xerial.snappy.SnappyInputStream", "org.xerial.snappy:snappy-java:1.1.10.5");
            if (!dataDir.isDirectory() && !dataDir.mkdirs()) {
                fail("cannot create " + dataDir);
            }
            FileTxnSnapLog txnLog = new FileTxnSnapLog(dataDir, dataDir);
            Exposed server = new Exposed(txnLog, tickMs);
            ServerCnxnFactory factory = ServerCnxnFactory.createFactory();
            try {
                factory.configure(new InetSocketAddress("127.0.0.1", port), 1000, -1, false);
                factory.startup(server);
            } catch (Exception e) {
                factory.shutdown();
                server.shutdown();
                txnLog.close();
                throw e;
            }
            ContainerManager containers = new ContainerManager(server.getZKDatabase(), server.first(),
                    CONTAINER_CHECK_MS, 10_000, 0L);
            containers.start();
            return new EmbeddedZooKeeper(server, factory, containers);
        }

        /** ZooKeeper's pom declares these "provided", so they do not come with it; its server needs them. */
        private static void requireOnClasspath(String className, String artifact) {
            try {
                Class.forName(className);
            } catch (ClassNotFoundException e) {
                fail("the real ZooKeeper server needs " + artifact + " (test scope) on the test classpath");
            }
        }

        int port() {
            return factory.getLocalPort();
        }

        @Override
        public void close() {
            containers.stop();
            factory.shutdown();
            server.shutdown();
            try {
                server.getTxnLogFactory().close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Exposes the first request processor, which the container manager submits deletes to. */
        private static final class Exposed extends ZooKeeperServer {
            Exposed(FileTxnSnapLog txnLog, int tickMs) {
                super(txnLog, tickMs, 2 * tickMs, 20 * tickMs, -1, null, "");
            }

            org.apache.zookeeper.server.RequestProcessor first() {
                return firstProcessor;
            }
        }
    }
}
