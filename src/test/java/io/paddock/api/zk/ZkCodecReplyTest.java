package io.paddock.api.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.Reply;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Id;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import io.paddock.tree.Perms;
import io.paddock.tree.Stat;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.jute.BinaryOutputArchive;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.MultiResponse;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.proto.Create2Response;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.ErrorResponse;
import org.apache.zookeeper.proto.ExistsResponse;
import org.apache.zookeeper.proto.GetACLResponse;
import org.apache.zookeeper.proto.GetAllChildrenNumberResponse;
import org.apache.zookeeper.proto.GetChildren2Response;
import org.apache.zookeeper.proto.GetChildrenResponse;
import org.apache.zookeeper.proto.GetDataResponse;
import org.apache.zookeeper.proto.GetEphemeralsResponse;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.SetACLResponse;
import org.apache.zookeeper.proto.SetDataResponse;
import org.apache.zookeeper.proto.SyncResponse;
import org.apache.zookeeper.proto.WhoAmIResponse;
import org.junit.jupiter.api.Test;

/** Replies encoded by ZkCodec, read back as ZooKeeper's client reads them. */
class ZkCodecReplyTest {

    private static final long ZXID = 0x100000005L;
    private static final Stat STAT = new Stat(11, 12, 13, 14, 15, 16, 17, 0x18, 19, 20, 21);
    private static final org.apache.zookeeper.data.Stat JUTE_STAT =
            new org.apache.zookeeper.data.Stat(11, 12, 13, 14, 15, 16, 17, 0x18, 19, 20, 21);

    private static ZkWire.Reader reply(int xid, int opCode, OpResult result) {
        ZkWire.Reader r = new ZkWire.Reader(ZkCodec.reply(xid, opCode, new Reply(ZXID, result)));
        ReplyHeader h = r.header();
        assertEquals(xid, h.getXid());
        assertEquals(ZXID, h.getZxid());
        assertEquals(0, h.getErr());
        return r;
    }

    private static void headerOnly(int xid, int opCode, OpResult result) {
        ZkWire.Reader r = reply(xid, opCode, result);
        assertEquals(0, r.remaining(), ZkOpCode.name(opCode) + " has no body");
    }

    // ---- single requests --------------------------------------------------------------------

    @Test
    void createAnswersThePathAndCreate2TheStatToo() {
        OpResult created = new OpResult.Created("/a0000000001", STAT);
        ZkWire.Reader r = reply(1, OpCode.create, created);
        assertEquals("/a0000000001", r.read(new CreateResponse()).getPath());
        assertEquals(0, r.remaining());
        for (int op : new int[] {OpCode.create2, OpCode.createContainer, OpCode.createTTL}) {
            ZkWire.Reader r2 = reply(2, op, created);
            assertEquals(new Create2Response("/a0000000001", JUTE_STAT), r2.read(new Create2Response()));
            assertEquals(0, r2.remaining());
        }
    }

    @Test
    void statRepliesCarryTheStat() {
        assertEquals(JUTE_STAT, reply(1, OpCode.exists, new OpResult.StatResult(STAT)).read(new ExistsResponse()).getStat());
        assertEquals(JUTE_STAT, reply(2, OpCode.setData, new OpResult.StatResult(STAT)).read(new SetDataResponse()).getStat());
        assertEquals(JUTE_STAT, reply(3, OpCode.setACL, new OpResult.StatResult(STAT)).read(new SetACLResponse()).getStat());
    }

    @Test
    void getDataCarriesDataAndStat() {
        GetDataResponse g = reply(1, OpCode.getData, new OpResult.Data(new byte[] {7, 8}, STAT)).read(new GetDataResponse());
        assertArrayEquals(new byte[] {7, 8}, g.getData());
        assertEquals(JUTE_STAT, g.getStat());
    }

    @Test
    void getChildrenHasNoStatButGetChildren2Has() {
        OpResult children = new OpResult.Children(List.of("a", "b"), STAT);
        ZkWire.Reader r = reply(1, OpCode.getChildren, children);
        assertEquals(List.of("a", "b"), r.read(new GetChildrenResponse()).getChildren());
        assertEquals(0, r.remaining());
        GetChildren2Response g2 = reply(2, OpCode.getChildren2, children).read(new GetChildren2Response());
        assertEquals(List.of("a", "b"), g2.getChildren());
        assertEquals(JUTE_STAT, g2.getStat());
    }

    @Test
    void getAclCarriesTheAclAndStat() {
        List<Acl> acl = List.of(new Acl(Perms.READ, new Id("digest", "bob:x")), Acl.OPEN_ACL_UNSAFE.get(0));
        GetACLResponse g = reply(1, OpCode.getACL, new OpResult.AclList(acl, STAT)).read(new GetACLResponse());
        assertEquals(List.of(new ACL(Perms.READ, new org.apache.zookeeper.data.Id("digest", "bob:x")),
                new ACL(Perms.ALL, new org.apache.zookeeper.data.Id("world", "anyone"))), g.getAcl());
        assertEquals(JUTE_STAT, g.getStat());
    }

    @Test
    void syncEphemeralsCountAndWhoAmI() {
        assertEquals("/s", reply(1, OpCode.sync, new OpResult.Synced("/s")).read(new SyncResponse()).getPath());
        assertEquals(List.of("/e1", "/e2"), reply(2, OpCode.getEphemerals, new OpResult.Paths(List.of("/e1", "/e2")))
                .read(new GetEphemeralsResponse()).getEphemerals());
        assertEquals(42, reply(3, OpCode.getAllChildrenNumber, new OpResult.Count(42))
                .read(new GetAllChildrenNumberResponse()).getTotalNumber());
        WhoAmIResponse w = reply(4, OpCode.whoAmI, new OpResult.Identities(List.of(new Id("ip", "127.0.0.1"),
                new Id("digest", "alice:c2VjcmV0"), new Id("super", "")))).read(new WhoAmIResponse());
        assertEquals(List.of(new ClientInfo("ip", "127.0.0.1"), new ClientInfo("digest", "alice"),
                new ClientInfo("super", "")), w.getClientInfo());
    }

    @Test
    void addWatchAnswersAnErrorResponseOfZero() {
        ZkWire.Reader r = reply(1, OpCode.addWatch, new OpResult.Done());
        assertEquals(0, r.read(new ErrorResponse()).getErr());
        assertEquals(0, r.remaining());
    }

    @Test
    void headerOnlyReplies() {
        headerOnly(1, OpCode.delete, new OpResult.Deleted());
        headerOnly(2, OpCode.check, new OpResult.Checked());
        headerOnly(3, OpCode.closeSession, new OpResult.Done());
        headerOnly(4, OpCode.removeWatches, new OpResult.Done());
        headerOnly(5, OpCode.checkWatches, new OpResult.Done());
        headerOnly(ZkOpCode.SET_WATCHES_XID, OpCode.setWatches, new OpResult.Done());
        headerOnly(ZkOpCode.SET_WATCHES_XID, OpCode.setWatches2, new OpResult.Done());
    }

    @Test
    void errorIsTheHeaderAloneWithItsCodeForEveryOpcode() {
        for (int op : new int[] {OpCode.create, OpCode.create2, OpCode.getData, OpCode.exists, OpCode.multi,
                OpCode.multiRead, OpCode.getChildren2, OpCode.addWatch, OpCode.whoAmI, OpCode.sync}) {
            byte[] frame = ZkCodec.reply(6, op, new Reply(ZXID, new OpResult.Error(ErrorCode.NO_NODE, "/x", "NoNode")));
            ZkWire.Reader r = new ZkWire.Reader(frame);
            assertEquals(new ReplyHeader(6, ZXID, KeeperException.Code.NONODE.intValue()), r.header());
            assertEquals(0, r.remaining(), ZkOpCode.name(op));
        }
    }

    @Test
    void aResultThatCannotAnswerTheOpcodeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ZkCodec.reply(1, OpCode.getData, new Reply(ZXID, new OpResult.StatResult(STAT))));
        assertTrue(e.getMessage().contains("getData") && e.getMessage().contains("StatResult"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ZkCodec.reply(1, 999, new Reply(ZXID, new OpResult.Done())));
    }

    // ---- multi ------------------------------------------------------------------------------

    private static MultiResponse multi(byte[] frame, int xid) {
        ZkWire.Reader r = new ZkWire.Reader(frame);
        assertEquals(new ReplyHeader(xid, ZXID, 0), r.header());
        MultiResponse m = r.read(new MultiResponse());
        assertEquals(0, r.remaining());
        return m;
    }

    @Test
    void multiAnswersEachResultTypedAsZooKeeperTypesIt() {
        OpResult.Multi results = new OpResult.Multi(List.of(new OpResult.Created("/m/a0000000003", STAT),
                new OpResult.Deleted(), new OpResult.StatResult(STAT), new OpResult.Checked()));
        MultiResponse m = multi(ZkCodec.reply(7, OpCode.multi, new Reply(ZXID, results)), 7);
        List<org.apache.zookeeper.OpResult> list = m.getResultList();
        assertEquals(4, list.size());
        org.apache.zookeeper.OpResult.CreateResult c =
                assertInstanceOf(org.apache.zookeeper.OpResult.CreateResult.class, list.get(0));
        assertEquals(OpCode.create, c.getType());
        assertEquals("/m/a0000000003", c.getPath());
        assertNull(c.getStat());
        assertEquals(OpCode.delete, list.get(1).getType());
        assertEquals(JUTE_STAT, assertInstanceOf(org.apache.zookeeper.OpResult.SetDataResult.class, list.get(2)).getStat());
        assertEquals(OpCode.check, list.get(3).getType());
    }

    @Test
    void multiIsByteForByteWhatZooKeeperSerializes() throws Exception {
        OpResult.Multi results = new OpResult.Multi(List.of(new OpResult.Created("/a", STAT),
                new OpResult.Created("/c", STAT), new OpResult.Deleted(), new OpResult.StatResult(STAT),
                new OpResult.Checked()));
        Op.Multi ops = new Op.Multi(List.of(new Op.Create("/a", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0),
                new Op.Create("/c", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.CONTAINER, 0),
                new Op.Delete("/d", -1), new Op.SetData("/s", new byte[0], -1), new Op.Check("/k", 1)));
        byte[] ours = ZkCodec.reply(new ZkRequest.Operation(8, OpCode.multi, ops), new Reply(ZXID, results));

        MultiResponse theirs = new MultiResponse();
        theirs.add(new org.apache.zookeeper.OpResult.CreateResult("/a"));
        theirs.add(new org.apache.zookeeper.OpResult.CreateResult("/c", JUTE_STAT));
        theirs.add(new org.apache.zookeeper.OpResult.DeleteResult());
        theirs.add(new org.apache.zookeeper.OpResult.SetDataResult(JUTE_STAT));
        theirs.add(new org.apache.zookeeper.OpResult.CheckResult());
        assertArrayEquals(zooKeeperFrame(new ReplyHeader(8, ZXID, 0), theirs), ours);
    }

    @Test
    void containersAndTtlNodesCreatedInAMultiAnswerWithTheirStat() {
        Op.Multi ops = new Op.Multi(List.of(
                new Op.Create("/c", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.CONTAINER, 0),
                new Op.Create("/t", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 1000),
                new Op.Create("/e", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, 0)));
        OpResult.Multi results = new OpResult.Multi(List.of(new OpResult.Created("/c", STAT),
                new OpResult.Created("/t", STAT), new OpResult.Created("/e", STAT)));
        List<org.apache.zookeeper.OpResult> list = multi(ZkCodec.reply(new ZkRequest.Operation(9, OpCode.multi, ops),
                new Reply(ZXID, results)), 9).getResultList();
        assertEquals(new org.apache.zookeeper.OpResult.CreateResult("/c", JUTE_STAT), list.get(0));
        assertEquals(OpCode.create2, list.get(0).getType());
        assertEquals(new org.apache.zookeeper.OpResult.CreateResult("/t", JUTE_STAT), list.get(1));
        assertEquals(new org.apache.zookeeper.OpResult.CreateResult("/e"), list.get(2));
        assertEquals(OpCode.create, list.get(2).getType());
    }

    @Test
    void failedMultiHasErrOkInTheHeaderAndAnErrorResultPerOp() throws Exception {
        OpResult.Multi failed = new OpResult.Multi(List.of(
                new OpResult.Error(ErrorCode.OK, null, "OK"),
                new OpResult.Error(ErrorCode.NO_NODE, "/x", "NoNode"),
                new OpResult.Error(ErrorCode.RUNTIME_INCONSISTENCY, null, "RuntimeInconsistency")));
        byte[] frame = ZkCodec.reply(10, OpCode.multi, new Reply(ZXID, failed));
        List<org.apache.zookeeper.OpResult> list = multi(frame, 10).getResultList();
        assertEquals(List.of(new org.apache.zookeeper.OpResult.ErrorResult(0),
                new org.apache.zookeeper.OpResult.ErrorResult(KeeperException.Code.NONODE.intValue()),
                new org.apache.zookeeper.OpResult.ErrorResult(KeeperException.Code.RUNTIMEINCONSISTENCY.intValue())),
                list);

        MultiResponse theirs = new MultiResponse();
        list.forEach(theirs::add);
        assertArrayEquals(zooKeeperFrame(new ReplyHeader(10, ZXID, 0), theirs), frame);
    }

    @Test
    void multiReadAnswersDataChildrenAndErrorsInline() {
        OpResult.Multi results = new OpResult.Multi(List.of(new OpResult.Data(new byte[] {1}, STAT),
                new OpResult.Children(List.of("x", "y"), STAT), new OpResult.Error(ErrorCode.NO_AUTH, "/n", "NoAuth")));
        List<org.apache.zookeeper.OpResult> list =
                multi(ZkCodec.reply(11, OpCode.multiRead, new Reply(ZXID, results)), 11).getResultList();
        org.apache.zookeeper.OpResult.GetDataResult d =
                assertInstanceOf(org.apache.zookeeper.OpResult.GetDataResult.class, list.get(0));
        assertArrayEquals(new byte[] {1}, d.getData());
        assertEquals(JUTE_STAT, d.getStat());
        assertEquals(List.of("x", "y"),
                assertInstanceOf(org.apache.zookeeper.OpResult.GetChildrenResult.class, list.get(1)).getChildren());
        assertEquals(new org.apache.zookeeper.OpResult.ErrorResult(KeeperException.Code.NOAUTH.intValue()), list.get(2));
    }

    @Test
    void emptyMultiIsTheDoneHeaderAlone() {
        assertTrue(multi(ZkCodec.reply(12, OpCode.multi, new Reply(ZXID, new OpResult.Multi(List.of()))), 12)
                .getResultList().isEmpty());
    }

    // ---- special replies --------------------------------------------------------------------

    @Test
    void pingAuthSetWatchesAndErrorReplies() {
        assertEquals(new ReplyHeader(-2, ZXID, 0), new ZkWire.Reader(ZkCodec.pingReply(ZXID)).header());
        assertEquals(new ReplyHeader(-4, 0, 0), new ZkWire.Reader(ZkCodec.authReply(ErrorCode.OK)).header());
        assertEquals(new ReplyHeader(-4, 0, KeeperException.Code.AUTHFAILED.intValue()),
                new ZkWire.Reader(ZkCodec.authReply(ErrorCode.AUTH_FAILED)).header());
        assertEquals(new ReplyHeader(-8, ZXID, 0), new ZkWire.Reader(ZkCodec.setWatchesReply(ZXID)).header());
        byte[] err = ZkCodec.errorReply(13, ZXID, ErrorCode.BAD_ARGUMENTS);
        assertEquals(4 + 16, err.length);
        assertEquals(new ReplyHeader(13, ZXID, KeeperException.Code.BADARGUMENTS.intValue()),
                new ZkWire.Reader(err).header());
    }

    private static byte[] zooKeeperFrame(ReplyHeader h, org.apache.jute.Record body) throws Exception {
        // As ZooKeeper's ServerCnxn.serializeRecord: length, header, body.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive out = BinaryOutputArchive.getArchive(bytes);
        out.writeInt(-1, "len");
        h.serialize(out, "header");
        body.serialize(out, "response");
        byte[] b = bytes.toByteArray();
        ByteBuffer.wrap(b).putInt(b.length - 4);
        return b;
    }
}
