package io.paddock.api.http;

import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request and idle timeouts counted in sweeps: each sweep is driven by the test, so no clock is involved. */
class ConnectionTimeoutsTest {

    private static final Runnable NOT_IDLE = () -> {
        throw new AssertionError("ended as idle");
    };

    /** A request timeout of 100 ms in periods of 10 ms: a request is overdue at the 11th sweep after it arrived. */
    private final ConnectionTimeouts timeouts = new ConnectionTimeouts(Duration.ofMillis(100), null);

    private void sweep(int times) {
        for (int i = 0; i < times; i++) {
            timeouts.sweep();
        }
    }

    private static JsonNode body(HttpResponse response) throws Exception {
        return JsonModel.MAPPER.readTree(((HttpEntity.Strict) response.entity()).getData().toArray());
    }

    @Test
    void theSweepPeriodIsATenthOfTheShorterTimeoutAtMostASecond() {
        assertEquals(Duration.ofMillis(10), timeouts.period());
        assertEquals(Duration.ofSeconds(1), new ConnectionTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(60)).period());
        assertEquals(Duration.ofMillis(200), new ConnectionTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(2)).period());
        assertEquals(Duration.ofMillis(30), new ConnectionTimeouts(null, Duration.ofMillis(300)).period());
        assertEquals(Duration.ofMillis(1), new ConnectionTimeouts(Duration.ofNanos(5), null).period());
        assertThrows(IllegalArgumentException.class, () -> new ConnectionTimeouts(Duration.ZERO, null));
        assertThrows(IllegalArgumentException.class, () -> new ConnectionTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> new ConnectionTimeouts(null, null));
    }

    @Test
    void aConnectionWithoutActivityForTheIdleTimeoutIsEnded() {
        ConnectionTimeouts idle = new ConnectionTimeouts(null, Duration.ofMillis(100));
        AtomicInteger ended = new AtomicInteger();
        ConnectionTimeouts.Connection c = idle.open(1, ended::incrementAndGet);
        for (int i = 0; i < 30; i++) {
            c.active(); // activity between every two sweeps keeps it open
            idle.sweep();
        }
        assertEquals(0, ended.get());
        for (int i = 0; i < 10; i++) {
            idle.sweep();
        }
        assertEquals(0, ended.get(), "idle only after the timeout's sweeps and one more");
        idle.sweep();
        assertEquals(1, ended.get());
        assertEquals(0, idle.connections(), "an ended connection is no longer swept");
        idle.sweep();
        assertEquals(1, ended.get());
    }

    @Test
    void aNewConnectionIsIdleAfterTheTimeoutFromItsOpening() {
        ConnectionTimeouts idle = new ConnectionTimeouts(null, Duration.ofMillis(100));
        idle.sweep();
        AtomicInteger ended = new AtomicInteger();
        idle.open(1, ended::incrementAndGet);
        for (int i = 0; i < 10; i++) {
            idle.sweep();
        }
        assertEquals(0, ended.get());
        idle.sweep();
        assertEquals(1, ended.get());
    }

    @Test
    void withoutARequestTimeoutAnAnswerIsNotBounded() {
        ConnectionTimeouts idleOnly = new ConnectionTimeouts(null, Duration.ofSeconds(60));
        CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
        assertSame(answer, idleOnly.open(1, NOT_IDLE).bound(answer));
    }

    @Test
    void anAnswerNotReadyInTimeBecomesA503OperationTimeout() throws Exception {
        ConnectionTimeouts.Connection c = timeouts.open(4, NOT_IDLE);
        sweep(3); // the request arrives between sweeps
        CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
        CompletionStage<HttpResponse> bounded = c.bound(answer);
        sweep(10);
        assertFalse(bounded.toCompletableFuture().isDone(), "overdue only after the timeout's sweeps and one more");
        sweep(1);
        HttpResponse response = bounded.toCompletableFuture().getNow(null);
        assertEquals(StatusCodes.SERVICE_UNAVAILABLE, response.status());
        assertEquals("OperationTimeout", body(response).path("error").asText());
        // The late answer is dropped.
        answer.complete(HttpResponse.create());
        assertSame(response, bounded.toCompletableFuture().get());
    }

    @Test
    void anAnswerInTimeIsLeftAsItIs() {
        ConnectionTimeouts.Connection c = timeouts.open(4, NOT_IDLE);
        CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
        CompletionStage<HttpResponse> bounded = c.bound(answer);
        assertSame(answer, bounded, "a plain future is bounded as it is");
        sweep(5);
        HttpResponse ok = HttpResponse.create();
        answer.complete(ok);
        sweep(20);
        assertSame(ok, bounded.toCompletableFuture().getNow(null));
        CompletableFuture<HttpResponse> ready = CompletableFuture.completedFuture(ok);
        assertSame(ready, c.bound(ready));
    }

    @Test
    void anotherKindOfStageIsFollowedAndTimedOutTheSameWay() throws Exception {
        ConnectionTimeouts.Connection c = timeouts.open(4, NOT_IDLE);
        CompletableFuture<HttpResponse> source = new CompletableFuture<>();
        CompletionStage<HttpResponse> bounded = c.bound(source.minimalCompletionStage());
        HttpResponse ok = HttpResponse.create();
        source.complete(ok);
        assertSame(ok, bounded.toCompletableFuture().getNow(null));

        CompletableFuture<HttpResponse> failing = new CompletableFuture<>();
        CompletionStage<HttpResponse> boundedFailure = c.bound(failing.minimalCompletionStage());
        failing.completeExceptionally(new IllegalStateException("boom"));
        assertTrue(boundedFailure.toCompletableFuture().isCompletedExceptionally());

        CompletionStage<HttpResponse> hanging = c.bound(new CompletableFuture<HttpResponse>().minimalCompletionStage());
        sweep(11);
        assertEquals(503, hanging.toCompletableFuture().getNow(null).status().intValue());
    }

    @Test
    void aClosedConnectionIsNoLongerSwept() {
        ConnectionTimeouts.Connection c = timeouts.open(4, NOT_IDLE);
        ConnectionTimeouts.Connection other = timeouts.open(4, NOT_IDLE);
        assertEquals(2, timeouts.connections());
        CompletionStage<HttpResponse> bounded = c.bound(new CompletableFuture<>());
        c.close();
        assertEquals(1, timeouts.connections());
        sweep(20);
        assertFalse(bounded.toCompletableFuture().isDone());
        other.close();
        assertEquals(0, timeouts.connections());
    }

    @Test
    void aSlotIsTakenAgainOnlyAfterItsRequestWasAnsweredAndBothInFlightAreTimedOut() {
        ConnectionTimeouts.Connection c = timeouts.open(2, NOT_IDLE);
        CompletableFuture<HttpResponse> first = new CompletableFuture<>();
        c.bound(first);
        CompletableFuture<HttpResponse> second = new CompletableFuture<>();
        c.bound(second);
        HttpResponse ok = HttpResponse.create();
        first.complete(ok);
        sweep(5);
        CompletableFuture<HttpResponse> third = new CompletableFuture<>();
        c.bound(third); // the first's slot
        sweep(6);
        assertEquals(503, second.getNow(null).status().intValue(), "the second is overdue");
        assertFalse(third.isDone(), "the third arrived five sweeps later");
        sweep(5);
        assertEquals(503, third.getNow(null).status().intValue());
        assertSame(ok, first.getNow(null));
    }
}
