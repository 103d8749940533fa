package io.paddock.api.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Id;
import io.paddock.tree.Op;
import io.paddock.tree.Perms;
import io.paddock.tree.WatchKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.jute.Record;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.proto.AddWatchRequest;
import org.apache.zookeeper.proto.AuthPacket;
import org.apache.zookeeper.proto.CheckVersionRequest;
import org.apache.zookeeper.proto.CheckWatchesRequest;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateTTLRequest;
import org.apache.zookeeper.proto.DeleteRequest;
import org.apache.zookeeper.proto.ExistsRequest;
import org.apache.zookeeper.proto.GetACLRequest;
import org.apache.zookeeper.proto.GetAllChildrenNumberRequest;
import org.apache.zookeeper.proto.GetChildren2Request;
import org.apache.zookeeper.proto.GetChildrenRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetEphemeralsRequest;
import org.apache.zookeeper.proto.ReconfigRequest;
import org.apache.zookeeper.proto.RemoveWatchesRequest;
import org.apache.zookeeper.proto.SetACLRequest;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.proto.SetWatches;
import org.apache.zookeeper.proto.SetWatches2;
import org.apache.zookeeper.proto.SyncRequest;
import org.junit.jupiter.api.Test;

/** Every request a ZooKeeper client sends, built as the client builds it, decoded into its Op. */
class ZkCodecRequestTest {

    private static final byte[] DATA = "hello".getBytes(StandardCharsets.UTF_8);
    private static final List<ACL> DIGEST_ACL = List.of(
            new ACL(ZooDefs.Perms.ALL, new org.apache.zookeeper.data.Id("digest", "bob:hash")),
            new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));
    private static final List<Acl> DIGEST_ACL_PADDOCK = List.of(
            new Acl(Perms.ALL, new Id("digest", "bob:hash")), new Acl(Perms.READ, Id.ANYONE));

    private static ZkRequest decode(int xid, int type, Record body) throws ZkProtocolException {
        return ZkCodec.decodeRequest(ZkWire.request(xid, type, body));
    }

    private static <T extends Op> T op(ZkRequest r, int xid, int opCode, Class<T> type) {
        ZkRequest.Operation o = assertInstanceOf(ZkRequest.Operation.class, r);
        assertEquals(xid, o.xid());
        assertEquals(opCode, o.opCode());
        return assertInstanceOf(type, o.op());
    }

    private static ZkRequest.Invalid invalid(ZkRequest r, ErrorCode code) {
        ZkRequest.Invalid i = assertInstanceOf(ZkRequest.Invalid.class, r);
        assertEquals(code, i.code(), i.message());
        return i;
    }

    // ---- session requests -------------------------------------------------------------------

    @Test
    void pingIsPing() throws Exception {
        ZkRequest r = decode(ZkOpCode.PING_XID, OpCode.ping, null);
        assertEquals(new ZkRequest.Ping(-2), r);
        assertEquals(OpCode.ping, r.opCode());
    }

    @Test
    void authCarriesSchemeAndCredential() throws Exception {
        byte[] cred = "bob:secret".getBytes(StandardCharsets.UTF_8);
        ZkRequest.Auth a = assertInstanceOf(ZkRequest.Auth.class,
                decode(ZkOpCode.AUTH_XID, OpCode.auth, new AuthPacket(0, "digest", cred)));
        assertEquals(-4, a.xid());
        assertEquals("digest", a.scheme());
        assertArrayEquals(cred, a.auth());
        assertFalse(a.toString().contains("secret"), a.toString());
    }

    @Test
    void authWithNullSchemeAndCredentialBecomesEmptyOnes() throws Exception {
        ZkRequest.Auth a = assertInstanceOf(ZkRequest.Auth.class,
                decode(ZkOpCode.AUTH_XID, OpCode.auth, new AuthPacket(0, null, null)));
        assertEquals("", a.scheme());
        assertEquals(0, a.auth().length);
    }

    @Test
    void closeSessionIsCloseSession() throws Exception {
        assertEquals(new ZkRequest.CloseSession(9), decode(9, OpCode.closeSession, null));
    }

    // ---- creates ----------------------------------------------------------------------------

    @Test
    void createCarriesPathDataAclAndMode() throws Exception {
        Op.Create c = op(decode(3, OpCode.create, new CreateRequest("/a/b-", DATA, DIGEST_ACL,
                org.apache.zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL.toFlag())), 3, OpCode.create, Op.Create.class);
        assertEquals("/a/b-", c.path());
        assertArrayEquals(DATA, c.data());
        assertEquals(DIGEST_ACL_PADDOCK, c.acl());
        assertEquals(CreateMode.EPHEMERAL_SEQUENTIAL, c.mode());
        assertEquals(0, c.ttlMs());
    }

    @Test
    void create2IsTheSameCreateWithItsOwnOpcode() throws Exception {
        Op.Create c = op(decode(4, OpCode.create2, new CreateRequest("/x", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, 0)),
                4, OpCode.create2, Op.Create.class);
        assertEquals(CreateMode.PERSISTENT, c.mode());
        assertEquals(Acl.OPEN_ACL_UNSAFE, c.acl());
    }

    @Test
    void createContainerMakesAContainerWhateverItsNonTtlFlags() throws Exception {
        for (int flags : new int[] {0, 1, 4}) {
            Op.Create c = op(decode(5, OpCode.createContainer,
                    new CreateRequest("/c", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, flags)),
                    5, OpCode.createContainer, Op.Create.class);
            assertEquals(CreateMode.CONTAINER, c.mode(), "flags " + flags);
        }
    }

    @Test
    void sequentialContainerIsUnimplemented() throws Exception {
        invalid(decode(5, OpCode.createContainer, new CreateRequest("/c", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, 2)),
                ErrorCode.UNIMPLEMENTED);
    }

    @Test
    void createWithContainerFlagMakesAPersistentNodeAsZooKeeperDoes() throws Exception {
        Op.Create c = op(decode(6, OpCode.create, new CreateRequest("/p", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, 4)),
                6, OpCode.create, Op.Create.class);
        assertEquals(CreateMode.PERSISTENT, c.mode());
    }

    @Test
    void createTtlCarriesTheTtl() throws Exception {
        Op.Create c = op(decode(7, OpCode.createTTL, new CreateTTLRequest("/t", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                org.apache.zookeeper.CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL.toFlag(), 5_000)),
                7, OpCode.createTTL, Op.Create.class);
        assertEquals(CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, c.mode());
        assertEquals(5_000, c.ttlMs());
    }

    @Test
    void createTtlWithoutTtlModeIsBadArguments() throws Exception {
        invalid(decode(7, OpCode.createTTL, new CreateTTLRequest("/t", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, 0, 5_000)),
                ErrorCode.BAD_ARGUMENTS);
    }

    @Test
    void ttlModeWithoutCreateTtlIsBadArguments() throws Exception {
        invalid(decode(8, OpCode.create2, new CreateRequest("/t", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, 5)),
                ErrorCode.BAD_ARGUMENTS);
    }

    @Test
    void unknownCreateFlagsAreBadArguments() throws Exception {
        for (int flags : new int[] {7, -1, 100}) {
            ZkRequest.Invalid i = invalid(decode(9, OpCode.create,
                    new CreateRequest("/x", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, flags)), ErrorCode.BAD_ARGUMENTS);
            assertEquals(9, i.xid());
            assertEquals(OpCode.create, i.opCode());
            assertTrue(i.message().contains(Integer.toString(flags)), i.message());
        }
    }

    @Test
    void nullDataAndAclPassThroughForTheTreeToJudge() throws Exception {
        Op.Create c = op(decode(1, OpCode.create, new CreateRequest("/x", null, null, 0)), 1, OpCode.create,
                Op.Create.class);
        assertNull(c.data());
        assertNull(c.acl());
    }

    // ---- other writes -----------------------------------------------------------------------

    @Test
    void deleteSetDataSetAclAndCheckCarryTheirVersions() throws Exception {
        Op.Delete d = op(decode(1, OpCode.delete, new DeleteRequest("/d", 3)), 1, OpCode.delete, Op.Delete.class);
        assertEquals(new Op.Delete("/d", 3), d);
        Op.SetData s = op(decode(2, OpCode.setData, new SetDataRequest("/s", DATA, -1)), 2, OpCode.setData,
                Op.SetData.class);
        assertEquals("/s", s.path());
        assertArrayEquals(DATA, s.data());
        assertEquals(-1, s.version());
        Op.SetAcl a = op(decode(3, OpCode.setACL, new SetACLRequest("/a", DIGEST_ACL, 4)), 3, OpCode.setACL,
                Op.SetAcl.class);
        assertEquals(new Op.SetAcl("/a", DIGEST_ACL_PADDOCK, 4), a);
        Op.Check c = op(decode(4, OpCode.check, new CheckVersionRequest("/c", 7)), 4, OpCode.check, Op.Check.class);
        assertEquals(new Op.Check("/c", 7), c);
    }

    @Test
    void multiDecodesEveryWriteInOrder() throws Exception {
        MultiOperationRecord m = new MultiOperationRecord(List.of(
                org.apache.zookeeper.Op.create("/m/a", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        org.apache.zookeeper.CreateMode.PERSISTENT_SEQUENTIAL),
                org.apache.zookeeper.Op.create("/m/c", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        org.apache.zookeeper.CreateMode.CONTAINER),
                org.apache.zookeeper.Op.create("/m/t", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        org.apache.zookeeper.CreateMode.PERSISTENT_WITH_TTL, 60_000),
                org.apache.zookeeper.Op.delete("/m/b", 2),
                org.apache.zookeeper.Op.setData("/m", DATA, 5),
                org.apache.zookeeper.Op.check("/m", 6)));
        Op.Multi multi = op(decode(11, OpCode.multi, m), 11, OpCode.multi, Op.Multi.class);
        List<Op> ops = multi.ops();
        assertEquals(6, ops.size());
        Op.Create a = assertInstanceOf(Op.Create.class, ops.get(0));
        assertEquals("/m/a", a.path());
        assertEquals(CreateMode.PERSISTENT_SEQUENTIAL, a.mode());
        assertArrayEquals(DATA, a.data());
        assertEquals(CreateMode.CONTAINER, assertInstanceOf(Op.Create.class, ops.get(1)).mode());
        Op.Create t = assertInstanceOf(Op.Create.class, ops.get(2));
        assertEquals(CreateMode.PERSISTENT_WITH_TTL, t.mode());
        assertEquals(60_000, t.ttlMs());
        assertEquals(new Op.Delete("/m/b", 2), ops.get(3));
        Op.SetData s = assertInstanceOf(Op.SetData.class, ops.get(4));
        assertEquals(5, s.version());
        assertEquals(new Op.Check("/m", 6), ops.get(5));
    }

    @Test
    void emptyMultiIsAnEmptyMulti() throws Exception {
        Op.Multi multi = op(decode(1, OpCode.multi, new MultiOperationRecord()), 1, OpCode.multi, Op.Multi.class);
        assertTrue(multi.ops().isEmpty());
    }

    @Test
    void multiReadDecodesGetDataAndGetChildrenWithoutWatches() throws Exception {
        MultiOperationRecord m = new MultiOperationRecord(List.of(
                org.apache.zookeeper.Op.getData("/r/a"), org.apache.zookeeper.Op.getChildren("/r")));
        Op.MultiRead read = op(decode(12, OpCode.multiRead, m), 12, OpCode.multiRead, Op.MultiRead.class);
        assertEquals(List.of(new Op.GetData("/r/a", false), new Op.GetChildren("/r", false)), read.ops());
    }

    @Test
    void readInAMultiOrWriteInAMultiReadIsMarshallingError() throws Exception {
        MultiOperationRecord reads = new MultiOperationRecord(List.of(org.apache.zookeeper.Op.getData("/r")));
        invalid(decode(1, OpCode.multi, reads), ErrorCode.MARSHALLING_ERROR);
        MultiOperationRecord writes = new MultiOperationRecord(List.of(org.apache.zookeeper.Op.delete("/r", -1)));
        invalid(decode(2, OpCode.multiRead, writes), ErrorCode.MARSHALLING_ERROR);
    }

    @Test
    void invalidFlagsInsideAMultiRefuseTheMulti() throws Exception {
        MultiOperationRecord m = new MultiOperationRecord(List.of(org.apache.zookeeper.Op.delete("/a", -1),
                org.apache.zookeeper.Op.create("/b", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, 7)));
        invalid(decode(3, OpCode.multi, m), ErrorCode.BAD_ARGUMENTS);
    }

    // ---- reads ------------------------------------------------------------------------------

    @Test
    void readsCarryPathAndWatchFlag() throws Exception {
        assertEquals(new Op.Exists("/e", true),
                op(decode(1, OpCode.exists, new ExistsRequest("/e", true)), 1, OpCode.exists, Op.Exists.class));
        assertEquals(new Op.GetData("/g", true),
                op(decode(2, OpCode.getData, new GetDataRequest("/g", true)), 2, OpCode.getData, Op.GetData.class));
        assertEquals(new Op.GetChildren("/c", false), op(decode(3, OpCode.getChildren,
                new GetChildrenRequest("/c", false)), 3, OpCode.getChildren, Op.GetChildren.class));
        assertEquals(new Op.GetChildren("/c2", true), op(decode(4, OpCode.getChildren2,
                new GetChildren2Request("/c2", true)), 4, OpCode.getChildren2, Op.GetChildren.class));
        assertEquals(new Op.GetAcl("/acl"),
                op(decode(5, OpCode.getACL, new GetACLRequest("/acl")), 5, OpCode.getACL, Op.GetAcl.class));
        assertEquals(new Op.Sync("/s"), op(decode(6, OpCode.sync, new SyncRequest("/s")), 6, OpCode.sync, Op.Sync.class));
        assertEquals(new Op.GetAllChildrenNumber("/n"), op(decode(7, OpCode.getAllChildrenNumber,
                new GetAllChildrenNumberRequest("/n")), 7, OpCode.getAllChildrenNumber, Op.GetAllChildrenNumber.class));
        assertEquals(new Op.GetEphemerals("/pre"), op(decode(8, OpCode.getEphemerals,
                new GetEphemeralsRequest("/pre")), 8, OpCode.getEphemerals, Op.GetEphemerals.class));
        assertEquals(new Op.WhoAmI(), op(decode(9, OpCode.whoAmI, null), 9, OpCode.whoAmI, Op.WhoAmI.class));
    }

    @Test
    void getEphemeralsWithoutPrefixListsThemAll() throws Exception {
        assertEquals(new Op.GetEphemerals("/"), op(decode(8, OpCode.getEphemerals, new GetEphemeralsRequest(null)),
                8, OpCode.getEphemerals, Op.GetEphemerals.class));
    }

    @Test
    void nullPathIsBadArguments() throws Exception {
        ZkRequest.Invalid i = invalid(decode(4, OpCode.getData, new GetDataRequest(null, false)),
                ErrorCode.BAD_ARGUMENTS);
        assertEquals(4, i.xid());
        assertEquals(OpCode.getData, i.opCode());
        invalid(decode(5, OpCode.create, new CreateRequest(null, DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, 0)),
                ErrorCode.BAD_ARGUMENTS);
        invalid(decode(6, OpCode.setWatches, new SetWatches(0, List.of(), java.util.Arrays.asList("/a", null),
                List.of())), ErrorCode.BAD_ARGUMENTS);
    }

    @Test
    void pathsPassThroughUnvalidated() throws Exception {
        // The tree validates paths and answers BadArguments; the codec keeps them as sent.
        assertEquals(new Op.GetData("no-slash//x/", false), op(decode(1, OpCode.getData,
                new GetDataRequest("no-slash//x/", false)), 1, OpCode.getData, Op.GetData.class));
    }

    // ---- watches ----------------------------------------------------------------------------

    @Test
    void setWatchesCarriesTheRelativeZxidAndItsThreeLists() throws Exception {
        Op.SetWatches s = op(decode(ZkOpCode.SET_WATCHES_XID, OpCode.setWatches, new SetWatches(0x42,
                List.of("/d"), List.of("/e1", "/e2"), List.of("/c"))), -8, OpCode.setWatches, Op.SetWatches.class);
        assertEquals(new Op.SetWatches(0x42, List.of("/d"), List.of("/e1", "/e2"), List.of("/c"), List.of(), List.of()),
                s);
    }

    @Test
    void setWatches2CarriesPersistentWatchesToo() throws Exception {
        Op.SetWatches s = op(decode(ZkOpCode.SET_WATCHES_XID, OpCode.setWatches2, new SetWatches2(7,
                List.of(), List.of(), List.of("/c"), List.of("/p"), List.of("/r"))), -8, OpCode.setWatches2,
                Op.SetWatches.class);
        assertEquals(new Op.SetWatches(7, List.of(), List.of(), List.of("/c"), List.of("/p"), List.of("/r")), s);
    }

    @Test
    void addWatchMapsBothModes() throws Exception {
        assertEquals(new Op.AddWatch("/w", WatchKind.PERSISTENT), op(decode(1, OpCode.addWatch,
                new AddWatchRequest("/w", org.apache.zookeeper.AddWatchMode.PERSISTENT.getMode())),
                1, OpCode.addWatch, Op.AddWatch.class));
        assertEquals(new Op.AddWatch("/w", WatchKind.PERSISTENT_RECURSIVE), op(decode(2, OpCode.addWatch,
                new AddWatchRequest("/w", org.apache.zookeeper.AddWatchMode.PERSISTENT_RECURSIVE.getMode())),
                2, OpCode.addWatch, Op.AddWatch.class));
        invalid(decode(3, OpCode.addWatch, new AddWatchRequest("/w", 9)), ErrorCode.MARSHALLING_ERROR);
    }

    @Test
    void removeAndCheckWatchesCoverWhatZooKeeperRemovesPerWatcherType() throws Exception {
        record Case(org.apache.zookeeper.Watcher.WatcherType type, List<WatchKind> kinds) {
        }
        List<Case> cases = List.of(
                new Case(org.apache.zookeeper.Watcher.WatcherType.Children, List.of(WatchKind.CHILD)),
                new Case(org.apache.zookeeper.Watcher.WatcherType.Data, List.of(WatchKind.DATA, WatchKind.EXISTS)),
                new Case(org.apache.zookeeper.Watcher.WatcherType.Persistent, List.of(WatchKind.PERSISTENT)),
                new Case(org.apache.zookeeper.Watcher.WatcherType.PersistentRecursive,
                        List.of(WatchKind.PERSISTENT_RECURSIVE)),
                new Case(org.apache.zookeeper.Watcher.WatcherType.Any, List.of(WatchKind.values())));
        for (Case c : cases) {
            Op.RemoveWatches r = op(decode(1, OpCode.removeWatches,
                    new RemoveWatchesRequest("/w", c.type().getIntValue())), 1, OpCode.removeWatches,
                    Op.RemoveWatches.class);
            assertEquals("/w", r.path());
            assertEquals(java.util.Set.copyOf(c.kinds()), java.util.Set.copyOf(r.kinds()), c.type().name());
            Op.CheckWatches k = op(decode(2, OpCode.checkWatches,
                    new CheckWatchesRequest("/w", c.type().getIntValue())), 2, OpCode.checkWatches,
                    Op.CheckWatches.class);
            assertEquals(java.util.Set.copyOf(c.kinds()), java.util.Set.copyOf(k.kinds()), c.type().name());
        }
        invalid(decode(3, OpCode.removeWatches, new RemoveWatchesRequest("/w", 0)), ErrorCode.MARSHALLING_ERROR);
        invalid(decode(4, OpCode.checkWatches, new CheckWatchesRequest("/w", 6)), ErrorCode.MARSHALLING_ERROR);
    }

    // ---- refused but answered ---------------------------------------------------------------

    @Test
    void reconfigIsReconfigDisabled() throws Exception {
        invalid(decode(1, OpCode.reconfig, new ReconfigRequest("server.4=h:1:2;3", null, null, -1)),
                ErrorCode.RECONFIG_DISABLED);
    }

    @Test
    void deleteContainerFromAClientIsUnimplemented() throws Exception {
        invalid(decode(1, OpCode.deleteContainer, new DeleteRequest("/c", -1)), ErrorCode.UNIMPLEMENTED);
    }

    @Test
    void saslIsAuthFailed() throws Exception {
        invalid(ZkCodec.decodeRequest(ZkWire.request(5, OpCode.sasl,
                new org.apache.zookeeper.proto.GetSASLRequest(new byte[3]))), ErrorCode.AUTH_FAILED);
    }

    @Test
    void decodingLeavesTheCallersBufferAlone() throws Exception {
        ByteBuffer frame = ZkWire.request(1, OpCode.getData, new GetDataRequest("/a", false));
        int limit = frame.limit();
        ZkCodec.decodeRequest(frame);
        assertEquals(0, frame.position());
        assertEquals(limit, frame.limit());
    }
}
