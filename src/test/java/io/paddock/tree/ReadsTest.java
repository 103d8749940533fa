package io.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReadsTest {

    private static final long S1 = 0x11L;
    private static final long S2 = 0x22L;
    private static final String SUPER = AclCheck.digest("super:secret");
    private static final Id BOB = new Id("digest", AclCheck.digest("bob:pw"));
    private static final Id ALICE = new Id("digest", AclCheck.digest("alice:pw"));
    private static final List<Id> NOBODY = List.of();

    private final DataTree tree = new DataTree();
    private long zxid = 1;

    private void apply(long session, Txn txn) {
        OpResult r = tree.apply(new TxnRecord(++zxid, session, 0, 1000 + zxid, txn)).result();
        if (r instanceof OpResult.Error e) {
            throw new AssertionError("setup txn refused: " + e);
        }
    }

    private void mk(String path, String data, List<Acl> acl) {
        apply(S1, new Txn.Create(path, data.getBytes(StandardCharsets.UTF_8), acl, CreateMode.PERSISTENT, 0, -1));
    }

    private void mk(String path) {
        mk(path, "", Acl.OPEN_ACL_UNSAFE);
    }

    private OpResult read(List<Id> ids, Op op) {
        return Reads.read(tree, S1, ids, op, SUPER);
    }

    private static void assertError(ErrorCode code, String path, OpResult r) {
        OpResult.Error e = assertInstanceOf(OpResult.Error.class, r);
        assertEquals(code, e.code());
        assertEquals(path, e.path());
    }

    @BeforeEach
    void setUp() {
        apply(S1, new Txn.CreateSession(10_000));
        apply(S2, new Txn.CreateSession(10_000));
        mk("/a", "hello", Acl.OPEN_ACL_UNSAFE);
        mk("/a/b");
        mk("/a/b-c");
        mk("/a/b/x");
        mk("/secret", "s", List.of(new Acl(Perms.ALL, BOB)));
        mk("/adminonly", "", List.of(new Acl(Perms.ADMIN, BOB), new Acl(Perms.READ, ALICE)));
    }

    @Test
    void getDataAnswersDataAndTheClientStat() {
        OpResult.Data d = assertInstanceOf(OpResult.Data.class, read(NOBODY, new Op.GetData("/a", false)));
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), d.data());
        assertEquals(tree.node("/a").stat(), d.stat());
        assertEquals(2, d.stat().numChildren());
    }

    @Test
    void readsFindNoMalformedPathThenCheckTheAcl() {
        // As ZooKeeper: only writes validate paths; a read looks the path up and finds nothing.
        assertError(ErrorCode.NO_NODE, "a", read(NOBODY, new Op.GetData("a", false)));
        assertError(ErrorCode.NO_NODE, "/a/", read(NOBODY, new Op.GetChildren("/a/", false)));
        assertError(ErrorCode.NO_NODE, "/missing", read(NOBODY, new Op.GetData("/missing", false)));
        assertError(ErrorCode.NO_NODE, "/missing", read(NOBODY, new Op.Exists("/missing", false)));
        assertError(ErrorCode.NO_AUTH, "/secret", read(NOBODY, new Op.GetData("/secret", false)));
        assertError(ErrorCode.NO_AUTH, "/secret", read(List.of(ALICE), new Op.GetChildren("/secret", false)));
        assertError(ErrorCode.NO_AUTH, "/secret", read(NOBODY, new Op.GetAllChildrenNumber("/secret")));
        assertInstanceOf(OpResult.Data.class, read(List.of(BOB), new Op.GetData("/secret", false)));
    }

    @Test
    void superUserReadsEverything() {
        List<Id> su = List.of(new Id("digest", SUPER));
        assertInstanceOf(OpResult.Data.class, read(su, new Op.GetData("/secret", false)));
        assertInstanceOf(OpResult.AclList.class, read(su, new Op.GetAcl("/secret")));
    }

    @Test
    void existsNeedsReadPermissionOnANodeThatExists() {
        OpResult.Error e = assertInstanceOf(OpResult.Error.class, read(NOBODY, new Op.Exists("/secret", true)));
        assertEquals(ErrorCode.NO_AUTH, e.code());
        OpResult.Error missing = assertInstanceOf(OpResult.Error.class, read(NOBODY, new Op.Exists("/secret/none", true)));
        assertEquals(ErrorCode.NO_NODE, missing.code());
    }

    @Test
    void getChildrenAnswersSortedNamesAndStat() {
        OpResult.Children c = assertInstanceOf(OpResult.Children.class, read(NOBODY, new Op.GetChildren("/a", false)));
        assertEquals(List.of("b", "b-c"), c.children());
        assertEquals(tree.node("/a").stat(), c.stat());
        OpResult.Children root = (OpResult.Children) read(NOBODY, new Op.GetChildren("/", false));
        assertEquals(List.of("a", "adminonly", "secret", "zookeeper"), root.children());
    }

    @Test
    void listRecursiveGivesEveryDescendantSortedWithoutTheNodeItself() {
        OpResult.Paths p = assertInstanceOf(OpResult.Paths.class, read(NOBODY, new Op.ListRecursive("/a")));
        assertEquals(List.of("/a/b", "/a/b-c", "/a/b/x"), p.paths());
        OpResult.Paths leaf = (OpResult.Paths) read(NOBODY, new Op.ListRecursive("/a/b/x"));
        assertEquals(List.of(), leaf.paths());
    }

    @Test
    void listRecursiveNeedsReadOnEveryNodeLikeZkClisLsR() {
        mk("/a/b/x/locked", "", List.of(new Acl(Perms.ALL, BOB)));
        mk("/a/b/x/locked/under");
        assertError(ErrorCode.NO_AUTH, "/a/b/x/locked", read(NOBODY, new Op.ListRecursive("/a")));
        OpResult.Paths p = (OpResult.Paths) read(List.of(BOB), new Op.ListRecursive("/a"));
        assertEquals(List.of("/a/b", "/a/b-c", "/a/b/x", "/a/b/x/locked", "/a/b/x/locked/under"), p.paths());
    }

    @Test
    void allChildrenNumberCountsDescendants() {
        assertEquals(new OpResult.Count(3), read(NOBODY, new Op.GetAllChildrenNumber("/a")));
        assertEquals(new OpResult.Count(0), read(NOBODY, new Op.GetAllChildrenNumber("/a/b/x")));
        // "/": every node but the root, /zookeeper's three included (ZooKeeper's nodes.size() - 2)
        assertEquals(new OpResult.Count(tree.nodeCount() - 1), read(NOBODY, new Op.GetAllChildrenNumber("/")));
        assertEquals(new OpResult.Count(9), read(NOBODY, new Op.GetAllChildrenNumber("/")));
    }

    @Test
    void getAclNeedsReadOrAdminAndHidesDigestHashesFromNonAdmins() {
        // BOB has ADMIN (not READ) on /adminonly: full ACL
        OpResult.AclList full = assertInstanceOf(OpResult.AclList.class, read(List.of(BOB), new Op.GetAcl("/adminonly")));
        assertEquals(tree.node("/adminonly").acl(), full.acl());
        assertEquals(tree.node("/adminonly").stat(), full.stat());
        // ALICE has READ only: digest ids redacted to user:x
        OpResult.AclList redacted = (OpResult.AclList) read(List.of(ALICE), new Op.GetAcl("/adminonly"));
        assertEquals(List.of(new Acl(Perms.ADMIN, new Id("digest", "bob:x")), new Acl(Perms.READ, new Id("digest", "alice:x"))),
                redacted.acl());
        // neither READ nor ADMIN
        assertError(ErrorCode.NO_AUTH, "/adminonly", read(NOBODY, new Op.GetAcl("/adminonly")));
        // world ids are never redacted
        OpResult.AclList open = (OpResult.AclList) read(NOBODY, new Op.GetAcl("/zookeeper/config"));
        assertEquals(Acl.READ_ACL_UNSAFE, open.acl());
        assertEquals(-1, open.stat().aversion());
    }

    @Test
    void getEphemeralsGivesTheSessionsOwnByStringPrefixAsZookeeperDoes() {
        apply(S1, new Txn.Create("/e1", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, 0, -1));
        apply(S1, new Txn.Create("/a/e2", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, 0, -1));
        apply(S1, new Txn.Create("/ab", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, 0, -1));
        apply(S2, new Txn.Create("/a/other", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, 0, -1));
        assertEquals(new OpResult.Paths(List.of("/a/e2", "/ab", "/e1")), read(NOBODY, new Op.GetEphemerals("/")));
        assertEquals(new OpResult.Paths(List.of("/a/e2", "/ab")), read(NOBODY, new Op.GetEphemerals("/a")));
        assertEquals(new OpResult.Paths(List.of("/a/e2")), read(NOBODY, new Op.GetEphemerals("/a/")));
        assertEquals(new OpResult.Paths(List.of()), read(NOBODY, new Op.GetEphemerals("/zz")));
        assertEquals(new OpResult.Paths(List.of("/a/other")),
                Reads.read(tree, S2, NOBODY, new Op.GetEphemerals("/"), SUPER));
    }

    @Test
    void multiReadAnswersEachOpWithErrorsInline() {
        OpResult.Multi m = assertInstanceOf(OpResult.Multi.class, read(NOBODY, new Op.MultiRead(List.of(
                new Op.GetData("/a", false),
                new Op.GetData("/missing", false),
                new Op.GetChildren("/a", false),
                new Op.GetChildren("/secret", false)))));
        assertEquals(4, m.results().size());
        assertInstanceOf(OpResult.Data.class, m.results().get(0));
        assertError(ErrorCode.NO_NODE, "/missing", m.results().get(1));
        assertInstanceOf(OpResult.Children.class, m.results().get(2));
        assertError(ErrorCode.NO_AUTH, "/secret", m.results().get(3));
    }

    @Test
    void multiReadTakesOnlyGetDataAndGetChildren() {
        assertError(ErrorCode.BAD_ARGUMENTS, "/a", read(NOBODY, new Op.MultiRead(List.of(
                new Op.GetData("/a", false), new Op.Exists("/a", false)))));
    }

    @Test
    void opsThatAreNotTreeReadsAreACallerBug() {
        assertThrows(IllegalArgumentException.class, () -> read(NOBODY, new Op.Sync("/")));
        assertThrows(IllegalArgumentException.class, () -> read(NOBODY, new Op.Delete("/a", -1)));
    }
}
