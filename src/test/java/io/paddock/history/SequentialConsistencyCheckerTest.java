package io.paddock.history;

import static io.paddock.history.Result.NO_ZXID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.history.ConsistencyReport.Rule;
import io.paddock.tree.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Small hand-written histories of reads served by lagging servers, each broken in one way or not at all. */
class SequentialConsistencyCheckerTest {

    private static final String K = "/t/k";
    private static final long A = 0xa;
    private static final long B = 0xb;
    private static final long Z0 = 0x100000000L;
    private static final long Z1 = Z0 + 1;
    private static final long Z2 = Z0 + 2;
    private static final long Z3 = Z0 + 3;
    private static final long Z4 = Z0 + 4;

    private static Call create(String value) {
        return Call.create(K, value);
    }

    private static Call set(String value) {
        return Call.setData(K, value, Call.ANY_VERSION);
    }

    private static Call read() {
        return Call.read(K);
    }

    private static ConsistencyReport check(History.Builder b) {
        return SequentialConsistencyChecker.check(b.build());
    }

    /** The rules broken, in report order. */
    private static List<Rule> rules(History.Builder b) {
        return check(b).violations().stream().map(ConsistencyReport.Violation::rule).distinct().toList();
    }

    /** v1 created at Z1, v2 written at Z2, both by A with replies at their zxids. */
    private static History.Builder twoWrites() {
        return History.builder()
                .add(A, create("v1"), 0, 10, Result.created(Z1), Z1)
                .add(A, set("v2"), 20, 30, Result.written(1, Z2), Z2);
    }

    @Test
    void aLaggingServerMayAnswerWithAnOlderStateThatMatchesItsZxid() {
        History.Builder b = twoWrites()
                .add(B, read(), 40, 50, Result.read("v1", 0, Z1), Z1)
                .add(B, read(), 60, 70, Result.read("v2", 1, Z2), Z3);
        ConsistencyReport r = check(b);
        assertTrue(r.ok(), r.toString());
        assertEquals("sequentially consistent: no rule broken", r.describe(0));
    }

    @Test
    void aReadAnsweredAtZxidZReflectsEveryWriteUpToZ() {
        History.Builder b = twoWrites().add(B, read(), 40, 50, Result.read("v1", 0, Z1), Z2);
        assertEquals(List.of(Rule.READ_SEES_WRITES_UP_TO_REPLY_ZXID), rules(b));
    }

    @Test
    void aSessionsReplyZxidsNeverGoBackwards() {
        History.Builder b = twoWrites()
                .add(B, read(), 40, 50, Result.read("v2", 1, Z2), Z2)
                .add(B, read(), 60, 70, Result.read("v1", 0, Z1), Z1);
        assertTrue(rules(b).contains(Rule.SESSION_ZXIDS_NEVER_DECREASE), rules(b).toString());
    }

    @Test
    void concurrentRepliesOfOneSessionAreNotOrdered() {
        // Pipelined requests: neither completed before the other began.
        History.Builder b = twoWrites()
                .add(B, read(), 40, 60, Result.read("v2", 1, Z2), Z2)
                .add(B, read(), 45, 70, Result.read("v1", 0, Z1), Z1);
        assertTrue(check(b).ok(), check(b).toString());
    }

    @Test
    void aSessionReadsItsOwnWritesEvenWithoutZxids() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, Result.created(NO_ZXID))
                .add(B, set("v2"), 20, 30, Result.written(1, NO_ZXID))
                .add(B, read(), 40, 50, Result.read("v1", 0, NO_ZXID));
        assertEquals(List.of(Rule.READ_YOUR_WRITES), rules(b));
    }

    @Test
    void aSessionsReadMaySeeAnotherSessionsLaterWrite() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, Result.created(Z1), Z1)
                .add(B, set("v2"), 20, 30, Result.written(1, Z2), Z2)
                .add(A, set("v3"), 25, 35, Result.written(2, Z3), Z3)
                .add(B, read(), 40, 50, Result.read("v3", 2, Z3), Z3);
        assertTrue(check(b).ok(), check(b).toString());
    }

    @Test
    void aSessionNeverSeesAnOlderStateThanItAlreadySaw() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, Result.created(NO_ZXID))
                .add(A, set("v2"), 20, 30, Result.written(1, NO_ZXID))
                .add(B, read(), 40, 50, Result.read("v2", 1, NO_ZXID))
                .add(B, read(), 60, 70, Result.read("v1", 0, NO_ZXID));
        assertEquals(List.of(Rule.MONOTONIC_READS), rules(b));
    }

    @Test
    void aSessionAnsweredNoNodeAfterItsOwnCreateNeedsSomeonesDelete() {
        History.Builder lost = History.builder()
                .add(A, create("v1"), 0, 10, Result.created(NO_ZXID))
                .add(A, read(), 20, 30, Result.failed(ErrorCode.NO_NODE));
        assertEquals(List.of(Rule.READ_YOUR_WRITES), rules(lost));
        History.Builder deleted = History.builder()
                .add(A, create("v1"), 0, 10, Result.created(NO_ZXID))
                .add(B, Call.delete(K, Call.ANY_VERSION), 5, 25, Result.deleted())
                .add(A, read(), 20, 30, Result.failed(ErrorCode.NO_NODE));
        assertTrue(check(deleted).ok(), check(deleted).toString());
    }

    @Test
    void aNoNodeAnswerAtZxidZNeedsADeleteAfterTheLastWriteBeforeZ() {
        History.Builder noDelete = History.builder()
                .add(A, create("v1"), 0, 10, Result.created(Z1), Z1)
                .add(B, read(), 20, 30, Result.failed(ErrorCode.NO_NODE), Z2);
        assertEquals(List.of(Rule.NO_NODE_READ_HAS_A_DELETE), rules(noDelete));
        History.Builder deleteBefore = History.builder()
                .add(B, Call.delete(K, Call.ANY_VERSION), 0, 5, Result.failed(ErrorCode.NO_NODE), Z0)
                .add(A, create("v1"), 10, 20, Result.created(Z1), Z1)
                .add(A, Call.delete(K, Call.ANY_VERSION), 30, 40, Result.deleted(), Z2)
                .add(B, read(), 50, 60, Result.failed(ErrorCode.NO_NODE), Z2)
                .add(B, read(), 70, 80, Result.failed(ErrorCode.NO_NODE), Z0);
        assertEquals(List.of(Rule.SESSION_ZXIDS_NEVER_DECREASE), rules(deleteBefore));
        History.Builder lagging = History.builder()
                .add(A, create("v1"), 10, 20, Result.created(Z1), Z1)
                .add(B, read(), 30, 40, Result.failed(ErrorCode.NO_NODE), Z0);
        assertTrue(check(lagging).ok(), check(lagging).toString());
    }

    @Test
    void aDeleteThatCompletedBeforeTheCreateCannotExplainNoNode() {
        History.Builder b = History.builder()
                .add(A, create("v0"), 0, 5, Result.created(NO_ZXID))
                .add(B, Call.delete(K, Call.ANY_VERSION), 6, 8, Result.deleted())
                .add(A, create("v1"), 10, 20, Result.created(NO_ZXID))
                .add(A, read(), 30, 40, Result.failed(ErrorCode.NO_NODE));
        assertEquals(List.of(Rule.READ_YOUR_WRITES), rules(b));
    }

    @Test
    void aReadReturnsOnlyAValueAWriteMayHaveWritten() {
        History.Builder ghost = History.builder()
                .add(A, create("v1"), 0, 10, Result.created(Z1), Z1)
                .add(B, read(), 20, 30, Result.read("ghost", 0, Z1), Z1);
        assertEquals(List.of(Rule.READ_VALUE_WAS_WRITTEN), rules(ghost));
        History.Builder failed = History.builder()
                .add(A, create("v1"), 0, 10, Result.created(Z1), Z1)
                .add(B, create("v2"), 20, 30, Result.failed(ErrorCode.NODE_EXISTS), Z1)
                .add(B, read(), 40, 50, Result.read("v2", 0, Z1), Z1);
        assertEquals(List.of(Rule.READ_VALUE_WAS_WRITTEN), rules(failed));
    }

    @Test
    void aReadCannotReturnAValueWrittenAfterItCompleted() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, Result.created(NO_ZXID))
                .add(B, read(), 20, 30, Result.read("v2", 1, NO_ZXID))
                .addUnknown(A, set("v2"), 40);
        assertEquals(List.of(Rule.READ_NOT_FROM_FUTURE), rules(b));
    }

    @Test
    void aReadOfAnUnknownWriteIsFine() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, Result.created(Z1), Z1)
                .addUnknown(A, set("v2"), 20)
                .add(B, read(), 40, 50, Result.read("v2", 1, Z2), Z2)
                .add(B, read(), 60, 70, Result.read("v2", 1, Z2), Z3);
        assertTrue(check(b).ok(), check(b).toString());
    }

    @Test
    void aReadsVersionAndMzxidAreThoseOfTheWriteOfItsValue() {
        History.Builder wrongZxid = twoWrites().add(B, read(), 40, 50, Result.read("v2", 1, Z3), Z3);
        assertEquals(List.of(Rule.READ_STAT_MATCHES_WRITE), rules(wrongZxid));
        History.Builder wrongVersion = twoWrites().add(B, read(), 40, 50, Result.read("v2", 2, Z2), Z2);
        assertEquals(List.of(Rule.READ_STAT_MATCHES_WRITE), rules(wrongVersion));
        // An unknown write's zxid is learned from the first read: later reads must agree.
        History.Builder disagree = History.builder()
                .add(A, create("v1"), 0, 10, Result.created(Z1), Z1)
                .addUnknown(A, set("v2"), 20)
                .add(B, read(), 40, 50, Result.read("v2", 1, Z2), Z2)
                .add(B, read(), 60, 70, Result.read("v2", 1, Z3), Z3);
        assertEquals(List.of(Rule.READ_STAT_MATCHES_WRITE), rules(disagree));
    }

    @Test
    void aReadsMzxidIsAtMostItsReplyZxid() {
        History.Builder b = twoWrites().add(B, read(), 40, 50, Result.read("v2", 1, Z2), Z1);
        assertEquals(List.of(Rule.READ_MZXID_NOT_AFTER_REPLY), rules(b));
    }

    @Test
    void aWritesZxidIsAtMostItsReplyZxid() {
        History.Builder b = History.builder().add(A, create("v1"), 0, 10, Result.created(Z2), Z1);
        assertEquals(List.of(Rule.WRITE_ZXID_NOT_AFTER_REPLY), rules(b));
    }

    @Test
    void aZxidIdentifiesOneWrite() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, Result.created(Z1), Z1)
                .add(B, Call.create("/t/other", "w1"), 0, 10, Result.created(Z1), Z1);
        assertEquals(List.of(Rule.ONE_WRITE_PER_ZXID), rules(b));
    }

    @Test
    void writeZxidsFollowTheRealTimeOrderOfWrites() {
        History.Builder b = History.builder()
                .add(A, create("v1"), 0, 10, Result.created(Z2), Z2)
                .add(B, Call.create("/t/other", "w1"), 20, 30, Result.created(Z1), Z4);
        assertEquals(List.of(Rule.WRITE_ZXIDS_FOLLOW_REAL_TIME), rules(b));
    }

    @Test
    void aReportListsEachBrokenRuleWithItsOperations() {
        History h = twoWrites().add(B, read(), 40, 50, Result.read("v1", 0, Z1), Z2).build();
        ConsistencyReport r = SequentialConsistencyChecker.check(h);
        String text = r.describe(h);
        assertTrue(text.startsWith("NOT sequentially consistent: 1 violations"), text);
        assertTrue(text.contains("READ_SEES_WRITES_UP_TO_REPLY_ZXID (a read answered at zxid Z reflects every write"),
                text);
        assertTrue(text.contains(K + ": answered at 0x100000002 with the state of 0x100000001, "
                + "missing #1 at 0x100000002"), text);
        assertTrue(text.contains("#2 s0xb read(/t/k) [0.000..0.000 ms] -> "
                + "ok(\"v1\", version=0, mzxid=0x100000001) @0x100000002"), text);
        assertEquals(3, r.violations().get(0).operations().size());
    }
}
