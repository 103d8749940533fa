package io.paddock.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client's pure pieces: connect strings, URLs, the SSE parser, the retry policy, error answers. */
class ClientPiecesTest {

    @Test
    void connectStringsNameServersWithDefaultPorts() {
        assertEquals(List.of("a:1", "b:8080", "c:3"),
                PaddockClientBuilder.parseConnectString("a:1, b ,http://c:3/"));
        assertThrows(IllegalArgumentException.class, () -> PaddockClientBuilder.parseConnectString(" , "));
        assertThrows(IllegalArgumentException.class, () -> PaddockClientBuilder.parseConnectString("a:x"));
        assertThrows(IllegalArgumentException.class, () -> PaddockClientBuilder.parseConnectString("a:70000"));
    }

    @Test
    void znodePathsArePercentEncodedSegmentBySegment() {
        assertEquals("/v1/znodes/", HttpPaddockClient.url("/v1/znodes", "/"));
        assertEquals("/v1/znodes/a%20b/c%2Bd/%C3%A9", HttpPaddockClient.url("/v1/znodes", "/a b/c+d/é"));
        assertEquals("%2Fa%2Fb", HttpPaddockClient.encode("/a/b", true));
    }

    @Test
    void pathsAreCheckedAsZooKeeperDoes() {
        assertEquals(null, HttpPaddockClient.pathProblem("/a/b", false));
        assertEquals(null, HttpPaddockClient.pathProblem("/a/", true));
        assertTrue(HttpPaddockClient.pathProblem("/a/", false) != null);
        assertTrue(HttpPaddockClient.pathProblem("a", false) != null);
        assertTrue(HttpPaddockClient.pathProblem("/a/../b", false) != null);
    }

    @Test
    void sseLinesBecomeEvents() {
        SseParser p = new SseParser();
        List<SseParser.Event> out = new ArrayList<>();
        for (String line : List.of(":", "data:{\"a\":1}", "event:NodeCreated", "id:0x5", "", "", "data: x",
                "data:y", "")) {
            p.line(line).ifPresent(out::add);
        }
        assertEquals(List.of(new SseParser.Event("NodeCreated", "{\"a\":1}", "0x5"),
                new SseParser.Event("message", "x\ny", null)), out);
    }

    @Test
    void backoffDoublesUpToItsCapAndGivesUp() {
        ExponentialBackoffRetry r = new ExponentialBackoffRetry(Duration.ofMillis(100), Duration.ofMillis(1000), 5,
                Duration.ofSeconds(10));
        assertEquals(Duration.ofMillis(100), r.nominalDelay(1));
        assertEquals(Duration.ofMillis(400), r.nominalDelay(3));
        assertEquals(Duration.ofMillis(1000), r.nominalDelay(5));
        assertEquals(Duration.ofMillis(1000), r.nominalDelay(60));
        for (int i = 1; i <= 5; i++) {
            long d = r.delayBeforeRetry(i, Duration.ZERO).orElseThrow().toMillis();
            long nominal = r.nominalDelay(i).toMillis();
            assertTrue(d <= nominal && d >= nominal / 2, d + " for " + nominal);
        }
        assertEquals(Optional.empty(), r.delayBeforeRetry(6, Duration.ZERO));
        assertEquals(Optional.empty(), r.delayBeforeRetry(1, Duration.ofSeconds(10)));
        assertEquals(Optional.empty(), RetryPolicy.none().delayBeforeRetry(1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialBackoffRetry(Duration.ofMillis(100),
                Duration.ofMillis(10), 1, Duration.ofSeconds(1)));
    }

    @Test
    void errorAnswersBecomeTypedExceptions() {
        PaddockException e = ClientJson.error(404,
                "{\"error\":\"NoNode\",\"code\":-101,\"path\":\"/x\",\"message\":\"NoNode for /x\"}".getBytes());
        assertTrue(e instanceof PaddockException.NoNodeException);
        assertEquals("/x", e.path());
        assertEquals("NoNode for /x", e.getMessage());
        PaddockException garbage = ClientJson.error(503, "<html>busy</html>".getBytes());
        assertTrue(garbage instanceof PaddockException.ConnectionLossException, garbage.toString());
        assertTrue(ClientJson.retrySafe("{\"code\":-4,\"retrySafe\":true}".getBytes()));
        assertTrue(!ClientJson.retrySafe("{\"code\":-4}".getBytes()));
    }
}
