package io.paddock.api.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.tree.Acl;
import io.paddock.tree.EventType;
import io.paddock.tree.Id;
import io.paddock.tree.Perms;
import io.paddock.tree.Stat;
import io.paddock.tree.WatchedEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.zookeeper.ClientCnxn;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.compat.ProtocolManager;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.ConnectResponse;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.WatcherEvent;
import org.junit.jupiter.api.Test;

/** The handshake, the opcode table, notifications and the Stat/ACL conversions. */
class ZkCodecTest {

    private static final byte[] PASSWORD = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    // ---- opcodes ----------------------------------------------------------------------------

    @Test
    void opCodesAndNamesMatchZooDefs() throws Exception {
        int checked = 0;
        for (Field f : ZooDefs.OpCode.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                int value = f.getInt(null);
                assertEquals(f.getName(), ZkOpCode.name(value), "ZkOpCode.name(" + value + ")");
                checked++;
            }
        }
        assertEquals(33, checked, "every ZooDefs.OpCode is named");
        assertEquals(ZooDefs.OpCode.whoAmI, ZkOpCode.WHO_AM_I);
        assertEquals(ZooDefs.OpCode.closeSession, ZkOpCode.CLOSE_SESSION);
        assertEquals(ZooDefs.OpCode.multiRead, ZkOpCode.MULTI_READ);
        assertEquals("unknown(10)", ZkOpCode.name(10));
    }

    @Test
    void constantsCarryZooDefsNumbers() throws Exception {
        for (Field f : ZkOpCode.class.getFields()) {
            if (f.getName().endsWith("_XID")) {
                continue;
            }
            int value = f.getInt(null);
            Field zoo = ZooDefs.OpCode.class.getField(ZkOpCode.name(value));
            assertEquals(zoo.getInt(null), value, f.getName());
        }
    }

    @Test
    void specialXidsMatchClientCnxn() {
        assertEquals(ClientCnxn.NOTIFICATION_XID, ZkOpCode.NOTIFICATION_XID);
        assertEquals(ClientCnxn.PING_XID, ZkOpCode.PING_XID);
        assertEquals(ClientCnxn.AUTHPACKET_XID, ZkOpCode.AUTH_XID);
        assertEquals(ClientCnxn.SET_WATCHES_XID, ZkOpCode.SET_WATCHES_XID);
    }

    // ---- the handshake ----------------------------------------------------------------------

    @Test
    void connectRequestOfCurrentClientCarriesReadOnlyFlag() throws Exception {
        // The 3.9 client's ConnectRequest record ends with the readOnly boolean.
        byte[] b = ZkWire.bytes(new ConnectRequest(0, 0x500000007L, 30_000, 0x1234L, PASSWORD, true));
        ZkConnect c = ZkCodec.decodeConnect(ByteBuffer.wrap(b));
        assertEquals(new ZkConnect(0, 0x500000007L, 30_000, 0x1234L, PASSWORD, true, true), c);
    }

    @Test
    void connectRequestOfOldClientHasNoReadOnlyFlag() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive out = BinaryOutputArchive.getArchive(bytes);
        out.writeInt(0, "protocolVersion");
        out.writeLong(7, "lastZxidSeen");
        out.writeInt(4_000, "timeOut");
        out.writeLong(0, "sessionId");
        out.writeBuffer(new byte[16], "passwd");
        ZkConnect c = ZkCodec.decodeConnect(ByteBuffer.wrap(bytes.toByteArray()));
        assertFalse(c.readOnlyFlagSent());
        assertFalse(c.readOnly());
        assertEquals(7, c.lastZxidSeen());
        assertEquals(4_000, c.timeoutMs());
        assertEquals(0, c.sessionId());
    }

    @Test
    void connectDecodingLeavesTheCallersBufferAlone() throws Exception {
        ByteBuffer frame = ByteBuffer.wrap(ZkWire.bytes(new ConnectRequest(0, 0, 1, 2, PASSWORD, false)));
        ZkCodec.decodeConnect(frame);
        assertEquals(0, frame.position());
    }

    @Test
    void connectResponseEndsWithReadOnlyByteOnlyWhenTheClientSentOne() throws Exception {
        ZkConnect modern = new ZkConnect(0, 0, 30_000, 0, new byte[16], false, true);
        byte[] frame = ZkCodec.connectResponse(modern, 20_000, 0x1_0000_0001L, PASSWORD);
        assertEquals(4 + 4 + 4 + 8 + 4 + 16 + 1, frame.length);
        ProtocolManager pm = new ProtocolManager();
        ConnectResponse r = pm.deserializeConnectResponse(archive(frame));
        assertTrue(pm.isReadonlyAvailable(), "the client sees the readOnly byte");
        assertEquals(0, r.getProtocolVersion());
        assertEquals(20_000, r.getTimeOut());
        assertEquals(0x1_0000_0001L, r.getSessionId());
        assertArrayEquals(PASSWORD, r.getPasswd());
        assertFalse(r.getReadOnly());

        ZkConnect old = new ZkConnect(0, 0, 30_000, 0, new byte[16], false, false);
        byte[] oldFrame = ZkCodec.connectResponse(old, 20_000, 0x1_0000_0001L, PASSWORD);
        assertEquals(frame.length - 1, oldFrame.length);
        ProtocolManager oldPm = new ProtocolManager();
        ConnectResponse r2 = oldPm.deserializeConnectResponse(archive(oldFrame));
        assertFalse(oldPm.isReadonlyAvailable(), "no readOnly byte for a client that sent none");
        assertEquals(0x1_0000_0001L, r2.getSessionId());
    }

    @Test
    void expiredSessionIsAnsweredWithZeroTimeoutSessionAndPassword() throws Exception {
        ZkConnect c = new ZkConnect(0, 0, 30_000, 0x77L, PASSWORD, false, true);
        byte[] frame = ZkCodec.connectResponse(c, 0, 0, new byte[16]);
        // Byte for byte what ZooKeeper's finishSessionInit(cnxn, false) writes.
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        BinaryOutputArchive out = BinaryOutputArchive.getArchive(expected);
        out.writeInt(-1, "len");
        out.writeInt(0, "protocolVersion");
        out.writeInt(0, "timeOut");
        out.writeLong(0, "sessionId");
        out.writeBuffer(new byte[16], "passwd");
        out.writeBool(false, "readOnly");
        byte[] want = expected.toByteArray();
        ByteBuffer.wrap(want).putInt(want.length - 4);
        assertArrayEquals(want, frame);
        // The client's test for expiry: a non-positive negotiated timeout.
        ConnectResponse r = new ProtocolManager().deserializeConnectResponse(archive(frame));
        assertTrue(r.getTimeOut() <= 0);
    }

    @Test
    void truncatedConnectRequestIsAProtocolError() {
        byte[] full = ZkWire.bytes(new ConnectRequest(0, 0, 1, 2, PASSWORD, false));
        ZkProtocolException e = assertThrows(ZkProtocolException.class,
                () -> ZkCodec.decodeConnect(ByteBuffer.wrap(java.util.Arrays.copyOf(full, 20))));
        assertTrue(e.getMessage().contains("ConnectRequest") && e.getMessage().contains("sessionId"), e.getMessage());
    }

    @Test
    void connectPasswordLongerThanTheFrameIsAProtocolError() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive out = BinaryOutputArchive.getArchive(bytes);
        out.writeInt(0, "protocolVersion");
        out.writeLong(0, "lastZxidSeen");
        out.writeInt(1, "timeOut");
        out.writeLong(0, "sessionId");
        out.writeInt(Integer.MAX_VALUE, "passwd length");
        out.writeInt(0, "four bytes of password");
        ZkProtocolException e = assertThrows(ZkProtocolException.class,
                () -> ZkCodec.decodeConnect(ByteBuffer.wrap(bytes.toByteArray())));
        assertTrue(e.getMessage().contains("passwd") && e.getMessage().contains("declares"), e.getMessage());
    }

    @Test
    void connectToStringHidesThePassword() {
        ZkConnect c = new ZkConnect(0, 0, 1, 2, "secret-password!".getBytes(), false, true);
        assertFalse(c.toString().contains("secret"), c.toString());
    }

    // ---- notifications ----------------------------------------------------------------------

    @Test
    void notificationCarriesTheZxidTypeSyncConnectedAndPath() {
        for (EventType type : EventType.values()) {
            byte[] frame = ZkCodec.notification(new WatchedEvent(type, "/a/b", 0x300000009L));
            ZkWire.Reader r = new ZkWire.Reader(frame);
            ReplyHeader h = r.header();
            assertEquals(-1, h.getXid());
            assertEquals(0x300000009L, h.getZxid());
            assertEquals(0, h.getErr());
            WatcherEvent e = r.read(new WatcherEvent());
            assertEquals(Watcher.Event.KeeperState.SyncConnected.getIntValue(), e.getState());
            assertEquals("/a/b", e.getPath());
            assertEquals(type.name(), Watcher.Event.EventType.fromInt(e.getType()).name());
            assertEquals(0, r.remaining());
        }
    }

    // ---- conversions ------------------------------------------------------------------------

    @Test
    void statConvertsFieldByField() {
        Stat s = new Stat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        org.apache.zookeeper.data.Stat j = ZkData.toJute(s);
        assertEquals(new org.apache.zookeeper.data.Stat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), j);
        assertEquals(s, ZkData.fromJute(j));
    }

    @Test
    void aclConvertsWithPermsAndId() {
        List<Acl> acls = List.of(new Acl(Perms.READ | Perms.ADMIN, new Id("digest", "u:h")), Acl.OPEN_ACL_UNSAFE.get(0));
        List<ACL> jute = ZkData.aclsToJute(acls);
        assertEquals(ZooDefs.Perms.READ | ZooDefs.Perms.ADMIN, jute.get(0).getPerms());
        assertEquals(new org.apache.zookeeper.data.Id("digest", "u:h"), jute.get(0).getId());
        assertEquals(ZooDefs.Ids.OPEN_ACL_UNSAFE.get(0), jute.get(1));
        assertEquals(acls, ZkData.aclsFromJute(jute));
    }

    private static BinaryInputArchive archive(byte[] frame) {
        return BinaryInputArchive.getArchive(new ByteArrayInputStream(frame, 4, frame.length - 4));
    }
}
