package io.paddock.api.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.PaddockNode;
import io.paddock.server.PaddockConfig;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.ConnectResponse;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.ReplyHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's own closeSession is answered before its connection closes, as ZooKeeper's
 * FinalRequestProcessor sends the reply and only then closes the connection: the session's end
 * (which also ends its event stream) must not close the connection ahead of that reply. Sessions
 * that live a few milliseconds each, many in a row, as a session-churn benchmark opens them.
 */
class ZkCloseSessionTest {

    private static final int CYCLES = 50;
    private static final int EPHEMERAL = 1;

    @TempDir
    static Path dir;
    private static PaddockNode node;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        PaddockConfig config = PaddockConfig.defaults(dir.resolve("data")).withPorts(0, 0)
                .withClientPortAddress("127.0.0.1").withTickTime(100);
        node = PaddockNode.start(config);
        address = node.clientAddress();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void closeSessionIsAnsweredBeforeTheServerClosesTheConnection() throws Exception {
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            String path = "/one-by-one-" + cycle;
            try (Socket s = connect()) {
                OutputStream out = s.getOutputStream();
                DataInputStream in = new DataInputStream(s.getInputStream());
                out.write(connectFrame());
                readConnectResponse(in, cycle);
                out.write(createFrame(1, path));
                readCreateReply(in, path, cycle);
                out.write(closeFrame(2));
                readCloseReply(in, 2, cycle);
                assertEquals(-1, in.read(), "cycle " + cycle + ": the server closes the connection after the reply");
            }
        }
        assertEphemeralsGone("/one-by-one-");
    }

    @Test
    void pipelinedConnectCreateAndCloseAreEachAnsweredThenTheConnectionCloses() throws Exception {
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            String path = "/pipelined-" + cycle;
            try (Socket s = connect()) {
                // All three in one write: the create and the close reach the server while it is
                // still opening the session, as a client that does not wait for the handshake sends them.
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                all.write(connectFrame());
                all.write(createFrame(1, path));
                all.write(closeFrame(2));
                s.getOutputStream().write(all.toByteArray());
                DataInputStream in = new DataInputStream(s.getInputStream());
                readConnectResponse(in, cycle);
                readCreateReply(in, path, cycle);
                readCloseReply(in, 2, cycle);
                assertEquals(-1, in.read(), "cycle " + cycle + ": the server closes the connection after the reply");
            }
        }
        assertEphemeralsGone("/pipelined-");
    }

    // ---- frames -----------------------------------------------------------------------------

    private static Socket connect() throws IOException {
        Socket s = new Socket(address.getAddress(), address.getPort());
        s.setSoTimeout(15_000);
        return s;
    }

    private static byte[] connectFrame() {
        return framed(ByteBuffer.wrap(ZkWire.bytes(new ConnectRequest(0, 0, 30_000, 0, new byte[16], false))));
    }

    private static byte[] createFrame(int xid, String path) {
        return framed(ZkWire.request(xid, ZooDefs.OpCode.create,
                new CreateRequest(path, new byte[] {1, 2, 3}, ZooDefs.Ids.OPEN_ACL_UNSAFE, EPHEMERAL)));
    }

    private static byte[] closeFrame(int xid) {
        return framed(ZkWire.request(xid, ZooDefs.OpCode.closeSession, null));
    }

    private static byte[] framed(ByteBuffer payload) {
        byte[] frame = new byte[4 + payload.remaining()];
        ByteBuffer.wrap(frame).putInt(payload.remaining()).put(payload.duplicate());
        return frame;
    }

    /** The next frame, length prefix included; end of stream here fails the test with the cycle named. */
    private static ZkWire.Reader readFrame(DataInputStream in, String what, int cycle) throws IOException {
        try {
            int length = in.readInt();
            byte[] frame = new byte[4 + length];
            ByteBuffer.wrap(frame).putInt(length);
            in.readFully(frame, 4, length);
            return new ZkWire.Reader(frame);
        } catch (EOFException e) {
            throw new AssertionError("cycle " + cycle + ": the server closed the connection before " + what, e);
        }
    }

    private static void readConnectResponse(DataInputStream in, int cycle) throws IOException {
        ConnectResponse r = readFrame(in, "the ConnectResponse", cycle).read(new ConnectResponse());
        assertTrue(r.getTimeOut() > 0 && r.getSessionId() != 0, "cycle " + cycle + ": a new session");
    }

    private static void readCreateReply(DataInputStream in, String path, int cycle) throws IOException {
        ZkWire.Reader reader = readFrame(in, "the create's reply", cycle);
        ReplyHeader h = reader.header();
        assertEquals(1, h.getXid(), "cycle " + cycle);
        assertEquals(0, h.getErr(), "cycle " + cycle + ": the ephemeral is created");
        assertEquals(path, reader.read(new CreateResponse()).getPath());
    }

    private static void readCloseReply(DataInputStream in, int xid, int cycle) throws IOException {
        ReplyHeader h = readFrame(in, "the closeSession's reply", cycle).header();
        assertEquals(xid, h.getXid(), "cycle " + cycle);
        assertEquals(0, h.getErr(), "cycle " + cycle + ": the session is closed");
    }

    /** A confirmed closeSession has deleted the session's ephemerals. */
    private static void assertEphemeralsGone(String prefix) throws Exception {
        try (ZooKeeper zk = ZkTarget.connect(address.getHostString() + ":" + address.getPort(), 10_000,
                new RecordingWatcher("checker"))) {
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                assertNull(zk.exists(prefix + cycle, false), "cycle " + cycle + "'s ephemeral outlived its session");
            }
        }
    }
}
