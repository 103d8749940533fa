package io.paddock.api.http;

import akka.http.javadsl.model.HttpResponse;
import io.paddock.tree.ErrorCode;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP API's request timeout ({@code akka.http.server.request-timeout}): a request whose
 * answer is not ready that long after it arrived gets a 503 OperationTimeout, and its answer,
 * should it come later, is dropped.
 *
 * <p>akka-http's own request timeout gave every request a timer on the scheduler, a stage of the
 * connection's stream and two more copies of the request: about a tenth of a read's cost. Here
 * each connection keeps the requests it has in flight (at most the pipelining limit), and one
 * {@link #sweep} of all connections per period times out the overdue ones. Time is counted in
 * sweeps, so a request costs neither a timer nor a clock reading; a timeout fires between its
 * length and one period more.
 *
 * <p>Thread-safe: connections add requests on their streams' threads, the sweep runs on a
 * scheduler's.
 */
final class RequestDeadlines {

    /** The longest period between sweeps: timeouts of seconds need no finer grain. */
    private static final Duration MAX_PERIOD = Duration.ofSeconds(1);

    private final Duration period;
    /** Sweeps a request waits before it is overdue: at least the timeout. */
    private final long timeoutSweeps;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    /** Sweeps done so far; written by the sweep only. */
    private volatile long sweeps;

    /** Deadlines for {@code timeout}, a positive duration, swept ten times per timeout (at most once a second). */
    RequestDeadlines(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive, not " + timeout);
        }
        Duration tenth = timeout.dividedBy(10);
        this.period = tenth.compareTo(MAX_PERIOD) > 0 ? MAX_PERIOD
                : tenth.isZero() ? Duration.ofMillis(1) : tenth;
        long ceil = (timeout.toNanos() + period.toNanos() - 1) / period.toNanos();
        // One more than the timeout's sweeps: a request may arrive just before a sweep.
        this.timeoutSweeps = ceil + 1;
    }

    /** How often {@link #sweep} is to run. */
    Duration period() {
        return period;
    }

    /** A new connection's deadlines, swept until {@link Connection#close}. */
    Connection open() {
        Connection c = new Connection();
        connections.add(c);
        return c;
    }

    /** Counts one period and answers every request now overdue with the timeout's 503. */
    void sweep() {
        long now = sweeps + 1;
        sweeps = now;
        for (Connection c : connections) {
            c.expire(now);
        }
    }

    /** Connections swept now, for tests. */
    int connections() {
        return connections.size();
    }

    static HttpResponse timeoutResponse() {
        return ApiErrors.response(503, ErrorCode.OPERATION_TIMEOUT, null,
                "the server did not answer in time; the request may or may not have taken effect");
    }

    /** One connection's requests in flight, oldest first. */
    final class Connection {

        private record InFlight(CompletableFuture<HttpResponse> answer, long deadline) {
        }

        private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();

        /**
         * The answer to one request of this connection, bounded by the timeout: {@code answer}
         * itself when it is a plain future (the znode endpoints' are), else a future that follows it.
         */
        @SuppressWarnings("unchecked")
        CompletionStage<HttpResponse> bound(CompletionStage<HttpResponse> answer) {
            CompletableFuture<HttpResponse> out;
            if (answer.getClass() == CompletableFuture.class) {
                out = (CompletableFuture<HttpResponse>) answer;
                if (out.isDone()) {
                    return out;
                }
            } else {
                // Another kind of stage (akka's routes answer with Scala's) may refuse being completed.
                CompletableFuture<HttpResponse> follower = new CompletableFuture<>();
                answer.whenComplete((response, failure) -> {
                    if (failure == null) {
                        follower.complete(response);
                    } else {
                        follower.completeExceptionally(failure);
                    }
                });
                out = follower;
            }
            synchronized (this) {
                // Answers come in order, so the answered requests are usually all at the head.
                while (!inFlight.isEmpty() && inFlight.peekFirst().answer.isDone()) {
                    inFlight.pollFirst();
                }
                inFlight.addLast(new InFlight(out, sweeps + timeoutSweeps));
            }
            return out;
        }

        private synchronized void expire(long now) {
            for (Iterator<InFlight> it = inFlight.iterator(); it.hasNext(); ) {
                InFlight r = it.next();
                if (r.answer.isDone()) {
                    it.remove();
                } else if (r.deadline <= now) {
                    r.answer.complete(timeoutResponse());
                    it.remove();
                }
            }
        }

        /** The connection has ended: its requests are no longer swept. */
        void close() {
            connections.remove(this);
        }
    }
}
