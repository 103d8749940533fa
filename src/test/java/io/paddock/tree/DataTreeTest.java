package io.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataTreeTest {

    private static final long S1 = 0x100L;
    private static final long S2 = 0x200L;

    private final DataTree tree = new DataTree();
    private long zxid = 0x100000000L;

    // ---- helpers ----------------------------------------------------------------------------

    private ApplyResult apply(long session, Txn txn) {
        zxid++;
        return tree.apply(new TxnRecord(zxid, session, 1, timeOf(zxid), txn));
    }

    private ApplyResult apply(Txn txn) {
        return apply(S1, txn);
    }

    private static long timeOf(long zxid) {
        return 1_000_000 + (zxid & 0xffff) * 10;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Txn.Create create(String path, CreateMode mode, int parentCversion) {
        return new Txn.Create(path, bytes("d"), Acl.OPEN_ACL_UNSAFE, mode, 0, parentCversion);
    }

    /** A persistent create with the parentCversion prep would give it. */
    private ApplyResult mk(String path) {
        return mk(path, CreateMode.PERSISTENT);
    }

    private ApplyResult mk(String path, CreateMode mode) {
        ZNode parent = tree.node(PathUtils.parent(path));
        return apply(create(path, mode, parent.persistedCversion() + 1));
    }

    private static WatchedEvent ev(EventType type, String path, long zxid) {
        return new WatchedEvent(type, path, zxid);
    }

    // ---- the fresh tree ---------------------------------------------------------------------

    @Test
    void freshTreeHoldsZookeepersSystemNodesAsZookeeperMakesThem() {
        assertEquals(4, tree.nodeCount());
        assertEquals(0, tree.lastZxid());
        assertEquals(List.of("zookeeper"), List.copyOf(tree.node("/").children()));
        assertEquals(List.of("config", "quota"), List.copyOf(tree.node("/zookeeper").children()));
        // ZooKeeper adds these children without counting creates: "/" shows cversion -1, /zookeeper -2.
        assertEquals(new Stat(0, 0, 0, 0, 0, -1, 0, 0, 0, 1, 0), tree.node("/").stat());
        assertEquals(-2, tree.node("/zookeeper").stat().cversion());
        assertEquals(Acl.OPEN_ACL_UNSAFE, tree.node("/zookeeper/quota").acl());
        assertEquals(Acl.READ_ACL_UNSAFE, tree.node("/zookeeper/config").acl());
        assertEquals(-1, tree.node("/zookeeper/config").stat().aversion());
        assertTrue(tree.sessions().isEmpty());
    }

    // ---- create -----------------------------------------------------------------------------

    @Test
    void createStampsTheNewNodeWithZxidAndTime() {
        ApplyResult r = apply(new Txn.Create("/a", bytes("hello"), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0, 1));
        Stat expected = new Stat(zxid, zxid, timeOf(zxid), timeOf(zxid), 0, 0, 0, 0, 5, 0, zxid);
        assertEquals(new OpResult.Created("/a", expected), r.result());
        assertEquals(expected, tree.node("/a").stat());
        assertArrayEquals(bytes("hello"), tree.node("/a").data());
        assertEquals(CreateMode.PERSISTENT, tree.node("/a").mode());
        assertEquals(zxid, tree.lastZxid());
        assertEquals(5, tree.nodeCount());
    }

    @Test
    void createSetsParentCversionToTheTxnValueAndPzxidToTheZxid() {
        mk("/p");
        apply(create("/p/a", CreateMode.PERSISTENT, 7));
        ZNode p = tree.node("/p");
        assertEquals(7, p.persistedCversion());
        assertEquals(zxid, p.stat().pzxid());
        // the client's cversion: 2 * 7 - 1 child
        assertEquals(13, p.stat().cversion());
        assertEquals(1, p.stat().numChildren());
    }

    @Test
    void createWithParentCversionNotAboveTheCurrentLeavesTheParentAlone() {
        mk("/p");
        apply(create("/p/a", CreateMode.PERSISTENT, 5));
        long pzxidBefore = tree.node("/p").pzxid();
        apply(create("/p/b", CreateMode.PERSISTENT, 5));
        assertEquals(5, tree.node("/p").persistedCversion());
        assertEquals(pzxidBefore, tree.node("/p").pzxid());
        assertNotNull(tree.node("/p/b"));
        assertEquals(2, tree.node("/p").numChildren());
    }

    @Test
    void createWithParentCversionMinusOneCountsOneMore() {
        mk("/p");
        apply(create("/p/a", CreateMode.PERSISTENT, -1));
        apply(create("/p/b", CreateMode.PERSISTENT, -1));
        assertEquals(2, tree.node("/p").persistedCversion());
        assertEquals(zxid, tree.node("/p").pzxid());
    }

    @Test
    void sequentialModesAreStoredAsTheirBaseMode() {
        apply(S1, new Txn.CreateSession(30_000));
        mk("/q0000000000", CreateMode.PERSISTENT_SEQUENTIAL);
        mk("/e0000000001", CreateMode.EPHEMERAL_SEQUENTIAL);
        apply(new Txn.Create("/t0000000002", new byte[0], Acl.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, 500, tree.node("/").persistedCversion() + 1));
        assertEquals(CreateMode.PERSISTENT, tree.node("/q0000000000").mode());
        assertEquals(CreateMode.EPHEMERAL, tree.node("/e0000000001").mode());
        assertEquals(CreateMode.PERSISTENT_WITH_TTL, tree.node("/t0000000002").mode());
        assertEquals(500, tree.node("/t0000000002").ttlMs());
    }

    // ---- delete -----------------------------------------------------------------------------

    @Test
    void deleteKeepsThePersistedCversionAndRaisesPzxid() {
        mk("/p");
        mk("/p/a");
        mk("/p/b");
        ApplyResult r = apply(new Txn.Delete("/p/a"));
        assertEquals(new OpResult.Deleted(), r.result());
        ZNode p = tree.node("/p");
        assertEquals(2, p.persistedCversion());
        assertEquals(zxid, p.pzxid());
        // client view: 2 creates + 1 delete
        assertEquals(3, p.stat().cversion());
        assertEquals(1, p.stat().numChildren());
        assertNull(tree.node("/p/a"));
    }

    @Test
    void sequentialSuffixCountsDeletedSiblingsWhileClientCversionCountsDeletesToo() {
        mk("/q");
        apply(create("/q/n0000000000", CreateMode.PERSISTENT_SEQUENTIAL, 1));
        apply(create("/q/n0000000001", CreateMode.PERSISTENT_SEQUENTIAL, 2));
        apply(new Txn.Delete("/q/n0000000000"));
        apply(new Txn.Delete("/q/n0000000001"));
        ZNode q = tree.node("/q");
        // The next suffix prep derives is 2 (children ever created) while the client sees cversion 4.
        assertEquals(2, q.persistedCversion());
        assertEquals(4, q.stat().cversion());
        apply(create("/q/n0000000002", CreateMode.PERSISTENT_SEQUENTIAL, 3));
        assertEquals(3, q.persistedCversion());
        assertEquals(5, q.stat().cversion());
        assertEquals(List.of("n0000000002"), List.copyOf(q.children()));
    }

    // ---- setData / setAcl / check -------------------------------------------------------------

    @Test
    void setDataSetsDataVersionMzxidAndMtimeOnly() {
        mk("/a");
        long created = zxid;
        ApplyResult r = apply(new Txn.SetData("/a", bytes("xyz"), 1));
        Stat s = tree.node("/a").stat();
        assertEquals(new OpResult.StatResult(s), r.result());
        assertEquals(created, s.czxid());
        assertEquals(timeOf(created), s.ctime());
        assertEquals(zxid, s.mzxid());
        assertEquals(timeOf(zxid), s.mtime());
        assertEquals(1, s.version());
        assertEquals(3, s.dataLength());
        assertEquals(created, s.pzxid());
        assertEquals(List.of(ev(EventType.NodeDataChanged, "/a", zxid)), r.events());
    }

    @Test
    void setAclSetsAclAndAversionWithoutEvents() {
        mk("/a");
        List<Acl> acl = List.of(new Acl(Perms.READ, new Id("digest", "bob:hash")));
        ApplyResult r = apply(new Txn.SetAcl("/a", acl, 1));
        assertEquals(acl, tree.node("/a").acl());
        assertEquals(1, tree.node("/a").stat().aversion());
        assertEquals(new OpResult.StatResult(tree.node("/a").stat()), r.result());
        assertTrue(r.events().isEmpty());
        assertEquals(0, tree.node("/a").stat().version());
    }

    @Test
    void checkChangesNothingButLastZxid() {
        mk("/a");
        long digest = tree.digest();
        ApplyResult r = apply(new Txn.Check("/a", 1));
        assertEquals(new OpResult.Checked(), r.result());
        assertTrue(r.events().isEmpty());
        assertEquals(digest, tree.digest());
        assertEquals(zxid, tree.lastZxid());
    }

    @Test
    void equalAclsShareOneInstance() {
        mk("/a");
        apply(new Txn.Create("/b", new byte[0], new ArrayList<>(Acl.OPEN_ACL_UNSAFE), CreateMode.PERSISTENT, 0, -1));
        assertSame(tree.node("/a").acl(), tree.node("/b").acl());
    }

    // ---- ephemeral, container, TTL ----------------------------------------------------------

    @Test
    void ephemeralIsOwnedByTheRecordsSession() {
        apply(S2, new Txn.CreateSession(10_000));
        apply(S2, create("/e", CreateMode.EPHEMERAL, -1));
        assertEquals(S2, tree.node("/e").ephemeralOwner());
        assertEquals(S2, tree.node("/e").stat().ephemeralOwner());
        assertEquals(Set.of("/e"), tree.ephemerals(S2));
        assertTrue(tree.ephemerals(S1).isEmpty());
        apply(new Txn.Delete("/e"));
        assertTrue(tree.ephemerals(S2).isEmpty());
    }

    @Test
    void containerAndTtlNodesShowEphemeralOwnerZeroButPersistZookeepersMarkers() {
        mk("/c", CreateMode.CONTAINER);
        apply(new Txn.Create("/t", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 1234, -1));
        assertEquals(0, tree.node("/c").stat().ephemeralOwner());
        assertEquals(0, tree.node("/t").stat().ephemeralOwner());
        assertEquals(0, tree.node("/c").ephemeralOwner());
        assertEquals(Long.MIN_VALUE, tree.node("/c").persistedEphemeralOwner());
        assertEquals(0xff00000000000000L | 1234, tree.node("/t").persistedEphemeralOwner());
        assertEquals(CreateMode.CONTAINER, tree.node("/c").mode());
        assertEquals(1234, tree.node("/t").ttlMs());
        assertEquals(0, tree.node("/c").ttlMs());
    }

    @Test
    void reapCandidatesAreEmptiedContainersAndExpiredChildlessTtlNodes() {
        mk("/c-fresh", CreateMode.CONTAINER);
        mk("/c-used", CreateMode.CONTAINER);
        mk("/c-used/x");
        apply(new Txn.Delete("/c-used/x"));
        mk("/c-full", CreateMode.CONTAINER);
        mk("/c-full/x");
        apply(new Txn.Create("/t-due", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 100, -1));
        long dueMtime = tree.node("/t-due").mtime();
        apply(new Txn.Create("/t-kids", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 100, -1));
        mk("/t-kids/x");
        apply(new Txn.Create("/b-due", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 1, -1));

        long now = dueMtime + 100;
        // mtime + ttl == now is not yet due: ZooKeeper wants elapsed > ttl.
        assertEquals(List.of("/b-due", "/c-used"), tree.reapCandidates(now));
        assertEquals(List.of("/b-due", "/c-used", "/t-due"), tree.reapCandidates(now + 1));
        // a TTL node's clock restarts with its mtime
        apply(new Txn.SetData("/t-due", new byte[0], 1));
        assertEquals(List.of("/b-due", "/c-used"), tree.reapCandidates(now + 1));
        apply(new Txn.Delete("/c-used"));
        assertEquals(List.of("/b-due"), tree.reapCandidates(now + 1));
    }

    // ---- sessions -----------------------------------------------------------------------------

    @Test
    void sessionTableIsSortedById() {
        apply(S2, new Txn.CreateSession(20_000));
        ApplyResult r = apply(S1, new Txn.CreateSession(10_000));
        assertEquals(new OpResult.Done(), r.result());
        assertEquals(List.of(S1, S2), List.copyOf(tree.sessions().keySet()));
        assertEquals(10_000, tree.sessions().get(S1));
        assertThrows(UnsupportedOperationException.class, () -> tree.sessions().remove(S1));
    }

    @Test
    void closeSessionDeletesAllItsEphemeralsAtOnceInPathOrder() {
        apply(S1, new Txn.CreateSession(10_000));
        apply(S2, new Txn.CreateSession(10_000));
        mk("/p");
        apply(S1, create("/p/b", CreateMode.EPHEMERAL, -1));
        apply(S1, create("/a", CreateMode.EPHEMERAL, -1));
        apply(S1, create("/p/a", CreateMode.EPHEMERAL, -1));
        apply(S2, create("/p/other", CreateMode.EPHEMERAL, -1));

        ApplyResult r = apply(S1, new Txn.CloseSession());
        long z = zxid;
        assertEquals(new OpResult.Done(), r.result());
        assertEquals(List.of(
                ev(EventType.NodeDeleted, "/a", z), ev(EventType.NodeChildrenChanged, "/", z),
                ev(EventType.NodeDeleted, "/p/a", z), ev(EventType.NodeChildrenChanged, "/p", z),
                ev(EventType.NodeDeleted, "/p/b", z), ev(EventType.NodeChildrenChanged, "/p", z)), r.events());
        assertNull(tree.node("/a"));
        assertNull(tree.node("/p/a"));
        assertNull(tree.node("/p/b"));
        assertNotNull(tree.node("/p/other"));
        assertEquals(z, tree.node("/p").pzxid());
        assertTrue(tree.ephemerals(S1).isEmpty());
        assertEquals(Set.of("/p/other"), tree.ephemerals(S2));
        assertEquals(Set.of(S2), tree.sessions().keySet());
    }

    @Test
    void closeSessionOfAnUnknownSessionIsDoneAndChangesNothing() {
        long digest = tree.digest();
        assertEquals(new OpResult.Done(), apply(0x999, new Txn.CloseSession()).result());
        assertEquals(digest, tree.digest());
    }

    // ---- multi --------------------------------------------------------------------------------

    @Test
    void multiAppliesEntriesInOrderWithTheirEvents() {
        ApplyResult r = apply(new Txn.Multi(List.of(
                create("/m", CreateMode.PERSISTENT, 1),
                create("/m/c", CreateMode.PERSISTENT, 1),
                new Txn.SetData("/m", bytes("v"), 1),
                new Txn.Check("/m", 2),
                new Txn.Delete("/m/c"))));
        long z = zxid;
        OpResult.Multi m = assertInstanceOf(OpResult.Multi.class, r.result());
        assertEquals(5, m.results().size());
        OpResult.Created c = assertInstanceOf(OpResult.Created.class, m.results().get(0));
        assertEquals("/m", c.path());
        assertEquals(0, c.stat().numChildren()); // the Stat as of that entry
        assertInstanceOf(OpResult.Created.class, m.results().get(1));
        assertInstanceOf(OpResult.StatResult.class, m.results().get(2));
        assertEquals(new OpResult.Checked(), m.results().get(3));
        assertEquals(new OpResult.Deleted(), m.results().get(4));
        assertNull(m.firstError());
        assertEquals(List.of(
                ev(EventType.NodeCreated, "/m", z), ev(EventType.NodeChildrenChanged, "/", z),
                ev(EventType.NodeCreated, "/m/c", z), ev(EventType.NodeChildrenChanged, "/m", z),
                ev(EventType.NodeDataChanged, "/m", z),
                ev(EventType.NodeDeleted, "/m/c", z), ev(EventType.NodeChildrenChanged, "/m", z)), r.events());
        assertEquals(z, tree.node("/m").mzxid());
    }

    @Test
    void failedMultiConsumesItsZxidAndChangesNothing() {
        mk("/a");
        long digest = tree.digest();
        int nodes = tree.nodeCount();
        ApplyResult r = apply(new Txn.Multi(List.of(
                create("/x", CreateMode.PERSISTENT, 2),
                new Txn.Error(ErrorCode.NODE_EXISTS),
                new Txn.Error(ErrorCode.RUNTIME_INCONSISTENCY))));
        OpResult.Multi m = assertInstanceOf(OpResult.Multi.class, r.result());
        assertEquals(List.of(ErrorCode.OK, ErrorCode.NODE_EXISTS, ErrorCode.RUNTIME_INCONSISTENCY), codes(m));
        assertEquals(ErrorCode.NODE_EXISTS, m.firstError().code());
        assertTrue(r.events().isEmpty());
        assertEquals(digest, tree.digest());
        assertEquals(nodes, tree.nodeCount());
        assertNull(tree.node("/x"));
        assertEquals(zxid, tree.lastZxid());
    }

    @Test
    void failedMultiRewritesNonErrorEntriesOkBeforeTheFirstErrorAndRuntimeInconsistencyAfter() {
        mk("/a");
        ApplyResult r = apply(new Txn.Multi(List.of(
                new Txn.SetData("/a", bytes("1"), 1),
                new Txn.Check("/a", 1),
                new Txn.Error(ErrorCode.BAD_VERSION),
                new Txn.SetData("/a", bytes("2"), 2),
                new Txn.Error(ErrorCode.NO_NODE))));
        assertEquals(List.of(ErrorCode.OK, ErrorCode.OK, ErrorCode.BAD_VERSION, ErrorCode.RUNTIME_INCONSISTENCY,
                ErrorCode.NO_NODE), codes((OpResult.Multi) r.result()));
        assertEquals(0, tree.node("/a").version());
    }

    @Test
    void multiThatCannotApplyIsRefusedWholeInTheFailedMultiShape() {
        long digest = tree.digest();
        ApplyResult r = apply(new Txn.Multi(List.of(
                create("/x", CreateMode.PERSISTENT, 2),
                create("/missing/y", CreateMode.PERSISTENT, 1),
                new Txn.SetData("/x", bytes("v"), 1))));
        OpResult.Multi m = (OpResult.Multi) r.result();
        assertEquals(List.of(ErrorCode.OK, ErrorCode.NO_NODE, ErrorCode.RUNTIME_INCONSISTENCY), codes(m));
        assertEquals("/missing/y", m.firstError().path());
        assertNull(tree.node("/x"));
        assertEquals(digest, tree.digest());
        assertTrue(r.events().isEmpty());
    }

    @Test
    void multiChecksEachEntryAgainstTheEarlierOnes() {
        // create then delete inside one multi, and a delete made possible by an earlier delete
        ApplyResult ok = apply(new Txn.Multi(List.of(
                create("/p", CreateMode.PERSISTENT, 1),
                create("/p/c", CreateMode.PERSISTENT, 1),
                new Txn.Delete("/p/c"),
                new Txn.Delete("/p"),
                create("/p", CreateMode.PERSISTENT, 2))));
        assertNull(((OpResult.Multi) ok.result()).firstError());
        assertNotNull(tree.node("/p"));
        assertEquals(0, tree.node("/p").numChildren());

        OpResult.Multi notEmpty = (OpResult.Multi) apply(new Txn.Multi(List.of(
                create("/p/c", CreateMode.PERSISTENT, 1),
                new Txn.Delete("/p")))).result();
        assertEquals(ErrorCode.NOT_EMPTY, notEmpty.firstError().code());

        OpResult.Multi exists = (OpResult.Multi) apply(new Txn.Multi(List.of(
                create("/n", CreateMode.PERSISTENT, 3),
                create("/n", CreateMode.PERSISTENT, 4)))).result();
        assertEquals(ErrorCode.NODE_EXISTS, exists.firstError().code());

        apply(S1, new Txn.CreateSession(1000));
        OpResult.Multi underEphemeral = (OpResult.Multi) apply(new Txn.Multi(List.of(
                create("/e", CreateMode.EPHEMERAL, 3),
                create("/e/c", CreateMode.PERSISTENT, 1)))).result();
        assertEquals(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, underEphemeral.firstError().code());
        assertNull(tree.node("/e"));
        assertNull(tree.node("/n"));
    }

    @Test
    void multiRefusesSessionTransactionsInside() {
        OpResult.Multi m = (OpResult.Multi) apply(new Txn.Multi(List.of(new Txn.CloseSession()))).result();
        assertEquals(ErrorCode.BAD_ARGUMENTS, m.firstError().code());
    }

    private static List<ErrorCode> codes(OpResult.Multi m) {
        List<ErrorCode> codes = new ArrayList<>();
        for (OpResult r : m.results()) {
            codes.add(assertInstanceOf(OpResult.Error.class, r).code());
        }
        return codes;
    }

    // ---- errors and refusals --------------------------------------------------------------------

    @Test
    void errorTxnChangesNothingButLastZxid() {
        long digest = tree.digest();
        ApplyResult r = apply(new Txn.Error(ErrorCode.BAD_VERSION));
        OpResult.Error e = assertInstanceOf(OpResult.Error.class, r.result());
        assertEquals(ErrorCode.BAD_VERSION, e.code());
        assertNull(e.path());
        assertTrue(r.events().isEmpty());
        assertEquals(digest, tree.digest());
        assertEquals(zxid, tree.lastZxid());
    }

    @Test
    void txnsThatCannotApplyAreRefusedWithoutTouchingTheTree() {
        mk("/p");
        mk("/p/c");
        long digest = tree.digest();
        assertRefused(ErrorCode.NO_NODE, "/nope/x", apply(create("/nope/x", CreateMode.PERSISTENT, 1)));
        assertRefused(ErrorCode.NODE_EXISTS, "/p", apply(create("/p", CreateMode.PERSISTENT, 9)));
        assertRefused(ErrorCode.NODE_EXISTS, "/", apply(create("/", CreateMode.PERSISTENT, 9)));
        assertRefused(ErrorCode.BAD_ARGUMENTS, "bad", apply(create("bad", CreateMode.PERSISTENT, 9)));
        assertRefused(ErrorCode.NOT_EMPTY, "/p", apply(new Txn.Delete("/p")));
        assertRefused(ErrorCode.NO_NODE, "/q", apply(new Txn.Delete("/q")));
        assertRefused(ErrorCode.BAD_ARGUMENTS, "/zookeeper/config", apply(new Txn.Delete("/zookeeper/config")));
        assertRefused(ErrorCode.NO_NODE, "/q", apply(new Txn.SetData("/q", new byte[0], 1)));
        assertRefused(ErrorCode.NO_NODE, "/q", apply(new Txn.SetAcl("/q", Acl.OPEN_ACL_UNSAFE, 1)));
        assertRefused(ErrorCode.BAD_ARGUMENTS, "/t", apply(new Txn.Create("/t", new byte[0], Acl.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_WITH_TTL, 0, 3)));
        assertEquals(digest, tree.digest());
        apply(S1, new Txn.CreateSession(1000));
        apply(S1, create("/p/e", CreateMode.EPHEMERAL, 2));
        digest = tree.digest();
        assertRefused(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, "/p/e/x", apply(create("/p/e/x", CreateMode.PERSISTENT, 1)));
        assertEquals(digest, tree.digest());
        assertEquals(zxid, tree.lastZxid());
    }

    private void assertRefused(ErrorCode code, String path, ApplyResult r) {
        OpResult.Error e = assertInstanceOf(OpResult.Error.class, r.result());
        assertEquals(code, e.code());
        assertEquals(path, e.path());
        assertTrue(r.events().isEmpty());
    }

    // ---- events and zxids ---------------------------------------------------------------------

    @Test
    void createThenDeleteTriggerEventsInZookeepersOrder() {
        mk("/p");
        ApplyResult c = mk("/p/a");
        assertEquals(List.of(ev(EventType.NodeCreated, "/p/a", zxid), ev(EventType.NodeChildrenChanged, "/p", zxid)),
                c.events());
        ApplyResult d = apply(new Txn.Delete("/p/a"));
        assertEquals(List.of(ev(EventType.NodeDeleted, "/p/a", zxid), ev(EventType.NodeChildrenChanged, "/p", zxid)),
                d.events());
        ApplyResult top = mk("/top");
        assertEquals(ev(EventType.NodeChildrenChanged, "/", zxid), top.events().get(1));
    }

    @Test
    void zxidsMustStrictlyIncrease() {
        mk("/a");
        long digest = tree.digest();
        long last = tree.lastZxid();
        assertThrows(IllegalStateException.class,
                () -> tree.apply(new TxnRecord(last, S1, 1, 0, create("/b", CreateMode.PERSISTENT, 2))));
        assertThrows(IllegalStateException.class,
                () -> tree.apply(new TxnRecord(last - 1, S1, 1, 0, create("/b", CreateMode.PERSISTENT, 2))));
        assertNull(tree.node("/b"));
        assertEquals(digest, tree.digest());
        assertEquals(last, tree.lastZxid());
        // gaps are fine: zxids only have to grow
        tree.apply(new TxnRecord(last + 100, S1, 1, 0, create("/b", CreateMode.PERSISTENT, 2)));
        assertEquals(last + 100, tree.lastZxid());
    }

    @Test
    void digestSeesDataAclAndStatChanges() {
        mk("/a");
        long d0 = tree.digest();
        apply(new Txn.SetData("/a", bytes("d"), 0)); // same data and version, new mzxid
        long d1 = tree.digest();
        assertNotEquals(d0, d1);
        apply(new Txn.SetAcl("/a", Acl.READ_ACL_UNSAFE, 1));
        assertNotEquals(d1, tree.digest());
        DataTree other = new DataTree();
        assertEquals(other.digest(), new DataTree().digest());
        assertNotEquals(other.digest(), tree.digest());
    }
}
