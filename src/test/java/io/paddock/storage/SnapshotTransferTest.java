package io.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.tree.DataTree;
import io.paddock.tree.SnapshotCursor;
import io.paddock.tree.SnapshotNode;
import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTransferTest {

    @TempDir
    Path root;

    private final TestLogs logs = new TestLogs();

    @AfterEach
    void closeLogs() throws IOException {
        logs.closeAll();
    }

    /**
     * A follower whose history left the leader's: both share (1,1..60); the follower then logged
     * (2,1..40), an epoch whose leader never got a quorum, with a snapshot inside it; the leader
     * went on with (1,61..80) and (3,1..50) and sends its tree.
     */
    private final class Diverged {
        final Path dir;
        final TestHistory follower = new TestHistory(21);
        final TestHistory leader;
        final TxnLog log;
        final Path divergedSnapshot;

        Diverged(String name, long leaderUpTo) throws IOException {
            dir = root.resolve(name);
            log = logs.open(dir);
            follower.newEpoch(1);
            follower.run(59);
            TestHistory.log(log, follower.records);
            follower.quietSnapshot(dir);
            leader = follower.fork(TestLogs.zxid(1, 60), 22);
            TestHistory.log(log, List.of(follower.newEpoch(2)));
            TestHistory.log(log, follower.run(20));
            log.roll();
            divergedSnapshot = follower.quietSnapshot(dir);
            TestHistory.log(log, follower.run(19));
            leader.run(20);
            leader.newEpoch(3);
            leader.run(49);
            assertTrue(leaderUpTo <= leader.lastZxid());
        }

        /** The leader's tree at {@code zxid}, serialized. */
        byte[] leaderSnapshot(long zxid) throws IOException {
            TestHistory at = leader.fork(zxid, 0);
            return SnapshotTransfer.serialize(at.tree);
        }
    }

    @Test
    void aSerializedTreeIsTheSnapshotFileTheSnapshotTakerWouldWrite() throws IOException {
        TestHistory h = new TestHistory(5);
        h.newEpoch(1);
        h.run(500);
        byte[] bytes = SnapshotTransfer.serialize(h.tree);

        Path dir = Files.createDirectories(root.resolve("file"));
        SnapshotCursor cursor = h.tree.snapshotCursor();
        List<SnapshotNode> nodes = new ArrayList<>();
        cursor.next(Integer.MAX_VALUE, nodes::add);
        Path file;
        try (SnapshotWriter w = SnapshotWriter.create(dir, cursor.startZxid(), cursor.sessions())) {
            for (SnapshotNode n : nodes) {
                w.write(n);
            }
            file = w.finish(h.lastZxid());
        }
        assertArrayEquals(Files.readAllBytes(file), bytes);
        SnapshotFiles.Loaded loaded = SnapshotFiles.load(file);
        assertEquals(h.lastZxid(), loaded.startZxid());
        assertEquals(h.lastZxid(), loaded.endZxid());
        assertEquals(h.tree.digest(), loaded.tree().digest());
        assertEquals(h.tree.sessions(), loaded.tree().sessions());
    }

    @Test
    void serializingLeavesAFuzzyWalkInProgressAlone() throws IOException {
        TestHistory h = new TestHistory(6);
        h.run(200);
        SnapshotCursor cursor = h.tree.snapshotCursor();
        List<SnapshotNode> nodes = new ArrayList<>();
        cursor.next(2, nodes::add);
        SnapshotTransfer.serialize(h.tree);
        cursor.next(Integer.MAX_VALUE, nodes::add);
        assertEquals(h.tree.nodeCount(), nodes.size());
    }

    @Test
    void installingOverADivergedHistoryGivesTheLeadersTreeNowAndAtEveryRestart() throws IOException {
        long at = TestLogs.zxid(1, 70);
        Diverged d = new Diverged("diverged", at);
        assertTrue(d.follower.lastZxid() > at, "the follower holds records above the snapshot");
        DataTree installed = SnapshotTransfer.install(d.dir, d.log, at, d.leaderSnapshot(at));
        long expected = d.leader.digestAt(at);
        assertEquals(expected, installed.digest());
        assertEquals(at, installed.lastZxid());
        assertFalse(Files.exists(d.divergedSnapshot), "the diverged history's snapshot is set aside");
        assertTrue(d.log.lastZxid() <= at);

        // The leader's next records: the rest of epoch 1, then epoch 3 from its first zxid.
        List<TxnRecord> next = d.leader.records.stream().filter(r -> r.zxid() > at).toList();
        TestHistory.log(d.log, next);
        DataTree recovered = logs.recoverAfresh(d.dir, d.log);
        assertEquals(d.leader.tree.digest(), recovered.digest());
        assertEquals(d.leader.lastZxid(), recovered.lastZxid());
    }

    @Test
    void installingOnAFollowerFarBehindStartsItsLogAfterTheSnapshot() throws IOException {
        Path dir = root.resolve("behind");
        TxnLog log = logs.open(dir);
        TestHistory leader = new TestHistory(31);
        leader.newEpoch(1);
        leader.run(29);
        TestHistory.log(log, leader.records);
        long behind = leader.lastZxid();
        leader.run(100);
        leader.newEpoch(2);
        leader.run(40);
        long at = leader.lastZxid();
        Set<String> oldSegments = Set.copyOf(log.segments().stream().map(s -> s.file().getFileName().toString()).toList());

        DataTree installed = SnapshotTransfer.install(dir, log, at, SnapshotTransfer.serialize(leader.tree));
        assertEquals(leader.tree.digest(), installed.digest());
        assertEquals(behind, log.lastZxid(), "nothing above the snapshot was logged, so nothing was cut");

        TestHistory.log(log, List.of(leader.newEpoch(3)));
        TestHistory.log(log, leader.run(10));
        assertFalse(oldSegments.contains(TxnLog.segmentName(TestLogs.zxid(3, 1))));
        assertTrue(Files.exists(dir.resolve(TxnLog.segmentName(TestLogs.zxid(3, 1)))), "the next record opens a segment");
        DataTree recovered = logs.recoverAfresh(dir, log);
        assertEquals(leader.tree.digest(), recovered.digest());
        assertEquals(leader.lastZxid(), recovered.lastZxid());
    }

    @Test
    void theInstalledSnapshotAloneRecoversTheTree() throws IOException {
        Path dir = root.resolve("alone");
        TxnLog log = logs.open(dir);
        TestHistory leader = new TestHistory(32);
        leader.newEpoch(4);
        leader.run(300);
        DataTree installed = SnapshotTransfer.install(dir, log, leader.lastZxid(), SnapshotTransfer.serialize(leader.tree));
        assertEquals(0, log.lastZxid());
        Recovery.Recovered r = Recovery.recover(dir, log);
        assertEquals(installed.digest(), r.tree().digest());
        assertEquals(leader.lastZxid(), r.snapshotZxid());
        assertEquals(0, r.replayed());
    }

    @Test
    void damagedBytesAreRefusedAndNothingChanges() throws IOException {
        long at = TestLogs.zxid(1, 70);
        Diverged d = new Diverged("damaged", at);
        byte[] bytes = d.leaderSnapshot(at);
        Map<String, Long> before = TestLogs.files(d.dir);
        for (int i : new int[] {3, bytes.length / 2, bytes.length - 1}) {
            byte[] damaged = bytes.clone();
            damaged[i] ^= 0x10;
            IOException e = assertThrows(IOException.class, () -> SnapshotTransfer.install(d.dir, d.log, at, damaged));
            assertTrue(e.getMessage().contains("Refusing a snapshot from the leader, nothing was changed"), e.getMessage());
            assertEquals(before, TestLogs.files(d.dir));
        }
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 5);
        assertThrows(IOException.class, () -> SnapshotTransfer.install(d.dir, d.log, at, cut));
        assertEquals(before, TestLogs.files(d.dir));
        assertEquals(d.follower.tree.digest(), logs.recoverAfresh(d.dir, d.log).digest());
    }

    @Test
    void aSnapshotAtAnotherZxidOrAFuzzyOneIsRefused() throws IOException {
        long at = TestLogs.zxid(1, 70);
        Diverged d = new Diverged("mismatch", at);
        IOException e = assertThrows(IOException.class,
                () -> SnapshotTransfer.install(d.dir, d.log, at + 1, d.leaderSnapshot(at)));
        assertTrue(e.getMessage().contains("not exactly at 0x100000047"), e.getMessage());

        TestHistory h = new TestHistory(8);
        h.run(100);
        Path scratch = root.resolve("scratch");
        TxnLog scratchLog = logs.open(scratch);
        Path fuzzy = h.fuzzySnapshot(scratch, scratchLog, 5);
        long start = SnapshotFiles.startZxidOf(fuzzy);
        byte[] fuzzyBytes = Files.readAllBytes(fuzzy);
        e = assertThrows(IOException.class, () -> SnapshotTransfer.install(d.dir, d.log, start, fuzzyBytes));
        assertTrue(e.getMessage().contains("not exactly at"), e.getMessage());
    }

    @Test
    void aCrashAfterAnyStepRecoversTheOldStateAPrefixOfItOrTheLeadersTree() throws IOException {
        long at = TestLogs.zxid(1, 70);
        int steps = 0;
        boolean sawOld = false;
        boolean sawNew = false;
        while (true) {
            Diverged d = new Diverged("crash" + steps, at);
            long old = d.follower.tree.digest();
            long prefix = d.follower.digestAt(at); // the shared (1,1..60): the follower had nothing in (1,61..70)
            long leaders = d.leader.digestAt(at);
            DiskSteps limit = DiskSteps.firstOnly(steps);
            SnapshotTransfer.install(d.dir, d.log, at, d.leaderSnapshot(at), limit);
            DataTree recovered = logs.recoverAfresh(d.dir, d.log);
            long digest = recovered.digest();
            assertTrue(digest == old || digest == prefix || digest == leaders, "after " + steps + " steps");
            sawOld |= digest == old;
            sawNew |= digest == leaders;
            if (limit.done() < steps) {
                assertEquals(leaders, digest);
                break;
            }
            steps++;
        }
        assertTrue(sawOld && sawNew);
        assertTrue(steps >= 6, "write, set aside, force, truncate, commit, roll: " + steps);
    }
}
