package io.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.tree.DataTree;
import io.paddock.tree.FuzzySnapshotTest;
import io.paddock.tree.SnapshotCursor;
import io.paddock.tree.SnapshotNode;
import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {

    private static final TxnLog.Options OPTIONS = new TxnLog.Options(64 * 1024, false, 256 * 1024);

    @TempDir
    Path dir;

    private final DataTree live = new DataTree();
    private final FuzzySnapshotTest.Workload workload = new FuzzySnapshotTest.Workload(17, live);
    private TxnLog log;

    @AfterEach
    void closeLog() throws IOException {
        if (log != null) {
            log.close();
        }
    }

    @Test
    void anEmptyDirectoryRecoversAnEmptyTree() throws IOException {
        Recovery.Recovered r = Recovery.recover(dir, reopen());
        assertEquals(0, r.tree().lastZxid());
        assertEquals(new DataTree().digest(), r.tree().digest());
        assertEquals(0, r.snapshotZxid());
        assertEquals(0, r.replayed());
    }

    @Test
    void theLogAloneRebuildsTheTree() throws IOException {
        log = TxnLog.open(dir, OPTIONS);
        logged(700);
        Recovery.Recovered r = Recovery.recover(dir, reopen());
        assertEquals(live.digest(), r.tree().digest());
        assertEquals(live.lastZxid(), r.tree().lastZxid());
        assertEquals(700, r.replayed());
    }

    @Test
    void aFuzzySnapshotAndTheLogAfterItRebuildTheTree() throws IOException {
        log = TxnLog.open(dir, OPTIONS);
        logged(400);
        long start = fuzzySnapshot(new Random(3));
        logged(300);
        Recovery.Recovered r = Recovery.recover(dir, reopen());
        assertEquals(start, r.snapshotZxid());
        assertEquals(live.lastZxid() - start, r.replayed());
        assertEquals(live.digest(), r.tree().digest());
        assertEquals(live.lastZxid(), r.tree().lastZxid());
    }

    @Test
    void aSnapshotWithNothingLoggedAfterItIsEnough() throws IOException {
        log = TxnLog.open(dir, OPTIONS);
        logged(100);
        quietSnapshot();
        Recovery.Recovered r = Recovery.recover(dir, reopen());
        assertEquals(live.digest(), r.tree().digest());
        assertEquals(0, r.replayed());
    }

    @Test
    void aDamagedNewestSnapshotFallsBackToTheOlderOneAndMoreOfTheLog() throws IOException {
        log = TxnLog.open(dir, OPTIONS);
        logged(200);
        Path older = quietSnapshot();
        logged(200);
        Path newer = quietSnapshot();
        logged(50);
        byte[] bytes = Files.readAllBytes(newer);
        bytes[20] ^= 0x40;
        Files.write(newer, bytes);
        Recovery.Recovered r = Recovery.recover(dir, reopen());
        assertEquals(SnapshotFiles.startZxidOf(older), r.snapshotZxid());
        assertEquals(250, r.replayed());
        assertEquals(live.digest(), r.tree().digest());
    }

    @Test
    void aGapAfterTheSnapshotIsAnErrorNamingTheSnapshotAndTheSegment() throws IOException {
        log = TxnLog.open(dir, OPTIONS);
        logged(50);
        Path snapshot = quietSnapshot();
        log.roll();
        TxnRecord skipped = new TxnRecord(live.lastZxid() + 2, 0x99, 0, 0, new Txn.CreateSession(1000));
        log.append(skipped);
        log.flush();
        TxnLog reopened = reopen();
        IOException e = assertThrows(IOException.class, () -> Recovery.recover(dir, reopened));
        String segment = TxnLog.segmentName(skipped.zxid());
        assertTrue(e.getMessage().contains(snapshot.toString()) && e.getMessage().contains(segment), e.getMessage());
    }

    @Test
    void aSegmentMissingFromTheMiddleOfTheLogIsAnErrorNamingTheHole() throws IOException {
        log = TxnLog.open(dir, OPTIONS);
        logged(30);
        log.roll();
        long firstLost = live.lastZxid() + 1;
        logged(30);
        long lastLost = live.lastZxid();
        log.roll();
        logged(30);
        log.close();
        log = null;
        Files.delete(dir.resolve(TxnLog.segmentName(firstLost)));
        TxnLog reopened = reopen();
        IOException e = assertThrows(IOException.class, () -> Recovery.recover(dir, reopened));
        assertTrue(e.getMessage().contains("0x" + Long.toHexString(firstLost) + " to 0x" + Long.toHexString(lastLost))
                && e.getMessage().contains(TxnLog.segmentName(lastLost + 1)), e.getMessage());
    }

    @Test
    void aNewEpochMayStartItsCounterAfresh() throws IOException {
        log = TxnLog.open(dir, OPTIONS);
        logged(20);
        TxnRecord nextEpoch = new TxnRecord((1L << 32) | 1, 0x99, 0, 0, new Txn.CreateSession(1000));
        live.apply(nextEpoch);
        log.append(nextEpoch);
        log.flush();
        Recovery.Recovered r = Recovery.recover(dir, reopen());
        assertEquals(nextEpoch.zxid(), r.tree().lastZxid());
        assertEquals(live.digest(), r.tree().digest());
        assertEquals(21, r.replayed());
    }

    @Test
    void withoutASnapshotTheLogMustStartAtZxidOne() throws IOException {
        log = TxnLog.open(dir, OPTIONS);
        log.append(new TxnRecord(5, 0x99, 0, 0, new Txn.CreateSession(1000)));
        log.flush();
        TxnLog reopened = reopen();
        IOException e = assertThrows(IOException.class, () -> Recovery.recover(dir, reopened));
        assertTrue(e.getMessage().contains("no snapshot") && e.getMessage().contains(TxnLog.segmentName(5)),
                e.getMessage());
    }

    @Test
    void aLogThatEndsBeforeTheSnapshotsEndZxidIsAnError() throws IOException {
        log = TxnLog.open(dir, OPTIONS);
        logged(50);
        SnapshotCursor cursor = live.snapshotCursor();
        List<SnapshotNode> nodes = new ArrayList<>();
        cursor.next(3, nodes::add);
        workload.run(5); // applied during the walk, but never logged
        cursor.next(Integer.MAX_VALUE, nodes::add);
        Path snapshot = write(cursor.startZxid(), cursor, nodes, live.lastZxid());
        TxnLog reopened = reopen();
        IOException e = assertThrows(IOException.class, () -> Recovery.recover(dir, reopened));
        assertTrue(e.getMessage().contains(snapshot.toString()) && e.getMessage().contains("0x" + Long.toHexString(live.lastZxid())),
                e.getMessage());
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Applies {@code n} random writes to the live tree and logs them durably. */
    private void logged(int n) throws IOException {
        for (TxnRecord r : workload.run(n)) {
            log.append(r);
        }
        log.flush();
    }

    /** A snapshot walked in slices while writes keep being applied and logged, as the tree actor does. */
    private long fuzzySnapshot(Random rnd) throws IOException {
        log.roll();
        SnapshotCursor cursor = live.snapshotCursor();
        List<SnapshotNode> nodes = new ArrayList<>();
        while (cursor.next(1 + rnd.nextInt(6), nodes::add)) {
            logged(rnd.nextInt(5));
        }
        write(cursor.startZxid(), cursor, nodes, live.lastZxid());
        assertTrue(live.lastZxid() > cursor.startZxid(), "no write overlapped the walk");
        return cursor.startZxid();
    }

    private Path quietSnapshot() throws IOException {
        SnapshotCursor cursor = live.snapshotCursor();
        List<SnapshotNode> nodes = new ArrayList<>();
        cursor.next(Integer.MAX_VALUE, nodes::add);
        return write(cursor.startZxid(), cursor, nodes, live.lastZxid());
    }

    private Path write(long start, SnapshotCursor cursor, List<SnapshotNode> nodes, long end) throws IOException {
        try (SnapshotWriter writer = SnapshotWriter.create(dir, start, cursor.sessions())) {
            for (SnapshotNode n : nodes) {
                writer.write(n);
            }
            return writer.finish(end);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Closes the log as a stopping server would and opens it again, as a starting one does. */
    private TxnLog reopen() throws IOException {
        if (log != null) {
            log.close();
        }
        log = TxnLog.open(dir, OPTIONS);
        return log;
    }
}
