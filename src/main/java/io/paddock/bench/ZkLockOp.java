package io.paddock.bench;

import io.paddock.tree.ErrorCode;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.DeleteRequest;
import org.apache.zookeeper.proto.GetChildrenRequest;
import org.apache.zookeeper.proto.GetChildrenResponse;
import org.apache.zookeeper.proto.GetDataRequest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One contender of the lock workload over ZooKeeper's protocol, on a session of its own: the
 * lock recipe of ZooKeeper's documentation, as io.paddock.recipes.DistributedMutex does it over
 * HTTP. Acquire: create an ephemeral sequential {@code lock-} node under the lock's znode, list
 * the children; the lowest sequence holds the lock; otherwise set a watch on the node just before
 * ours (getData, which, unlike exists, leaves no watch on a node already gone) and, once it
 * fires, look again. Release: delete our node. One op is acquire, the critical section
 * ({@link LockGuard}) and release.
 *
 * <p>A refused create counts and the loop goes on; any failure once our node exists ends the
 * client, whose session's end then removes the node, so the other contenders are not stuck behind it.
 */
final class ZkLockOp implements LoopClient.Op {

    private static final String PREFIX = "lock-";
    private static final int NO_NODE = ErrorCode.NO_NODE.intValue();

    private final ZkConnection connection;
    private final String dir;
    private final LockGuard guard;
    private final CreateRequest create;
    private final GetChildrenRequest list;
    private boolean closed;

    ZkLockOp(ZkConnection connection, String dir, LockGuard guard) {
        this.connection = connection;
        this.dir = dir;
        this.guard = guard;
        this.create = new CreateRequest(dir + "/" + PREFIX, new byte[0], ZkWire.OPEN_ACL_UNSAFE,
                ZkWire.EPHEMERAL_SEQUENTIAL);
        this.list = new GetChildrenRequest(dir, false);
    }

    @Override
    public void run(long n, ClientTally tally) throws OpFailure {
        if (n == 0) {
            tally.count(LockGuard.OVERLAPS, 0); // so that the result shows zero overlaps, not none
        }
        try {
            String mine = acquire();
            guard.hold(tally);
            int err = connection.call(ZkWire.DELETE, new DeleteRequest(mine, -1), null);
            if (err != 0) {
                throw OpFailure.zk(err, "delete " + mine + " (release)", connection, true);
            }
        } catch (IOException e) {
            throw OpFailure.lost(e, connection.describe(), true);
        }
    }

    /** Queues, waits for the lock and returns our node's path once it holds it. */
    private String acquire() throws IOException, OpFailure {
        CreateResponse created = new CreateResponse();
        int err = connection.call(ZkWire.CREATE, create, created);
        if (err != 0) {
            throw OpFailure.zk(err, "create under " + dir, connection);
        }
        String mine = created.getPath();
        String name = mine.substring(mine.lastIndexOf('/') + 1);
        while (true) {
            GetChildrenResponse children = new GetChildrenResponse();
            err = connection.call(ZkWire.GET_CHILDREN, list, children);
            if (err != 0) {
                throw OpFailure.zk(err, "getChildren " + dir, connection, true);
            }
            String before = predecessor(children.getChildren(), name);
            if (before == null) {
                return mine;
            }
            String watched = dir + "/" + before;
            err = connection.call(ZkWire.GET_DATA, new GetDataRequest(watched, true), null);
            if (err == NO_NODE) {
                continue; // gone between the list and the watch: look again
            }
            if (err != 0) {
                throw OpFailure.zk(err, "getData " + watched, connection, true);
            }
            // The only watch this session holds is on the node before ours: whatever fires, look again.
            connection.awaitEvent();
        }
    }

    /**
     * The contender just before {@code name} in the queue, or null when {@code name} is first;
     * sequence suffixes have one width, so names sort in queue order.
     */
    static String predecessor(List<String> children, String name) throws OpFailure {
        List<String> queue = new ArrayList<>();
        for (String child : children) {
            if (child.startsWith(PREFIX)) {
                queue.add(child);
            }
        }
        queue.sort(null);
        int at = queue.indexOf(name);
        if (at < 0) {
            throw new OpFailure(ZkWire.errorName(NO_NODE), "our lock node " + name + " is gone (the session ended?)", true);
        }
        return at == 0 ? null : queue.get(at - 1);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            connection.closeSession();
        }
    }
}
