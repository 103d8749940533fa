package io.paddock.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link SequentialConsistencyChecker} found: the broken rules, each with the operations
 * that break it. Empty means the history is consistent with every rule the checker knows.
 */
public record ConsistencyReport(List<Violation> violations) {

    /** How many violations of one rule {@link #describe()} prints. */
    private static final int SHOWN_PER_RULE = 10;

    /** The guarantees checked, each stated as the sentence a violation breaks. */
    public enum Rule {
        SESSION_ZXIDS_NEVER_DECREASE("a session's reply zxids never go backwards"),
        ONE_WRITE_PER_ZXID("a zxid identifies one write"),
        WRITE_ZXIDS_FOLLOW_REAL_TIME("a write that completed before another was invoked has the smaller zxid"),
        WRITE_ZXID_NOT_AFTER_REPLY("a write's zxid is at most its reply's zxid"),
        READ_VALUE_WAS_WRITTEN("a read returns a value that a write to the path may have written"),
        READ_NOT_FROM_FUTURE("a read never returns a value whose write was invoked after the read completed"),
        READ_STAT_MATCHES_WRITE("a read's version and mzxid are those the write of its value made"),
        READ_MZXID_NOT_AFTER_REPLY("a read's mzxid is at most its reply zxid"),
        READ_SEES_WRITES_UP_TO_REPLY_ZXID("a read answered at zxid Z reflects every write with a zxid up to Z"),
        NO_NODE_READ_HAS_A_DELETE("a NoNode read answered at zxid Z comes after a delete of what was written before Z"),
        READ_YOUR_WRITES("a session's read sees its own completed writes, or later ones"),
        MONOTONIC_READS("a session's read never sees an older state than its earlier reads saw");

        private final String sentence;

        Rule(String sentence) {
            this.sentence = sentence;
        }

        /** The guarantee in words. */
        public String sentence() {
            return sentence;
        }
    }

    /**
     * One broken rule: {@code message} says how, {@code operations} are the operations involved
     * (the offending one first).
     */
    public record Violation(Rule rule, String path, String message, List<Operation> operations) {
        public Violation {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(message, "message");
            operations = List.copyOf(operations);
        }
    }

    public ConsistencyReport {
        List<Violation> sorted = new ArrayList<>(violations);
        sorted.sort(Comparator.comparing(Violation::rule));
        violations = List.copyOf(sorted);
    }

    /** True when no rule is broken. */
    public boolean ok() {
        return violations.isEmpty();
    }

    /** The violations of one rule. */
    public List<Violation> violationsOf(Rule rule) {
        return violations.stream().filter(v -> v.rule() == rule).toList();
    }

    /** For an assertion message: a summary, then up to ten violations of each rule broken. */
    public String describe(History history) {
        return describe(history.baseNanos());
    }

    /** As {@link #describe(History)}, with times relative to {@code baseNanos}. */
    public String describe(long baseNanos) {
        if (ok()) {
            return "sequentially consistent: no rule broken";
        }
        Map<Rule, List<Violation>> byRule = new EnumMap<>(Rule.class);
        for (Violation v : violations) {
            byRule.computeIfAbsent(v.rule(), r -> new ArrayList<>()).add(v);
        }
        StringBuilder sb = new StringBuilder("NOT sequentially consistent: ").append(violations.size())
                .append(" violations\n");
        for (Map.Entry<Rule, List<Violation>> e : byRule.entrySet()) {
            List<Violation> vs = e.getValue();
            sb.append(e.getKey()).append(" (").append(e.getKey().sentence()).append("): ")
                    .append(vs.size()).append('\n');
            for (Violation v : vs.subList(0, Math.min(SHOWN_PER_RULE, vs.size()))) {
                sb.append("  ").append(v.path() == null ? "" : v.path() + ": ").append(v.message()).append('\n');
                for (Operation op : v.operations()) {
                    sb.append("    ").append(op.describe(baseNanos)).append('\n');
                }
            }
            if (vs.size() > SHOWN_PER_RULE) {
                sb.append("  … ").append(vs.size() - SHOWN_PER_RULE).append(" more\n");
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe(0);
    }
}
