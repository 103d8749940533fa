package io.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.tree.DataTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TruncationTest {

    @TempDir
    Path root;

    private final TestLogs logs = new TestLogs();

    @AfterEach
    void closeLogs() throws IOException {
        logs.closeAll();
    }

    /**
     * Three segments: (1,1..100); an exact snapshot at (1,100); (1,101..150) and (2,1..50); a
     * fuzzy snapshot from (2,50) to (2,60); then up to (2,100).
     */
    private final class Scenario {
        final Path dir;
        final TestHistory history = new TestHistory(7);
        final TxnLog log;
        final Path exact;
        final Path fuzzy;

        Scenario(String name) throws IOException {
            dir = root.resolve(name);
            log = logs.open(dir);
            history.newEpoch(1);
            TestHistory.log(log, history.records);
            TestHistory.log(log, history.run(99));
            exact = history.quietSnapshot(dir);
            log.roll();
            TestHistory.log(log, history.run(50));
            TestHistory.log(log, List.of(history.newEpoch(2)));
            TestHistory.log(log, history.run(49));
            log.roll();
            fuzzy = history.fuzzySnapshot(dir, log, 10);
            TestHistory.log(log, history.run(40));
            assertEquals(TestLogs.zxid(2, 100), history.lastZxid());
        }
    }

    @Test
    void truncationDropsLaterRecordsAcrossSegmentsAndRebuildsTheTreeAtExactlyTheZxid() throws IOException {
        Scenario s = new Scenario("t");
        long to = TestLogs.zxid(1, 140);
        DataTree tree = Truncation.truncate(s.dir, s.log, to);
        assertEquals(to, tree.lastZxid());
        assertEquals(s.history.digestAt(to), tree.digest());
        assertEquals(to, s.log.lastZxid());
        assertEquals(2, s.log.segments().size(), "the third segment is deleted, the second cut");
        assertFalse(Files.exists(s.fuzzy), "a snapshot starting after the zxid is set aside");
        assertTrue(Files.exists(s.fuzzy.resolveSibling(s.fuzzy.getFileName() + Truncation.SET_ASIDE_SUFFIX)));
        assertTrue(Files.exists(s.exact));
        DataTree recovered = logs.recoverAfresh(s.dir, s.log);
        assertEquals(tree.digest(), recovered.digest());
        assertEquals(to, recovered.lastZxid());
    }

    @Test
    void theLogStaysOpenForAppendingAndANewHistoryContinuesFromTheZxid() throws IOException {
        Scenario s = new Scenario("append");
        long to = TestLogs.zxid(1, 150);
        Truncation.truncate(s.dir, s.log, to);
        TestHistory leader = s.history.fork(to, 99);
        TestHistory.log(s.log, List.of(leader.newEpoch(3)));
        TestHistory.log(s.log, leader.run(30));
        DataTree recovered = logs.recoverAfresh(s.dir, s.log);
        assertEquals(leader.lastZxid(), recovered.lastZxid());
        assertEquals(leader.tree.digest(), recovered.digest());
    }

    @Test
    void aFuzzySnapshotThatEndsAfterTheZxidIsSetAsideEvenThoughItStartsBefore() throws IOException {
        Scenario s = new Scenario("fuzzy");
        long to = TestLogs.zxid(2, 55);
        assertTrue(SnapshotFiles.startZxidOf(s.fuzzy) < to);
        DataTree tree = Truncation.truncate(s.dir, s.log, to);
        assertEquals(s.history.digestAt(to), tree.digest());
        assertFalse(Files.exists(s.fuzzy));
        assertEquals(List.of(s.exact), SnapshotFiles.list(s.dir));
        assertEquals(tree.digest(), logs.recoverAfresh(s.dir, s.log).digest());
    }

    @Test
    void truncatingToTheLastZxidKeepsEverything() throws IOException {
        Scenario s = new Scenario("last");
        Map<String, Long> before = TestLogs.files(s.dir);
        DataTree tree = Truncation.truncate(s.dir, s.log, s.history.lastZxid());
        assertEquals(s.history.tree.digest(), tree.digest());
        assertEquals(before, TestLogs.files(s.dir));
    }

    @Test
    void whenThePurgedLogCannotReachTheZxidASnapshotIsNeededAndNothingChanges() throws IOException {
        Scenario s = new Scenario("purged");
        List<Path> purged = Purge.run(s.dir, s.log, 1);
        assertTrue(purged.contains(s.exact) && purged.contains(s.dir.resolve(TxnLog.segmentName(TestLogs.zxid(1, 101)))),
                purged.toString());
        Map<String, Long> before = TestLogs.files(s.dir);
        SnapshotNeededException e = assertThrows(SnapshotNeededException.class,
                () -> Truncation.truncate(s.dir, s.log, TestLogs.zxid(1, 140)));
        assertTrue(e.getMessage().contains("0x10000008c") && e.getMessage().contains("SNAP"), e.getMessage());
        assertEquals(before, TestLogs.files(s.dir));
        assertEquals(s.history.lastZxid(), s.log.lastZxid());
        assertEquals(s.history.tree.digest(), logs.recoverAfresh(s.dir, s.log).digest());
    }

    @Test
    void aZxidBeyondTheLogNeedsASnapshot() throws IOException {
        Scenario s = new Scenario("beyond");
        Map<String, Long> before = TestLogs.files(s.dir);
        SnapshotNeededException e = assertThrows(SnapshotNeededException.class,
                () -> Truncation.truncate(s.dir, s.log, TestLogs.zxid(2, 101)));
        assertTrue(e.getMessage().contains("reach only 0x200000064"), e.getMessage());
        assertEquals(before, TestLogs.files(s.dir));
    }

    @Test
    void recordsAppendedButNotFlushedAreRefusedBeforeAnythingChanges() throws IOException {
        Scenario s = new Scenario("unflushed");
        s.log.append(s.history.run(1).get(0));
        Map<String, Long> before = TestLogs.files(s.dir);
        assertThrows(IllegalStateException.class, () -> Truncation.truncate(s.dir, s.log, TestLogs.zxid(1, 140)));
        assertEquals(before, TestLogs.files(s.dir));
    }

    @Test
    void aCrashAfterAnyStepRecoversTheOldOrTheTruncatedState() throws IOException {
        long to = TestLogs.zxid(1, 120);
        int steps = 0;
        boolean sawOld = false;
        boolean sawTruncated = false;
        while (true) {
            Scenario s = new Scenario("crash" + steps);
            long old = s.history.tree.digest();
            long truncated = s.history.digestAt(to);
            DiskSteps limit = DiskSteps.firstOnly(steps);
            Truncation.truncate(s.dir, s.log, to, limit);
            DataTree recovered = logs.recoverAfresh(s.dir, s.log);
            if (recovered.digest() == old) {
                assertEquals(s.history.lastZxid(), recovered.lastZxid());
                sawOld = true;
            } else {
                assertEquals(truncated, recovered.digest(), "after " + steps + " steps");
                assertEquals(to, recovered.lastZxid());
                sawTruncated = true;
            }
            if (limit.done() < steps) {
                break; // every step ran: the truncation is complete
            }
            steps++;
        }
        assertTrue(sawOld && sawTruncated);
        assertTrue(steps >= 3, "set aside, force the directory, truncate the log: " + steps);
    }
}
