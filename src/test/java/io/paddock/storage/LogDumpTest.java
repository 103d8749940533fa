package io.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Id;
import io.paddock.tree.Perms;
import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogDumpTest {

    private static final long T = 1_700_000_000_000L; // 2023-11-14T22:13:20Z
    private static final List<Acl> TWO_ACLS = List.of(new Acl(Perms.ALL, Id.ANYONE),
            new Acl(Perms.READ | Perms.WRITE, new Id("digest", "bob:hash")));

    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private List<String> printed() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static final byte[] BINARY = binary();

    private static byte[] binary() {
        byte[] b = new byte[44];
        b[0] = 'q';
        b[1] = '"';
        b[2] = '\\';
        b[3] = 1;
        for (int i = 4; i < b.length; i++) {
            b[i] = 'x';
        }
        return b;
    }

    private static List<TxnRecord> sample() {
        return List.of(
                new TxnRecord(1, 0x100, 1, T + 1, new Txn.CreateSession(30_000)),
                new TxnRecord(2, 0x100, 2, T + 2, new Txn.Create("/app", "hello".getBytes(StandardCharsets.UTF_8),
                        TWO_ACLS, CreateMode.PERSISTENT, 0, 1)),
                new TxnRecord(3, 0x100, 3, T + 3, new Txn.Create("/app/t", null, Acl.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT_WITH_TTL, 60_000, 1)),
                new TxnRecord(4, 0x100, 4, T + 4, new Txn.SetData("/app", BINARY, 1)),
                new TxnRecord(5, 0x100, 5, T + 5, new Txn.Multi(List.of(
                        new Txn.Create("/app/m", new byte[] {'m'}, Acl.OPEN_ACL_UNSAFE, CreateMode.CONTAINER, 0, 2),
                        new Txn.Check("/app", 1),
                        new Txn.Multi(List.of(new Txn.Delete("/app/m/x"),
                                new Txn.SetAcl("/app", Acl.READ_ACL_UNSAFE, 2)))))),
                new TxnRecord(6, 0x100, 6, T + 6, new Txn.Error(ErrorCode.NO_NODE)),
                new TxnRecord(7, 0x100, 7, T + 7, new Txn.CloseSession()));
    }

    private Path writeSegment(List<TxnRecord> records) throws IOException {
        try (TxnLog log = TxnLog.open(dir, TxnLogTest.OPTIONS)) {
            TxnLogTest.appendAll(log, records);
            log.flush();
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

    @Test
    void everyRecordIsOneLineWithTimeSessionCxidZxidKindAndFields() throws IOException {
        List<TxnRecord> records = sample();
        Path file = writeSegment(records);
        long[] offsets = TxnLogTest.frameOffsets(records);

        assertEquals(0, LogDump.run(new String[] {file.toString()}, out, out));

        String x28 = "x".repeat(28);
        assertEquals(List.of(
                "Paddock log segment log.0000000000000001: format version 1, first zxid 0x1, " + Files.size(file) + " bytes",
                "2023-11-14T22:13:20.001Z session 0x100 cxid 1 zxid 0x1 createSession timeout=30000",
                "2023-11-14T22:13:20.002Z session 0x100 cxid 2 zxid 0x2 create path=/app dataLength=5 data=\"hello\""
                        + " acl=[world:anyone:cdrwa,digest:bob:hash:rw] mode=PERSISTENT parentCversion=1",
                "2023-11-14T22:13:20.003Z session 0x100 cxid 3 zxid 0x3 create path=/app/t dataLength=0 data=null"
                        + " acl=[world:anyone:cdrwa] mode=PERSISTENT_WITH_TTL ttl=60000 parentCversion=1",
                "2023-11-14T22:13:20.004Z session 0x100 cxid 4 zxid 0x4 setData path=/app dataLength=44"
                        + " data=\"q\\\"\\\\\\x01" + x28 + "\"... version=1",
                "2023-11-14T22:13:20.005Z session 0x100 cxid 5 zxid 0x5 multi count=3",
                "    create path=/app/m dataLength=1 data=\"m\" acl=[world:anyone:cdrwa] mode=CONTAINER parentCversion=2",
                "    check path=/app version=1",
                "    multi count=2",
                "        delete path=/app/m/x",
                "        setACL path=/app acl=[world:anyone:r] version=2",
                "2023-11-14T22:13:20.006Z session 0x100 cxid 6 zxid 0x6 error code=NoNode",
                "2023-11-14T22:13:20.007Z session 0x100 cxid 7 zxid 0x7 closeSession",
                "Summary: 7 records, first zxid 0x1, last zxid 0x7, records end at offset " + offsets[7] + " of "
                        + Files.size(file)), printed());
    }

    @Test
    void aFlippedByteInAnEarlierRecordPrintsWhatCameBeforeItAndTheOffsetAndExitsOne() throws IOException {
        List<TxnRecord> records = sample();
        Path file = writeSegment(records);
        long[] offsets = TxnLogTest.frameOffsets(records);
        flipByte(file, offsets[2] + TxnLog.FRAME_HEADER_BYTES + 10); // inside the third record's body

        assertEquals(1, LogDump.run(new String[] {file.toString()}, out, out));

        List<String> lines = printed();
        assertTrue(lines.get(1).contains(" zxid 0x1 createSession"), lines.get(1));
        assertTrue(lines.get(2).contains(" zxid 0x2 create path=/app "), lines.get(2));
        assertTrue(lines.get(3).startsWith("BAD RECORD at offset " + offsets[2] + ": CRC32C mismatch"), lines.get(3));
        assertTrue(lines.get(3).endsWith("a valid record follows at offset " + offsets[3]
                + ", so this is corruption, not a torn tail"), lines.get(3));
        assertEquals("Summary: 2 records, first zxid 0x1, last zxid 0x2, stopped at offset " + offsets[2] + " of "
                + Files.size(file), lines.get(4));
        assertEquals(5, lines.size(), String.join("\n", lines));
    }

    @Test
    void aCutShortLastRecordIsBadWithNothingValidAfterIt() throws IOException {
        List<TxnRecord> records = sample();
        Path file = writeSegment(records);
        long[] offsets = TxnLogTest.frameOffsets(records);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(offsets[6] + 9);
        }

        assertEquals(1, LogDump.dump(file, out));

        List<String> lines = printed();
        String bad = lines.get(lines.size() - 2);
        assertTrue(bad.startsWith("BAD RECORD at offset " + offsets[6] + ": short read"), bad);
        assertTrue(bad.endsWith("nothing valid follows: in the newest segment this is a torn tail, which start-up"
                + " truncates here"), bad);
        assertTrue(lines.get(lines.size() - 3).endsWith("zxid 0x6 error code=NoNode"), lines.get(lines.size() - 3));
    }

    @Test
    void aZxidOutOfOrderIsABadRecord() throws IOException {
        Path file = writeSegment(List.of(new TxnRecord(1, 1, 1, T, new Txn.CreateSession(1000))));
        // A second segment's bytes glued on: a valid frame, but its zxid repeats.
        byte[] body = TxnCodec.encode(new TxnRecord(1, 2, 2, T, new Txn.CloseSession()));
        long end = TxnLogTest.frameOffsets(List.of(new TxnRecord(1, 1, 1, T, new Txn.CreateSession(1000))))[1];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(end);
            CRC32C crc = new CRC32C();
            crc.update(body);
            f.writeInt(body.length);
            f.writeInt((int) crc.getValue());
            f.write(body);
        }

        assertEquals(1, LogDump.dump(file, out));

        assertTrue(printed().contains("BAD RECORD at offset " + end + ": zxid 0x1 does not follow the previous"
                + " record's 0x1"), String.join("\n", printed()));
    }

    @Test
    void aFileThatIsNoSegmentHasABadHeaderAndExitsOne() throws IOException {
        Path file = Files.write(dir.resolve("log.0000000000000001"), "not a log segment at all".getBytes(
                StandardCharsets.UTF_8));

        assertEquals(1, LogDump.dump(file, out));

        assertTrue(printed().get(0).startsWith("log.0000000000000001: BAD HEADER at offset 0: not a Paddock log segment"),
                printed().get(0));
    }

    @Test
    void aCopyUnderAnotherNameIsReadByItsHeader() throws IOException {
        Path file = writeSegment(sample());
        Path copy = Files.copy(file, dir.resolve("copy.bin"));

        assertEquals(0, LogDump.dump(copy, out));

        assertTrue(printed().get(0).startsWith("Paddock log segment copy.bin: format version 1, first zxid 0x1"));
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, LogDump.run(new String[0], out, out));
        assertEquals(2, LogDump.run(new String[] {dir.resolve("missing").toString()}, out, out));
        assertEquals(2, LogDump.run(new String[] {"a", "b"}, out, out));
    }

    @Test
    void dataPreviewIsPrintableAndShort() {
        assertEquals("dataLength=0 data=\"\"", LogDump.data(new byte[0]));
        assertEquals("dataLength=3 data=\"a\\x0ab\"", LogDump.data(new byte[] {'a', '\n', 'b'}));
        String preview = LogDump.data(new byte[100]);
        assertTrue(preview.startsWith("dataLength=100 data=\"\\x00") && preview.endsWith("\"..."), preview);
        assertEquals(32, preview.split("\\\\x00", -1).length - 1);
        assertFalse(LogDump.text("/a\nb").contains("\n"));
    }
}
