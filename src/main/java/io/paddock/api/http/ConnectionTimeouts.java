package io.paddock.api.http;

import akka.http.javadsl.model.HttpResponse;
import io.paddock.tree.ErrorCode;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The HTTP port's two timeouts, {@code akka.http.server.request-timeout} and
 * {@code idle-timeout}, kept for all connections by one {@link #sweep} per period:
 * <ul>
 *   <li>a request whose answer is not ready a request timeout after it arrived gets a 503
 *       OperationTimeout, and its answer, should it come later, is dropped;</li>
 *   <li>a connection that has neither read nor written a byte for an idle timeout is ended.</li>
 * </ul>
 *
 * <p>akka-http keeps these in the connection's stream: a scheduler timer, a stage, a
 * Timeout-Access header and two copies of every request for the first, and a stage every
 * element passes for the second; together about a tenth of a read's cost. Here a connection
 * keeps its requests in flight in a slot each (as many slots as the pipelining limit) and a flag
 * of activity, with neither a lock nor a table per request. Time is
 * counted in sweeps, a tenth of the shorter timeout apart (at most a second), so a request costs
 * neither a timer nor a clock reading, and a timeout fires between its length and one period more.
 *
 * <p>Thread-safe: connections add requests on their streams' threads and note activity on their
 * sockets' threads; the sweep runs on a scheduler's.
 */
final class ConnectionTimeouts {

    /** The longest period between sweeps: timeouts of seconds need no finer grain. */
    private static final Duration MAX_PERIOD = Duration.ofSeconds(1);

    private final Duration period;
    /** Sweeps a request waits before it is overdue (at least the timeout), or 0: no request timeout. */
    private final long requestSweeps;
    /** Sweeps without activity before a connection is idle (at least the timeout), or 0: no idle timeout. */
    private final long idleSweeps;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    /** Sweeps done so far; written by the sweep only. */
    private volatile long sweeps;

    /**
     * Timeouts of the given lengths, each positive or null for none, at least one of them given.
     */
    ConnectionTimeouts(Duration requestTimeout, Duration idleTimeout) {
        Duration shorter = requestTimeout == null ? idleTimeout
                : idleTimeout == null || requestTimeout.compareTo(idleTimeout) <= 0 ? requestTimeout : idleTimeout;
        if (shorter == null) {
            throw new IllegalArgumentException("no timeout to keep");
        }
        checkPositive(requestTimeout, "request");
        checkPositive(idleTimeout, "idle");
        Duration tenth = shorter.dividedBy(10);
        this.period = tenth.compareTo(MAX_PERIOD) > 0 ? MAX_PERIOD
                : tenth.isZero() ? Duration.ofMillis(1) : tenth;
        this.requestSweeps = sweepsOf(requestTimeout);
        this.idleSweeps = sweepsOf(idleTimeout);
    }

    private static void checkPositive(Duration timeout, String which) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("the " + which + " timeout must be positive, not " + timeout);
        }
    }

    /** The sweeps that cover at least {@code timeout}, one more than its whole periods: it may start just before a sweep. */
    private long sweepsOf(Duration timeout) {
        if (timeout == null) {
            return 0;
        }
        return (timeout.toNanos() + period.toNanos() - 1) / period.toNanos() + 1;
    }

    /** How often {@link #sweep} is to run. */
    Duration period() {
        return period;
    }

    /**
     * A new connection's timeouts, swept until {@link Connection#close}. It has at most
     * {@code pipeliningLimit} requests in flight; {@code onIdle} ends it.
     */
    Connection open(int pipeliningLimit, Runnable onIdle) {
        Connection c = new Connection(pipeliningLimit, onIdle, sweeps);
        connections.add(c);
        return c;
    }

    /** Counts one period: answers every request now overdue with the timeout's 503, and ends idle connections. */
    void sweep() {
        long now = sweeps + 1;
        sweeps = now;
        for (Connection c : connections) {
            c.sweep(now);
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

    /** One connection: its requests in flight, and whether it has been active. */
    final class Connection {

        private record InFlight(CompletableFuture<HttpResponse> answer, long deadline) {
        }

        /**
         * Request n in slot n modulo the pipelining limit. A slot is taken again only once its
         * request has been answered: the stream has no more than that many requests in flight.
         * Written by the connection's stream, read by the sweep.
         */
        private final AtomicReferenceArray<InFlight> slots;
        /** The slot of the next request; the stream's own. */
        private int next;
        private final Runnable onIdle;
        /** Set by the connection's activity, cleared by the sweep that notices it. */
        private volatile boolean active;
        /** The sweep that last noticed activity (the sweep's own). */
        private long lastActive;

        private Connection(int pipeliningLimit, Runnable onIdle, long now) {
            if (pipeliningLimit < 1) {
                throw new IllegalArgumentException("the pipelining limit must be at least 1, not " + pipeliningLimit);
            }
            this.slots = new AtomicReferenceArray<>(pipeliningLimit);
            this.onIdle = onIdle;
            this.lastActive = now;
        }

        /** Bytes were read or written: the connection is not idle. */
        void active() {
            if (!active) {
                active = true;
            }
        }

        /**
         * The answer to one request of this connection, bounded by the request timeout:
         * {@code answer} itself when it is a plain future (the znode endpoints' are), else a
         * future that follows it.
         */
        @SuppressWarnings("unchecked")
        CompletionStage<HttpResponse> bound(CompletionStage<HttpResponse> answer) {
            if (requestSweeps == 0) {
                return answer;
            }
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
            slots.setRelease(next, new InFlight(out, sweeps + requestSweeps));
            next = next + 1 == slots.length() ? 0 : next + 1;
            return out;
        }

        private void sweep(long now) {
            if (idleSweeps > 0) {
                if (active) {
                    active = false;
                    lastActive = now;
                } else if (now - lastActive >= idleSweeps) {
                    close();
                    onIdle.run();
                    return;
                }
            }
            if (requestSweeps == 0) {
                return;
            }
            for (int i = 0; i < slots.length(); i++) {
                InFlight r = slots.getAcquire(i);
                if (r != null && r.deadline <= now && !r.answer.isDone()) {
                    r.answer.complete(timeoutResponse());
                }
            }
        }

        /** The connection has ended: it is no longer swept. */
        void close() {
            connections.remove(this);
        }
    }
}
