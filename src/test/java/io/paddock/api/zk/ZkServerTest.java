package io.paddock.api.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.PaddockNode;
import io.paddock.server.PaddockConfig;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client port as a byte stream: answers that end a connection (four-letter words, an
 * expired session's ConnectResponse) reach the client whole before it closes, and a connection
 * that breaks the protocol is closed alone while a real client's session goes on.
 */
class ZkServerTest {

    @TempDir
    static Path dir;
    private static PaddockNode node;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        PaddockConfig config = PaddockConfig.defaults(dir.resolve("data")).withPorts(0, 0)
                .withClientPortAddress("127.0.0.1").withTickTime(100).withFourLetterWordWhitelist("*");
        node = PaddockNode.start(config);
        address = node.clientAddress();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket(address.getAddress(), address.getPort());
        s.setSoTimeout(15_000);
        return s;
    }

    private static String word(String w) throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(w.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Opens a new session on {@code s} and reads the ConnectResponse. */
    private static DataInputStream handshake(Socket s) throws IOException {
        ByteBuffer connect = ByteBuffer.allocate(4 + 4 + 8 + 4 + 8 + 4 + 16);
        connect.putInt(connect.capacity() - 4).putInt(0).putLong(0).putInt(30_000).putLong(0).putInt(16)
                .put(new byte[16]);
        s.getOutputStream().write(connect.array());
        DataInputStream in = new DataInputStream(s.getInputStream());
        in.readFully(new byte[in.readInt()]);
        return in;
    }

    @Test
    void everyFourLetterWordIsAnsweredWholeBeforeTheConnectionCloses() throws IOException {
        for (int round = 0; round < 10; round++) {
            assertEquals("imok", word("ruok"));
            assertTrue(word("srvr").startsWith("Zookeeper version: "), "round " + round);
            assertTrue(word("mntr").contains("zk_server_state\tstandalone\n"), "round " + round);
            assertEquals("rw", word("isro"));
        }
    }

    @Test
    void anExpiredSessionsReconnectIsAnsweredWithSessionZeroAndTimeoutZero() throws IOException {
        try (Socket s = connect()) {
            // ConnectRequest: protocolVersion, lastZxidSeen, timeOut, sessionId, passwd (jute buffer).
            ByteBuffer b = ByteBuffer.allocate(4 + 4 + 8 + 4 + 8 + 4 + 16);
            b.putInt(b.capacity() - 4).putInt(0).putLong(0).putInt(30_000).putLong(0x0123_4567_89ABL).putInt(16)
                    .put(new byte[16]);
            s.getOutputStream().write(b.array());
            DataInputStream in = new DataInputStream(s.getInputStream());
            int length = in.readInt();
            assertEquals(4 + 4 + 8 + 4 + 16, length);
            assertEquals(0, in.readInt(), "protocol version");
            assertEquals(0, in.readInt(), "timeout: expired");
            assertEquals(0, in.readLong(), "session id: expired");
            assertEquals(16, in.readInt());
            byte[] password = new byte[16];
            in.readFully(password);
            assertArrayEquals(new byte[16], password);
            assertEquals(-1, in.read(), "then the server closes the connection");
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedAloneOnceItsUnreadRepliesPassTheLimit() throws Exception {
        try (ZooKeeper zk = ZkTarget.connect(address.getHostString() + ":" + address.getPort(), 10_000,
                new RecordingWatcher("bystander"))) {
            zk.create("/big", new byte[500_000], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            try (Socket s = connect()) {
                handshake(s);
                // 200 getData of 500 kB each, and not a byte read: 100 MB the server must not hold.
                byte[] path = "/big".getBytes(StandardCharsets.US_ASCII);
                ByteBuffer requests = ByteBuffer.allocate(200 * (4 + 8 + 4 + path.length + 1));
                for (int xid = 1; xid <= 200; xid++) {
                    requests.putInt(8 + 4 + path.length + 1).putInt(xid).putInt(4).putInt(path.length).put(path)
                            .put((byte) 0);
                }
                s.getOutputStream().write(requests.array());
                String port = ":" + s.getLocalPort() + "[";
                long end = System.nanoTime() + 30_000_000_000L;
                while (word("cons").contains(port)) {
                    assertTrue(System.nanoTime() < end, "the connection that does not read is still open");
                    Thread.sleep(50); // polling a condition with a deadline
                }
            }
            assertNotNull(zk.exists("/big", false), "the session that reads goes on");
        }
    }

    @Test
    void garbageClosesThatConnectionAloneAndOthersGoOn() throws Exception {
        try (ZooKeeper zk = ZkTarget.connect(address.getHostString() + ":" + address.getPort(), 10_000,
                new RecordingWatcher("bystander"))) {
            zk.create("/bystander", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            for (byte[] garbage : new byte[][] {
                    "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                    {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},      // a 2 GB frame
                    {0, 0, 0, 3, 1, 2, 3},                              // a ConnectRequest cut short
            }) {
                try (Socket s = connect()) {
                    s.getOutputStream().write(garbage);
                    InputStream in = s.getInputStream();
                    assertEquals(-1, in.read(), "the server closes a connection that breaks the protocol");
                }
            }
            try (Socket s = connect()) {
                DataInputStream in = handshake(s);
                // A request header with an opcode no ZooKeeper has: xid 1, type 999, no body.
                s.getOutputStream().write(ByteBuffer.allocate(12).putInt(8).putInt(1).putInt(999).array());
                assertEquals(-1, in.read(), "the server closes a connection that sends an unknown opcode");
            }
            assertNotNull(zk.exists("/bystander", false), "the well-behaved session goes on");
        }
    }
}
