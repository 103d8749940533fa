package io.paddock.api.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ActorSystem;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A socket as a stream: bytes flow both ways in order, a producer faster than its client is held
 * back rather than queued without bound, the stream's end closes the connection after the last
 * byte, and the client's end completes the stream.
 */
class SocketFlowTest {

    private static ActorSystem system;
    private PortSelector selector;

    @BeforeAll
    static void start() {
        system = ActorSystem.create("socket-flow-test",
                ConfigFactory.parseString("akka.loglevel = WARNING").withFallback(ConfigFactory.load()));
    }

    @AfterAll
    static void stop() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        if (selector != null) {
            selector.shutdown();
        }
    }

    /** Serves every connection with {@code server}: what the client sends goes in, what comes out goes back. */
    private int serve(Function<ClientSocket, Flow<ByteString, ByteString, ?>> server) throws IOException {
        selector = PortSelector.open(new InetSocketAddress("127.0.0.1", 0), "the test port", 10,
                socket -> server.apply(socket).joinMat(Flow.fromGraph(SocketFlow.of(socket)), Keep.right()).run(system),
                "socket-flow-test");
        return selector.localAddress().getPort();
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(15_000);
        return s;
    }

    @Test
    void anEchoReturnsEveryByteInOrderAndTheClientsEndCompletesTheStream() throws Exception {
        CompletableFuture<Long> echoed = new CompletableFuture<>();
        int port = serve(socket -> Flow.<ByteString>create().watchTermination((m, done) -> {
            done.whenComplete((d, f) -> echoed.complete(f == null ? 1L : -1L));
            return m;
        }));
        byte[] sent = new byte[3 << 20];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) (i * 7);
        }
        try (Socket client = connect(port)) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                try {
                    return in.readNBytes(sent.length);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            for (int off = 0; off < sent.length; off += 100_000) {
                out.write(sent, off, Math.min(100_000, sent.length - off));
            }
            assertArrayEquals(sent, back.get(15, TimeUnit.SECONDS));
        }
        assertEquals(1L, echoed.get(15, TimeUnit.SECONDS), "the client's close completes the stream");
    }

    @Test
    void aFastProducerIsHeldBackByASlowClientAndTheEndClosesAfterTheLastByte() throws Exception {
        int chunks = 2048;
        int chunkBytes = 64 * 1024; // 128 MiB in all: far more than both sockets' buffers hold
        AtomicLong produced = new AtomicLong();
        int port = serve(socket -> Flow.fromSinkAndSource(Sink.ignore(),
                Source.range(0, chunks - 1).map(i -> {
                    produced.incrementAndGet();
                    byte[] chunk = new byte[chunkBytes];
                    java.util.Arrays.fill(chunk, (byte) (int) i);
                    return ByteString.fromArrayUnsafe(chunk);
                })));
        try (Socket client = connect(port)) {
            InputStream in = client.getInputStream();
            assertEquals(0, in.read(), "the first byte arrives");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            long seen = -1;
            while (produced.get() != seen) {
                assertTrue(System.nanoTime() - deadline < 0, "the producer never stopped: " + produced.get());
                seen = produced.get();
                Thread.sleep(300);
            }
            assertTrue(seen < chunks / 4, "the producer waits for the client: " + seen + " of " + chunks + " chunks made");
            byte[] rest = in.readAllBytes();
            assertEquals((long) chunks * chunkBytes - 1, rest.length, "every byte, then the end of the stream");
            for (int c = 0; c < chunks; c++) {
                int at = c * chunkBytes - 1 + chunkBytes / 2;
                assertEquals((byte) c, rest[at], "chunk " + c + " in its place");
            }
        }
    }
}
