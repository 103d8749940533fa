package io.paddock.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one run measured, and its two printed forms: a row of the table and one JSON line.
 * Latencies are in microseconds as recorded; they are printed in milliseconds with three
 * decimals, so a printed figure is exact.
 *
 * @param protocol       how the clients spoke to the servers: "http" or "zk" (ZooKeeper's binary protocol)
 * @param readRatio      the share of reads among the requests: 0 for write, 1 for read, --read-ratio for mixed
 * @param urls           how many servers (URLs, or host:port addresses for zk) the clients were spread
 *                       over (client i on server i mod urls)
 * @param errorsByStatus failed requests by cause. HTTP: the status ("503"), or "timeout" (no
 *                       answer within the request timeout) or "io" (the connection failed). zk: the
 *                       ZooKeeper error code's name ("BadVersion"), with "ConnectionLoss" when the
 *                       connection failed and "RequestTimeout" when no answer came in time
 * @param details        more fields of the JSON line, in this order after the others: settings
 *                       (connections, keySize, target) and what a workload measures besides
 *                       (watch: watchers, notifications, time to the first notification; lock: overlaps).
 *                       Values are numbers or strings
 */
public record RunResult(String workload, String protocol, double readRatio, int clients, int urls, int outstanding, int valueSize, int keys, long durationMs,
        long ops, long p50Us, long p99Us, long p999Us, long maxUs, SortedMap<String, Long> errorsByStatus,
        Map<String, Object> details) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);

    private static final String ROW = "%-9s %8d %5d %6d %10d %11s %9s %9s %9s %9s %7d";
    private static final String HEADER = "%-9s %8s %5s %6s %10s %11s %9s %9s %9s %9s %7s";

    public RunResult {
        errorsByStatus = new TreeMap<>(errorsByStatus);
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** A result without details. */
    public RunResult(String workload, String protocol, double readRatio, int clients, int urls, int outstanding,
            int valueSize, int keys, long durationMs, long ops, long p50Us, long p99Us, long p999Us, long maxUs,
            SortedMap<String, Long> errorsByStatus) {
        this(workload, protocol, readRatio, clients, urls, outstanding, valueSize, keys, durationMs, ops, p50Us, p99Us,
                p999Us, maxUs, errorsByStatus, Map.of());
    }

    /** The result of a run from its merged latency histogram (microseconds of successful requests only). */
    static RunResult of(String workload, String protocol, double readRatio, int clients, int urls, int outstanding,
            int valueSize, int keys, long durationMs, Histogram latencyUs, Map<String, Long> errorsByStatus) {
        return of(workload, protocol, readRatio, clients, urls, outstanding, valueSize, keys, durationMs, latencyUs,
                errorsByStatus, Map.of());
    }

    /** As above, with {@code details} for the end of the JSON line. */
    static RunResult of(String workload, String protocol, double readRatio, int clients, int urls, int outstanding,
            int valueSize, int keys, long durationMs, Histogram latencyUs, Map<String, Long> errorsByStatus,
            Map<String, Object> details) {
        long ops = latencyUs.getTotalCount();
        boolean empty = ops == 0;
        return new RunResult(workload, protocol, readRatio, clients, urls, outstanding, valueSize, keys, durationMs, ops,
                empty ? 0 : latencyUs.getValueAtPercentile(50.0),
                empty ? 0 : latencyUs.getValueAtPercentile(99.0),
                empty ? 0 : latencyUs.getValueAtPercentile(99.9),
                empty ? 0 : latencyUs.getMaxValue(),
                new TreeMap<>(errorsByStatus), details);
    }

    /**
     * Percentiles of a histogram of microseconds as details, in milliseconds: {@code <prefix>P50Ms},
     * {@code P99Ms}, {@code P999Ms} and {@code MaxMs} (zeros when it is empty).
     */
    static Map<String, Object> percentiles(String prefix, Histogram us) {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean empty = us.getTotalCount() == 0;
        out.put(prefix + "P50Ms", ms(empty ? 0 : us.getValueAtPercentile(50.0)));
        out.put(prefix + "P99Ms", ms(empty ? 0 : us.getValueAtPercentile(99.0)));
        out.put(prefix + "P999Ms", ms(empty ? 0 : us.getValueAtPercentile(99.9)));
        out.put(prefix + "MaxMs", ms(empty ? 0 : us.getMaxValue()));
        return out;
    }

    public long errors() {
        long total = 0;
        for (long n : errorsByStatus.values()) {
            total += n;
        }
        return total;
    }

    /** Successful requests per second of measured time, to one decimal. */
    public BigDecimal opsPerSec() {
        if (durationMs <= 0) {
            return BigDecimal.ZERO.setScale(1);
        }
        return BigDecimal.valueOf(ops).multiply(BigDecimal.valueOf(1000))
                .divide(BigDecimal.valueOf(durationMs), 1, RoundingMode.HALF_UP);
    }

    static BigDecimal ms(long us) {
        return BigDecimal.valueOf(us, 3);
    }

    /** The column titles, aligned with {@link #tableRow()}. */
    public static String tableHeader() {
        return String.format(Locale.ROOT, HEADER, "workload", "clients", "urls", "outst", "ops", "ops/s", "p50 ms",
                "p99 ms", "p99.9 ms", "max ms", "errors");
    }

    public String tableRow() {
        return String.format(Locale.ROOT, ROW, workload, clients, urls, outstanding, ops, opsPerSec().toPlainString(),
                ms(p50Us).toPlainString(), ms(p99Us).toPlainString(), ms(p999Us).toPlainString(),
                ms(maxUs).toPlainString(), errors());
    }

    /**
     * One line of JSON, no line breaks: the fields every run has first (workload, clients, ops,
     * opsPerSec, p50Ms, p99Ms, p999Ms, errors), then the settings and details.
     */
    public String jsonLine() {
        ObjectNode json = JSON.createObjectNode();
        json.put("workload", workload);
        json.put("clients", clients);
        json.put("ops", ops);
        json.put("opsPerSec", opsPerSec());
        json.put("p50Ms", ms(p50Us));
        json.put("p99Ms", ms(p99Us));
        json.put("p999Ms", ms(p999Us));
        json.put("errors", errors());
        json.put("maxMs", ms(maxUs));
        json.put("protocol", protocol);
        json.put("readRatio", readRatio);
        json.put("urls", urls);
        json.put("outstanding", outstanding);
        json.put("valueSize", valueSize);
        json.put("keys", keys);
        json.put("durationMs", durationMs);
        ObjectNode byStatus = json.putObject("errorsByStatus");
        errorsByStatus.forEach(byStatus::put);
        details.forEach((name, value) -> json.set(name, JSON.valueToTree(value)));
        try {
            return JSON.writeValueAsString(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serializes", e);
        }
    }
}
