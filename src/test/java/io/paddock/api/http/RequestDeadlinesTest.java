package io.paddock.api.http;

import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request timeout counted in sweeps: each sweep is driven by the test, so no clock is involved. */
class RequestDeadlinesTest {

    /** 100 ms in periods of 10 ms: a request is overdue at the 11th sweep after it arrived. */
    private final RequestDeadlines deadlines = new RequestDeadlines(Duration.ofMillis(100));

    private void sweep(int times) {
        for (int i = 0; i < times; i++) {
            deadlines.sweep();
        }
    }

    private static JsonNode body(HttpResponse response) throws Exception {
        return JsonModel.MAPPER.readTree(((HttpEntity.Strict) response.entity()).getData().toArray());
    }

    @Test
    void theSweepPeriodIsATenthOfTheTimeoutAtMostASecond() {
        assertEquals(Duration.ofMillis(10), deadlines.period());
        assertEquals(Duration.ofSeconds(1), new RequestDeadlines(Duration.ofSeconds(20)).period());
        assertEquals(Duration.ofMillis(1), new RequestDeadlines(Duration.ofNanos(5)).period());
        assertThrows(IllegalArgumentException.class, () -> new RequestDeadlines(Duration.ZERO));
    }

    @Test
    void anAnswerNotReadyInTimeBecomesA503OperationTimeout() throws Exception {
        RequestDeadlines.Connection c = deadlines.open();
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
        RequestDeadlines.Connection c = deadlines.open();
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
        RequestDeadlines.Connection c = deadlines.open();
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
        RequestDeadlines.Connection c = deadlines.open();
        RequestDeadlines.Connection other = deadlines.open();
        assertEquals(2, deadlines.connections());
        CompletionStage<HttpResponse> bounded = c.bound(new CompletableFuture<>());
        c.close();
        assertEquals(1, deadlines.connections());
        sweep(20);
        assertFalse(bounded.toCompletableFuture().isDone());
        other.close();
        assertEquals(0, deadlines.connections());
    }
}
