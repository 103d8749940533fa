package io.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.tree.DataTree;
import io.paddock.tree.FuzzySnapshotTest;
import io.paddock.tree.SnapshotCursor;
import io.paddock.tree.SnapshotNode;
import io.paddock.tree.TxnRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirCheckTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final DataTree live = new DataTree();
    private final FuzzySnapshotTest.Workload workload = new FuzzySnapshotTest.Workload(23, live);
    private TxnLog log;

    @AfterEach
    void closeLog() throws IOException {
        if (log != null) {
            log.close();
        }
    }

    private List<String> printed() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private String all() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Checks the directory and that doing so changed no byte of it. */
    private int check() throws IOException {
        Map<String, byte[]> before = contents();
        int status = DataDirCheck.check(dir, out);
        Map<String, byte[]> after = contents();
        assertEquals(before.keySet(), after.keySet(), "verify created or deleted files");
        for (String name : before.keySet()) {
            assertArrayEquals(before.get(name), after.get(name), "verify changed " + name);
        }
        return status;
    }

    private Map<String, byte[]> contents() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.toList()) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private void logged(int n) throws IOException {
        if (log == null) {
            log = TxnLog.open(dir, TxnLogTest.OPTIONS);
        }
        for (TxnRecord r : workload.run(n)) {
            log.append(r);
        }
        log.flush();
    }

    /** A snapshot of the live tree as the server takes one: the log rolls, the walk ends at {@code endZxid}. */
    private Path snapshot(long endZxid) throws IOException {
        log.roll();
        SnapshotCursor cursor = live.snapshotCursor();
        List<SnapshotNode> nodes = new ArrayList<>();
        cursor.next(Integer.MAX_VALUE, nodes::add);
        try (SnapshotWriter writer = SnapshotWriter.create(dir, cursor.startZxid(), cursor.sessions())) {
            for (SnapshotNode n : nodes) {
                writer.write(n);
            }
            return writer.finish(endZxid);
        }
    }

    private Path snapshot() throws IOException {
        return snapshot(live.lastZxid());
    }

    private void closeTheLog() throws IOException {
        log.close();
        log = null;
    }

    /** A log of plain records (no tree behind them) in one segment; returns where each frame starts. */
    private long[] writeRecords(long from, long to) throws IOException {
        List<TxnRecord> records = TxnLogTest.records(from, to, "v");
        try (TxnLog plain = TxnLog.open(dir, TxnLogTest.OPTIONS)) {
            TxnLogTest.appendAll(plain, records);
            plain.flush();
        }
        return TxnLogTest.frameOffsets(records);
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0xff);
        }
    }

    private static void setLength(Path file, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
    }

    private Path segment(long firstZxid) {
        return dir.resolve(TxnLog.segmentName(firstZxid));
    }

    @Test
    void aHealthyDirectoryPrintsOkForEveryFileAndExitsZero() throws IOException {
        logged(150);
        snapshot();
        logged(100);
        snapshot();
        logged(50);
        closeTheLog();

        assertEquals(0, check());

        List<String> lines = printed();
        assertEquals(List.of(
                "Checking " + dir + " (read-only: nothing is truncated, removed or repaired)",
                "log.0000000000000001: OK, 150 records, zxid 0x1 to 0x96",
                "log.0000000000000097: OK, 100 records, zxid 0x97 to 0xfa",
                "log.00000000000000fb: OK, 50 records, zxid 0xfb to 0x12c"), lines.subList(0, 4));
        assertTrue(lines.get(4).startsWith("snapshot.0000000000000096: OK, start zxid 0x96, end zxid 0x96, "), lines.get(4));
        assertTrue(lines.get(5).startsWith("snapshot.00000000000000fa: OK, start zxid 0xfa, end zxid 0xfa, "), lines.get(5));
        assertEquals(List.of(
                "Chain: OK: snapshot.00000000000000fa (start zxid 0xfa, end zxid 0xfa), then the log from 0xfb to"
                        + " 0x12c (50 records)",
                "Result: OK: the directory would start cleanly"), lines.subList(6, lines.size()));
    }

    @Test
    void anEmptyDirectoryStartsCleanly() throws IOException {
        assertEquals(0, check());

        assertEquals(List.of(
                "Checking " + dir + " (read-only: nothing is truncated, removed or repaired)",
                "Chain: OK: no snapshot and no log record after it (start-up begins with an empty tree)",
                "Result: OK: the directory would start cleanly"), printed());
    }

    @Test
    void aTornTailIsReportedAtItsOffsetExitsZeroAndIsTruncatedThereOnlyByStartUp() throws IOException {
        long[] offsets = writeRecords(1, 20);
        Path file = segment(1);
        setLength(file, offsets[19] + 5); // the last record cut short by a crash
        long size = Files.size(file);

        assertEquals(0, check());

        String line = printed().get(1);
        assertTrue(line.startsWith("log.0000000000000001: torn tail at offset " + offsets[19]
                + " (would be truncated at start-up): short read"), line);
        assertTrue(line.endsWith("; 19 records, zxid 0x1 to 0x13 before it"), line);
        assertTrue(all().contains("Chain: OK: no snapshot, then the log from 0x1 to 0x13 (19 records)"), all());
        assertTrue(all().contains("Result: OK: the directory would start cleanly, after start-up truncates the torn"
                + " tail of log.0000000000000001 at offset " + offsets[19]), all());
        assertEquals(size, Files.size(file));
        try (TxnLog reopened = TxnLog.open(dir, TxnLogTest.OPTIONS)) {
            assertEquals(0x13, reopened.lastZxid());
        }
        assertEquals(offsets[19], Files.size(file), "start-up cuts where verify said it would");
    }

    @Test
    void aFlippedByteInAnEarlierRecordIsCorruptAtItsOffsetAndExitsOne() throws IOException {
        long[] offsets = writeRecords(1, 20);
        Path file = segment(1);
        flipByte(file, offsets[4] + TxnLog.FRAME_HEADER_BYTES + 12);

        assertEquals(1, check());

        List<String> lines = printed();
        assertTrue(lines.get(1).startsWith("log.0000000000000001: CORRUPT at offset " + offsets[4]
                + ": CRC32C mismatch"), lines.get(1));
        assertTrue(lines.get(1).endsWith("but a valid record follows at offset " + offsets[5]), lines.get(1));
        assertTrue(all().contains("Chain: not checked: start-up would stop at the damaged log segment"), all());
        assertTrue(lines.get(lines.size() - 1).startsWith("Result: FAILED: log.0000000000000001 is corrupt at offset "
                + offsets[4]), lines.get(lines.size() - 1));
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> TxnLog.open(dir, TxnLogTest.OPTIONS));
        assertEquals(offsets[4], e.offset(), "start-up stops where verify said it would");
    }

    @Test
    void aCutShortRecordInASegmentThatIsNotTheLastIsCorrupt() throws IOException {
        logged(10);
        log.roll();
        logged(10);
        closeTheLog();
        Path first = segment(1);
        setLength(first, Files.size(first) - 3); // rolling cut its zeros off: this ends inside record 10

        assertEquals(1, check());

        String line = printed().get(1);
        assertTrue(line.startsWith("log.0000000000000001: CORRUPT at offset "), line);
        assertTrue(line.endsWith(", in a segment that is not the last"), line);
        assertTrue(printed().get(2).startsWith("log.000000000000000b: OK, 10 records"), printed().get(2));
    }

    @Test
    void aDamagedSnapshotIsCorruptAndExitsOneWhileAnOlderOneStillChains() throws IOException {
        logged(100);
        snapshot();
        logged(100);
        Path newer = snapshot();
        logged(10);
        closeTheLog();
        flipByte(newer, Files.size(newer) / 2);

        assertEquals(1, check());

        assertTrue(all().contains("snapshot.00000000000000c8: CORRUPT"), all());
        assertTrue(all().contains("Chain: OK: snapshot.0000000000000064 (start zxid 0x64, end zxid 0x64), then the log"
                + " from 0x65 to 0xd2 (110 records)"), all());
        assertTrue(all().contains("Result: FAILED: snapshot.00000000000000c8 is corrupt (start-up would skip it and"
                + " use an older snapshot)"), all());
    }

    @Test
    void aLogPurgedUpToTheSnapshotLeavesNoGap() throws IOException {
        logged(100);
        snapshot();
        logged(100);
        closeTheLog();
        Files.delete(segment(1)); // as autopurge would: the snapshot needs nothing in it

        assertEquals(0, check());

        assertTrue(all().contains("Chain: OK: snapshot.0000000000000064 (start zxid 0x64, end zxid 0x64), then the log"
                + " from 0x65 to 0xc8 (100 records)"), all());
    }

    @Test
    void withoutASnapshotALogThatDoesNotStartAtZxidOneIsAGap() throws IOException {
        logged(100);
        log.roll();
        logged(100);
        closeTheLog();
        Files.delete(segment(1));

        assertEquals(1, check());

        assertTrue(all().contains("Chain: GAP: recovering from no snapshot needs the log from zxid 0x1, but its first"
                + " record after that is 0x65 in log.0000000000000065"), all());
        assertTrue(all().contains("Result: FAILED: the snapshot and the log leave a gap"), all());
    }

    @Test
    void aSegmentMissingFromTheMiddleOfTheLogIsAGap() throws IOException {
        logged(50);
        snapshot();
        logged(50);
        log.roll();
        logged(100);
        log.roll();
        logged(100);
        closeTheLog();
        Files.delete(segment(0x65));

        assertEquals(1, check());

        assertTrue(all().contains("Chain: GAP: zxids 0x65 to 0xc8 are missing: the log jumps from 0x64 to 0xc9 in"
                + " log.00000000000000c9 (start-up would refuse to replay across the hole)"), all());
    }

    @Test
    void aSnapshotWhoseWalkEndedPastTheLogIsAGap() throws IOException {
        logged(100);
        snapshot(0x69); // writes up to 0x69 overlapped the walk, but the log lost them
        closeTheLog();

        assertEquals(1, check());

        assertTrue(all().contains("Chain: GAP: snapshot.0000000000000064 (start zxid 0x64, end zxid 0x69) was taken"
                + " while zxids 0x65 to 0x69 were applied and needs them replayed, but the log ends at 0x64"), all());
    }

    @Test
    void anUnfinishedSnapshotIsListedAsIgnored() throws IOException {
        logged(10);
        closeTheLog();
        Files.write(dir.resolve("snapshot.0000000000000005.tmp"), new byte[] {1, 2, 3});

        assertEquals(0, check());

        assertTrue(all().contains("snapshot.0000000000000005.tmp: unfinished snapshot"), all());
    }

    @Test
    void aNewestSegmentWithoutAWholeRecordWouldBeRemovedAndExitsZero() throws IOException {
        logged(10);
        closeTheLog();
        byte[] header = TxnLog.header(11);
        Files.write(segment(11), Arrays.copyOf(header, 6)); // created just before a crash

        assertEquals(0, check());

        assertTrue(all().contains("log.000000000000000b: no whole record (would be removed at start-up): the file"
                + " holds 6 of the header's 16 bytes"), all());
        assertTrue(all().contains("after start-up removes log.000000000000000b"), all());
        assertTrue(Files.exists(segment(11)));
    }

    @Test
    void anUnreadableDirectoryIsReportedAndExitsOne() {
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

        assertEquals(1, DataDirCheck.run(dir.resolve("missing"), out, err));

        assertTrue(errBytes.toString(StandardCharsets.UTF_8).startsWith("paddock verify: cannot read "),
                errBytes.toString(StandardCharsets.UTF_8));
    }
}
