package io.paddock.api.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.paddock.api.http.ApiClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * akka.http.server.request-timeout bounds every request: one the server never answers gets the
 * JSON 503 OperationTimeout, and the connection and the port go on serving.
 */
class RequestTimeoutTest {

    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiClient("akka.http.server.request-timeout = 300ms");
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
        assertEquals(true, tookMs >= 300, "answered after " + tookMs + " ms");

        HttpResponse<String> routed = api.send("GET", "/v1/status", null);
        assertError(routed, 503, "OperationTimeout", "may or may not have taken effect");

        api.gateway.reset();
        HttpResponse<String> served = api.send("GET", "/v1/status", null);
        assertEquals(200, served.statusCode(), served.body());
    }
}
