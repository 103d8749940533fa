package io.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery of an ensemble member's directory, whose zxids carry ZAB epochs. */
class RecoveryAcrossEpochsTest {

    private static final TxnLog.Options OPTIONS = new TxnLog.Options(4096, false, 1L << 30);

    @TempDir
    Path dir;

    private TxnLog log;

    @AfterEach
    void closeLog() throws IOException {
        if (log != null) {
            log.close();
        }
    }

    private static long zxid(long epoch, long counter) {
        return (epoch << 32) | counter;
    }

    private TxnLog reopen() throws IOException {
        if (log != null) {
            log.close();
        }
        log = TxnLog.open(dir, OPTIONS);
        return log;
    }

    @Test
    void aZxidFollowsTheOneBeforeOrOpensALaterEpochAtCounterOne() {
        assertTrue(Recovery.follows(zxid(1, 5), zxid(1, 6)));
        assertTrue(Recovery.follows(0, zxid(1, 1)));
        assertTrue(Recovery.follows(0, 1));
        assertTrue(Recovery.follows(zxid(1, 5), zxid(3, 1)));
        assertTrue(Recovery.follows(0xffffffffL, 0x100000000L), "a standalone counter overflowing into the epoch");
        assertFalse(Recovery.follows(zxid(1, 5), zxid(1, 7)));
        assertFalse(Recovery.follows(zxid(1, 5), zxid(2, 2)));
        assertFalse(Recovery.follows(zxid(2, 5), zxid(1, 6)));
    }

    @Test
    void withoutASnapshotTheLogMayStartAtTheFirstZxidOfAnEpoch() throws IOException {
        TestHistory h = new TestHistory(1);
        h.newEpoch(1);
        h.run(40);
        h.newEpoch(2);
        h.run(40);
        reopen();
        TestHistory.log(log, h.records);
        Recovery.Recovered r = Recovery.recover(dir, reopen());
        assertEquals(h.tree.digest(), r.tree().digest());
        assertEquals(h.lastZxid(), r.tree().lastZxid());
    }

    @Test
    void theFirstRecordAfterASnapshotMayOpenALaterEpoch() throws IOException {
        TestHistory h = new TestHistory(2);
        h.newEpoch(1);
        h.run(40);
        reopen();
        TestHistory.log(log, h.records);
        h.quietSnapshot(dir);
        log.roll();
        TestHistory.log(log, List.of(h.newEpoch(3)));
        TestHistory.log(log, h.run(10));
        Recovery.Recovered r = Recovery.recover(dir, reopen());
        assertEquals(zxid(1, 41), r.snapshotZxid());
        assertEquals(h.tree.digest(), r.tree().digest());
    }

    @Test
    void aJumpIntoALaterEpochMustLandOnItsFirstZxid() throws IOException {
        TestHistory h = new TestHistory(3);
        h.newEpoch(1);
        h.run(20);
        reopen();
        TestHistory.log(log, h.records);
        TestHistory other = h.fork(h.lastZxid(), 4);
        other.newEpoch(2);
        other.run(5);
        // The log loses (2,1) and (2,2): it jumps from (1,21) to (2,3).
        TestHistory.log(log, other.records.stream().filter(r -> r.zxid() > zxid(2, 2)).toList());
        TxnLog reopened = reopen();
        IOException e = assertThrows(IOException.class, () -> Recovery.recover(dir, reopened));
        assertTrue(e.getMessage().contains("jumps from 0x100000015 to 0x200000003"), e.getMessage());
    }

    @Test
    void theLogMustPassThroughTheZxidOfANewerSnapshotSkippedAsDamaged() throws IOException {
        TestHistory h = new TestHistory(5);
        h.newEpoch(1);
        h.run(30);
        reopen();
        TestHistory.log(log, h.records);
        h.quietSnapshot(dir);
        log.roll();
        List<TxnRecord> lost = h.run(20);
        TestHistory.log(log, lost);
        log.roll();
        Path newer = h.quietSnapshot(dir);
        TestHistory.log(log, List.of(h.newEpoch(2)));
        TestHistory.log(log, h.run(5));
        log.close();
        log = null;
        // The segment holding (1,32..51) is lost, and the snapshot taken at (1,51) is damaged: the
        // log jumps from (1,31) to (2,1), which alone would look like a new epoch.
        Files.delete(dir.resolve(TxnLog.segmentName(lost.get(0).zxid())));
        byte[] bytes = Files.readAllBytes(newer);
        bytes[bytes.length / 2] ^= 1;
        Files.write(newer, bytes);
        TxnLog reopened = reopen();
        IOException e = assertThrows(IOException.class, () -> Recovery.recover(dir, reopened));
        assertTrue(e.getMessage().contains(newer.toString()) && e.getMessage().contains("0x100000033"), e.getMessage());
    }
}
