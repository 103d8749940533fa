package io.paddock.api.zk;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.apache.jute.Record;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.RequestHeader;

/**
 * The official client, plus a way to send a request exactly as given (ZooKeeper's Java client
 * checks paths before sending, but other clients (C, Go, Python) do not, so the server's own
 * checks still matter and are tested through this), and the address it is connected to.
 */
final class RawZooKeeper extends ZooKeeper {

    RawZooKeeper(String connectString, int sessionTimeoutMs, Watcher watcher) throws IOException {
        super(connectString, sessionTimeoutMs, watcher);
    }

    /** The server this client is connected to now, or null between connections. */
    InetSocketAddress remoteAddress() {
        return (InetSocketAddress) testableRemoteSocketAddress();
    }

    /** Sends one request of the given op code; returns the reply's error code (0 for OK). */
    int submit(int opCode, Record request, Record response) throws InterruptedException {
        RequestHeader h = new RequestHeader();
        h.setType(opCode);
        ReplyHeader r = cnxn.submitRequest(h, request, response, null);
        return r.getErr();
    }
}
