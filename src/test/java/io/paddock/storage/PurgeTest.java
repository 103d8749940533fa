package io.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.tree.DataTree;
import io.paddock.tree.FuzzySnapshotTest;
import io.paddock.tree.SnapshotCursor;
import io.paddock.tree.SnapshotNode;
import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PurgeTest {

    private static final Path DIR = Path.of("/data");

    @Test
    void keepsTheNewestRetainCountSnapshotsAndDeletesTheOlderOnes() {
        List<Path> plan = Purge.plan(List.of(snap(0x100), snap(0x400), snap(0x200), snap(0x300), snap(0x50)),
                List.of(), 3);
        assertEquals(List.of(snap(0x100), snap(0x50)), plan);
    }

    @Test
    void aSegmentGoesOnlyWhenTheNextStartsAtOrBelowTheOldestKeptSnapshotPlusOne() {
        // Kept: 0x300, 0x200, 0x100. The oldest replays from 0x101 on.
        List<TxnLog.Segment> segments = List.of(seg(1), seg(0x50), seg(0x101), seg(0x180), seg(0x390));
        List<Path> plan = Purge.plan(List.of(snap(0x100), snap(0x200), snap(0x300)), segments, 3);
        assertEquals(List.of(log(1), log(0x50)), plan);
    }

    @Test
    void aSegmentHoldingTheFirstRecordAKeptSnapshotNeedsStays() {
        // log.1 holds 0x1..0x101: 0x101 is the first record snapshot 0x100 replays.
        List<Path> plan = Purge.plan(List.of(snap(0x100)), List.of(seg(1), seg(0x102)), 1);
        assertEquals(List.of(), plan);
    }

    @Test
    void theNewestSegmentIsNeverDeleted() {
        List<Path> plan = Purge.plan(List.of(snap(0x1000)), List.of(seg(1), seg(0x50)), 1);
        assertEquals(List.of(log(1)), plan);
    }

    @Test
    void withoutASnapshotNoSegmentIsDeleted() {
        assertEquals(List.of(), Purge.plan(List.of(), List.of(seg(1), seg(0x50), seg(0x90)), 3));
    }

    @Test
    void withFewerSnapshotsThanRetainCountTheOldestOneDecides() {
        List<Path> plan = Purge.plan(List.of(snap(0x200), snap(0x80)), List.of(seg(1), seg(0x81), seg(0x150)), 3);
        assertEquals(List.of(log(1)), plan);
    }

    @Test
    void aTemporarySnapshotGoesOnceAFinishedOneIsAsNew() {
        List<Path> plan = Purge.plan(List.of(snap(0x200), tmp(0x100), tmp(0x200), tmp(0x300)), List.of(), 3);
        assertEquals(List.of(tmp(0x200), tmp(0x100)), plan);
        assertEquals(List.of(), Purge.plan(List.of(tmp(0x300)), List.of(), 3),
                "without a finished snapshot a temporary one may be the first being written");
    }

    @Test
    void filesThatAreNotSnapshotsAreNeverTouched() {
        List<Path> plan = Purge.plan(List.of(DIR.resolve("snapshot.1"), DIR.resolve("notes.txt"), snap(5), snap(6)),
                List.of(), 1);
        assertEquals(List.of(snap(5)), plan);
    }

    @Test
    void retainCountBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Purge.plan(List.of(), List.of(), 0));
    }

    @Test
    void runDeletesWhatThePlanSaysAndRecoveryStillWorks(@TempDir Path dir) throws IOException {
        TxnLog.Options options = new TxnLog.Options(64 * 1024, false, 1024 * 1024);
        DataTree live = new DataTree();
        FuzzySnapshotTest.Workload workload = new FuzzySnapshotTest.Workload(23, live);
        List<Path> snapshots = new ArrayList<>();
        try (TxnLog log = TxnLog.open(dir, options)) {
            for (int round = 0; round < 5; round++) {
                for (TxnRecord r : workload.run(60)) {
                    log.append(r);
                }
                log.flush();
                log.roll();
                snapshots.add(snapshot(dir, live));
            }
            for (TxnRecord r : workload.run(30)) {
                log.append(r);
            }
            log.flush();
            Files.createFile(dir.resolve("snapshot.0000000000000001.tmp"));

            List<Path> expected = Purge.plan(SnapshotFiles.listAll(dir), log.segments(), 2);
            List<Path> deleted = Purge.run(dir, log, 2);
            assertEquals(expected, deleted);
            assertTrue(deleted.containsAll(snapshots.subList(0, 3)), deleted.toString());
            assertTrue(deleted.contains(dir.resolve("snapshot.0000000000000001.tmp")), deleted.toString());
            assertTrue(deleted.stream().anyMatch(p -> p.getFileName().toString().startsWith("log.")), deleted.toString());
            for (Path p : deleted) {
                assertTrue(Files.notExists(p), p.toString());
            }
            assertEquals(List.of(snapshots.get(4), snapshots.get(3)), SnapshotFiles.list(dir));
        }
        try (TxnLog log = TxnLog.open(dir, options)) {
            Recovery.Recovered r = Recovery.recover(dir, log);
            assertEquals(live.digest(), r.tree().digest());
        }
    }

    private static Path snapshot(Path dir, DataTree tree) throws IOException {
        SnapshotCursor cursor = tree.snapshotCursor();
        List<SnapshotNode> nodes = new ArrayList<>();
        cursor.next(Integer.MAX_VALUE, nodes::add);
        try (SnapshotWriter w = SnapshotWriter.create(dir, cursor.startZxid(), cursor.sessions())) {
            for (SnapshotNode n : nodes) {
                w.write(n);
            }
            return w.finish(tree.lastZxid());
        }
    }

    private static Path snap(long zxid) {
        return DIR.resolve(SnapshotFiles.name(zxid));
    }

    private static Path tmp(long zxid) {
        return DIR.resolve(SnapshotFiles.name(zxid) + ".tmp");
    }

    private static Path log(long firstZxid) {
        return DIR.resolve(String.format("log.%016x", firstZxid));
    }

    private static TxnLog.Segment seg(long firstZxid) {
        return new TxnLog.Segment(log(firstZxid), firstZxid);
    }
}
