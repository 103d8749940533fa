package io.paddock.storage;

import static io.paddock.storage.TxnCodecTest.assertSameRecords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class TxnLogTest {

    static final TxnLog.Options OPTIONS = new TxnLog.Options(4096, true, 1L << 30);

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger txnLogLogger = (Logger) LoggerFactory.getLogger(TxnLog.class);

    @BeforeEach
    void captureLog() {
        logged.start();
        txnLogLogger.addAppender(logged);
        txnLogLogger.setAdditive(false); // the expected warnings, by the thousand, stay off the console
    }

    @AfterEach
    void releaseLog() {
        txnLogLogger.setAdditive(true);
        txnLogLogger.detachAppender(logged);
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .collect(Collectors.toList());
    }

    /** A record whose body depends on its zxid (and on {@code tag}, to tell rewritten zxids apart). */
    static TxnRecord record(long zxid, String tag) {
        Txn txn = switch ((int) (zxid % 4)) {
            case 0 -> new Txn.SetData("/n" + zxid, (tag + zxid).getBytes(StandardCharsets.UTF_8), (int) zxid);
            case 1 -> new Txn.Create("/n" + zxid, (tag + zxid).getBytes(StandardCharsets.UTF_8), Acl.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT, 0, (int) zxid);
            case 2 -> new Txn.Multi(List.of(new Txn.Check("/n" + zxid, 1), new Txn.Delete("/" + tag + zxid)));
            default -> new Txn.CreateSession((int) zxid);
        };
        return new TxnRecord(zxid, 0x0100_0000_0000_0000L | zxid, (int) zxid, 1_700_000_000_000L + zxid, txn);
    }

    static List<TxnRecord> records(long from, long to, String tag) {
        List<TxnRecord> out = new ArrayList<>();
        for (long z = from; z <= to; z++) {
            out.add(record(z, tag));
        }
        return out;
    }

    static void appendAll(TxnLog log, List<TxnRecord> records) throws IOException {
        for (TxnRecord r : records) {
            log.append(r);
        }
    }

    static List<TxnRecord> readAll(TxnLog log, long afterZxid) throws IOException {
        List<TxnRecord> out = new ArrayList<>();
        try (TxnIterator it = log.read(afterZxid)) {
            while (it.hasNext()) {
                out.add(it.next());
            }
        }
        return out;
    }

    static List<TxnRecord> reopenAndReadAll(Path dir, TxnLog.Options options) throws IOException {
        try (TxnLog log = TxnLog.open(dir, options)) {
            return readAll(log, 0);
        }
    }

    static int frameBytes(TxnRecord r) {
        return TxnLog.FRAME_HEADER_BYTES + TxnCodec.encode(r).length;
    }

    /** Where each record's frame starts, plus where the last one ends, in a segment holding {@code records}. */
    static long[] frameOffsets(List<TxnRecord> records) {
        long[] offsets = new long[records.size() + 1];
        offsets[0] = TxnLog.HEADER_BYTES;
        for (int i = 0; i < records.size(); i++) {
            offsets[i + 1] = offsets[i] + frameBytes(records.get(i));
        }
        return offsets;
    }

    private Path writeOneSegment(List<TxnRecord> records) throws IOException {
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            appendAll(log, records);
            log.flush();
            assertEquals(1, log.segments().size());
            return log.segments().get(0).file();
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0xff);
        }
    }

    private static void zeroRange(Path file, long from, long to) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(from);
            f.write(new byte[(int) (to - from)]);
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    /** A fresh copy of {@code file}'s directory content, so every offset starts from the same bytes. */
    private Path copyInto(Path file, String name) throws IOException {
        Path copyDir = Files.createDirectory(dir.resolve(name));
        Files.copy(file, copyDir.resolve(file.getFileName()));
        return copyDir;
    }

    @Test
    void reopenAfterCloseGivesTheSameRecords() throws IOException {
        List<TxnRecord> written = TxnCodecTest.everyKindAsRecords(1);
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            assertEquals(0, log.lastZxid());
            appendAll(log, written);
            log.flush();
            assertEquals(written.size(), log.lastZxid());
            assertSameRecords(written, readAll(log, 0));
        }
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            assertEquals(written.size(), log.lastZxid());
            assertSameRecords(written, readAll(log, 0));
        }
        assertTrue(warnings().isEmpty(), warnings().toString());
    }

    @Test
    void emptyDirectoryOpensAsAnEmptyLogAndIsCreatedIfMissing() throws IOException {
        Path missing = dir.resolve("a").resolve("b");
        try (TxnLog log = TxnLog.open(missing, OPTIONS)) {
            assertEquals(0, log.lastZxid());
            assertTrue(log.segments().isEmpty());
            assertTrue(readAll(log, 0).isEmpty());
        }
        assertTrue(Files.isDirectory(missing));
    }

    @Test
    void segmentIsNamedForItsFirstZxidAndStartsWithTheHeader() throws IOException {
        Path file = writeOneSegment(records(0x1234, 0x1236, "h"));
        assertEquals("log.0000000000001234", file.getFileName().toString());
        byte[] bytes = Files.readAllBytes(file);
        assertEquals("PDKL", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(TxnLog.VERSION, java.nio.ByteBuffer.wrap(bytes).getInt(4));
        assertEquals(0x1234, java.nio.ByteBuffer.wrap(bytes).getLong(8));
    }

    @Test
    void eachFrameIsLengthCrc32cAndTheEncodedRecord() throws IOException {
        TxnRecord r = record(5, "f");
        Path file = writeOneSegment(List.of(r));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(file));
        byte[] body = TxnCodec.encode(r);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body);
        assertEquals(body.length, b.getInt(TxnLog.HEADER_BYTES));
        assertEquals((int) crc.getValue(), b.getInt(TxnLog.HEADER_BYTES + 4));
        assertEquals(java.nio.ByteBuffer.wrap(body), b.slice(TxnLog.HEADER_BYTES + 8, body.length));
        assertEquals(0, b.getInt(TxnLog.HEADER_BYTES + 8 + body.length), "a zero length ends the records");
    }

    @Test
    void readAfterAZxidReturnsOnlyLaterRecordsAcrossSegments() throws IOException {
        List<TxnRecord> written = records(1, 40, "r");
        try (TxnLog log = TxnLog.open(dir, new TxnLog.Options(4096, true, 300))) {
            for (TxnRecord r : written) {
                log.append(r);
                log.flush();
            }
            assertTrue(log.segments().size() > 5, log.segments().toString());
            for (long after = 0; after <= 41; after++) {
                List<TxnRecord> expected = written.subList((int) Math.min(after, 40), 40);
                assertSameRecords(expected, readAll(log, after));
            }
        }
    }

    @Test
    void iteratorEndsWithNoSuchElement() throws IOException {
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            log.append(record(1, "i"));
            log.flush();
            try (TxnIterator it = log.read(0)) {
                it.next();
                assertFalse(it.hasNext());
                assertThrows(NoSuchElementException.class, it::next);
            }
        }
    }

    @Test
    void readSeesOnlyFlushedRecords() throws IOException {
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            appendAll(log, records(1, 3, "s"));
            log.flush();
            appendAll(log, records(4, 5, "s"));
            assertEquals(3, log.lastZxid());
            assertSameRecords(records(1, 3, "s"), readAll(log, 0));
            log.flush();
            assertEquals(5, log.lastZxid());
            assertSameRecords(records(1, 5, "s"), readAll(log, 0));
        }
    }

    @Test
    void segmentRollsAtTheFirstAppendAfterItExceedsItsSize() throws IOException {
        List<TxnRecord> written = records(1, 12, "roll");
        long[] offsets = frameOffsets(written);
        long limit = offsets[4]; // exactly four records fit
        try (TxnLog log = TxnLog.open(dir, new TxnLog.Options(4096, true, limit))) {
            appendAll(log, written.subList(0, 5));
            log.flush();
            // Four records reach the limit without exceeding it; the fifth exceeds it; the sixth rolls.
            assertEquals(List.of(1L), firstZxids(log));
            log.append(written.get(5));
            log.flush();
            assertEquals(List.of(1L, 6L), firstZxids(log));
            assertEquals(dir.resolve("log.0000000000000006"), log.segments().get(1).file());
        }
        assertSameRecords(written.subList(0, 6), reopenAndReadAll(dir, OPTIONS));
    }

    @Test
    void rollStartsANewSegmentAtTheNextAppend() throws IOException {
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            log.roll(); // nothing to roll yet
            appendAll(log, records(1, 2, "r"));
            log.roll();
            log.roll();
            assertEquals(List.of(1L), firstZxids(log));
            appendAll(log, records(3, 4, "r"));
            log.flush();
            assertEquals(List.of(1L, 3L), firstZxids(log));
            log.roll();
            log.append(record(5, "r"));
            log.flush();
            assertEquals(List.of(1L, 3L, 5L), firstZxids(log));
        }
        assertSameRecords(records(1, 5, "r"), reopenAndReadAll(dir, OPTIONS));
    }

    @Test
    void appendsAfterReopenGoToANewSegment() throws IOException {
        writeOneSegment(records(1, 3, "a"));
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            appendAll(log, records(4, 6, "a"));
            log.flush();
            assertEquals(List.of(1L, 4L), firstZxids(log));
        }
        assertSameRecords(records(1, 6, "a"), reopenAndReadAll(dir, OPTIONS));
    }

    private static List<Long> firstZxids(TxnLog log) {
        return log.segments().stream().map(TxnLog.Segment::firstZxid).collect(Collectors.toList());
    }

    @Test
    void segmentsGrowInPreallocatedChunksOfZeros() throws IOException {
        int chunk = 1024;
        List<TxnRecord> written = records(1, 60, "p");
        long[] offsets = frameOffsets(written);
        try (TxnLog log = TxnLog.open(dir, new TxnLog.Options(chunk, true, 1L << 30))) {
            for (int i = 0; i < written.size(); i++) {
                log.append(written.get(i));
                log.flush();
                Path file = log.segments().get(0).file();
                long size = Files.size(file);
                long end = offsets[i + 1];
                assertEquals(0, size % chunk, "size " + size + " is a whole number of chunks");
                assertTrue(size >= end + 4, "room for the zero length after the records");
                assertTrue(size - chunk < end + 4, "grown only when needed, by one chunk at a time");
                byte[] bytes = Files.readAllBytes(file);
                for (long p = end; p < size; p++) {
                    assertEquals(0, bytes[(int) p], "byte " + p + " after the records");
                }
            }
            assertTrue(offsets[written.size()] > 3 * chunk, "the test crossed several chunks");
        }
    }

    @Test
    void appendRefusesZxidsThatDoNotIncrease() throws IOException {
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            log.append(record(5, "z"));
            assertThrows(IllegalArgumentException.class, () -> log.append(record(5, "z")));
            assertThrows(IllegalArgumentException.class, () -> log.append(record(4, "z")));
            log.append(record(6, "z"));
            log.flush();
        }
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            assertThrows(IllegalArgumentException.class, () -> log.append(record(6, "z")));
            assertSameRecords(List.of(record(5, "z"), record(6, "z")), readAll(log, 0));
        }
    }

    @Test
    void forceSyncOffStillWritesAndWarnsOnce() throws IOException {
        TxnLog.Options noSync = new TxnLog.Options(4096, false, 1L << 30);
        try (TxnLog log = TxnLog.open(dir, noSync)) {
            appendAll(log, records(1, 10, "n"));
            log.flush();
        }
        List<String> warnings = warnings();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("acknowledged writes can be lost"), warnings.get(0));
        assertSameRecords(records(1, 10, "n"), reopenAndReadAll(dir, OPTIONS));
    }

    @Test
    void unflushedRecordsAreDroppedByDiscardUnflushed() throws IOException {
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            appendAll(log, records(1, 3, "d"));
            log.flush();
            appendAll(log, records(4, 6, "d"));
            log.roll();
            appendAll(log, records(7, 8, "d"));
            log.discardUnflushed();
            assertEquals(3, log.lastZxid());
            assertSameRecords(records(1, 3, "d"), readAll(log, 0));
            appendAll(log, records(4, 5, "again"));
            log.flush();
        }
        List<TxnRecord> expected = new ArrayList<>(records(1, 3, "d"));
        expected.addAll(records(4, 5, "again"));
        assertSameRecords(expected, reopenAndReadAll(dir, OPTIONS));
    }

    @Test
    void tornTailAtEveryOffsetOfTheLastRecordIsTruncatedWithAWarning() throws IOException {
        List<TxnRecord> written = records(1, 4, "t");
        Path original = writeOneSegment(written);
        long[] offsets = frameOffsets(written);
        long start = offsets[3];
        long end = offsets[4];
        for (long cut = start + 1; cut < end; cut++) {
            Path copy = copyInto(original, "cut-" + cut);
            Path file = copy.resolve(original.getFileName());
            truncate(file, cut);
            assertTornTailRecovered(copy, file, written, start, "cut at " + cut);
        }
        for (long at = start; at < end; at++) {
            Path copy = copyInto(original, "flip-" + at);
            Path file = copy.resolve(original.getFileName());
            flipByte(file, at);
            assertTornTailRecovered(copy, file, written, start, "flip at " + at);
        }
        byte[] bytes = Files.readAllBytes(original);
        long firstNonZero = start;
        while (bytes[(int) firstNonZero] == 0) {
            firstNonZero++; // the length's high bytes
        }
        for (long from = start + 1; from < end; from++) {
            // A write that reached the disk only in part, in preallocated space. When only the
            // length's zero high bytes remain, the record never reached the disk at all: a clean end.
            Path copy = copyInto(original, "zero-" + from);
            Path file = copy.resolve(original.getFileName());
            zeroRange(file, from, end);
            assertTornTailRecovered(copy, file, written, start, from > firstNonZero, "zeros from " + from);
        }
    }

    private void assertTornTailRecovered(Path copy, Path file, List<TxnRecord> written, long start, String what)
            throws IOException {
        assertTornTailRecovered(copy, file, written, start, true, what);
    }

    private void assertTornTailRecovered(Path copy, Path file, List<TxnRecord> written, long start, boolean torn,
                                         String what) throws IOException {
        logged.list.clear();
        try (TxnLog log = TxnLog.open(copy, OPTIONS)) {
            assertSameRecords(written.subList(0, 3), readAll(log, 0));
            assertEquals(3, log.lastZxid(), what);
            List<String> warnings = warnings();
            if (torn) {
                assertEquals(1, warnings.size(), what + ": " + warnings);
                assertTrue(warnings.get(0).contains(file.toString()) && warnings.get(0).contains("offset " + start),
                        what + ": " + warnings.get(0));
                assertEquals(start, Files.size(file), what + ": truncated at the torn record");
            } else {
                assertTrue(warnings.isEmpty(), what + ": " + warnings);
            }
            log.append(record(4, "after"));
            log.append(record(5, "after"));
            log.flush();
        }
        List<TxnRecord> expected = new ArrayList<>(written.subList(0, 3));
        expected.addAll(List.of(record(4, "after"), record(5, "after")));
        logged.list.clear();
        assertSameRecords(expected, reopenAndReadAll(copy, OPTIONS));
        assertTrue(warnings().isEmpty(), what + ": the repaired log opens cleanly: " + warnings());
    }

    @Test
    void lastRecordMissingEntirelyIsACleanEndWithoutWarning() throws IOException {
        List<TxnRecord> written = records(1, 4, "c");
        Path file = writeOneSegment(written);
        long[] offsets = frameOffsets(written);
        Path cutCopy = copyInto(file, "cut");
        truncate(cutCopy.resolve(file.getFileName()), offsets[3]);
        Path zeroCopy = copyInto(file, "zeroed");
        zeroRange(zeroCopy.resolve(file.getFileName()), offsets[3], offsets[4]);
        for (Path copy : List.of(cutCopy, zeroCopy)) {
            assertSameRecords(written.subList(0, 3), reopenAndReadAll(copy, OPTIONS));
        }
        assertTrue(warnings().isEmpty(), warnings().toString());
    }

    @Test
    void flippedByteInAnEarlierRecordOfTheLastSegmentIsCorruption() throws IOException {
        List<TxnRecord> written = records(1, 4, "e");
        Path original = writeOneSegment(written);
        long[] offsets = frameOffsets(written);
        for (int victim = 0; victim < 3; victim++) {
            for (long at = offsets[victim]; at < offsets[victim + 1]; at++) {
                Path copy = copyInto(original, "flip-" + at);
                Path file = copy.resolve(original.getFileName());
                flipByte(file, at);
                long before = Files.size(file);
                CorruptLogException e = assertThrows(CorruptLogException.class, () -> TxnLog.open(copy, OPTIONS),
                        "flip at " + at);
                assertEquals(file, e.file());
                assertEquals(offsets[victim], e.offset(), "flip at " + at + ": " + e.getMessage());
                assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("offset " + offsets[victim]),
                        e.getMessage());
                assertEquals(before, Files.size(file), "nothing was cut");
            }
        }
    }

    @Test
    void zeroedRecordWithValidRecordsAfterItIsCorruption() throws IOException {
        List<TxnRecord> written = records(1, 4, "z");
        Path file = writeOneSegment(written);
        long[] offsets = frameOffsets(written);
        zeroRange(file, offsets[1], offsets[2]);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> TxnLog.open(dir, OPTIONS));
        assertEquals(offsets[1], e.offset());
        assertTrue(e.getMessage().contains("valid record follows at offset " + offsets[2]), e.getMessage());
    }

    @Test
    void aValidRecordFarBehindABadOneIsStillFound() throws IOException {
        byte[] big = new byte[150 * 1024]; // beyond the reader's 64 KB window
        List<TxnRecord> written = new ArrayList<>();
        for (long z = 1; z <= 3; z++) {
            written.add(new TxnRecord(z, 1, 1, 1, new Txn.SetData("/big", big, (int) z)));
        }
        Path file = writeOneSegment(written);
        long[] offsets = frameOffsets(written);
        flipByte(file, offsets[1] + 60_000);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> TxnLog.open(dir, OPTIONS));
        assertEquals(offsets[1], e.offset());
        assertTrue(e.getMessage().contains("valid record follows at offset " + offsets[2]), e.getMessage());
    }

    @Test
    void aStaleRecordAfterATornOneDoesNotMakeItCorruption() throws IOException {
        List<TxnRecord> written = records(1, 3, "s");
        Path file = writeOneSegment(written);
        long[] offsets = frameOffsets(written);
        // The torn record is followed by a whole frame whose zxid is not larger: not a valid successor.
        byte[] stale = frame(record(2, "s"));
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offsets[3] - 5);
            f.write(stale);
        }
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            assertSameRecords(written.subList(0, 2), readAll(log, 0));
            assertEquals(1, warnings().size(), warnings().toString());
        }
    }

    private static byte[] frame(TxnRecord r) {
        byte[] body = TxnCodec.encode(r);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body);
        return java.nio.ByteBuffer.allocate(8 + body.length).putInt(body.length).putInt((int) crc.getValue())
                .put(body).array();
    }

    @Test
    void recoveryCutsThePreallocatedZerosOffSegmentsItWillNotWriteAgain() throws IOException {
        List<TxnRecord> written = records(1, 3, "w");
        Path file = writeOneSegment(written);
        assertEquals(4096, Files.size(file));
        TxnLog.open(dir, OPTIONS).close();
        assertEquals(frameOffsets(written)[3], Files.size(file));
        assertSameRecords(written, reopenAndReadAll(dir, OPTIONS));
        assertTrue(warnings().isEmpty(), warnings().toString());
    }

    /** Three segments of four records each: zxids 1-4, 5-8, 9-12. */
    private List<Path> writeThreeSegments() throws IOException {
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            for (int s = 0; s < 3; s++) {
                log.roll();
                appendAll(log, records(4 * s + 1, 4 * s + 4, "m"));
                log.flush();
            }
            return log.segments().stream().map(TxnLog.Segment::file).collect(Collectors.toList());
        }
    }

    @Test
    void badRecordInAnEarlierSegmentIsCorruptionEvenAtItsEnd() throws IOException {
        List<Path> files = writeThreeSegments();
        long[] offsets = frameOffsets(records(5, 8, "m"));
        flipByte(files.get(1), offsets[3] + 9); // the middle segment's last record: would be a torn tail if last
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> TxnLog.open(dir, OPTIONS));
        assertEquals(files.get(1), e.file());
        assertEquals(offsets[3], e.offset());
    }

    @Test
    void truncatedEarlierSegmentIsCorruption() throws IOException {
        List<Path> files = writeThreeSegments();
        long[] offsets = frameOffsets(records(1, 4, "m"));
        truncate(files.get(0), offsets[4] - 1);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> TxnLog.open(dir, OPTIONS));
        assertEquals(files.get(0), e.file());
        assertEquals(offsets[3], e.offset());
    }

    @Test
    void garbageAfterTheRecordsOfAnEarlierSegmentIsCorruption() throws IOException {
        List<Path> files = writeThreeSegments();
        long[] offsets = frameOffsets(records(1, 4, "m"));
        assertEquals(offsets[4], Files.size(files.get(0)), "a rolled segment keeps no preallocated zeros");
        byte[] tail = new byte[100];
        tail[99] = 0x5a;
        Files.write(files.get(0), tail, java.nio.file.StandardOpenOption.APPEND);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> TxnLog.open(dir, OPTIONS));
        assertEquals(files.get(0), e.file());
        assertEquals(offsets[4], e.offset());
    }

    @Test
    void badHeaderIsCorruption() throws IOException {
        List<Path> files = writeThreeSegments();
        flipByte(files.get(1), 2);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> TxnLog.open(dir, OPTIONS));
        assertEquals(files.get(1), e.file());
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void segmentRenamedAwayFromItsFirstZxidIsCorruption() throws IOException {
        List<Path> files = writeThreeSegments();
        Files.move(files.get(2), dir.resolve(TxnLog.segmentName(10)));
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> TxnLog.open(dir, OPTIONS));
        assertEquals(dir.resolve(TxnLog.segmentName(10)), e.file());
        assertEquals(0, e.offset());
    }

    @Test
    void zxidsMustIncreaseAcrossSegments() throws IOException {
        Path other = Files.createDirectory(dir.resolve("other"));
        Path main = Files.createDirectory(dir.resolve("main"));
        try (TxnLog log = TxnLog.open(main, OPTIONS)) {
            appendAll(log, records(1, 3, "x"));
            log.flush();
        }
        try (TxnLog log = TxnLog.open(other, OPTIONS)) {
            appendAll(log, records(2, 4, "x"));
            log.flush();
        }
        Path copied = Files.copy(other.resolve(TxnLog.segmentName(2)), main.resolve(TxnLog.segmentName(2)));
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> TxnLog.open(main, OPTIONS));
        assertEquals(copied, e.file());
        assertEquals(TxnLog.HEADER_BYTES, e.offset());
        assertTrue(e.getMessage().contains("does not follow"), e.getMessage());
    }

    @Test
    void emptyOrHeaderOnlyLastSegmentIsRemovedWithAWarning() throws IOException {
        List<Path> files = writeThreeSegments();
        byte[] header = TxnLog.header(13);
        for (int length : new int[] {0, 5, TxnLog.HEADER_BYTES, -1}) {
            logged.list.clear();
            Path empty = dir.resolve(TxnLog.segmentName(13));
            if (length >= 0) {
                Files.write(empty, java.util.Arrays.copyOf(header, length));
            } else {
                // Preallocated, then the crash came before the header reached the disk.
                Files.write(empty, new byte[4096]);
            }
            try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
                assertFalse(Files.exists(empty), "length " + length);
                assertEquals(12, log.lastZxid());
                assertEquals(1, warnings().size(), warnings().toString());
                assertTrue(warnings().get(0).contains(empty.toString()), warnings().get(0));
                assertEquals(files, log.segments().stream().map(TxnLog.Segment::file).collect(Collectors.toList()));
            }
        }
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            log.append(record(13, "m"));
            log.flush();
            assertEquals(dir.resolve(TxnLog.segmentName(13)), log.segments().get(3).file());
        }
        assertSameRecords(records(1, 13, "m"), reopenAndReadAll(dir, OPTIONS));
    }

    @Test
    void lastSegmentWhoseOnlyRecordIsTornIsRemoved() throws IOException {
        List<Path> files = writeThreeSegments();
        long[] offsets = frameOffsets(records(9, 12, "m"));
        truncate(files.get(2), offsets[1] - 3);
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            assertEquals(8, log.lastZxid());
            assertFalse(Files.exists(files.get(2)));
            assertSameRecords(records(1, 8, "m"), readAll(log, 0));
        }
    }

    @Test
    void truncateAfterDropsLaterRecordsAndWholeSegments() throws IOException {
        List<Path> files = writeThreeSegments();
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            log.truncateAfter(12);
            assertEquals(12, log.lastZxid());
            log.truncateAfter(6);
            assertEquals(6, log.lastZxid());
            assertFalse(Files.exists(files.get(2)));
            assertEquals(files.subList(0, 2), log.segments().stream().map(TxnLog.Segment::file).collect(Collectors.toList()));
            assertSameRecords(records(1, 6, "m"), readAll(log, 0));
            assertEquals(frameOffsets(records(5, 6, "m"))[2], Files.size(files.get(1)));
            appendAll(log, records(7, 9, "new"));
            log.flush();
        }
        List<TxnRecord> expected = new ArrayList<>(records(1, 6, "m"));
        expected.addAll(records(7, 9, "new"));
        assertSameRecords(expected, reopenAndReadAll(dir, OPTIONS));
    }

    @Test
    void truncateAfterAtASegmentBoundaryAndBeforeEverything() throws IOException {
        List<Path> files = writeThreeSegments();
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            log.truncateAfter(8);
            assertEquals(2, log.segments().size());
            assertTrue(Files.exists(files.get(1)));
            assertSameRecords(records(1, 8, "m"), readAll(log, 0));
            log.truncateAfter(0);
            assertEquals(0, log.lastZxid());
            assertTrue(log.segments().isEmpty());
            assertTrue(readAll(log, 0).isEmpty());
            log.append(record(1, "fresh"));
            log.flush();
        }
        assertSameRecords(List.of(record(1, "fresh")), reopenAndReadAll(dir, OPTIONS));
    }

    @Test
    void truncateAfterRefusesWhileRecordsAreUnflushed() throws IOException {
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            appendAll(log, records(1, 3, "u"));
            assertThrows(IllegalStateException.class, () -> log.truncateAfter(1));
            log.flush();
            log.truncateAfter(1);
            assertSameRecords(records(1, 1, "u"), readAll(log, 0));
        }
    }

    @Test
    void purgedOldestSegmentsAreForgottenButAGapIsCorruption() throws IOException {
        writeThreeSegments();
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            List<TxnLog.Segment> segments = log.segments();
            Files.delete(segments.get(0).file());
            assertEquals(segments.subList(1, 3), log.segments());
            assertSameRecords(records(5, 12, "m"), readAll(log, 0));
        }
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            Files.delete(log.segments().get(0).file().resolveSibling(TxnLog.segmentName(9)));
            assertThrows(CorruptLogException.class, () -> log.read(0));
        }
    }

    @Test
    void closedLogRefusesUse() throws IOException {
        TxnLog log = TxnLog.open(dir, OPTIONS);
        log.close();
        log.close();
        assertThrows(IllegalStateException.class, () -> log.append(record(1, "c")));
        assertThrows(IllegalStateException.class, log::flush);
        assertThrows(IllegalStateException.class, () -> log.read(0));
    }
}
