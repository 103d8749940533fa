package io.paddock.bench;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lean HTTP client against scripted servers: pipelining, status counting, and broken connections. */
class HttpPipeClientTest {

    /** What a scripted server does with each connection. */
    private interface Script {
        void serve(InputStream in, OutputStream out) throws IOException;
    }

    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** A server on a free loopback port running the script on every connection, each on a thread of its own. */
    private URI server(Script script) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        open.add(listener);
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    open.add(s);
                    Thread t = new Thread(() -> {
                        try (s) {
                            script.serve(s.getInputStream(), s.getOutputStream());
                        } catch (IOException e) {
                            // the client went away: this connection is done
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** Reads one request head (up to the blank line) and its body of {@code bodyBytes}; null at the end of the stream. */
    private static String readRequest(InputStream in, int bodyBytes) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.append((char) b);
        }
        in.readNBytes(bodyBytes);
        return head.toString();
    }

    private static ClientTally tallyFor(Duration window) {
        long now = System.nanoTime();
        return new ClientTally(new ClientTally.Window(now, now + window.toNanos()));
    }

    private static HttpPipeClient.Requests puts(URI server, byte[] body) {
        byte[] head = BenchHttp.setDataHead(URI.create(server + "/v1/znodes/p/k1"), body.length);
        return out -> out.append(head).append(body);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndCountedByStatus() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        URI server = server((in, out) -> {
            int n = 0;
            String request;
            while ((request = readRequest(in, 3)) != null) {
                seen.add(request);
                String answer = n++ % 4 == 3
                        ? "HTTP/1.1 409 Conflict\r\nContent-Length: 11\r\n\r\nBadVersion!"
                        : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n";
                out.write(answer.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        });
        HttpPipeClient client = new HttpPipeClient(server, puts(server, "abc".getBytes(StandardCharsets.US_ASCII)), 4);
        ClientTally tally = tallyFor(Duration.ofMillis(300));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> client.run(tally));
        client.close();
        long ok = tally.latencyUs().getTotalCount();
        long conflicts = tally.errorsByCause().getOrDefault("409", 0L);
        assertTrue(ok > 0, "answers counted: " + ok);
        assertEquals(List.of("409"), new ArrayList<>(tally.errorsByCause().keySet()));
        assertEquals("BadVersion!", tally.firstErrors().get("409"));
        // Every fourth answer is the conflict; the window may end between two of them.
        assertTrue(Math.abs(ok - 3 * conflicts) <= 3, ok + " ok against " + conflicts + " conflicts");
        assertTrue(seen.get(0).startsWith("PUT /v1/znodes/p/k1 HTTP/1.1\r\nHost: 127.0.0.1:"), seen.get(0));
        assertTrue(seen.get(0).contains("\r\nContent-Length: 3\r\n"), seen.get(0));
    }

    @Test
    void aMalformedStatusLineCountsAsAnIoErrorRatherThanAHang() throws Exception {
        URI server = server((in, out) -> {
            if (readRequest(in, 3) != null) {
                out.write("SSH-2.0-OpenSSH_9.6\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            // Keeps the connection open: only the client's reading of the line can end the wait.
            in.read();
        });
        // A read timeout far longer than the window: a wait for more would show as "timeout".
        HttpPipeClient client = new HttpPipeClient(server, puts(server, new byte[3]), 1, Duration.ofSeconds(30));
        ClientTally tally = tallyFor(Duration.ofMillis(300));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> client.run(tally));
        client.close();
        assertTrue(tally.errorsByCause().getOrDefault(HttpPipeClient.IO, 0L) >= 1, tally.errorsByCause().toString());
        assertFalse(tally.errorsByCause().containsKey(HttpPipeClient.TIMEOUT));
        assertTrue(tally.firstErrors().get(HttpPipeClient.IO).contains("SSH-2.0"), tally.firstErrors().toString());
        assertEquals(0, tally.latencyUs().getTotalCount());
    }

    @Test
    void aClosedConnectionCountsEveryRequestInFlightAsIoAndTheNextRequestReconnects() throws Exception {
        List<Integer> connections = new CopyOnWriteArrayList<>();
        URI server = server((in, out) -> {
            connections.add(1);
            if (readRequest(in, 3) != null) {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            // then closes, with the client's other pipelined requests unanswered
        });
        HttpPipeClient client = new HttpPipeClient(server, puts(server, new byte[3]), 2);
        ClientTally tally = tallyFor(Duration.ofMillis(300));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> client.run(tally));
        client.close();
        assertTrue(tally.errorsByCause().getOrDefault(HttpPipeClient.IO, 0L) >= 1, tally.errorsByCause().toString());
        assertTrue(tally.latencyUs().getTotalCount() >= 1);
        assertTrue(connections.size() >= 2, "reconnected: " + connections.size());
    }

    @Test
    void aServerThatIsNotThereFailsTheClientBeforeTheClockStarts() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + port);
        BenchException e = org.junit.jupiter.api.Assertions.assertThrows(BenchException.class,
                () -> new HttpPipeClient(nowhere, puts(nowhere, new byte[0]), 1));
        assertTrue(e.getMessage().contains("nothing answers"), e.getMessage());
    }
}
