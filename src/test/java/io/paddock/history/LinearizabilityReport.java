package io.paddock.history;

import java.util.List;
import java.util.Objects;

/**
 * What {@link LinearizabilityChecker} concluded: one {@link PathResult} per znode path (paths
 * sorted) and the overall {@link Verdict}. "Unknown" is distinct from "not linearizable": the
 * search ran out of budget before it found either a linearization or proof that none exists.
 */
public record LinearizabilityReport(Verdict verdict, List<PathResult> paths) {

    public enum Verdict {
        LINEARIZABLE,
        /** Some path has no linearization: a real violation. */
        NOT_LINEARIZABLE,
        /** No violation found, but the search budget ran out on some path before it could decide. */
        UNKNOWN
    }

    public LinearizabilityReport {
        Objects.requireNonNull(verdict, "verdict");
        paths = List.copyOf(paths);
    }

    /** The report over these per-path results: any violation wins, then any unknown. */
    static LinearizabilityReport of(List<PathResult> paths) {
        Verdict v = Verdict.LINEARIZABLE;
        for (PathResult p : paths) {
            if (p.verdict() == Verdict.NOT_LINEARIZABLE) {
                v = Verdict.NOT_LINEARIZABLE;
            } else if (p.verdict() == Verdict.UNKNOWN && v == Verdict.LINEARIZABLE) {
                v = Verdict.UNKNOWN;
            }
        }
        return new LinearizabilityReport(v, paths);
    }

    /** True only when every path was proven linearizable. */
    public boolean isLinearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }

    /** The result for one path, or null when the history never touched it. */
    public PathResult path(String path) {
        for (PathResult p : paths) {
            if (p.path().equals(path)) {
                return p;
            }
        }
        return null;
    }

    /** A summary line, then the explanation of every path that is not linearizable or unknown. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        long bad = paths.stream().filter(p -> p.verdict() == Verdict.NOT_LINEARIZABLE).count();
        long unknown = paths.stream().filter(p -> p.verdict() == Verdict.UNKNOWN).count();
        int ops = paths.stream().mapToInt(PathResult::operations).sum();
        sb.append(switch (verdict) {
            case LINEARIZABLE -> "linearizable";
            case NOT_LINEARIZABLE -> "NOT linearizable";
            case UNKNOWN -> "unknown (search budget exhausted)";
        }).append(": ").append(paths.size()).append(" paths, ").append(ops).append(" operations checked");
        if (bad > 0) {
            sb.append(", ").append(bad).append(" not linearizable");
        }
        if (unknown > 0) {
            sb.append(", ").append(unknown).append(" unknown (search budget exhausted)");
        }
        sb.append('\n');
        for (PathResult p : paths) {
            if (p.verdict() != Verdict.LINEARIZABLE) {
                sb.append(p.explanation()).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * The verdict for one path.
     *
     * @param operations  how many operations the search considered (reads it was told to skip
     *                    and reads of unknown outcome are not counted)
     * @param steps       search steps spent
     * @param explanation for a violation: the longest linearizable prefix and the operations
     *                    that could not be placed after it; for unknown: the budget; else a line
     */
    public record PathResult(String path, Verdict verdict, int operations, long steps, String explanation) {
        public PathResult {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(explanation, "explanation");
        }
    }
}
