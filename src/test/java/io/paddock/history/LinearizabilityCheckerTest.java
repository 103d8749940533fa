package io.paddock.history;

import static io.paddock.history.Result.NO_ZXID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.history.LinearizabilityChecker.Reads;
import io.paddock.history.LinearizabilityReport.Verdict;
import io.paddock.tree.ErrorCode;
import org.junit.jupiter.api.Test;

/** Small hand-written histories, each with the verdict ZooKeeper's semantics demand. */
class LinearizabilityCheckerTest {

    private static final String K = "/t/k";
    private static final long A = 0xa;
    private static final long B = 0xb;
    private static final long C = 0xc;

    private final LinearizabilityChecker checker = new LinearizabilityChecker(Reads.ALL, 1_000_000);

    private static Call create(String value) {
        return Call.create(K, value);
    }

    private static Call set(String value) {
        return Call.setData(K, value, Call.ANY_VERSION);
    }

    private static Call read() {
        return Call.syncedRead(K);
    }

    private static Result ok(int version) {
        return Result.written(version, NO_ZXID);
    }

    private static Result saw(String value, int version) {
        return Result.read(value, version, NO_ZXID);
    }

    private static final Result CREATED = Result.created(NO_ZXID);

    private Verdict verdict(History.Builder b) {
        return checker.check(b.build()).verdict();
    }

    @Test
    void oneClientsWritesAndReadsInOrderAreLinearizable() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(A, read(), 20, 30, saw("v1", 0))
                .add(A, set("v2"), 40, 50, ok(1))
                .add(A, read(), 60, 70, saw("v2", 1))
                .add(A, Call.delete(K, 1), 80, 90, Result.deleted())
                .add(A, read(), 100, 110, Result.failed(ErrorCode.NO_NODE));
        assertEquals(Verdict.LINEARIZABLE, verdict(b));
    }

    @Test
    void emptyHistoryIsLinearizable() {
        LinearizabilityReport r = checker.check(History.builder().build());
        assertTrue(r.isLinearizable());
        assertTrue(r.paths().isEmpty());
    }

    @Test
    void readOfAnOverwrittenValueAfterTheWriteCompletedIsAStaleRead() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(A, set("v2"), 20, 30, ok(1))
                .add(B, read(), 40, 50, saw("v1", 0));
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(b));
    }

    @Test
    void acknowledgedWriteThatLaterVanishesIsALostWrite() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(A, set("v2"), 20, 30, ok(1))
                .add(B, read(), 40, 50, saw("v2", 1))
                .add(C, read(), 60, 70, saw("v1", 0));
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(b));
    }

    @Test
    void writesAppliedAgainstTheirRealTimeOrderAreNotLinearizable() {
        // v2 completed before v3 began, yet v3 got version 1 and v2 version 2.
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(A, set("v2"), 20, 30, ok(2))
                .add(B, set("v3"), 40, 50, ok(1));
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(b));
    }

    @Test
    void overlappingWritesMayTakeEffectInEitherOrder() {
        History.Builder v2First = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(A, set("v2"), 20, 60, ok(1))
                .add(B, set("v3"), 30, 50, ok(2))
                .add(C, read(), 70, 80, saw("v3", 2));
        History.Builder v3First = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(A, set("v2"), 20, 60, ok(2))
                .add(B, set("v3"), 30, 50, ok(1))
                .add(C, read(), 70, 80, saw("v2", 2));
        assertEquals(Verdict.LINEARIZABLE, verdict(v2First));
        assertEquals(Verdict.LINEARIZABLE, verdict(v3First));
    }

    @Test
    void aReadOverlappingAWriteMaySeeEitherStateButNotGoBack() {
        History.Builder either = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(A, set("v2"), 20, 100, ok(1))
                .add(B, read(), 30, 40, saw("v2", 1))
                .add(C, read(), 50, 60, saw("v1", 0));
        // B saw v2 before C began, so C cannot see v1 again: the write took effect before B's read.
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(either));
        History.Builder forward = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(A, set("v2"), 20, 100, ok(1))
                .add(B, read(), 30, 40, saw("v1", 0))
                .add(C, read(), 50, 60, saw("v2", 1));
        assertEquals(Verdict.LINEARIZABLE, verdict(forward));
    }

    @Test
    void unknownWriteSeenByALaterReadTookEffect() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .addUnknown(A, set("v2"), 20)
                .add(B, read(), 100, 110, saw("v2", 1))
                .add(B, set("v3"), 120, 130, ok(2));
        assertEquals(Verdict.LINEARIZABLE, verdict(b));
    }

    @Test
    void unknownWriteNobodySawMayNeverHaveTakenEffect() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .addUnknown(A, set("v2"), 20)
                .add(B, read(), 100, 110, saw("v1", 0))
                .add(B, set("v3"), 120, 130, ok(1))
                .add(B, read(), 140, 150, saw("v3", 1));
        assertEquals(Verdict.LINEARIZABLE, verdict(b));
    }

    @Test
    void unknownWriteMayTakeEffectLongAfterItWasInvoked() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .addUnknown(A, set("v2"), 20)
                .add(B, read(), 500, 510, saw("v1", 0))
                .add(B, read(), 900, 910, saw("v2", 1));
        assertEquals(Verdict.LINEARIZABLE, verdict(b));
    }

    @Test
    void unknownWriteCannotTakeEffectBeforeItWasInvoked() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(B, read(), 20, 30, saw("v2", 1))
                .addUnknown(A, set("v2"), 40);
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(b));
    }

    @Test
    void unknownWriteTakesEffectAtMostOnce() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .addUnknown(A, set("v2"), 20)
                .add(B, read(), 100, 110, saw("v2", 1))
                .add(B, set("v3"), 120, 130, ok(2))
                .add(C, read(), 140, 150, saw("v2", 3));
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(b));
    }

    @Test
    void unknownWritesOfOneKindCanStillBeNeededInAnyNumber() {
        // Two unread unknown setData calls took effect: the acked write's version says so.
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .addUnknown(A, set("u1"), 20)
                .addUnknown(B, set("u2"), 30)
                .addUnknown(C, set("u3"), 40)
                .add(A, set("v2"), 100, 110, ok(3))
                .add(A, read(), 120, 130, saw("v2", 3));
        assertEquals(Verdict.LINEARIZABLE, verdict(b));
        History.Builder tooMany = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .addUnknown(A, set("u1"), 20)
                .addUnknown(B, set("u2"), 30)
                .add(A, set("v2"), 100, 110, ok(4));
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(tooMany));
    }

    @Test
    void failedWritesMustMatchTheStateLikeReads() {
        History.Builder consistent = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(B, create("v9"), 20, 30, Result.failed(ErrorCode.NODE_EXISTS))
                .add(B, Call.setData(K, "v2", 5), 40, 50, Result.failed(ErrorCode.BAD_VERSION))
                .add(A, Call.delete(K, Call.ANY_VERSION), 60, 70, Result.deleted())
                .add(B, set("v3"), 80, 90, Result.failed(ErrorCode.NO_NODE));
        assertEquals(Verdict.LINEARIZABLE, verdict(consistent));
        History.Builder badVersionOnAbsentNode = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(A, Call.delete(K, Call.ANY_VERSION), 20, 30, Result.deleted())
                .add(B, Call.setData(K, "v2", 5), 40, 50, Result.failed(ErrorCode.BAD_VERSION));
        // ZooKeeper checks existence first: an absent node answers NoNode whatever the version.
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(badVersionOnAbsentNode));
    }

    @Test
    void conditionalWritesFollowTheNodesVersion() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(A, Call.setData(K, "v2", 0), 20, 30, ok(1))
                .add(B, Call.setData(K, "v3", 0), 40, 50, Result.failed(ErrorCode.BAD_VERSION))
                .add(B, Call.delete(K, 0), 60, 70, Result.failed(ErrorCode.BAD_VERSION))
                .add(B, Call.delete(K, 1), 80, 90, Result.deleted())
                .add(C, create("v4"), 100, 110, CREATED)
                .add(C, read(), 120, 130, saw("v4", 0));
        assertEquals(Verdict.LINEARIZABLE, verdict(b));
        History.Builder wrong = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(A, Call.setData(K, "v2", 0), 20, 30, ok(1))
                .add(B, Call.setData(K, "v3", 0), 40, 50, ok(2));
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(wrong));
    }

    @Test
    void createAnsweringNoNodeNeverFitsBecauseTheParentIsAssumedToExist() {
        History.Builder b = History.builder().add(A, create("v1"), 0, 10, Result.failed(ErrorCode.NO_NODE));
        assertEquals(Verdict.NOT_LINEARIZABLE, verdict(b));
    }

    @Test
    void operationsWithEqualStampsCountAsConcurrent() {
        // The write's completion and the read's invocation carry the same stamp: either order.
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(A, set("v2"), 20, 30, ok(1))
                .add(B, read(), 30, 40, saw("v1", 0));
        assertEquals(Verdict.LINEARIZABLE, verdict(b));
    }

    @Test
    void plainReadsCountOnlyWhenAskedFor() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(A, set("v2"), 20, 30, ok(1))
                .add(B, Call.read(K), 40, 50, saw("v1", 0));
        History h = b.build();
        assertEquals(Verdict.LINEARIZABLE, new LinearizabilityChecker().check(h).verdict());
        assertEquals(Verdict.LINEARIZABLE, new LinearizabilityChecker(Reads.NONE, 1000).check(h).verdict());
        assertEquals(Verdict.NOT_LINEARIZABLE, new LinearizabilityChecker(Reads.ALL, 1000).check(h).verdict());
        History synced = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(A, set("v2"), 20, 30, ok(1))
                .add(B, Call.syncedRead(K), 40, 50, saw("v1", 0))
                .build();
        assertEquals(Verdict.NOT_LINEARIZABLE, new LinearizabilityChecker().check(synced).verdict());
    }

    @Test
    void readsOfUnknownOutcomeAreIgnored() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .addUnknown(B, read(), 5);
        assertEquals(Verdict.LINEARIZABLE, verdict(b));
    }

    @Test
    void eachPathIsJudgedOnItsOwn() {
        History h = History.builder()
                .add(A, Call.create("/t/a", "a1"), 0, 10, CREATED)
                .add(A, Call.create("/t/b", "b1"), 0, 10, CREATED)
                .add(B, Call.syncedRead("/t/a"), 20, 30, saw("a1", 0))
                .add(B, Call.syncedRead("/t/b"), 20, 30, Result.failed(ErrorCode.NO_NODE))
                .build();
        LinearizabilityReport r = checker.check(h);
        assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict());
        assertEquals(Verdict.LINEARIZABLE, r.path("/t/a").verdict());
        assertEquals(Verdict.NOT_LINEARIZABLE, r.path("/t/b").verdict());
        assertTrue(r.describe().contains("/t/b: NOT linearizable"), r.describe());
        assertFalse(r.describe().contains("/t/a:"), r.describe());
    }

    @Test
    void anExhaustedBudgetIsReportedAsUnknownNotAsAViolation() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, CREATED)
                .add(A, set("v2"), 20, 30, ok(1))
                .add(B, read(), 40, 50, saw("v2", 1));
        LinearizabilityReport r = new LinearizabilityChecker(Reads.ALL, 2).check(b.build());
        assertEquals(Verdict.UNKNOWN, r.verdict());
        assertFalse(r.isLinearizable());
        assertTrue(r.describe().startsWith("unknown (search budget exhausted)"), r.describe());
        assertTrue(r.path(K).explanation().contains("search budget exhausted after 2 steps"), r.describe());
        assertTrue(r.path(K).explanation().contains("could not place"), r.describe());
        assertFalse(r.describe().contains("NOT"), r.describe());
    }

    @Test
    void aViolationNamesThePathThePrefixAndTheOperationThatCouldNotBePlaced() {
        History h = History.builder()
                .add(A, create("v1"), 1_000_000, 2_000_000, CREATED)
                .add(A, set("v2"), 3_000_000, 4_000_000, ok(1))
                .add(B, read(), 5_000_000, 6_000_000, saw("v1", 0))
                .build();
        String text = checker.check(h).describe();
        assertTrue(text.startsWith("NOT linearizable: 1 paths, 3 operations checked, 1 not linearizable"), text);
        assertTrue(text.contains(K + ": NOT linearizable"), text);
        assertTrue(text.contains("longest linearizable prefix: 2 of 3 operations"), text);
        assertTrue(text.contains("state after the prefix: (\"v2\", version 1)"), text);
        // Times are printed in ms from the first invocation.
        assertTrue(text.contains("could not place #2 s0xb syncedRead(/t/k) [4.000..5.000 ms] -> ok(\"v1\", version=0"),
                text);
        assertTrue(text.contains("it would answer ok(\"v2\", version=1)"), text);
    }
}
