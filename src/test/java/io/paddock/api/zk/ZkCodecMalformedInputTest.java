package io.paddock.api.zk;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.apache.jute.BinaryOutputArchive;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.MultiHeader;
import org.apache.zookeeper.proto.RequestHeader;
import org.apache.zookeeper.proto.SyncRequest;
import org.junit.jupiter.api.Test;

/** Input after which the connection must close: ZkProtocolException, with a message naming the problem. */
class ZkCodecMalformedInputTest {

    private static ZkProtocolException refused(byte[] payload, String... mentions) {
        ZkProtocolException e = assertThrows(ZkProtocolException.class,
                () -> ZkCodec.decodeRequest(ByteBuffer.wrap(payload)));
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "'" + e.getMessage() + "' should mention '" + m + "'");
        }
        return e;
    }

    /** A RequestHeader followed by raw ints. */
    private static byte[] raw(int xid, int type, int... ints) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive out = BinaryOutputArchive.getArchive(bytes);
        new RequestHeader(xid, type).serialize(out, "header");
        for (int i : ints) {
            out.writeInt(i, "raw");
        }
        return bytes.toByteArray();
    }

    @Test
    void frameShorterThanARequestHeaderIsRefused() {
        refused(new byte[] {0, 0, 0, 1, 0, 0}, "RequestHeader", "type");
        refused(new byte[] {0, 0, 1}, "RequestHeader", "xid");
        refused(new byte[0], "RequestHeader", "xid");
    }

    @Test
    void truncatedBodyIsRefusedNamingTheOpcodeAndField() {
        ByteBuffer full = ZkWire.request(5, OpCode.getData, new GetDataRequest("/some/path", true));
        // Header (8) + path length (4) + 3 of the path's 10 bytes.
        refused(ZkWire.prefix(full, 15), "getData", "xid 5", "path");
        // The whole path but not the watch flag.
        refused(ZkWire.prefix(full, full.remaining() - 1), "getData", "truncated", "watch");
    }

    @Test
    void everyPrefixOfAMultiIsRefused() {
        MultiOperationRecord m = new MultiOperationRecord(List.of(
                org.apache.zookeeper.Op.create("/a", new byte[] {1, 2}, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        org.apache.zookeeper.CreateMode.PERSISTENT),
                org.apache.zookeeper.Op.delete("/b", -1)));
        ByteBuffer full = ZkWire.request(1, OpCode.multi, m);
        for (int n = 8; n < full.remaining(); n++) {
            byte[] cut = ZkWire.prefix(full, n);
            assertThrows(ZkProtocolException.class, () -> ZkCodec.decodeRequest(ByteBuffer.wrap(cut)), "prefix " + n);
        }
    }

    @Test
    void declaredLengthBeyondTheFrameIsRefusedWithoutAllocatingIt() throws Exception {
        refused(raw(1, OpCode.getData, Integer.MAX_VALUE, 0), "path", "declares 2147483647 bytes");
        refused(raw(2, OpCode.sync, 64 * 1024 * 1024), "path", "declares");
    }

    @Test
    void negativeLengthOtherThanNullIsRefused() throws Exception {
        refused(raw(1, OpCode.getData, -5), "negative length -5", "path");
    }

    @Test
    void hugeVectorCountIsRefused() throws Exception {
        // setWatches: relativeZxid (a long, two ints), then dataWatches' count.
        refused(raw(-8, OpCode.setWatches, 0, 0, 1_000_000_000), "dataWatches", "elements");
        // create: path "/a", data null, acl count.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive out = BinaryOutputArchive.getArchive(bytes);
        new RequestHeader(3, OpCode.create).serialize(out, "header");
        out.writeString("/a", "path");
        out.writeBuffer(null, "data");
        out.writeInt(Integer.MAX_VALUE, "acl");
        refused(bytes.toByteArray(), "create", "acl", "elements");
    }

    @Test
    void unknownOpcodeIsRefused() throws Exception {
        refused(raw(1, 999), "unknown opcode 999");
        refused(raw(1, 10), "unknown opcode 10");
    }

    @Test
    void serverOnlyOpcodesAreRefused() throws Exception {
        refused(raw(1, OpCode.createSession), "createSession");
        refused(raw(1, OpCode.notification), "notification");
        refused(raw(1, OpCode.error), "error");
    }

    @Test
    void multiWithAnOpThatCannotBeInAMultiIsRefused() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive out = BinaryOutputArchive.getArchive(bytes);
        new RequestHeader(4, OpCode.multi).serialize(out, "header");
        new MultiHeader(OpCode.sync, false, -1).serialize(out, "h");
        new SyncRequest("/a").serialize(out, "r");
        new MultiHeader(-1, true, -1).serialize(out, "h");
        refused(bytes.toByteArray(), "multi", "sync");
    }

    @Test
    void createBodyForTheWrongRecordIsRefused() {
        // A getData body sent as a create: the path parses, then data/acl/flags run out.
        byte[] payload = ZkWire.request(7, OpCode.create, new GetDataRequest("/p", false)).array();
        refused(payload, "create", "truncated");
        byte[] ok = ZkWire.request(7, OpCode.create, new CreateRequest("/p", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, 0)).array();
        try {
            ZkCodec.decodeRequest(ByteBuffer.wrap(ok));
        } catch (ZkProtocolException e) {
            fail("a whole create decodes: " + e.getMessage());
        }
    }

    @Test
    void randomBytesNeverThrowAnythingButProtocolErrors() {
        Random random = new Random(20240611L);
        int[] types = {OpCode.create, OpCode.create2, OpCode.createTTL, OpCode.createContainer, OpCode.delete,
                OpCode.exists, OpCode.getData, OpCode.setData, OpCode.getACL, OpCode.setACL, OpCode.getChildren,
                OpCode.getChildren2, OpCode.sync, OpCode.check, OpCode.multi, OpCode.multiRead, OpCode.checkWatches,
                OpCode.removeWatches, OpCode.setWatches, OpCode.setWatches2, OpCode.getEphemerals,
                OpCode.getAllChildrenNumber, OpCode.addWatch, OpCode.auth, random.nextInt()};
        for (int i = 0; i < 20_000; i++) {
            int len = random.nextInt(64);
            ByteBuffer b = ByteBuffer.allocate(8 + len);
            b.putInt(random.nextInt());
            b.putInt(types[random.nextInt(types.length)]);
            byte[] body = new byte[len];
            random.nextBytes(body);
            // Small lengths sometimes, so that bodies parse further than their first field.
            for (int j = 0; j + 4 <= len; j += 4) {
                if (random.nextInt(3) == 0) {
                    ByteBuffer.wrap(body, j, 4).putInt(random.nextInt(8) - 1);
                }
            }
            b.put(body);
            b.flip();
            try {
                ZkCodec.decodeRequest(b);
            } catch (ZkProtocolException expected) {
                // the only exception allowed
            } catch (RuntimeException e) {
                fail("decodeRequest threw " + e + " for input " + i);
            }
            ByteBuffer c = ByteBuffer.wrap(body);
            try {
                ZkCodec.decodeConnect(c);
            } catch (ZkProtocolException expected) {
                // the only exception allowed
            } catch (RuntimeException e) {
                fail("decodeConnect threw " + e + " for input " + i);
            }
        }
    }
}
