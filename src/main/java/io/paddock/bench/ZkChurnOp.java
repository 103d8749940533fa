package io.paddock.bench;

import org.apache.zookeeper.proto.CreateRequest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * One cycle of the churn workload over ZooKeeper's protocol: a new TCP connection and session
 * (ConnectRequest), the create of an ephemeral znode, closeSession confirmed by the server, the
 * connection closed. A connection that cannot be made ends the client (the server is gone);
 * a refused create or a failed close counts and the loop goes on.
 */
final class ZkChurnOp implements LoopClient.Op {

    private final InetSocketAddress server;
    private final LongFunction<String> paths;
    private final LongSupplier next;
    private final CreateRequest create;

    /** @param paths the path of ephemeral number n; {@code next} numbers them, unique over every client */
    ZkChurnOp(InetSocketAddress server, LongFunction<String> paths, LongSupplier next, byte[] value) {
        this.server = server;
        this.paths = paths;
        this.next = next;
        this.create = new CreateRequest(null, value, ZkWire.OPEN_ACL_UNSAFE, ZkWire.EPHEMERAL);
    }

    @Override
    public void run(long n, ClientTally tally) throws OpFailure {
        ZkConnection connection;
        try {
            connection = ZkConnection.open(server, ZkWorkload.CONNECT_TIMEOUT, ZkWorkload.READ_TIMEOUT);
        } catch (IOException e) {
            throw OpFailure.lost(e, "opening a session at " + server.getHostString() + ":" + server.getPort(), true);
        }
        String path = paths.apply(next.getAsLong());
        try {
            create.setPath(path);
            int err = connection.call(ZkWire.CREATE, create, null);
            if (err != 0) {
                connection.closeSession();
                throw OpFailure.zk(err, "create " + path, connection);
            }
            connection.endSession();
        } catch (IOException e) {
            connection.close();
            throw OpFailure.lost(e, connection.describe(), false);
        }
    }

    /** Every cycle closes its own session: nothing is held between them. */
    @Override
    public void close() {
    }
}
