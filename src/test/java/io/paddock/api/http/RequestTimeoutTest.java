package io.paddock.api.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.paddock.api.http.ApiClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * akka.http.server.request-timeout bounds every request: one the server never answers gets the
 * JSON 503 OperationTimeout, and the connection and the port go on serving. idle-timeout ends a
 * connection that carries nothing.
 */
class RequestTimeoutTest {

    private static final long IDLE_MS = 1500;

    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiClient("akka.http.server.request-timeout = 300ms\nakka.http.server.idle-timeout = " + IDLE_MS + "ms");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aRequestTheServerNeverAnswersGetsA503AndTheNextIsServed() {
        api.gateway.reset();
        api.gateway.hang();
        long start = System.nanoTime();
        HttpResponse<String> hung = api.send("GET", "/v1/znodes/a", null);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertError(hung, 503, "OperationTimeout", "may or may not have taken effect");
        // Not before the timeout; the upper bound is the client's own 20 s timeout.
        assertTrue(tookMs >= 300, "answered after " + tookMs + " ms");

        HttpResponse<String> routed = api.send("GET", "/v1/status", null);
        assertError(routed, 503, "OperationTimeout", "may or may not have taken effect");

        api.gateway.reset();
        HttpResponse<String> served = api.send("GET", "/v1/status", null);
        assertEquals(200, served.statusCode(), served.body());
    }

    @Test
    void aConnectionThatCarriesNothingIsEndedAfterTheIdleTimeout() throws Exception {
        try (Socket quiet = new Socket("127.0.0.1", api.port());
             Socket busy = new Socket("127.0.0.1", api.port())) {
            quiet.setSoTimeout(20_000);
            busy.setSoTimeout(20_000);
            long start = System.nanoTime();
            CompletableFuture<Long> quietEndedAfterMs = CompletableFuture.supplyAsync(() -> {
                try {
                    int b = quiet.getInputStream().read();
                    return b == -1 ? (System.nanoTime() - start) / 1_000_000 : -1L;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // The busy connection sends a request every third of the idle timeout meanwhile.
            byte[] request = ("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            InputStream busyIn = busy.getInputStream();
            byte[] buffer = new byte[4096];
            while ((System.nanoTime() - start) / 1_000_000 < 2 * IDLE_MS) {
                busy.getOutputStream().write(request);
                assertTrue(busyIn.read(buffer) > 0, "the busy connection was ended");
                Thread.sleep(IDLE_MS / 3);
            }
            long quietMs = quietEndedAfterMs.get(20, TimeUnit.SECONDS);
            assertTrue(quietMs >= IDLE_MS, "the quiet connection ended after " + quietMs + " ms");
        }
    }
}
