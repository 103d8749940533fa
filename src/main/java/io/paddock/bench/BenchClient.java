package io.paddock.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * One benchmark client over the JDK's HttpClient, for the clients that {@link HttpPipeClient}
 * does not serve (https, and clients sharing fewer connections than there are clients): a thread
 * running a closed loop over its own HTTP/1.1 client, with at most {@code outstanding} requests in flight; it sends the next request only when one has
 * answered. With one outstanding request it keeps one connection; with more, the JDK client
 * opens up to that many, as it does not pipeline HTTP/1.1.
 *
 * <p>Only this thread touches its {@link ClientTally}: answers arrive on the HTTP client's
 * threads and are handed over through a queue, timed where they arrive.
 *
 * <p>As the loop is closed (a client waits for an answer before sending more), a slow
 * answer delays the requests behind it instead of hiding them: there are no "missed" sends
 * to correct for, so the latencies are not corrected for coordinated omission. Throughput is
 * what this many clients get; it is not a measure of latency at a fixed offered load.
 */
final class BenchClient implements BenchRun.Client {

    /** An answer, or the failure that stands for it, timed on arrival. */
    private record Completion(long sentNs, long arrivedNs, int status, String errorBody, Throwable failure) {
    }

    /** Successful answers are discarded unread; an error's body is kept, as it says what went wrong. */
    private static final HttpResponse.BodyHandler<String> BODY_OF_ERRORS = info -> info.statusCode() / 100 == 2
            ? HttpResponse.BodySubscribers.replacing(null)
            : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);

    /**
     * An HTTP client shared by several benchmark clients, one request at a time (fair: in the
     * order they asked), so that it keeps a single connection.
     */
    static final class Connection {
        private final HttpClient http;
        private final Semaphore turn = new Semaphore(1, true);

        Connection(HttpClient http) {
            this.http = http;
        }
    }

    private final HttpClient http;
    /** Null when the client has its HTTP client to itself. */
    private final Semaphore turn;
    private final Supplier<HttpRequest> requests;
    private final int outstanding;
    private final BlockingQueue<Completion> arrived = new LinkedBlockingQueue<>();

    BenchClient(HttpClient http, Supplier<HttpRequest> requests, int outstanding) {
        this(http, null, requests, outstanding);
    }

    BenchClient(Connection shared, Supplier<HttpRequest> requests, int outstanding) {
        this(shared.http, shared.turn, requests, outstanding);
    }

    private BenchClient(HttpClient http, Semaphore turn, Supplier<HttpRequest> requests, int outstanding) {
        this.http = http;
        this.turn = turn;
        this.requests = requests;
        this.outstanding = outstanding;
    }

    @Override
    public void run(ClientTally tally) {
        if (Thread.currentThread().isInterrupted()) {
            return;
        }
        long endNs = tally.window().endNs();
        int inFlight = 0;
        try {
            while (true) {
                while (inFlight < outstanding && System.nanoTime() < endNs) {
                    send();
                    inFlight++;
                }
                if (inFlight == 0) {
                    return;
                }
                // Every request has a timeout, so an answer or a failure always arrives.
                account(arrived.take(), tally);
                inFlight--;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send() throws InterruptedException {
        long sentNs = System.nanoTime();
        HttpRequest request = requests.get();
        if (turn != null) {
            turn.acquire(); // the completion below hands the connection on
        }
        http.sendAsync(request, BODY_OF_ERRORS)
                .whenComplete((response, failure) -> {
                    long arrivedNs = System.nanoTime();
                    if (turn != null) {
                        turn.release();
                    }
                    arrived.add(new Completion(sentNs, arrivedNs, response == null ? 0 : response.statusCode(),
                            response == null ? null : response.body(), failure));
                });
    }

    private static void account(Completion c, ClientTally tally) {
        if (c.failure() == null && c.status() / 100 == 2) {
            tally.success(c.sentNs(), c.arrivedNs());
        } else {
            tally.failure(c.arrivedNs(), cause(c), 1,
                    c.failure() != null ? String.valueOf(c.failure()) : c.errorBody());
        }
    }

    private static String cause(Completion c) {
        if (c.failure() == null) {
            return Integer.toString(c.status());
        }
        Throwable t = c.failure();
        while (t.getCause() != null && !(t instanceof HttpTimeoutException)) {
            t = t.getCause();
        }
        return t instanceof HttpTimeoutException ? "timeout" : "io";
    }

    /** Nothing to release: the HTTP client's connections close when it is collected. */
    @Override
    public void close() {
    }
}
