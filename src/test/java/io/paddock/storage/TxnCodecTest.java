package io.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Id;
import io.paddock.tree.Perms;
import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TxnCodecTest {

    private static final List<Acl> ACL = List.of(new Acl(Perms.ALL, Id.ANYONE),
            new Acl(Perms.READ | Perms.WRITE, new Id("digest", "bob:Ab3+/xyz=")), new Acl(0, new Id("ip", "10.0.0.0/8")));

    /** One of every transaction kind, every create mode and every error code, with nulls where jute allows them. */
    static List<Txn> everyKind() {
        List<Txn> txns = new ArrayList<>();
        txns.add(new Txn.CreateSession(30_000));
        txns.add(new Txn.CreateSession(Integer.MIN_VALUE));
        txns.add(new Txn.CloseSession());
        for (CreateMode mode : CreateMode.values()) {
            txns.add(new Txn.Create("/a/b-" + mode, new byte[] {1, 2, 3, (byte) 0xff}, ACL, mode,
                    mode.isTtl() ? 60_000 : -1, 7));
        }
        txns.add(new Txn.Create("/empty", new byte[0], List.of(), CreateMode.PERSISTENT, 0, 0));
        txns.add(new Txn.Create("/nulls", null, null, CreateMode.EPHEMERAL, Long.MIN_VALUE, Integer.MAX_VALUE));
        txns.add(new Txn.Create("/ünïcødé/日本/\uD83D\uDE00", "värde".getBytes(StandardCharsets.UTF_8),
                Acl.READ_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL, 0, -1));
        txns.add(new Txn.Delete("/a/b"));
        txns.add(new Txn.Delete(null));
        txns.add(new Txn.SetData("/a", new byte[300], 42));
        txns.add(new Txn.SetData("/a", null, -1));
        txns.add(new Txn.SetAcl("/a", ACL, 3));
        txns.add(new Txn.SetAcl("/a", null, 0));
        txns.add(new Txn.Check("/a", 9));
        for (ErrorCode code : ErrorCode.values()) {
            txns.add(new Txn.Error(code));
        }
        txns.add(new Txn.Multi(List.of()));
        txns.add(new Txn.Multi(null));
        txns.add(new Txn.Multi(List.of(new Txn.Create("/m", new byte[] {9}, ACL, CreateMode.CONTAINER, 0, 1),
                new Txn.SetData("/m", new byte[] {8}, 1), new Txn.Check("/m", 1),
                new Txn.Multi(List.of(new Txn.Delete("/m/x"), new Txn.Delete("/m"))))));
        txns.add(new Txn.Multi(List.of(new Txn.Error(ErrorCode.OK), new Txn.Error(ErrorCode.NO_NODE),
                new Txn.Error(ErrorCode.RUNTIME_INCONSISTENCY))));
        return txns;
    }

    static List<TxnRecord> everyKindAsRecords(long firstZxid) {
        List<TxnRecord> records = new ArrayList<>();
        long zxid = firstZxid;
        for (Txn txn : everyKind()) {
            records.add(new TxnRecord(zxid, 0x0100_0000_0000_0000L + zxid, (int) zxid * 3, 1_700_000_000_000L + zxid,
                    txn));
            zxid++;
        }
        return records;
    }

    /** Records hold byte[] fields, which record equality compares by identity. */
    static void assertSameRecord(TxnRecord expected, TxnRecord actual) {
        assertEquals(expected.zxid(), actual.zxid(), "zxid");
        assertEquals(expected.sessionId(), actual.sessionId(), "sessionId");
        assertEquals(expected.cxid(), actual.cxid(), "cxid");
        assertEquals(expected.timeMs(), actual.timeMs(), "timeMs");
        assertSameTxn(expected.txn(), actual.txn());
    }

    static void assertSameRecords(List<TxnRecord> expected, List<TxnRecord> actual) {
        assertEquals(expected.size(), actual.size(), "number of records");
        for (int i = 0; i < expected.size(); i++) {
            assertSameRecord(expected.get(i), actual.get(i));
        }
    }

    static void assertSameTxn(Txn expected, Txn actual) {
        assertEquals(expected.getClass(), actual.getClass());
        if (expected instanceof Txn.Create e) {
            Txn.Create a = (Txn.Create) actual;
            assertEquals(e.path(), a.path());
            assertArrayEquals(e.data(), a.data());
            assertEquals(e.acl(), a.acl());
            assertEquals(e.mode(), a.mode());
            assertEquals(e.ttlMs(), a.ttlMs());
            assertEquals(e.parentCversion(), a.parentCversion());
        } else if (expected instanceof Txn.SetData e) {
            Txn.SetData a = (Txn.SetData) actual;
            assertEquals(e.path(), a.path());
            assertArrayEquals(e.data(), a.data());
            assertEquals(e.version(), a.version());
        } else if (expected instanceof Txn.Multi e) {
            Txn.Multi a = (Txn.Multi) actual;
            if (e.txns() == null) {
                assertEquals(null, a.txns());
                return;
            }
            assertEquals(e.txns().size(), a.txns().size());
            for (int i = 0; i < e.txns().size(); i++) {
                assertSameTxn(e.txns().get(i), a.txns().get(i));
            }
        } else {
            assertEquals(expected, actual); // no array fields
        }
    }

    private static TxnRecord decode(byte[] bytes) throws CorruptRecordException {
        return TxnCodec.decode(bytes, 0, bytes.length);
    }

    @Test
    void everyTxnKindRoundTrips() throws CorruptRecordException {
        for (TxnRecord r : everyKindAsRecords(1)) {
            assertSameRecord(r, decode(TxnCodec.encode(r)));
        }
    }

    @Test
    void extremeHeaderValuesRoundTrip() throws CorruptRecordException {
        TxnRecord r = new TxnRecord(Long.MAX_VALUE, -1, Integer.MIN_VALUE, Long.MIN_VALUE, new Txn.CloseSession());
        assertEquals(r, decode(TxnCodec.encode(r)));
    }

    @Test
    void encodingIsDeterministicWhateverTheListImplementation() {
        List<Txn> ops = List.of(new Txn.Delete("/x"), new Txn.Check("/y", 1));
        TxnRecord a = new TxnRecord(5, 6, 7, 8, new Txn.Multi(ops));
        TxnRecord b = new TxnRecord(5, 6, 7, 8, new Txn.Multi(new LinkedList<>(ops)));
        assertArrayEquals(TxnCodec.encode(a), TxnCodec.encode(a));
        assertArrayEquals(TxnCodec.encode(a), TxnCodec.encode(b));
    }

    @Test
    void layoutIsTheDocumentedOne() {
        byte[] bytes = TxnCodec.encode(new TxnRecord(0x0102030405060708L, 9, 10, 11, new Txn.Delete("/é")));
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertEquals(0x0102030405060708L, b.getLong());
        assertEquals(9, b.getLong());
        assertEquals(10, b.getInt());
        assertEquals(11, b.getLong());
        assertEquals(4, b.get()); // Delete
        assertEquals(3, b.getInt()); // "/é" in UTF-8
        assertEquals('/', b.get());
        assertEquals((byte) 0xc3, b.get());
        assertEquals((byte) 0xa9, b.get());
        assertEquals(0, b.remaining());
    }

    @Test
    void decodeReadsASliceOfALargerArray() throws CorruptRecordException {
        TxnRecord r = new TxnRecord(3, 4, 5, 6, new Txn.SetData("/s", new byte[] {1, 2}, 3));
        byte[] encoded = TxnCodec.encode(r);
        byte[] padded = new byte[encoded.length + 20];
        Arrays.fill(padded, (byte) 0x5a);
        System.arraycopy(encoded, 0, padded, 11, encoded.length);
        assertSameRecord(r, TxnCodec.decode(padded, 11, encoded.length));
    }

    @Test
    void unpairedSurrogatesEncodeAsQuestionMarksLikeGetBytes() throws CorruptRecordException {
        String path = "/a\uD800b\uDC00";
        TxnRecord r = new TxnRecord(1, 1, 1, 1, new Txn.Delete(path));
        Txn.Delete back = (Txn.Delete) decode(TxnCodec.encode(r)).txn();
        assertEquals(new String(path.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), back.path());
    }

    @Test
    void everyPrefixOfAValidRecordIsCorrupt() {
        for (TxnRecord r : everyKindAsRecords(1)) {
            byte[] bytes = TxnCodec.encode(r);
            for (int n = 0; n < bytes.length; n++) {
                int length = n;
                assertThrows(CorruptRecordException.class, () -> TxnCodec.decode(bytes, 0, length), r + " cut to " + n);
            }
        }
    }

    @Test
    void trailingBytesAreCorrupt() {
        byte[] bytes = TxnCodec.encode(new TxnRecord(1, 1, 1, 1, new Txn.CloseSession()));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> decode(longer));
        assertTrue(e.getMessage().contains("left over"), e.getMessage());
    }

    @Test
    void unknownKindModeAndErrorCodeAreCorrupt() {
        byte[] kind = TxnCodec.encode(new TxnRecord(1, 1, 1, 1, new Txn.CloseSession()));
        kind[TxnCodec.HEADER_BYTES] = 42;
        assertTrue(assertThrows(CorruptRecordException.class, () -> decode(kind)).getMessage().contains("kind 42"));

        byte[] mode = TxnCodec.encode(new TxnRecord(1, 1, 1, 1,
                new Txn.Create("/c", null, null, CreateMode.PERSISTENT, 0, 0)));
        // kind, path (4 + 2), data (4), acl (4), then the mode flag
        ByteBuffer.wrap(mode).putInt(TxnCodec.HEADER_BYTES + 1 + 6 + 4 + 4, 77);
        assertTrue(assertThrows(CorruptRecordException.class, () -> decode(mode)).getMessage().contains("mode 77"));

        byte[] code = TxnCodec.encode(new TxnRecord(1, 1, 1, 1, new Txn.Error(ErrorCode.NO_NODE)));
        ByteBuffer.wrap(code).putInt(TxnCodec.HEADER_BYTES + 1, -9999);
        assertTrue(assertThrows(CorruptRecordException.class, () -> decode(code)).getMessage().contains("-9999"));
    }

    @Test
    void hugeOrNegativeLengthsAreCorruptWithoutAllocating() {
        for (int length : new int[] {Integer.MAX_VALUE, 1 << 30, -2, Integer.MIN_VALUE}) {
            byte[] bytes = TxnCodec.encode(new TxnRecord(1, 1, 1, 1, new Txn.SetData("/a", new byte[4], 1)));
            ByteBuffer.wrap(bytes).putInt(TxnCodec.HEADER_BYTES + 1 + 4 + 2, length);
            assertThrows(CorruptRecordException.class, () -> decode(bytes), "data length " + length);
            byte[] multi = TxnCodec.encode(new TxnRecord(1, 1, 1, 1, new Txn.Multi(List.of(new Txn.CloseSession()))));
            ByteBuffer.wrap(multi).putInt(TxnCodec.HEADER_BYTES + 1, length);
            assertThrows(CorruptRecordException.class, () -> decode(multi), "multi count " + length);
        }
    }

    @Test
    void invalidUtf8IsCorrupt() {
        byte[] bytes = TxnCodec.encode(new TxnRecord(1, 1, 1, 1, new Txn.Delete("/ab")));
        bytes[bytes.length - 1] = (byte) 0xff;
        assertTrue(assertThrows(CorruptRecordException.class, () -> decode(bytes)).getMessage().contains("UTF-8"));
    }

    @Test
    void deeplyNestedMultiIsCorruptNotAStackOverflow() {
        int depth = 100_000;
        ByteBuffer b = ByteBuffer.allocate(TxnCodec.HEADER_BYTES + depth * 5 + 1);
        b.putLong(1).putLong(1).putInt(1).putLong(1);
        for (int i = 0; i < depth; i++) {
            b.put((byte) 8).putInt(1);
        }
        b.put((byte) 2);
        assertThrows(CorruptRecordException.class, () -> decode(b.array()));
    }

    @Test
    void multiNestingIsBoundedTheSameWayBothWays() throws CorruptRecordException {
        Txn deepest = new Txn.Multi(List.of());
        for (int i = 1; i < TxnCodec.MAX_MULTI_DEPTH; i++) {
            deepest = new Txn.Multi(List.of(deepest));
        }
        TxnRecord allowed = new TxnRecord(1, 1, 1, 1, deepest);
        assertSameRecord(allowed, decode(TxnCodec.encode(allowed)));
        TxnRecord tooDeep = new TxnRecord(1, 1, 1, 1, new Txn.Multi(List.of(deepest)));
        assertThrows(IllegalArgumentException.class, () -> TxnCodec.encode(tooDeep));
    }

    @Test
    void garbageOnlyEverThrowsCorruptRecordException() {
        Random random = new Random(20240531);
        List<byte[]> valid = new ArrayList<>();
        for (TxnRecord r : everyKindAsRecords(1)) {
            valid.add(TxnCodec.encode(r));
        }
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes;
            if (round % 2 == 0) {
                bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                if (bytes.length > TxnCodec.HEADER_BYTES) {
                    bytes[TxnCodec.HEADER_BYTES] = (byte) (1 + random.nextInt(9)); // a known kind, to reach deeper
                }
            } else {
                // A valid record with a few bytes changed.
                bytes = valid.get(random.nextInt(valid.size())).clone();
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            try {
                decode(bytes);
            } catch (CorruptRecordException expected) {
                // the only acceptable failure
            } catch (RuntimeException | Error e) {
                fail("decoding " + Arrays.toString(bytes) + " threw " + e, e);
            }
        }
    }
}
