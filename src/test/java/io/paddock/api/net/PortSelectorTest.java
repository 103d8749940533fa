package io.paddock.api.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import akka.util.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client port's sockets without a protocol: what a client sends reaches the receiver in order,
 * writes reach the client whole even when the socket cannot take them at once (and the receiver
 * hears when the queue has drained), a close ends the connection after what was written (and
 * lingers, dropping what the client still sends, so that the client reads the end rather than a
 * reset), and the thread ends with its last connection once the port stopped accepting.
 */
class PortSelectorTest {

    private PortSelector selector;
    private final BlockingQueue<ClientSocket> accepted = new LinkedBlockingQueue<>();
    private final BlockingQueue<ByteString> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Throwable> ended = new CompletableFuture<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicInteger drained = new AtomicInteger();

    @BeforeEach
    void open() throws IOException {
        selector = PortSelector.open(new InetSocketAddress("127.0.0.1", 0), "the test port", 2, socket -> {
            accepted.add(socket);
            return new ClientSocket.Receiver() {
                @Override
                public void received(ByteString bytes) {
                    received.add(bytes);
                    socket.consumed(bytes.size());
                }

                @Override
                public void written(int n) {
                    written.addAndGet(n);
                }

                @Override
                public void drained() {
                    drained.incrementAndGet();
                }

                @Override
                public void ended(Throwable failure) {
                    ended.complete(failure);
                }
            };
        }, "port-selector-test");
    }

    @AfterEach
    void shutdown() {
        selector.shutdown();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", selector.localAddress().getPort());
        s.setSoTimeout(15_000);
        return s;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void bytesGoBothWaysInOrder() throws Exception {
        try (Socket client = connect()) {
            ClientSocket socket = accepted.poll(15, TimeUnit.SECONDS);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            for (int i = 0; i < 100; i++) {
                client.getOutputStream().write(new byte[] {(byte) i});
            }
            while (got.size() < 100) {
                got.write(received.poll(15, TimeUnit.SECONDS).toArray());
            }
            byte[] expected = new byte[100];
            for (int i = 0; i < 100; i++) {
                expected[i] = (byte) i;
            }
            assertArrayEquals(expected, got.toByteArray());
            assertTrue(socket.write(ByteString.fromString("hello")), "a small write reaches the socket at once");
            assertEquals(5, written.get());
            byte[] reply = new byte[5];
            client.getInputStream().readNBytes(reply, 0, 5);
            assertEquals("hello", new String(reply));
        }
        assertNull(ended.get(15, TimeUnit.SECONDS), "the client's end of input is no failure");
    }

    @Test
    void aWriteTheSocketCannotTakeAtOnceIsFinishedAndTheCloseWaitsForIt() throws Exception {
        try (Socket client = connect()) {
            ClientSocket socket = accepted.poll(15, TimeUnit.SECONDS);
            // More than both sockets' buffers hold (Linux caps them at a few MiB).
            byte[] big = new byte[32 << 20];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31);
            }
            // The client reads nothing yet: most of this waits in the socket's queue.
            assertFalse(socket.write(ByteString.fromArrayUnsafe(big, 0, big.length / 2)), "queued");
            assertFalse(socket.write(ByteString.fromArrayUnsafe(big, big.length / 2, big.length - big.length / 2)));
            socket.close();
            socket.write(ByteString.fromString("after the close: dropped"));
            assertFalse(ended.isDone(), "the connection ends only once everything is written");
            InputStream in = client.getInputStream();
            assertArrayEquals(big, in.readAllBytes(), "every byte, in order, then the end");
        }
        assertNull(ended.get(15, TimeUnit.SECONDS));
    }

    @Test
    void aQueuedWriteIsFollowedByDrainedOnceTheClientTookItAll() throws Exception {
        try (Socket client = connect()) {
            ClientSocket socket = accepted.poll(15, TimeUnit.SECONDS);
            byte[] big = new byte[32 << 20];
            assertFalse(socket.write(ByteString.fromArrayUnsafe(big)), "more than the socket takes at once");
            assertEquals(0, drained.get(), "not drained while the client reads nothing");
            assertEquals(big.length, client.getInputStream().readNBytes(big.length).length);
            await("for the drained call", () -> drained.get() == 1);
            assertEquals(big.length, written.get(), "every byte counted as written, once");
            assertTrue(socket.write(ByteString.fromString("y")), "an empty queue takes a small write at once");
            assertEquals('y', client.getInputStream().read());
        }
    }

    @Test
    void aConnectionPastTheMostIsClosedAndTheOthersGoOn() throws Exception {
        // The selector takes at most 2 connections (see open()).
        try (Socket first = connect(); Socket second = connect()) {
            ClientSocket a = accepted.poll(15, TimeUnit.SECONDS);
            ClientSocket b = accepted.poll(15, TimeUnit.SECONDS);
            try (Socket third = connect()) {
                assertEquals(-1, third.getInputStream().read(), "closed as it was accepted");
            }
            assertNull(accepted.poll(200, TimeUnit.MILLISECONDS), "never handed on");
            a.write(ByteString.fromString("a"));
            b.write(ByteString.fromString("b"));
            assertEquals('a', first.getInputStream().read());
            assertEquals('b', second.getInputStream().read());
            a.abort();
            await("for a new connection to be taken once one has ended", () -> {
                try (Socket again = connect()) {
                    return accepted.poll(200, TimeUnit.MILLISECONDS) != null;
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            });
            assertTrue(b.write(ByteString.fromString("c")));
            assertEquals('c', second.getInputStream().read(), "the one left is still served");
        }
    }

    @Test
    void aClosedPortEndsItsThreadWithItsLastConnection() throws Exception {
        Socket client = connect();
        ClientSocket socket = accepted.poll(15, TimeUnit.SECONDS);
        selector.stopAccepting();
        assertThrows(IOException.class, this::connect, "no longer accepting");
        assertTrue(selector.running(), "the open connection is still served");
        socket.write(ByteString.fromString("x"));
        assertEquals('x', client.getInputStream().read());
        selector.closeConnections();
        assertEquals(-1, client.getInputStream().read(), "closed by the server");
        await("for the selector's thread to end", () -> !selector.running());
        client.close();
    }

    @Test
    void aCloseWithInputUnreadLetsTheClientReadTheReplyAndFinishSending() throws Exception {
        try (Socket client = connect()) {
            ClientSocket socket = accepted.poll(15, TimeUnit.SECONDS);
            socket.pauseReading();
            // Input the server never reads: closing the socket outright would reset the connection.
            client.getOutputStream().write(new byte[64 * 1024]);
            socket.write(ByteString.fromString("413"));
            socket.close();
            assertNull(ended.get(15, TimeUnit.SECONDS), "the receiver hears of the close at once");
            InputStream in = client.getInputStream();
            assertArrayEquals("413".getBytes(), in.readAllBytes(), "the reply, then the end of input");
            // Still sending after the server's end: read and dropped, far more than the buffers hold.
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < 32; i++) {
                client.getOutputStream().write(chunk);
            }
            selector.stopAccepting();
            assertTrue(selector.running(), "the lingering connection is still read");
        }
        await("for the client's close to end the lingering connection, and the thread", () -> !selector.running());
    }

    @Test
    void aLingeringConnectionWhoseClientNeverEndsIsClosedAfterTheLingerTime() throws Exception {
        try (Socket client = connect()) {
            ClientSocket socket = accepted.poll(15, TimeUnit.SECONDS);
            socket.close();
            assertEquals(-1, client.getInputStream().read(), "the end of the server's output");
            selector.stopAccepting();
            long start = System.nanoTime();
            await("for the linger time to end the connection the client keeps open", () -> !selector.running());
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMs >= PortSelector.LINGER_MS - 1_000, "closed only after lingering, took " + tookMs + " ms");
        }
    }

    @Test
    void aConnectionEndedBeforeItsReceiverIsSetStillTellsTheReceiver() throws Exception {
        CompletableFuture<Throwable> heard = new CompletableFuture<>();
        PortSelector closing = PortSelector.open(new InetSocketAddress("127.0.0.1", 0), "a closing port", 2, socket -> {
            // Whoever is handed the socket may end it at once, as a server refusing the client does.
            socket.abort();
            return new ClientSocket.Receiver() {
                @Override
                public void received(ByteString bytes) {
                }

                @Override
                public void ended(Throwable failure) {
                    heard.complete(failure);
                }
            };
        }, "port-selector-test-closing");
        try (Socket client = new Socket("127.0.0.1", closing.localAddress().getPort())) {
            client.setSoTimeout(15_000);
            assertEquals(-1, client.getInputStream().read(), "closed by the server");
            assertNull(heard.get(15, TimeUnit.SECONDS), "an abort, no failure");
        } finally {
            closing.shutdown();
        }
    }
}
