package io.paddock.bench;

import org.HdrHistogram.Histogram;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One benchmark client: a thread running a closed loop over its own HTTP/1.1 client, with at
 * most {@code outstanding} requests in flight; it sends the next request only when one has
 * answered. With one outstanding request it keeps one connection; with more, the JDK client
 * opens up to that many, as it does not pipeline HTTP/1.1.
 *
 * <p>Only this thread touches the histogram and the counters: answers arrive on the HTTP
 * client's threads and are handed over through a queue, timed where they arrive.
 *
 * <p>A request counts when its answer arrives inside the measured window, whenever it was
 * sent. As the loop is closed (a client waits for an answer before sending more), a slow
 * answer delays the requests behind it instead of hiding them: there are no "missed" sends
 * to correct for, so the latencies are not corrected for coordinated omission. Throughput is
 * what this many clients get; it is not a measure of latency at a fixed offered load.
 */
final class BenchClient implements Runnable {

    /** Microseconds; above a minute everything is an outlier anyway, and the request timeout is lower. */
    static final long HIGHEST_TRACKABLE_US = TimeUnit.MINUTES.toMicros(1);
    static final int SIGNIFICANT_DIGITS = 3;

    /** The run's clock, in System.nanoTime() terms: sending stops at endNs, counting starts at measureFromNs. */
    record Window(long measureFromNs, long endNs) {
    }

    /** An answer, or the failure that stands for it, timed on arrival. */
    private record Completion(long sentNs, long arrivedNs, int status, String errorBody, Throwable failure) {
    }

    /** Successful answers are discarded unread; an error's body is kept, as it says what went wrong. */
    private static final HttpResponse.BodyHandler<String> BODY_OF_ERRORS = info -> info.statusCode() / 100 == 2
            ? HttpResponse.BodySubscribers.replacing(null)
            : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);

    private final HttpClient http;
    private final Supplier<HttpRequest> requests;
    private final int outstanding;
    private final Window window;
    private final BlockingQueue<Completion> arrived = new LinkedBlockingQueue<>();

    private final Histogram latencyUs = newHistogram();
    private final Map<String, Long> errorsByStatus = new TreeMap<>();
    private final Map<String, String> firstErrors = new TreeMap<>();

    BenchClient(HttpClient http, Supplier<HttpRequest> requests, int outstanding, Window window) {
        this.http = http;
        this.requests = requests;
        this.outstanding = outstanding;
        this.window = window;
    }

    static Histogram newHistogram() {
        return new Histogram(HIGHEST_TRACKABLE_US, SIGNIFICANT_DIGITS);
    }

    @Override
    public void run() {
        if (Thread.currentThread().isInterrupted()) {
            return;
        }
        int inFlight = 0;
        try {
            while (true) {
                while (inFlight < outstanding && System.nanoTime() < window.endNs()) {
                    send();
                    inFlight++;
                }
                if (inFlight == 0) {
                    return;
                }
                // Every request has a timeout, so an answer or a failure always arrives.
                account(arrived.take());
                inFlight--;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send() {
        long sentNs = System.nanoTime();
        http.sendAsync(requests.get(), BODY_OF_ERRORS)
                .whenComplete((response, failure) -> arrived.add(new Completion(sentNs, System.nanoTime(),
                        response == null ? 0 : response.statusCode(), response == null ? null : response.body(),
                        failure)));
    }

    private void account(Completion c) {
        if (c.arrivedNs() < window.measureFromNs() || c.arrivedNs() > window.endNs()) {
            return;
        }
        if (c.failure() == null && c.status() / 100 == 2) {
            long us = Math.max(0, (c.arrivedNs() - c.sentNs()) / 1000);
            latencyUs.recordValue(Math.min(us, HIGHEST_TRACKABLE_US));
        } else {
            String cause = cause(c);
            errorsByStatus.merge(cause, 1L, Long::sum);
            firstErrors.putIfAbsent(cause, c.failure() != null ? String.valueOf(c.failure()) : c.errorBody());
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

    /** Valid once the thread has ended. */
    Histogram latencyUs() {
        return latencyUs;
    }

    /** Valid once the thread has ended. */
    Map<String, Long> errorsByStatus() {
        return errorsByStatus;
    }

    /** The first error of each cause, as the server or the connection told it; valid once the thread has ended. */
    Map<String, String> firstErrors() {
        return firstErrors;
    }
}
