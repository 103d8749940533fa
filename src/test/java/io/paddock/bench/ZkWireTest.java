package io.paddock.bench;

import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.ConnectResponse;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.RequestHeader;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.proto.WatcherEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver's own copy of ZooKeeper's wire numbers and framing, and its client against a scripted server. */
class ZkWireTest {

    @Test
    void opcodesAndSpecialXidsAreZooKeepersOwn() {
        assertEquals(ZooDefs.OpCode.create, ZkWire.CREATE);
        assertEquals(ZooDefs.OpCode.delete, ZkWire.DELETE);
        assertEquals(ZooDefs.OpCode.exists, ZkWire.EXISTS);
        assertEquals(ZooDefs.OpCode.getData, ZkWire.GET_DATA);
        assertEquals(ZooDefs.OpCode.setData, ZkWire.SET_DATA);
        assertEquals(ZooDefs.OpCode.getChildren, ZkWire.GET_CHILDREN);
        assertEquals(ZooDefs.OpCode.closeSession, ZkWire.CLOSE_SESSION);
        assertEquals(ZooDefs.Perms.ALL, ZkWire.PERMS_ALL);
        assertEquals(ZooDefs.Ids.OPEN_ACL_UNSAFE, ZkWire.OPEN_ACL_UNSAFE);
    }

    @Test
    void errorNamesAreThoseOfZooKeepersClient() {
        assertEquals("NoNode", ZkWire.errorName(KeeperException.Code.NONODE.intValue()));
        assertEquals("BadVersion", ZkWire.errorName(KeeperException.Code.BADVERSION.intValue()));
        assertEquals("ConnectionLoss", ZkWire.errorName(KeeperException.Code.CONNECTIONLOSS.intValue()));
        assertEquals("Error-999", ZkWire.errorName(-999));
    }

    @Test
    void anEncodedRequestIsALengthThenTheHeaderThenTheBody() throws Exception {
        ZkWire.Encoder encoder = new ZkWire.Encoder();
        encoder.clear();
        encoder.append(7, ZkWire.SET_DATA, new SetDataRequest("/a/b", new byte[] {1, 2, 3}, -1));
        encoder.append(8, ZkWire.CLOSE_SESSION, null);
        ByteBuffer frames = encoder.frames();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(frames.array(), 0, frames.limit()));
        BinaryInputArchive archive = BinaryInputArchive.getArchive(in);

        int length = in.readInt();
        RequestHeader header = new RequestHeader();
        header.deserialize(archive, "header");
        SetDataRequest body = new SetDataRequest();
        body.deserialize(archive, "request");
        assertEquals(new RequestHeader(7, ZkWire.SET_DATA), header);
        assertEquals("/a/b", body.getPath());
        assertArrayEquals(new byte[] {1, 2, 3}, body.getData());
        assertEquals(-1, body.getVersion());
        assertEquals(8 + 4 + 4 + 4 + 3 + 4, length, "header, path, data and version");

        assertEquals(8, in.readInt(), "a closeSession is a header alone");
        header.deserialize(archive, "header");
        assertEquals(new RequestHeader(8, ZkWire.CLOSE_SESSION), header);
        assertEquals(0, in.available());

        encoder.clear();
        assertEquals(0, encoder.frames().remaining(), "clear() starts over in the same buffer");
    }

    // --- against a scripted server -------------------------------------------------------------

    /** Serves one connection: answers the handshake, then lets {@code script} read requests and write replies. */
    private interface Script {
        void play(DataInputStream in, OutputStream out) throws IOException;
    }

    private static CompletableFuture<Void> serve(ServerSocket listener, Script script) {
        return CompletableFuture.runAsync(() -> {
            try (Socket socket = listener.accept()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                ConnectRequest connect = new ConnectRequest();
                connect.deserialize(BinaryInputArchive.getArchive(new ByteArrayInputStream(frame(in))), "connect");
                assertEquals(0, connect.getProtocolVersion());
                assertEquals(0, connect.getSessionId());
                assertEquals(16, connect.getPasswd().length);
                out.write(encode(new ConnectResponse(0, connect.getTimeOut(), 0x1234L, new byte[16], false)));
                script.play(in, out);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static byte[] frame(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }

    private static RequestHeader requestHeader(byte[] frame) throws IOException {
        RequestHeader header = new RequestHeader();
        header.deserialize(BinaryInputArchive.getArchive(new ByteArrayInputStream(frame)), "header");
        return header;
    }

    private static byte[] encode(Record... records) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        BinaryOutputArchive archive = BinaryOutputArchive.getArchive(body);
        for (Record r : records) {
            r.serialize(archive, "r");
        }
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(framed);
        out.writeInt(body.size());
        out.write(body.toByteArray());
        return framed.toByteArray();
    }

    private static ClientTally runOneClient(ServerSocket listener, int outstanding, long runNs) throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        ZkConnection connection = ZkConnection.open(address, Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertEquals(0x1234L, connection.sessionId());
        ZkBenchClient client = new ZkBenchClient(connection, new OpSchedule(0, 1, 2, 0.0),
                new String[] {"/k0", "/k1"}, new byte[10], outstanding);
        long now = System.nanoTime();
        ClientTally tally = new ClientTally(new ClientTally.Window(now, now + runNs));
        client.run(tally);
        client.close();
        return tally;
    }

    @Test
    void notificationsAndPingsAmongTheRepliesAreSkipped() throws Exception {
        List<RequestHeader> seen = new ArrayList<>();
        ClientTally tally;
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> server = serve(listener, (in, out) -> {
                // Every reply comes after a watch event and a ping reply, until the client closes its session.
                RequestHeader request;
                do {
                    request = requestHeader(frame(in));
                    seen.add(request);
                    out.write(encode(new ReplyHeader(ZkWire.NOTIFICATION_XID, -1, 0), new WatcherEvent(3, 3, "/k0")));
                    out.write(encode(new ReplyHeader(ZkWire.PING_XID, 5, 0)));
                    out.write(request.getType() == ZkWire.CLOSE_SESSION
                            ? encode(new ReplyHeader(request.getXid(), 6, 0))
                            : encode(new ReplyHeader(request.getXid(), 6, 0), new Stat()));
                } while (request.getType() != ZkWire.CLOSE_SESSION);
            });
            tally = runOneClient(listener, 3, TimeUnit.MILLISECONDS.toNanos(300));
            server.get(30, TimeUnit.SECONDS);
        }
        assertEquals(Map.of(), tally.errorsByCause());
        assertTrue(tally.latencyUs().getTotalCount() > 0);
        // xids increase from 1, every request a setData of the schedule's keys, and the last one closes the session.
        for (int i = 0; i < seen.size(); i++) {
            int type = i == seen.size() - 1 ? ZkWire.CLOSE_SESSION : ZkWire.SET_DATA;
            assertEquals(new RequestHeader(i + 1, type), seen.get(i), "request " + i);
        }
    }

    @Test
    void aReplyThatIsNotTheOldestRequestsEndsTheClientAsConnectionLoss() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> server = serve(listener, (in, out) -> {
                RequestHeader first = requestHeader(frame(in));
                RequestHeader second = requestHeader(frame(in));
                // The second request's reply first: out of order for one session.
                out.write(encode(new ReplyHeader(second.getXid(), 6, 0), new Stat()));
                out.write(encode(new ReplyHeader(first.getXid(), 6, 0), new Stat()));
                in.read(); // until the client hangs up
            });
            ClientTally tally = runOneClient(listener, 2, TimeUnit.SECONDS.toNanos(30));
            server.get(30, TimeUnit.SECONDS);
            assertEquals(Map.of("ConnectionLoss", 2L), tally.errorsByCause());
            assertTrue(tally.firstErrors().get("ConnectionLoss").contains("answered xid 2 while the oldest request in flight is xid 1"),
                    tally.firstErrors().toString());
        }
    }

    @Test
    void errorRepliesCountByNameAndTheClientGoesOn() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> server = serve(listener, (in, out) -> {
                RequestHeader request;
                int n = 0;
                do {
                    request = requestHeader(frame(in));
                    boolean fail = request.getType() != ZkWire.CLOSE_SESSION && n++ % 2 == 0;
                    out.write(fail ? encode(new ReplyHeader(request.getXid(), 6, KeeperException.Code.BADVERSION.intValue()))
                            : encode(new ReplyHeader(request.getXid(), 6, 0), new Stat()));
                } while (request.getType() != ZkWire.CLOSE_SESSION);
            });
            ClientTally tally = runOneClient(listener, 1, TimeUnit.MILLISECONDS.toNanos(300));
            server.get(30, TimeUnit.SECONDS);
            long bad = tally.errorsByCause().getOrDefault("BadVersion", 0L);
            long good = tally.latencyUs().getTotalCount();
            assertEquals(List.of("BadVersion"), List.copyOf(tally.errorsByCause().keySet()));
            assertTrue(good > 0 && Math.abs(bad - good) <= 1, bad + " BadVersion, " + good + " good");
        }
    }
}
