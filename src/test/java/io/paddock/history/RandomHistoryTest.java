package io.paddock.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.history.ConsistencyReport.Rule;
import io.paddock.history.LinearizabilityChecker.Reads;
import io.paddock.history.LinearizabilityReport.Verdict;
import io.paddock.history.SimZnodeHistory.ReadMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Histories from {@link SimZnodeHistory}, a correct simulated ensemble, must pass; one result
 * changed so that no correct ensemble could produce it must fail. Every message names its seed:
 * {@code SimZnodeHistory.generate(seed, ...)} replays the case.
 */
class RandomHistoryTest {

    private static final int SEEDS = 300;

    private static final SimZnodeHistory.Options LINEARIZABLE = SimZnodeHistory.Options.small(ReadMode.LINEARIZABLE);
    private static final SimZnodeHistory.Options LAGGING = SimZnodeHistory.Options.small(ReadMode.LAGGING);
    private static final SimZnodeHistory.Options BROKEN = SimZnodeHistory.Options.small(ReadMode.BROKEN);

    private final LinearizabilityChecker allReads =
            new LinearizabilityChecker(Reads.ALL, LinearizabilityChecker.DEFAULT_BUDGET_STEPS);

    @Test
    void correctLinearizableHistoriesPassBothCheckers() {
        for (long seed = 0; seed < SEEDS; seed++) {
            History h = SimZnodeHistory.generate(seed, LINEARIZABLE);
            assertLinearizable(seed, h, allReads);
            assertConsistent(seed, h);
        }
    }

    @Test
    void correctHistoriesWithLaggingReadsAreSequentiallyConsistentAndTheirWritesLinearizable() {
        int staleReadsSeen = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            History h = SimZnodeHistory.generate(seed, LAGGING);
            assertLinearizable(seed, h, new LinearizabilityChecker());
            assertConsistent(seed, h);
            if (new LinearizabilityChecker(Reads.ALL, 100_000).check(h).verdict() == Verdict.NOT_LINEARIZABLE) {
                staleReadsSeen++;
            }
        }
        // The simulation must really produce stale reads, or this test proves little.
        assertTrue(staleReadsSeen > SEEDS / 4, "only " + staleReadsSeen + " histories had a stale read");
    }

    /** Without any zxid the checker falls back on real time, and must still accept every correct history. */
    @Test
    void correctHistoriesWithoutZxidsAreSequentiallyConsistent() {
        for (long seed = 0; seed < SEEDS; seed++) {
            assertConsistent(seed, SimZnodeHistory.generate(seed, LAGGING.withZxidRate(0)));
        }
    }

    /**
     * A server that answers plain reads from any prefix of the log, forgetting what the session
     * saw, is caught in most runs (a run where no read went back is still correct).
     */
    @Test
    void serversThatForgetASessionsViewAreCaught() {
        int caught = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            if (!SequentialConsistencyChecker.check(SimZnodeHistory.generate(seed, BROKEN)).ok()) {
                caught++;
            }
        }
        assertTrue(caught > SEEDS * 8 / 10, "caught in only " + caught + " of " + SEEDS + " runs");
    }

    @Test
    void aReadOfAValueNeverWrittenFailsBothCheckers() {
        int mutated = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            History h = SimZnodeHistory.generate(seed, LINEARIZABLE);
            Operation read = pick(h, new Random(seed), op -> op.result() instanceof Result.Read);
            if (read == null) {
                continue;
            }
            Result.Read was = (Result.Read) read.result();
            History bad = replace(h, read, Result.read("ghost", was.version(), was.mzxid()));
            assertNotLinearizable(seed, bad, allReads);
            assertBreaks(seed, bad, Rule.READ_VALUE_WAS_WRITTEN);
            mutated++;
        }
        assertTrue(mutated > SEEDS / 2, "only " + mutated + " seeds had a read to change");
    }

    /**
     * A read returns the value of write u although a later acked write w (u completed before w
     * was invoked) completed before the read was invoked: u's value was gone for good.
     */
    @Test
    void aReadOfAValueOverwrittenBeforeItWasInvokedIsNotLinearizable() {
        int mutated = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            History bad = overwrittenRead(SimZnodeHistory.generate(seed, LINEARIZABLE), new Random(seed));
            if (bad != null) {
                assertNotLinearizable(seed, bad, allReads);
                mutated++;
            }
        }
        assertTrue(mutated > SEEDS / 4, "only " + mutated + " seeds had an overwritten value to read");
    }

    @Test
    void aReadOfAValueWrittenAfterItCompletedFailsTheSequentialChecker() {
        int mutated = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            History h = SimZnodeHistory.generate(seed, LAGGING);
            Random random = new Random(seed);
            Operation read = pick(h, random, op -> op.result() instanceof Result.Read);
            if (read == null) {
                continue;
            }
            Operation future = pick(h, random, op -> op.path().equals(read.path())
                    && op.call().writtenValue() != null && op.mayHaveTakenEffect()
                    && op.invokeNanos() > read.completeNanos());
            if (future == null) {
                continue;
            }
            History bad = replace(h, read, Result.read(future.call().writtenValue(), 0, Result.NO_ZXID));
            assertBreaks(seed, bad, Rule.READ_NOT_FROM_FUTURE);
            mutated++;
        }
        assertTrue(mutated > SEEDS / 4, "only " + mutated + " seeds could read from the future");
    }

    /** A session reads, after its own write w completed, a write u that completed before w began. */
    @Test
    void aSessionReadingOlderThanItsOwnWriteFailsTheSequentialChecker() {
        int mutated = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            History h = SimZnodeHistory.generate(seed, LAGGING);
            List<Operation[]> cases = new ArrayList<>();
            for (Operation r : h.operations()) {
                if (!(r.result() instanceof Result.Read)) {
                    continue;
                }
                for (Operation own : h.byPath().get(r.path())) {
                    if (own.session() != r.session() || !own.isAckedWrite() || !own.precedes(r)) {
                        continue;
                    }
                    for (Operation u : h.byPath().get(r.path())) {
                        if (u.isAckedWrite() && u.call().writtenValue() != null && u.precedes(own)) {
                            cases.add(new Operation[] {r, u});
                        }
                    }
                }
            }
            if (cases.isEmpty()) {
                continue;
            }
            Operation[] c = cases.get(new Random(seed).nextInt(cases.size()));
            History bad = replace(h, c[0], readOf(c[1]));
            long s = seed;
            assertFalse(SequentialConsistencyChecker.check(bad).ok(),
                    () -> "seed " + s + ": accepted\n" + bad.describe());
            mutated++;
        }
        assertTrue(mutated > SEEDS / 4, "only " + mutated + " seeds had a session reading after its write");
    }

    @Test
    void aSessionWhoseReplyZxidGoesBackFailsTheSequentialChecker() {
        int mutated = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            History h = SimZnodeHistory.generate(seed, LAGGING);
            // An operation whose session had an earlier reply above the first zxid.
            Map<Long, Long> firstHighReply = new HashMap<>();
            for (Operation a : h.operations()) {
                if (a.replyZxid() > SimZnodeHistory.BASE_ZXID) {
                    firstHighReply.merge(a.session(), a.completeNanos(), Math::min);
                }
            }
            Operation later = pick(h, new Random(seed), b -> b.replyZxid() != Result.NO_ZXID
                    && firstHighReply.getOrDefault(b.session(), Long.MAX_VALUE) < b.invokeNanos());
            if (later == null) {
                continue;
            }
            List<Operation> ops = new ArrayList<>(h.operations());
            ops.set(later.id(), new Operation(later.id(), later.session(), later.call(), later.invokeNanos(),
                    later.completeNanos(), later.result(), SimZnodeHistory.BASE_ZXID - 1));
            assertBreaks(seed, History.of(ops), Rule.SESSION_ZXIDS_NEVER_DECREASE);
            mutated++;
        }
        assertTrue(mutated > SEEDS / 2, "only " + mutated + " seeds had a session with two replies");
    }

    /**
     * A few thousand operations on one znode are decided within the default budget: a correct
     * history with some unknown outcomes, and a broken one without (refuting means exhausting
     * every order, which unknown outcomes multiply; see LinearizabilityChecker).
     */
    @Test
    void thousandsOfOperationsOnOneZnodeAreDecidedWithinTheDefaultBudget() {
        for (long seed = 0; seed < 3; seed++) {
            History h = SimZnodeHistory.generate(seed,
                    new SimZnodeHistory.Options(10, 3, List.of("/t/hot"), 300, 0.05, 0.3, 0.9, ReadMode.LINEARIZABLE));
            long start = System.nanoTime();
            assertLinearizable(seed, h, allReads);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 10_000, "seed " + seed + ": " + ms + " ms for " + h.size() + " operations");
            assertConsistent(seed, h);

            History certain = SimZnodeHistory.generate(seed,
                    new SimZnodeHistory.Options(10, 3, List.of("/t/hot"), 300, 0, 0.3, 0.9, ReadMode.LINEARIZABLE));
            assertNotLinearizable(seed, overwrittenRead(certain, new Random(seed)), allReads);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static void assertLinearizable(long seed, History h, LinearizabilityChecker checker) {
        LinearizabilityReport r = checker.check(h);
        assertEquals(Verdict.LINEARIZABLE, r.verdict(), () -> "seed " + seed + "\n" + r.describe() + h.describe());
    }

    private static void assertNotLinearizable(long seed, History bad, LinearizabilityChecker checker) {
        LinearizabilityReport r = checker.check(bad);
        assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict(),
                () -> "seed " + seed + "\n" + r.describe() + bad.describe());
    }

    private static void assertConsistent(long seed, History h) {
        ConsistencyReport c = SequentialConsistencyChecker.check(h);
        assertTrue(c.ok(), () -> "seed " + seed + "\n" + c.describe(h) + h.describe());
    }

    private static void assertBreaks(long seed, History bad, Rule rule) {
        ConsistencyReport c = SequentialConsistencyChecker.check(bad);
        assertFalse(c.violationsOf(rule).isEmpty(), () -> "seed " + seed + ": " + rule + " not found\n"
                + c.describe(bad) + bad.describe());
    }

    private static Operation pick(History h, Random random, Predicate<Operation> p) {
        List<Operation> candidates = h.operations().stream().filter(p).toList();
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    private static History replace(History h, Operation op, Result result) {
        List<Operation> ops = new ArrayList<>(h.operations());
        ops.set(op.id(), new Operation(op.id(), op.session(), op.call(), op.invokeNanos(), op.completeNanos(),
                result, op.replyZxid()));
        return History.of(ops);
    }

    /** The read result that acked create or setData {@code u} left behind. */
    private static Result readOf(Operation u) {
        int version = u.result() instanceof Result.Written w ? w.newVersion() : 0;
        return Result.read(u.call().writtenValue(), version, u.ackedZxid());
    }

    /** The history with one read changed to return a value overwritten before it began, or null. */
    private static History overwrittenRead(History h, Random random) {
        List<Operation[]> cases = new ArrayList<>();
        for (List<Operation> ops : h.byPath().values()) {
            List<Operation> reads = ops.stream().filter(op -> op.result() instanceof Result.Read).toList();
            List<Operation> acked = ops.stream().filter(Operation::isAckedWrite).toList();
            for (Operation r : reads) {
                // The latest-completing acked write before r: what r's value must not predate.
                Operation w = null;
                for (Operation a : acked) {
                    if (a.precedes(r) && (w == null || a.completeNanos() > w.completeNanos())) {
                        w = a;
                    }
                }
                for (Operation u : acked) {
                    if (w != null && u.call().writtenValue() != null && u.precedes(w)) {
                        cases.add(new Operation[] {r, u});
                    }
                }
            }
        }
        if (cases.isEmpty()) {
            return null;
        }
        Operation[] c = cases.get(random.nextInt(cases.size()));
        return replace(h, c[0], readOf(c[1]));
    }
}
