package io.paddock.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonGenerator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the failover benchmark measured: per trial, which leader was killed, which server took
 * over, and two times in microseconds: from the SIGKILL until a new leader served with a
 * majority ({@code electedUs}), and from the killed server's restart until all servers served
 * again ({@code rejoinedUs}). Printed as a table and as one JSON line, in milliseconds with
 * three decimals.
 */
public record FailoverResult(int servers, int tickTimeMs, List<Trial> trials) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);

    private static final String ROW = "%-7s %7s %11s %13s %13s";

    public record Trial(int trial, long killedId, long newLeaderId, long electedUs, long rejoinedUs) {
    }

    public FailoverResult {
        trials = List.copyOf(trials);
    }

    /** The median time to a new leader; of an even count, the mean of the two middle values (rounded down). */
    public long medianElectedUs() {
        return median(electedUs());
    }

    public long maxElectedUs() {
        return electedUs().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    public long medianRejoinedUs() {
        return median(trials.stream().map(Trial::rejoinedUs).toList());
    }

    private List<Long> electedUs() {
        return trials.stream().map(Trial::electedUs).toList();
    }

    static long median(List<Long> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    public static String tableHeader() {
        return String.format(Locale.ROOT, ROW, "trial", "killed", "new leader", "elected ms", "rejoined ms");
    }

    public static String tableRow(Trial t) {
        return String.format(Locale.ROOT, ROW, t.trial(), t.killedId(), t.newLeaderId(),
                RunResult.ms(t.electedUs()).toPlainString(), RunResult.ms(t.rejoinedUs()).toPlainString());
    }

    /** The lines under the trials' rows: median and max of each time. */
    public List<String> summaryRows() {
        long maxRejoined = trials.stream().mapToLong(Trial::rejoinedUs).max().orElse(0);
        return List.of(
                String.format(Locale.ROOT, ROW, "median", "", "", RunResult.ms(medianElectedUs()).toPlainString(),
                        RunResult.ms(medianRejoinedUs()).toPlainString()),
                String.format(Locale.ROOT, ROW, "max", "", "", RunResult.ms(maxElectedUs()).toPlainString(),
                        RunResult.ms(maxRejoined).toPlainString()));
    }

    /**
     * One line of JSON: the workload, the ensemble's size and tick, then median and max of the
     * time to a new leader, then every trial's figures as arrays in trial order.
     */
    public String jsonLine() {
        ObjectNode json = JSON.createObjectNode();
        json.put("workload", WorkloadKind.FAILOVER.optionName());
        json.put("servers", servers);
        json.put("tickTimeMs", tickTimeMs);
        json.put("trials", trials.size());
        json.put("medianMs", RunResult.ms(medianElectedUs()));
        json.put("maxMs", RunResult.ms(maxElectedUs()));
        json.put("medianRejoinedMs", RunResult.ms(medianRejoinedUs()));
        ArrayNode elected = json.putArray("electedMs");
        ArrayNode rejoined = json.putArray("rejoinedMs");
        ArrayNode killed = json.putArray("killed");
        ArrayNode leaders = json.putArray("newLeaders");
        for (Trial t : trials) {
            elected.add(RunResult.ms(t.electedUs()));
            rejoined.add(RunResult.ms(t.rejoinedUs()));
            killed.add(t.killedId());
            leaders.add(t.newLeaderId());
        }
        try {
            return JSON.writeValueAsString(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serializes", e);
        }
    }
}
