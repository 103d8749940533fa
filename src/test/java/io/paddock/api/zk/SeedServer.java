package io.paddock.api.zk;

import java.util.concurrent.CountDownLatch;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * The seed's §4 "server", run as its own JVM by {@link SeedCasesTest}: it registers itself under
 * /servers as an EPHEMERAL_SEQUENTIAL node holding its host name, says so on stdout, and then
 * just lives. Killed with SIGKILL, it leaves its node to the server's session expiry.
 *
 * <p>Arguments: connectString sessionTimeoutMs hostName
 */
public final class SeedServer {

    static final String REGISTERED = "REGISTERED ";
    static final String SERVERS = "/servers";

    private SeedServer() {
    }

    public static void main(String[] args) throws Exception {
        String connectString = args[0];
        int sessionTimeoutMs = Integer.parseInt(args[1]);
        String hostName = args[2];
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, sessionTimeoutMs, e -> {
            if (e.getState() == KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        connected.await();
        try {
            zk.create(SERVERS, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException e) {
            // another server made it first
        }
        String path = zk.create(SERVERS + "/server-", hostName.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
        System.out.println(REGISTERED + path);
        System.out.flush();
        // "Business": nothing but staying alive until killed.
        new CountDownLatch(1).await();
    }
}
