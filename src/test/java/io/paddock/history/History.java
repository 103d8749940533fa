package io.paddock.history;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable record of what clients did to the ensemble: every {@link Operation} with its
 * invocation and completion times, in id order. Checkers read it; {@link HistoryRecorder}
 * makes it, and {@link #builder()} lets a test write one by hand.
 *
 * <p>Written values must be unique per path (across creates and setData, whatever their
 * outcome): the checkers identify the write a read saw by its value.
 */
public final class History {

    /** Orders operations as they started: by invocation time, then id. */
    public static final Comparator<Operation> BY_INVOCATION =
            Comparator.comparingLong(Operation::invokeNanos).thenComparingInt(Operation::id);

    private final List<Operation> operations;
    private final SortedMap<String, List<Operation>> byPath;
    private final long baseNanos;

    private History(List<Operation> operations) {
        List<Operation> sorted = new ArrayList<>(operations);
        sorted.sort(Comparator.comparingInt(Operation::id));
        checkIdsAndValuesUnique(sorted);
        this.operations = List.copyOf(sorted);
        TreeMap<String, List<Operation>> paths = new TreeMap<>();
        for (Operation op : sorted) {
            paths.computeIfAbsent(op.path(), p -> new ArrayList<>()).add(op);
        }
        for (Map.Entry<String, List<Operation>> e : paths.entrySet()) {
            List<Operation> ops = new ArrayList<>(e.getValue());
            ops.sort(BY_INVOCATION);
            e.setValue(List.copyOf(ops));
        }
        this.byPath = Collections.unmodifiableSortedMap(paths);
        this.baseNanos = sorted.stream().mapToLong(Operation::invokeNanos).min().orElse(0);
    }

    /** A history of these operations; throws IllegalArgumentException on duplicate ids or values. */
    public static History of(Collection<Operation> operations) {
        return new History(List.copyOf(operations));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All operations, by id. */
    public List<Operation> operations() {
        return operations;
    }

    /** The operations on each path, paths sorted, each list by invocation time. */
    public SortedMap<String, List<Operation>> byPath() {
        return byPath;
    }

    public int size() {
        return operations.size();
    }

    /** The earliest invocation time: reports print times relative to it. */
    public long baseNanos() {
        return baseNanos;
    }

    /** One operation as a report line, times relative to this history's start. */
    public String describe(Operation op) {
        return op.describe(baseNanos);
    }

    /** The whole history, one operation a line, by invocation time. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        operations.stream().sorted(BY_INVOCATION).forEach(op -> sb.append(describe(op)).append('\n'));
        return sb.toString();
    }

    @Override
    public String toString() {
        return "History(" + operations.size() + " operations on " + byPath.size() + " paths)";
    }

    private static void checkIdsAndValuesUnique(List<Operation> ops) {
        Set<Integer> ids = new HashSet<>();
        Map<String, Set<String>> valuesByPath = new HashMap<>();
        for (Operation op : ops) {
            if (!ids.add(op.id())) {
                throw new IllegalArgumentException("two operations have id " + op.id());
            }
            String value = op.call().writtenValue();
            if (value != null && !valuesByPath.computeIfAbsent(op.path(), p -> new HashSet<>()).add(value)) {
                throw new IllegalArgumentException("value \"" + value + "\" is written to " + op.path()
                        + " twice; the checkers need unique values per path");
            }
        }
    }

    /**
     * Writes a history by hand, with explicit times; ids are given in the order operations are
     * added. For tests of the checkers and for histories rebuilt from logs.
     */
    public static final class Builder {
        private final List<Operation> ops = new ArrayList<>();

        /** An operation that completed with {@code result}, without a reply zxid. */
        public Builder add(long session, Call call, long invokeNanos, long completeNanos, Result result) {
            return add(session, call, invokeNanos, completeNanos, result, Result.NO_ZXID);
        }

        /** An operation that completed with {@code result}, the reply carrying {@code replyZxid}. */
        public Builder add(long session, Call call, long invokeNanos, long completeNanos, Result result,
                           long replyZxid) {
            ops.add(Operation.completed(ops.size(), session, call, invokeNanos, completeNanos, result, replyZxid));
            return this;
        }

        /** An operation that never got an answer. */
        public Builder addUnknown(long session, Call call, long invokeNanos) {
            ops.add(Operation.indeterminate(ops.size(), session, call, invokeNanos));
            return this;
        }

        public History build() {
            return History.of(ops);
        }
    }
}
