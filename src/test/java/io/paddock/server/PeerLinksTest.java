package io.paddock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeerLinksTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final List<PeerLinks> opened = new ArrayList<>();

    /** What one server received: (from, sequence number) pairs, in arrival order. */
    private static final class Inbox implements PeerLinks.Receiver {
        final LinkedBlockingQueue<long[]> messages = new LinkedBlockingQueue<>();

        @Override
        public void received(long from, byte[] payload) {
            messages.add(new long[] {from, ByteBuffer.wrap(payload).getLong()});
        }

        long[] next() throws InterruptedException {
            long[] m = messages.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("no message within " + DEADLINE);
            }
            return m;
        }
    }

    @AfterEach
    void closeAll() {
        opened.forEach(PeerLinks::close);
    }

    private PeerLinks bind(long id, int port) throws IOException {
        PeerLinks links = PeerLinks.bind(id, new InetSocketAddress("127.0.0.1", port));
        opened.add(links);
        return links;
    }

    /**
     * Binds {@code port} again. While nothing listens there, a's reconnect attempts can briefly
     * hold the port: a connect from an ephemeral port to itself succeeds on Linux (a self-connect,
     * which the link closes at once), so a bind may need a second try.
     */
    private PeerLinks rebind(long id, int port) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            try {
                return bind(id, port);
            } catch (IOException inUse) {
                if (System.nanoTime() > deadline) {
                    throw inUse;
                }
                Thread.sleep(10);
            }
        }
    }

    private static InetSocketAddress at(PeerLinks links) {
        return new InetSocketAddress("127.0.0.1", links.localPort());
    }

    private static byte[] seq(long n) {
        return ByteBuffer.allocate(Long.BYTES + 100).putLong(n).array();
    }

    @Test
    void messagesArriveInTheOrderSentInBothDirections() throws Exception {
        PeerLinks a = bind(1, 0);
        PeerLinks b = bind(2, 0);
        Inbox atA = new Inbox();
        Inbox atB = new Inbox();
        a.start(Map.of(1L, at(a), 2L, at(b)), atA);
        b.start(Map.of(1L, at(a), 2L, at(b)), atB);
        int n = 20_000;
        for (long i = 0; i < n; i++) {
            a.send(2, seq(i));
            b.send(1, seq(i));
        }
        for (long i = 0; i < n; i++) {
            long[] m = atB.next();
            assertEquals(1, m[0], "sender");
            assertEquals(i, m[1], "the message sent as number " + i);
            long[] r = atA.next();
            assertEquals(2, r[0], "sender");
            assertEquals(i, r[1], "the message sent as number " + i);
        }
    }

    @Test
    void aPeerThatStopsReadingNeverHoldsUpTheSenderAndGetsEverythingOnceItReadsAgain() throws Exception {
        PeerLinks a = bind(1, 0);
        PeerLinks b = bind(2, 0);
        CountDownLatch reading = new CountDownLatch(1);
        LinkedBlockingQueue<byte[]> atB = new LinkedBlockingQueue<>();
        a.start(Map.of(2L, at(b)), new Inbox());
        b.start(Map.of(1L, at(a)), (from, payload) -> {
            try {
                reading.await(); // b's reader stalls on the first message: the sockets between them fill
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            atB.add(payload);
        });
        a.send(2, big(0));
        byte[] first = atB.poll(50, TimeUnit.MILLISECONDS);
        assertEquals(null, first, "b's reader is stalled");

        // 40 MB, far more than the sockets hold: a send that waited for the socket would never return.
        int n = 4_000;
        assertTimeoutPreemptively(DEADLINE, () -> {
            for (long i = 1; i < n; i++) {
                a.send(2, big(i));
            }
        });
        reading.countDown();
        for (long i = 0; i < n; i++) {
            byte[] m = atB.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(m != null, "message " + i + " did not arrive within " + DEADLINE);
            assertEquals(big(i).length, m.length, "the length of message " + i);
            ByteBuffer body = ByteBuffer.wrap(m);
            assertEquals(i, body.getLong(0), "the message sent as number " + i);
            assertEquals(i, body.getLong(m.length - Long.BYTES), "the end of message " + i);
        }
    }

    /** 10 KB, its number at both ends: a frame cut or spliced anywhere shows. */
    private static byte[] big(long n) {
        ByteBuffer b = ByteBuffer.allocate(10_000);
        b.putLong(0, n).putLong(b.capacity() - Long.BYTES, n);
        return b.array();
    }

    @Test
    void sendingToAServerOutsideTheEnsembleIsRefused() throws Exception {
        PeerLinks a = bind(1, 0);
        a.start(Map.of(1L, at(a), 2L, new InetSocketAddress("127.0.0.1", 1)), new Inbox());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.send(7, seq(0)));
        assertTrue(e.getMessage().contains("server 7"), e.getMessage());
    }

    @Test
    void aStrangerIsDisconnectedAndThePeersGoOn() throws Exception {
        PeerLinks a = bind(1, 0);
        PeerLinks b = bind(2, 0);
        Inbox atB = new Inbox();
        a.start(Map.of(2L, at(b)), new Inbox());
        b.start(Map.of(1L, at(a), 3L, new InetSocketAddress("127.0.0.1", 1)), atB);

        assertClosedByPeer(b, out -> out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        // A server of another ensemble, or one whose server.N lines name this port for another id.
        assertClosedByPeer(b, out -> {
            out.writeInt(PeerLinks.MAGIC);
            out.writeLong(1);
            out.writeLong(5);
        });
        assertClosedByPeer(b, out -> {
            out.writeInt(PeerLinks.MAGIC);
            out.writeLong(9);
            out.writeLong(2);
        });
        // A known peer (3) whose frame claims more than a frame may hold.
        assertClosedByPeer(b, out -> {
            out.writeInt(PeerLinks.MAGIC);
            out.writeLong(3);
            out.writeLong(2);
            out.writeInt(PeerLinks.MAX_FRAME_BYTES + 1);
        });

        a.send(2, seq(42));
        long[] m = atB.next();
        assertEquals(1, m[0]);
        assertEquals(42, m[1]);
    }

    @Test
    void aRestartedPeerIsReachedAgainAndOrderHoldsAcrossTheGap() throws Exception {
        PeerLinks a = bind(1, 0);
        PeerLinks b = bind(2, 0);
        int bPort = b.localPort();
        Inbox atB = new Inbox();
        a.start(Map.of(2L, at(b)), new Inbox());
        b.start(Map.of(1L, at(a)), atB);
        a.send(2, seq(0));
        assertEquals(0, atB.next()[1]);

        b.close();
        PeerLinks b2 = rebind(2, bPort);
        Inbox atB2 = new Inbox();
        b2.start(Map.of(1L, at(a)), atB2);

        // Messages sent while the link was down may be lost; once one arrives, the rest follow in order.
        long sent = 1;
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        long[] first = null;
        while (first == null) {
            assertTrue(System.nanoTime() < deadline, "the restarted peer heard nothing within " + DEADLINE);
            a.send(2, seq(sent++));
            first = atB2.messages.poll(20, TimeUnit.MILLISECONDS);
        }
        for (int i = 0; i < 1000; i++) {
            a.send(2, seq(sent++));
        }
        long last = first[1];
        while (last < sent - 1) {
            long[] m = atB2.next();
            assertTrue(m[1] > last, "message " + m[1] + " arrived after " + last);
            last = m[1];
        }
    }

    private interface Writes {
        void to(DataOutputStream out) throws IOException;
    }

    /** Connects to {@code links}, writes, and expects the connection to be closed from the other end. */
    private static void assertClosedByPeer(PeerLinks links, Writes writes) throws IOException {
        try (Socket s = new Socket("127.0.0.1", links.localPort())) {
            s.setSoTimeout((int) DEADLINE.toMillis());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            writes.to(out);
            out.flush();
            InputStream in = s.getInputStream();
            try {
                assertEquals(-1, in.read(), "the peer port answered instead of closing");
            } catch (java.net.SocketException reset) {
                // Closed with unread bytes pending: a reset, which is a close too.
            }
        }
    }
}
