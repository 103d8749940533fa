package io.paddock.history;

import io.paddock.history.LinearizabilityReport.PathResult;
import io.paddock.history.LinearizabilityReport.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides whether the operations on each znode are linearizable: whether there is one order of
 * them that (1) respects real time — if A completed before B was invoked, A comes first — and
 * (2) is legal for a single znode ({@link ZnodeModel}: absent, or (value, version)), every
 * operation getting exactly the result it got.
 *
 * <h2>How</h2>
 * <b>P-compositionality.</b> Linearizability is local (Herlihy &amp; Wing 1990): a history is
 * linearizable iff its restriction to each object is. Horn &amp; Kroening ("Faster
 * linearizability checking via P-compositionality", FORTE 2015) turn this into splitting the
 * history by partition before searching. Each path is checked on its own, in parallel, and a
 * small search per path replaces one exponentially larger one.
 *
 * <p><b>Wing &amp; Gong's search</b> ("Testing and verifying concurrent objects", JPDC 1993), as
 * Lowe improved it ("Testing for linearizability", Concurrency and Computation: Practice and
 * Experience, 2017) and Porcupine implements it. Every operation becomes two entries, its call
 * and its return, in one doubly linked list sorted by time (a call before a return at equal
 * times: equal stamps cannot order two operations). Scanning from the head, every call met
 * before the first return belongs to an operation that may be linearized next, since nothing
 * has to precede it. The search:
 * <ol>
 *   <li>at a call: if the model accepts the operation in the current state, <em>linearize</em>
 *       it — push (entry, state before) on a stack, apply it, unlink its call and return from
 *       the list (dancing links: they know their neighbours, so undo relinks them in O(1)) — and
 *       scan again from the head; otherwise try the next entry;</li>
 *   <li>at a return: that operation's deadline has come and it is not linearized, so the last
 *       choice was wrong: pop the stack, undo (relink, restore the state) and try the call after
 *       the one just undone;</li>
 *   <li>the history is linearizable when every operation with a known outcome is linearized,
 *       and not linearizable when a return is met with an empty stack.</li>
 * </ol>
 * <b>Lowe's memoization</b> makes this practical: the pair (set of linearized operations as a
 * bitset, model state) fully determines what the rest of the search can do, so a pair seen
 * before is never explored again. Without it the search is exponential in the concurrency.
 *
 * <p><b>Unknown outcomes</b> are treated as Jepsen does: the operation never returns (its call
 * has no return entry), so it may be linearized anywhere after its invocation, or never: the
 * search succeeds once every operation with a known outcome is placed. Such a write does
 * whatever the model would do. Reads of unknown outcome say nothing and are dropped. Failed
 * writes (NoNode, NodeExists, BadVersion) change nothing but are checked like reads: ZooKeeper
 * decides them in zxid order too.
 *
 * <p>{@link WglSearch} adds three reductions that keep the search exact: a read that fits is
 * linearized at once with no alternative; values nobody read are one value to the memo; and
 * interchangeable unknown writes are used in invocation order. Its javadoc says why each is safe.
 *
 * <p><b>Budget.</b> The search is exponential in the worst case, so each path gets a budget of
 * steps; when it runs out the path is {@link Verdict#UNKNOWN}, never silently passed or failed.
 * Finding a linearization is fast (thousands of operations per path in well under a second,
 * unknown outcomes included); proving there is none means exhausting every order up to the
 * violation, and each unknown outcome still pending multiplies those orders. A long history
 * with many unknown outcomes that is not linearizable may therefore come out unknown; its
 * explanation then shows the furthest point the search reached.
 *
 * <p><b>Explanations.</b> The search remembers the longest sequence it ever linearized. On a
 * violation the report shows that prefix's tail and the state it leaves, the operation whose
 * return could not be passed, and why each operation that could have come next does not fit.
 *
 * <p>Which reads count: ZooKeeper serves reads from the local server, which may lag, so plain
 * reads are not linearizable; {@link Reads#SYNCED} (the default) checks only reads made with
 * {@link Call#syncedRead}. Each path starts absent.
 */
public final class LinearizabilityChecker {

    /** Which reads the search includes; writes always count. */
    public enum Reads {
        /** Writes only (their failures included). */
        NONE,
        /** Writes and reads made with {@link Call#syncedRead}. */
        SYNCED,
        /** Every read: for a single server, or any setup that promises linearizable reads. */
        ALL
    }

    /** Steps per path before giving up with "unknown": a few seconds of search at most. */
    public static final long DEFAULT_BUDGET_STEPS = 10_000_000;

    private final Reads reads;
    private final long budgetSteps;

    /** Synced reads and writes, default budget. */
    public LinearizabilityChecker() {
        this(Reads.SYNCED, DEFAULT_BUDGET_STEPS);
    }

    public LinearizabilityChecker(Reads reads, long budgetSteps) {
        if (budgetSteps <= 0) {
            throw new IllegalArgumentException("budgetSteps must be positive: " + budgetSteps);
        }
        this.reads = reads;
        this.budgetSteps = budgetSteps;
    }

    /** Checks every path of {@code history} independently (in parallel); paths sorted in the report. */
    public LinearizabilityReport check(History history) {
        List<Map.Entry<String, List<Operation>>> paths = new ArrayList<>(history.byPath().entrySet());
        List<PathResult> results = paths.parallelStream()
                .map(e -> checkPath(e.getKey(), e.getValue(), history.baseNanos()))
                .toList();
        return LinearizabilityReport.of(results);
    }

    /** Checks one path's operations; times in the explanation are relative to {@code baseNanos}. */
    public PathResult checkPath(String path, List<Operation> pathOps, long baseNanos) {
        List<Operation> ops = new ArrayList<>();
        for (Operation op : pathOps) {
            if (!op.path().equals(path)) {
                throw new IllegalArgumentException(op + " is not on " + path);
            }
            if (included(op)) {
                ops.add(op);
            }
        }
        ops.sort(History.BY_INVOCATION);
        return new WglSearch(path, ops, baseNanos, budgetSteps).run();
    }

    private boolean included(Operation op) {
        if (op.call().isWrite()) {
            return true;
        }
        if (op.isIndeterminate()) {
            return false;
        }
        return switch (reads) {
            case NONE -> false;
            case SYNCED -> ((Call.GetData) op.call()).synced();
            case ALL -> true;
        };
    }
}
