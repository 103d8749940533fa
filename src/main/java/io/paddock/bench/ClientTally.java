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
