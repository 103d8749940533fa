package io.paddock.bench;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What one client measured, whatever protocol it speaks: the latency of each successful request
 * whose answer arrived inside the measured window, and failures by cause. A request counts when
 * its answer arrives inside the window, whenever it was sent. Used by the client's own thread
 * only; read once that thread has ended.
 */
final class ClientTally {

    /** Microseconds; above a minute everything is an outlier anyway, and the request timeout is lower. */
    static final long HIGHEST_TRACKABLE_US = TimeUnit.MINUTES.toMicros(1);
    static final int SIGNIFICANT_DIGITS = 3;

    /** The run's clock, in System.nanoTime() terms: sending stops at endNs, counting starts at measureFromNs. */
    record Window(long measureFromNs, long endNs) {

        boolean contains(long ns) {
            return ns >= measureFromNs && ns <= endNs;
        }
    }

    private final Window window;
    private final Histogram latencyUs = newHistogram();
    private final Map<String, Long> errorsByCause = new TreeMap<>();
    private final Map<String, String> firstErrors = new TreeMap<>();
    /** What a workload counts besides requests (notifications, overlaps), by name. */
    private final Map<String, Long> counters = new TreeMap<>();
    /** What a workload times besides its ops (the watch workload's time to the first notification), by name. */
    private final Map<String, Histogram> extraLatencyUs = new TreeMap<>();

    ClientTally(Window window) {
        this.window = window;
    }

    static Histogram newHistogram() {
        return new Histogram(HIGHEST_TRACKABLE_US, SIGNIFICANT_DIGITS);
    }

    Window window() {
        return window;
    }

    /** A successful answer that arrived at {@code arrivedNs} to a request sent at {@code sentNs}. */
    void success(long sentNs, long arrivedNs) {
        if (window.contains(arrivedNs)) {
            long us = Math.max(0, (arrivedNs - sentNs) / 1000);
            latencyUs.recordValue(Math.min(us, HIGHEST_TRACKABLE_US));
        }
    }

    /**
     * {@code count} requests that failed at {@code atNs} for {@code cause} (an HTTP status, a
     * ZooKeeper error name, ...); {@code message} says what went wrong, and the first of each cause is kept.
     */
    void failure(long atNs, String cause, long count, String message) {
        if (window.contains(atNs) && count > 0) {
            errorsByCause.merge(cause, count, Long::sum);
            firstErrors.putIfAbsent(cause, message);
        }
    }

    /** Adds {@code n} to the counter {@code name}, whenever it happens: the caller decides what counts. */
    void count(String name, long n) {
        counters.merge(name, n, Long::sum);
    }

    /**
     * A latency of its own kind, {@code name}, from {@code fromNs} to {@code toNs}, recorded when
     * {@code countedAtNs} (the instant its op counts at) is inside the window.
     */
    void extraLatency(String name, long fromNs, long toNs, long countedAtNs) {
        if (window.contains(countedAtNs)) {
            long us = Math.max(0, (toNs - fromNs) / 1000);
            extraLatencyUs.computeIfAbsent(name, n -> newHistogram()).recordValue(Math.min(us, HIGHEST_TRACKABLE_US));
        }
    }

    Map<String, Long> counters() {
        return counters;
    }

    Map<String, Histogram> extraLatencyUs() {
        return extraLatencyUs;
    }

    Histogram latencyUs() {
        return latencyUs;
    }

    /** Failed requests by cause, sorted by cause. */
    Map<String, Long> errorsByCause() {
        return errorsByCause;
    }

    /** The first error of each cause, as the server or the connection told it. */
    Map<String, String> firstErrors() {
        return firstErrors;
    }
}
