package io.paddock.api.zk;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * The seed's §5 distributed lock, finished: each contender creates an EPHEMERAL_SEQUENTIAL node
 * under the lock's root; the smallest sequence number holds the lock; every other contender
 * watches only the node just before its own (no herd) and looks again when that watch fires.
 * Unlocking deletes the contender's node; so does the end of its session.
 *
 * <p>Not re-entrant, one lock() per unlock(), one thread per instance.
 */
final class SeedLock {

    private final ZooKeeper zk;
    private final String root;
    private final AtomicInteger wakeUps;
    private String mine;

    /** @param wakeUps counts every time a predecessor watch fired, for the no-herd check */
    SeedLock(ZooKeeper zk, String root, AtomicInteger wakeUps) {
        this.zk = zk;
        this.root = root;
        this.wakeUps = wakeUps;
    }

    void lock() throws KeeperException, InterruptedException {
        try {
            zk.create(root, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException e) {
            // another contender made it
        }
        mine = zk.create(root + "/seq-", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
        String myName = mine.substring(root.length() + 1);
        while (true) {
            List<String> queue = zk.getChildren(root, false).stream().sorted().toList();
            int at = queue.indexOf(myName);
            if (at < 0) {
                throw new IllegalStateException(mine + " vanished: the session ended");
            }
            if (at == 0) {
                return;
            }
            Semaphore fired = new Semaphore(0);
            Stat predecessor = zk.exists(root + "/" + queue.get(at - 1), e -> {
                wakeUps.incrementAndGet();
                fired.release();
            });
            if (predecessor != null) {
                // The predecessor went (or the connection changed): look at the queue again.
                fired.acquire();
            }
        }
    }

    void unlock() throws KeeperException, InterruptedException {
        zk.delete(mine, -1);
        mine = null;
    }
}
