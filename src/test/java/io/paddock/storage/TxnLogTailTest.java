package io.paddock.storage;

import static io.paddock.storage.TxnCodecTest.assertSameRecords;
import static io.paddock.storage.TxnLogTest.appendAll;
import static io.paddock.storage.TxnLogTest.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TxnLogTailTest {

    private static final TxnLog.Options OPTIONS = new TxnLog.Options(4096, true, 1L << 30);

    @TempDir
    Path dir;

    /** Records 1..8, 9..16, 17..24 in three segments. */
    private TxnLog threeSegments() throws IOException {
        TxnLog log = TxnLog.open(dir, OPTIONS);
        for (int s = 0; s < 3; s++) {
            appendAll(log, records(8L * s + 1, 8L * s + 8, "t"));
            log.flush();
            log.roll();
        }
        return log;
    }

    @Test
    void theTailIsTheLastRecordsInZxidOrderAcrossSegments() throws IOException {
        try (TxnLog log = threeSegments()) {
            assertSameRecords(records(22, 24, "t"), log.tail(3));
            assertSameRecords(records(14, 24, "t"), log.tail(11));
            assertSameRecords(records(9, 24, "t"), log.tail(16));
            assertSameRecords(records(1, 24, "t"), log.tail(24));
            assertSameRecords(records(1, 24, "t"), log.tail(10_000));
            assertTrue(log.tail(0).isEmpty());
        }
    }

    @Test
    void theTailHoldsOnlyFlushedRecords() throws IOException {
        try (TxnLog log = threeSegments()) {
            appendAll(log, records(25, 27, "t"));
            assertSameRecords(records(21, 24, "t"), log.tail(4));
            log.flush();
            assertSameRecords(records(24, 27, "t"), log.tail(4));
        }
    }

    @Test
    void theTailOfAnEmptyLogIsEmpty() throws IOException {
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            assertTrue(log.tail(10).isEmpty());
            assertThrows(IllegalArgumentException.class, () -> log.tail(-1));
        }
    }

    @Test
    void theTailAfterATruncationAndAPurgeSeesWhatIsLeft() throws IOException {
        try (TxnLog log = threeSegments()) {
            log.truncateAfter(12);
            Files.delete(dir.resolve(TxnLog.segmentName(1)));
            List<TxnRecord> tail = log.tail(100);
            assertSameRecords(records(9, 12, "t"), tail);
            assertEquals(12, tail.get(tail.size() - 1).zxid());
        }
    }

    @Test
    void aDamagedRecordInTheTailIsReportedWithItsFile() throws IOException {
        Path last;
        try (TxnLog log = threeSegments()) {
            last = log.segments().get(2).file();
        }
        TxnLog.open(dir, OPTIONS).close(); // cuts the last segment's preallocated zeros off
        byte[] bytes = Files.readAllBytes(last);
        bytes[bytes.length - 3] ^= 0x5a;
        Files.write(last, bytes);
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            // Recovery took the damaged last record for a torn write and cut it off.
            assertSameRecords(records(20, 23, "t"), log.tail(4));
        }
        Path middle = dir.resolve(TxnLog.segmentName(9));
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            byte[] m = Files.readAllBytes(middle);
            m[m.length - 3] ^= 0x5a;
            Files.write(middle, m);
            CorruptLogException e = assertThrows(CorruptLogException.class, () -> log.tail(20));
            assertEquals(middle, e.file());
        }
    }
}
