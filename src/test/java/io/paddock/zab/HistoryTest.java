package io.paddock.zab;

import static io.paddock.zab.PeerDriver.log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.tree.TxnRecord;
import io.paddock.zab.History.SyncKind;
import io.paddock.zab.History.SyncPlan;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {

    /** Epoch 1 records 1..5, then epoch 2 records 1..3. */
    private static History leaderHistory(int window) {
        List<TxnRecord> l = new ArrayList<>(log(1, 1, 5));
        l.addAll(log(2, 1, 3));
        return new History(window, Zxid.make(2, 3), l);
    }

    @Test
    void learnerInSyncGetsAnEmptyDiff() {
        assertEquals(new SyncPlan(SyncKind.DIFF, Zxid.make(2, 3)), leaderHistory(100).planSync(Zxid.make(2, 3)));
    }

    @Test
    void learnerHoldingOneOfOurRecordsGetsTheRecordsAfterIt() {
        History h = leaderHistory(100);
        assertEquals(new SyncPlan(SyncKind.DIFF, Zxid.make(1, 4)), h.planSync(Zxid.make(1, 4)));
        assertEquals(4, h.after(Zxid.make(1, 4)).size());
    }

    @Test
    void learnerAheadOfUsIsTruncatedToOurLastRecord() {
        assertEquals(new SyncPlan(SyncKind.TRUNC, Zxid.make(2, 3)), leaderHistory(100).planSync(Zxid.make(2, 7)));
    }

    @Test
    void learnerWithRecordsWeLackIsTruncatedToTheLastRecordWeShare() {
        // It logged (1,6)..(1,9), proposals of epoch 1 that never reached us.
        assertEquals(new SyncPlan(SyncKind.TRUNC, Zxid.make(1, 5)), leaderHistory(100).planSync(Zxid.make(1, 9)));
    }

    @Test
    void learnerOlderThanOurStartUpTailGetsASnapshot() {
        History h = new History(100, Zxid.make(1, 9), log(1, 5, 9));
        assertEquals(SyncKind.SNAP, h.planSync(Zxid.make(1, 2)).kind());
        assertEquals(SyncKind.SNAP, h.planSync(0).kind());
    }

    @Test
    void emptyLearnerOfAnEmptyLeaderGetsAnEmptyDiff() {
        assertEquals(new SyncPlan(SyncKind.DIFF, 0), new History(100, 0, List.of()).planSync(0));
    }

    @Test
    void afterTrimmingTheDroppedRecordIsTheDiffBase() {
        History h = new History(4, 0, List.of());
        for (TxnRecord r : log(1, 1, 40)) {
            h.append(new History.Entry(r, 0, 0));
        }
        h.trim(Zxid.make(1, 40), false);
        assertTrue(h.size() < 40);
        long base = Zxid.make(1, 40 - h.size());
        assertEquals(new SyncPlan(SyncKind.DIFF, base), h.planSync(base));
        assertEquals(SyncKind.SNAP, h.planSync(base - 1).kind());
    }

    @Test
    void trimNeverDropsRecordsNotYetApplied() {
        History h = new History(4, 0, List.of());
        for (TxnRecord r : log(1, 1, 40)) {
            h.append(new History.Entry(r, 0, 0));
        }
        h.trim(Zxid.make(1, 10), false);
        assertTrue(h.covers(Zxid.make(1, 10)));
        assertEquals(30, h.after(Zxid.make(1, 10)).size());
    }

    @Test
    void trimWaitsWhileASnapshotIsBeingTaken() {
        History h = new History(4, 0, List.of());
        for (TxnRecord r : log(1, 1, 40)) {
            h.append(new History.Entry(r, 0, 0));
        }
        h.trim(Zxid.make(1, 40), true);
        assertEquals(40, h.size());
    }

    @Test
    void truncateDropsOnlyTheRecordsAfterTheZxid() {
        History h = leaderHistory(100);
        h.truncate(Zxid.make(1, 5));
        assertEquals(Zxid.make(1, 5), h.lastZxid());
        assertFalse(h.contains(Zxid.make(2, 1)));
        assertTrue(h.contains(Zxid.make(1, 5)));
    }
}
