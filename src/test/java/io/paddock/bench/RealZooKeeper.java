package io.paddock.bench;

import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache ZooKeeper 3.9.5 standalone server, in-process from the test classpath, on a free
 * port of 127.0.0.1 with its snapshots and log in a folder of the test's: what the zk driver is
 * measured against in the tests. Its own client library is used only to check what the driver did.
 */
final class RealZooKeeper implements AutoCloseable {

    private static final int TICK_TIME_MS = 2000;
    /** Unlimited connections from one address: ZooKeeper's default of 60 would refuse larger runs. */
    private static final int MAX_CLIENT_CONNECTIONS = 0;

    private final ZooKeeperServer server;
    private final ServerCnxnFactory factory;

    private RealZooKeeper(ZooKeeperServer server, ServerCnxnFactory factory) {
        this.server = server;
        this.factory = factory;
    }

    static RealZooKeeper start(Path dir) throws IOException, InterruptedException {
        System.setProperty("zookeeper.admin.enableServer", "false");
        ZooKeeperServer server = new ZooKeeperServer(dir.resolve("snap").toFile(), dir.resolve("log").toFile(),
                TICK_TIME_MS);
        ServerCnxnFactory factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0),
                MAX_CLIENT_CONNECTIONS);
        factory.startup(server);
        return new RealZooKeeper(server, factory);
    }

    /** The client port, unresolved as --url gives it. */
    InetSocketAddress address() {
        return InetSocketAddress.createUnresolved("127.0.0.1", factory.getLocalPort());
    }

    /** host:port, as {@code --url} takes it. */
    String connectString() {
        return "127.0.0.1:" + factory.getLocalPort();
    }

    /** The children of {@code path}, read with ZooKeeper's own client. */
    List<String> children(String path) throws Exception {
        return children(connectString(), path);
    }

    /** The children of {@code path} on the server at {@code connectString}, read with ZooKeeper's own client. */
    static List<String> children(String connectString, String path) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 30_000, event -> {
            if (event.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        try {
            if (!connected.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("ZooKeeper's own client did not connect to " + connectString);
            }
            return zk.getChildren(path, false);
        } finally {
            zk.close();
        }
    }

    /** How many sessions the server holds, open or not yet expired. */
    long sessionCount() {
        return server.getZKDatabase().getSessionCount();
    }

    @Override
    public void close() {
        factory.shutdown();
        server.shutdown();
    }
}
