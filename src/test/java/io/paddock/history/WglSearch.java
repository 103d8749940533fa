package io.paddock.history;

import io.paddock.history.LinearizabilityReport.PathResult;
import io.paddock.history.LinearizabilityReport.Verdict;
import io.paddock.history.ZnodeModel.State;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The search {@link LinearizabilityChecker} runs on one path: Wing &amp; Gong's, with Lowe's
 * memoization, as that class describes, plus three reductions that keep it exact:
 *
 * <ol>
 *   <li><b>Reads go at once.</b> An operation that changes nothing (a read, a failed write) and
 *       fits the current state can be linearized now without loss: moving it earlier in any
 *       linearization changes no result, and nothing must precede it (it is a candidate). So
 *       when one fits, it is the level's only choice, and if what follows fails, so does the
 *       level.</li>
 *   <li><b>Unread values are alike.</b> A value no operation in the search returned can only
 *       make reads fail, whichever value it is, so the memo sees all such values as one. Orders
 *       of writes nobody read then meet in the memo instead of being explored apart.</li>
 *   <li><b>Unknown writes of a kind go in order.</b> Unknown operations with the same call type,
 *       expected version and an unread value are interchangeable: if a linearization uses a
 *       later-invoked one while an earlier one is unused, the earlier can take its place. So the
 *       search uses each kind in invocation order, and k such writes cost k choices, not 2^k
 *       subsets.</li>
 * </ol>
 */
final class WglSearch {

    /** How many operations of the longest prefix an explanation lists. */
    private static final int PREFIX_TAIL_SHOWN = 10;
    /** How many candidate operations an explanation lists. */
    private static final int CANDIDATES_SHOWN = 20;

    /**
     * A call or return in the list; {@code op} indexes the path's operations. An operation of
     * unknown outcome has only its call: it never returns.
     */
    private static final class Entry {
        final int op;
        final long time;
        final boolean isCall;
        Entry match;
        Entry prev;
        Entry next;

        Entry(int op, long time, boolean isCall) {
            this.op = op;
            this.time = time;
            this.isCall = isCall;
        }
    }

    /** What undo needs: the call linearized, the state before it, and whether it was the level's only choice. */
    private record Frame(Entry call, State before, boolean forced) {
    }

    /**
     * A memo key: the linearized set and the state. The set is stored without its leading
     * all-ones words and trailing zero words, so settled history costs no memory.
     */
    private static final class Memo {
        private final int firstWord;
        private final long[] words;
        private final State state;
        private final int hash;

        Memo(long[] bits, State state) {
            int first = 0;
            while (first < bits.length && bits[first] == -1L) {
                first++;
            }
            int last = bits.length - 1;
            while (last >= first && bits[last] == 0L) {
                last--;
            }
            this.firstWord = first;
            this.words = Arrays.copyOfRange(bits, first, last + 1);
            this.state = state;
            this.hash = (31 * (31 * first + Arrays.hashCode(words))) + state.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Memo m && m.hash == hash && m.firstWord == firstWord
                    && Arrays.equals(m.words, words) && m.state.equals(state);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final String path;
    private final List<Operation> ops;
    private final long baseNanos;
    private final long budgetSteps;
    private final Entry head = new Entry(-1, Long.MIN_VALUE, true);
    private final long[] linearized;
    private final List<Frame> stack = new ArrayList<>();
    private final Set<Memo> seen = new HashSet<>();
    /** Reads and failed writes: they change no state. */
    private final boolean[] readOnly;
    /** Values some operation in the search returned. */
    private final Set<String> readValues = new HashSet<>();
    /** Stands for every value no operation returned; equal to no returned value. */
    private final String unread;
    /** For an unknown operation, the previous unknown one of its kind, or -1. */
    private final int[] previousOfKind;
    private int[] longestPrefix = new int[0];
    private State state = State.ABSENT;
    private int determinateLeft;

    /** {@code ops} all on {@code path}, sorted by invocation. */
    WglSearch(String path, List<Operation> ops, long baseNanos, long budgetSteps) {
        this.path = path;
        this.ops = ops;
        this.baseNanos = baseNanos;
        this.budgetSteps = budgetSteps;
        this.linearized = new long[(ops.size() + 63) / 64];
        this.readOnly = new boolean[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            readOnly[i] = !op.call().isWrite() || op.result() instanceof Result.Failed;
            if (op.result() instanceof Result.Read r) {
                readValues.add(r.value());
            }
        }
        String marker = "<unread>";
        while (readValues.contains(marker)) {
            marker = "<" + marker + ">";
        }
        this.unread = marker;
        this.previousOfKind = new int[ops.size()];
        Map<String, Integer> lastOfKind = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            Integer previous = ops.get(i).isIndeterminate() ? lastOfKind.put(kindOf(ops.get(i)), i) : null;
            previousOfKind[i] = previous == null ? -1 : previous;
        }
        buildList();
    }

    /** Interchangeable unknown operations share a kind; a write whose value was read is its own kind. */
    private String kindOf(Operation op) {
        Call c = op.call();
        String value = c.writtenValue();
        String valueKind = value == null || !readValues.contains(value) ? "" : value;
        int expectedVersion = c instanceof Call.SetData sd ? sd.expectedVersion()
                : c instanceof Call.Delete d ? d.expectedVersion() : 0;
        return c.getClass().getSimpleName() + "/" + expectedVersion + "/" + valueKind;
    }

    private void buildList() {
        List<Entry> entries = new ArrayList<>(2 * ops.size());
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            Entry call = new Entry(i, op.invokeNanos(), true);
            entries.add(call);
            if (!op.isIndeterminate()) {
                determinateLeft++;
                Entry ret = new Entry(i, op.completeNanos(), false);
                call.match = ret;
                ret.match = call;
                entries.add(ret);
            }
        }
        // Calls before returns at equal times: equal stamps cannot order two operations.
        entries.sort(Comparator.comparingLong((Entry e) -> e.time)
                .thenComparing(e -> !e.isCall)
                .thenComparingInt(e -> e.op));
        Entry prev = head;
        for (Entry e : entries) {
            prev.next = e;
            e.prev = prev;
            prev = e;
        }
    }

    PathResult run() {
        long steps = 0;
        Entry entry = null; // null: a level begins
        while (determinateLeft > 0) {
            if (steps >= budgetSteps) {
                return unknown(steps);
            }
            if (entry == null) {
                Entry forced = null;
                // The candidates are the calls before the first return; one exists while determinateLeft > 0.
                for (Entry e = head.next; e.isCall && forced == null; e = e.next) {
                    steps++;
                    if (readOnly[e.op] && ZnodeModel.step(state, ops.get(e.op)) != null) {
                        forced = e;
                    }
                }
                if (forced == null) {
                    entry = head.next;
                } else if (!linearize(forced, true)) {
                    // What follows this read was explored before and failed: so does this level.
                    entry = backtrack();
                    if (entry == null) {
                        return notLinearizable(steps);
                    }
                }
                continue;
            }
            steps++;
            if (entry.isCall) {
                entry = !readOnly[entry.op] && linearize(entry, false) ? null : entry.next;
            } else {
                // This operation's return has come and it is still not linearized: undo the last choice.
                entry = backtrack();
                if (entry == null) {
                    return notLinearizable(steps);
                }
            }
        }
        return new PathResult(path, Verdict.LINEARIZABLE, ops.size(), steps,
                path + ": linearizable (" + ops.size() + " operations, " + steps + " steps)");
    }

    /** Linearizes {@code call} next if the model accepts it and the result is new; true if it did. */
    private boolean linearize(Entry call, boolean forced) {
        int earlier = previousOfKind[call.op];
        if (earlier >= 0 && !isLinearized(earlier)) {
            return false;
        }
        State next = ZnodeModel.step(state, ops.get(call.op));
        if (next == null) {
            return false;
        }
        next = normalize(next);
        setBit(call.op);
        if (!seen.add(new Memo(linearized, next))) {
            clearBit(call.op);
            return false;
        }
        stack.add(new Frame(call, state, forced));
        state = next;
        lift(call);
        if (call.match != null) {
            determinateLeft--;
        }
        if (stack.size() > longestPrefix.length) {
            rememberLongestPrefix();
        }
        return true;
    }

    /**
     * Undoes choices until one leaves an alternative: returns the entry to try next at that
     * level, or null when no choice is left (the history is not linearizable). A forced choice
     * had no alternative, so undoing it fails its level too.
     */
    private Entry backtrack() {
        while (!stack.isEmpty()) {
            Frame f = stack.remove(stack.size() - 1);
            state = f.before();
            clearBit(f.call().op);
            unlift(f.call());
            if (f.call().match != null) {
                determinateLeft++;
            }
            if (!f.forced()) {
                return f.call().next;
            }
        }
        return null;
    }

    /** A value no operation read becomes {@link #unread}: to the search they are all one. */
    private State normalize(State s) {
        return s.exists() && !readValues.contains(s.value()) ? new State(unread, s.version()) : s;
    }

    /** Unlinks a call and its return, if any; {@link #unlift} undoes it (in reverse order). */
    private static void lift(Entry call) {
        unlink(call);
        if (call.match != null) {
            unlink(call.match);
        }
    }

    private static void unlift(Entry call) {
        if (call.match != null) {
            relink(call.match);
        }
        relink(call);
    }

    private static void unlink(Entry e) {
        e.prev.next = e.next;
        if (e.next != null) {
            e.next.prev = e.prev;
        }
    }

    /** Puts back an entry {@link #unlink} removed; its own links were left as they were. */
    private static void relink(Entry e) {
        e.prev.next = e;
        if (e.next != null) {
            e.next.prev = e;
        }
    }

    private boolean isLinearized(int i) {
        return (linearized[i >>> 6] & (1L << i)) != 0;
    }

    private void setBit(int i) {
        linearized[i >>> 6] |= 1L << i;
    }

    private void clearBit(int i) {
        linearized[i >>> 6] &= ~(1L << i);
    }

    private void rememberLongestPrefix() {
        longestPrefix = new int[stack.size()];
        for (int i = 0; i < stack.size(); i++) {
            longestPrefix[i] = stack.get(i).call().op;
        }
    }

    private PathResult unknown(long steps) {
        StringBuilder sb = new StringBuilder();
        sb.append(path).append(": unknown (search budget exhausted after ").append(budgetSteps)
                .append(" steps; ").append(ops.size()).append(" operations)\n")
                .append("  the furthest the search got, which may or may not be where a violation lies:\n");
        describeLongestPrefix(sb);
        return new PathResult(path, Verdict.UNKNOWN, ops.size(), steps, sb.toString().stripTrailing());
    }

    private PathResult notLinearizable(long steps) {
        StringBuilder sb = new StringBuilder();
        sb.append(path).append(": NOT linearizable (").append(ops.size()).append(" operations, ")
                .append(steps).append(" steps)\n");
        describeLongestPrefix(sb);
        return new PathResult(path, Verdict.NOT_LINEARIZABLE, ops.size(), steps, sb.toString().stripTrailing());
    }

    /**
     * The longest prefix's tail with the states it passes through, the operation that could not
     * be placed before its return, and why each operation that could have come next does not fit.
     */
    private void describeLongestPrefix(StringBuilder sb) {
        sb.append("  longest linearizable prefix: ").append(longestPrefix.length).append(" of ")
                .append(ops.size()).append(" operations");
        int from = Math.max(0, longestPrefix.length - PREFIX_TAIL_SHOWN);
        if (longestPrefix.length > 0) {
            sb.append(from > 0 ? "; its last " + (longestPrefix.length - from) : "")
                    .append(", in linearization order:\n");
        } else {
            sb.append('\n');
        }
        boolean[] placed = new boolean[ops.size()];
        State after = State.ABSENT; // real values here, not normalized
        for (int i = 0; i < longestPrefix.length; i++) {
            Operation op = ops.get(longestPrefix[i]);
            placed[longestPrefix[i]] = true;
            after = ZnodeModel.step(after, op);
            if (i >= from) {
                sb.append("    ").append(op.describe(baseNanos)).append("   => ").append(after).append('\n');
            }
        }
        sb.append("  state after the prefix: ").append(after).append('\n');
        // The prefix is not complete (else the search had succeeded), so an operation of known outcome is left.
        Operation blocked = null;
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            if (!placed[i] && !op.isIndeterminate()
                    && (blocked == null || op.completeNanos() < blocked.completeNanos())) {
                blocked = op;
            }
        }
        sb.append("  could not place ").append(blocked.describe(baseNanos))
                .append("\n  before it completed; the operations that could have come next:\n");
        int shown = 0;
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            if (!placed[i] && op.invokeNanos() <= blocked.completeNanos()) {
                if (shown++ == CANDIDATES_SHOWN) {
                    sb.append("    …\n");
                    break;
                }
                sb.append("    ").append(op.describe(baseNanos)).append("\n      ")
                        .append(ZnodeModel.explain(after, op)).append('\n');
            }
        }
    }
}
