package io.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TxnPrepTest {

    private static final String SUPER_DIGEST = "super:D/InIHSb7yEEbrWz8b9l71RjZJU=";
    private static final int MAX_DATA = 64;
    private static final Id ALICE = new Id("digest", AclCheck.digest("alice:secret"));
    private static final Id BOB = new Id("digest", AclCheck.digest("bob:secret"));
    private static final List<Acl> ALICE_ALL = List.of(new Acl(Perms.ALL, ALICE));
    private static final byte[] NONE = new byte[0];

    private final DataTree tree = new DataTree();
    private final TxnPrep prep = new TxnPrep(tree, MAX_DATA, SUPER_DIGEST);
    private long zxid;
    private long timeMs = 1_000;

    // ---- helpers --------------------------------------------------------------------------------

    /** Prepares without applying: the change stays outstanding. */
    private Prepared prepare(long sessionId, List<Id> ids, Op op) {
        Prepared p = prep.prepare(zxid + 1, sessionId, 7, timeMs, ids, op);
        if (p.record() != null) {
            zxid = p.record().zxid();
        }
        return p;
    }

    private Prepared prepare(Op op) {
        return prepare(0, List.of(), op);
    }

    private ApplyResult apply(Prepared p) {
        ApplyResult r = tree.apply(p.record());
        prep.applied(p.record().zxid());
        if (p.error() == null) {
            assertFalse(r.result() instanceof OpResult.Error, "accepted record must apply: " + r.result());
            if (r.result() instanceof OpResult.Multi m) {
                assertNull(m.firstError(), "accepted multi must apply: " + m);
            }
        }
        return r;
    }

    private Prepared run(long sessionId, List<Id> ids, Op op) {
        Prepared p = prepare(sessionId, ids, op);
        if (p.record() != null) {
            apply(p);
        }
        return p;
    }

    private Prepared run(Op op) {
        return run(0, List.of(), op);
    }

    private void session(long id) {
        Prepared p = prep.prepareCreateSession(++zxid, id, timeMs, 30_000);
        assertNull(p.error());
        apply(p);
    }

    private static Op.Create persistent(String path) {
        return new Op.Create(path, NONE, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0);
    }

    private static Op.Create create(String path, CreateMode mode) {
        return new Op.Create(path, NONE, Acl.OPEN_ACL_UNSAFE, mode, 0);
    }

    private static Op.Create withAcl(String path, List<Acl> acl) {
        return new Op.Create(path, NONE, acl, CreateMode.PERSISTENT, 0);
    }

    private static void assertAccepted(Prepared p) {
        assertNull(p.error(), () -> "refused: " + p.error());
        assertNotNull(p.record());
        assertFalse(p.record().txn() instanceof Txn.Error);
    }

    /** A refused single write: its code, and a Txn.Error record that still takes the zxid. */
    private static OpResult.Error assertRefused(Prepared p, ErrorCode code) {
        assertNotNull(p.error(), "expected " + code + " but the write was accepted");
        assertEquals(code, p.error().code(), p.error().message());
        assertEquals(new Txn.Error(code), p.record().txn());
        return p.error();
    }

    private static Txn.Create created(Prepared p) {
        assertAccepted(p);
        return assertInstanceOf(Txn.Create.class, p.record().txn());
    }

    // ---- refused writes keep their zxid ---------------------------------------------------------

    @Test
    void refusedWriteStillTakesItsZxidAsErrorRecord() {
        Prepared p = prepare(7, List.of(), new Op.Delete("/missing", -1));
        assertRefused(p, ErrorCode.SESSION_EXPIRED);
        assertEquals(1, p.record().zxid());
        assertEquals(7, p.record().sessionId());
        assertEquals(7, p.record().cxid());
        apply(p);
        assertEquals(1, tree.lastZxid());
        assertAccepted(run(persistent("/a")));
        assertEquals(2, tree.lastZxid());
    }

    @Test
    void zxidsMustIncrease() {
        run(persistent("/a"));
        assertThrows(IllegalArgumentException.class,
                () -> prep.prepare(zxid, 0, 0, timeMs, List.of(), persistent("/b")));
        assertThrows(IllegalArgumentException.class, () -> prep.prepareCloseSession(zxid, 1, timeMs));
    }

    // ---- create ---------------------------------------------------------------------------------

    @Test
    void createUnderMissingParentIsNoNodeNamingTheParent() {
        OpResult.Error e = assertRefused(run(persistent("/a/b")), ErrorCode.NO_NODE);
        assertEquals("/a", e.path());
    }

    @Test
    void createUnderEphemeralIsNoChildrenForEphemerals() {
        session(5);
        assertAccepted(run(5, List.of(), create("/e", CreateMode.EPHEMERAL)));
        assertRefused(run(5, List.of(), persistent("/e/child")), ErrorCode.NO_CHILDREN_FOR_EPHEMERALS);
    }

    @Test
    void createNeedsCreatePermissionOnTheParent() {
        run(withAcl("/locked", List.of(new Acl(Perms.ALL & ~Perms.CREATE, Id.ANYONE))));
        assertRefused(run(persistent("/locked/x")), ErrorCode.NO_AUTH);
        run(withAcl("/mine", ALICE_ALL));
        assertRefused(run(0, List.of(BOB), persistent("/mine/x")), ErrorCode.NO_AUTH);
        assertAccepted(run(0, List.of(ALICE), persistent("/mine/x")));
    }

    @Test
    void superUserCreatesAnywhere() {
        run(withAcl("/mine", ALICE_ALL));
        assertAccepted(run(0, List.of(new Id("digest", SUPER_DIGEST)), persistent("/mine/x")));
    }

    @Test
    void createOfExistingNodeIsNodeExists() {
        run(persistent("/a"));
        assertRefused(run(persistent("/a")), ErrorCode.NODE_EXISTS);
        assertRefused(run(persistent("/")), ErrorCode.NODE_EXISTS);
    }

    @Test
    void createWithTooMuchDataIsBadArgumentsNamingTheLimit() {
        OpResult.Error e = assertRefused(run(new Op.Create("/big", new byte[MAX_DATA + 1], Acl.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT, 0)), ErrorCode.BAD_ARGUMENTS);
        assertTrue(e.message().contains("exceeds maxDataBytes"), e.message());
        assertAccepted(run(new Op.Create("/fits", new byte[MAX_DATA], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0)));
    }

    @Test
    void createWithInvalidPathIsBadArguments() {
        for (String bad : List.of("a", "/a/", "/a//b", "/a/./b", "")) {
            assertRefused(run(persistent(bad)), ErrorCode.BAD_ARGUMENTS);
        }
        assertRefused(run(new Op.Create(null, NONE, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0)),
                ErrorCode.BAD_ARGUMENTS);
    }

    @Test
    void sequentialPathMayEndInSlash() {
        run(persistent("/q"));
        assertEquals("/q/0000000000", created(run(create("/q/", CreateMode.PERSISTENT_SEQUENTIAL))).path());
        assertEquals("/q/0000000001", created(run(create("/q/", CreateMode.PERSISTENT_SEQUENTIAL))).path());
    }

    @Test
    void createWithInvalidAclIsInvalidAcl() {
        assertRefused(run(withAcl("/a", List.of())), ErrorCode.INVALID_ACL);
        assertRefused(run(withAcl("/a", null)), ErrorCode.INVALID_ACL);
        assertRefused(run(withAcl("/a", List.of(new Acl(Perms.ALL, new Id("world", "me"))))), ErrorCode.INVALID_ACL);
        assertRefused(run(withAcl("/a", List.of(new Acl(Perms.ALL, new Id("auth", ""))))), ErrorCode.INVALID_ACL);
    }

    @Test
    void createWithAuthAclStoresTheSessionsDigest() {
        Txn.Create c = created(run(0, List.of(ALICE), withAcl("/a", List.of(new Acl(Perms.ALL, new Id("auth", ""))))));
        assertEquals(ALICE_ALL, c.acl());
        assertEquals(ALICE_ALL, tree.node("/a").acl());
    }

    @Test
    void ephemeralWithoutSessionIsBadArguments() {
        OpResult.Error e = assertRefused(run(create("/e", CreateMode.EPHEMERAL)), ErrorCode.BAD_ARGUMENTS);
        assertTrue(e.message().contains("ephemeral nodes need a session"), e.message());
    }

    @Test
    void ephemeralForUnknownSessionIsSessionExpired() {
        assertRefused(run(42, List.of(), create("/e", CreateMode.EPHEMERAL_SEQUENTIAL)), ErrorCode.SESSION_EXPIRED);
    }

    @Test
    void writesOfUnknownSessionAreSessionExpiredAsZooKeepersCheckSession() {
        run(persistent("/a"));
        assertRefused(run(42, List.of(), persistent("/b")), ErrorCode.SESSION_EXPIRED);
        assertRefused(run(42, List.of(), new Op.SetData("/a", NONE, -1)), ErrorCode.SESSION_EXPIRED);
        assertRefused(run(42, List.of(), new Op.Delete("/a", -1)), ErrorCode.SESSION_EXPIRED);
    }

    @Test
    void ttlMustBePositiveAndWithinZooKeepersMax() {
        long max = 0xffffffffffL;
        for (long bad : List.of(0L, -1L, max + 1)) {
            assertRefused(run(new Op.Create("/t", NONE, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, bad)),
                    ErrorCode.BAD_ARGUMENTS);
        }
        Txn.Create c = created(run(new Op.Create("/t", NONE, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, max)));
        assertEquals(max, c.ttlMs());
        assertEquals(CreateMode.PERSISTENT_WITH_TTL, tree.node("/t").mode());
    }

    @Test
    void ttlOnANonTtlModeIsBadArguments() {
        for (CreateMode mode : List.of(CreateMode.PERSISTENT, CreateMode.CONTAINER, CreateMode.PERSISTENT_SEQUENTIAL)) {
            assertRefused(run(new Op.Create("/t", NONE, Acl.OPEN_ACL_UNSAFE, mode, 10)), ErrorCode.BAD_ARGUMENTS);
        }
    }

    @Test
    void containerAndSequentialTtlCreatesCarryTheirModes() {
        assertEquals(CreateMode.CONTAINER, created(run(create("/c", CreateMode.CONTAINER))).mode());
        Txn.Create t = created(run(new Op.Create("/t-", NONE, Acl.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, 100)));
        assertTrue(t.path().matches("/t-\\d{10}"), t.path());
        assertEquals(100, tree.node(t.path()).ttlMs());
    }

    @Test
    void createUnderZookeeperFollowsItsAclsAsInZooKeeper() {
        assertAccepted(run(persistent("/zookeeper/mine")));
        assertRefused(run(persistent("/zookeeper/config/x")), ErrorCode.NO_AUTH);
    }

    // ---- sequential names ----------------------------------------------------------------------

    @Test
    void sequentialSuffixCountsOutstandingCreates() {
        run(persistent("/q"));
        List<Prepared> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            batch.add(prepare(create("/q/n-", CreateMode.PERSISTENT_SEQUENTIAL)));
        }
        batch.add(prepare(persistent("/q/plain")));
        batch.add(prepare(create("/q/n-", CreateMode.PERSISTENT_SEQUENTIAL)));
        List<String> paths = new ArrayList<>();
        List<Integer> cversions = new ArrayList<>();
        for (Prepared p : batch) {
            paths.add(created(p).path());
            cversions.add(created(p).parentCversion());
        }
        assertEquals(List.of("/q/n-0000000000", "/q/n-0000000001", "/q/n-0000000002", "/q/plain", "/q/n-0000000004"), paths);
        assertEquals(List.of(1, 2, 3, 4, 5), cversions);
        batch.forEach(this::apply);
        assertEquals(5, tree.node("/q").persistedCversion());
    }

    @Test
    void sequentialSuffixIsNotReusedAndDeletesDoNotAdvanceIt() {
        // ZooKeeper 3.9 persists cversion as the count of creates; deletes leave it alone.
        run(persistent("/q"));
        String first = created(run(create("/q/n-", CreateMode.PERSISTENT_SEQUENTIAL))).path();
        Prepared del = prepare(new Op.Delete(first, -1));
        assertAccepted(del);
        assertEquals("/q/n-0000000001", created(prepare(create("/q/n-", CreateMode.PERSISTENT_SEQUENTIAL))).path());
    }

    @Test
    void sequentialNameCollidingWithExistingNodeIsNodeExists() {
        run(persistent("/q"));
        run(persistent("/q/n-0000000001"));
        assertRefused(run(create("/q/n-", CreateMode.PERSISTENT_SEQUENTIAL)), ErrorCode.NODE_EXISTS);
    }

    // ---- delete ---------------------------------------------------------------------------------

    @Test
    void deleteWithWrongVersionIsBadVersion() {
        run(persistent("/a"));
        assertRefused(run(new Op.Delete("/a", 3)), ErrorCode.BAD_VERSION);
        assertAccepted(run(new Op.Delete("/a", 0)));
    }

    @Test
    void deleteOfNodeWithChildrenIsNotEmpty() {
        run(persistent("/a"));
        run(persistent("/a/b"));
        assertRefused(run(new Op.Delete("/a", -1)), ErrorCode.NOT_EMPTY);
    }

    @Test
    void deleteNeedsDeletePermissionOnTheParentBeforeNodeIsLookedUp() {
        run(withAcl("/p", List.of(new Acl(Perms.ALL & ~Perms.DELETE, Id.ANYONE))));
        run(persistent("/p/c"));
        assertRefused(run(new Op.Delete("/p/c", -1)), ErrorCode.NO_AUTH);
        // As in ZooKeeper, the parent's ACL is checked before the node's existence.
        assertRefused(run(new Op.Delete("/p/missing", -1)), ErrorCode.NO_AUTH);
    }

    @Test
    void deleteOfMissingNodeIsNoNode() {
        assertEquals("/nope", assertRefused(run(new Op.Delete("/nope", -1)), ErrorCode.NO_NODE).path());
        assertEquals("/nope", assertRefused(run(new Op.Delete("/nope/x", -1)), ErrorCode.NO_NODE).path());
    }

    @Test
    void systemNodesCannotBeDeleted() {
        for (String p : List.of("/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config")) {
            assertRefused(run(new Op.Delete(p, -1)), ErrorCode.BAD_ARGUMENTS);
            assertRefused(run(new Op.DeleteAll(p)), ErrorCode.BAD_ARGUMENTS);
        }
    }

    // ---- outstanding changes ------------------------------------------------------------------

    @Test
    void outstandingCreateIsVisibleToLaterRequests() {
        assertAccepted(prepare(persistent("/a")));
        assertAccepted(prepare(persistent("/a/b")));
        assertRefused(prepare(persistent("/a")), ErrorCode.NODE_EXISTS);
        assertRefused(prepare(new Op.Delete("/a", -1)), ErrorCode.NOT_EMPTY);
        assertAccepted(prepare(new Op.Delete("/a/b", 0)));
        assertAccepted(prepare(new Op.Delete("/a", 0)));
        assertRefused(prepare(new Op.SetData("/a", NONE, -1)), ErrorCode.NO_NODE);
    }

    @Test
    void outstandingSetDataVersionsChain() {
        run(persistent("/a"));
        Prepared first = prepare(new Op.SetData("/a", NONE, 0));
        assertEquals(1, assertInstanceOf(Txn.SetData.class, first.record().txn()).version());
        assertRefused(prepare(new Op.SetData("/a", NONE, 0)), ErrorCode.BAD_VERSION);
        Prepared second = prepare(new Op.SetData("/a", NONE, 1));
        assertEquals(2, assertInstanceOf(Txn.SetData.class, second.record().txn()).version());
        assertRefused(prepare(new Op.Check("/a", 1)), ErrorCode.BAD_VERSION);
        assertAccepted(prepare(new Op.Check("/a", 2)));
    }

    @Test
    void outstandingSetAclRevokesBeforeItIsApplied() {
        run(persistent("/a"));
        assertAccepted(prepare(new Op.SetAcl("/a", Acl.READ_ACL_UNSAFE, 0)));
        assertRefused(prepare(new Op.SetData("/a", NONE, -1)), ErrorCode.NO_AUTH);
        assertRefused(prepare(new Op.SetAcl("/a", Acl.OPEN_ACL_UNSAFE, -1)), ErrorCode.NO_AUTH);
    }

    @Test
    void appliedDropsOutstandingChanges() {
        List<Prepared> batch = new ArrayList<>();
        batch.add(prepare(persistent("/a")));
        batch.add(prepare(persistent("/a/b")));
        batch.add(prepare(new Op.SetData("/a/b", NONE, -1)));
        assertTrue(prep.outstandingChanges() > 0);
        apply(batch.get(0));
        apply(batch.get(1));
        assertTrue(prep.outstandingChanges() > 0);
        apply(batch.get(2));
        assertEquals(0, prep.outstandingChanges());
        assertEquals(1, tree.node("/a/b").version());
        // With nothing outstanding, prep reads the tree again.
        assertEquals(2, assertInstanceOf(Txn.SetData.class, run(new Op.SetData("/a/b", NONE, 1)).record().txn()).version());
    }

    @Test
    void createUnderHugeParentAddsTwoSnapshotsNotACopyOfItsChildren() {
        run(persistent("/big"));
        for (int i = 0; i < 100_000; i++) {
            run(persistent("/big/n" + i));
        }
        assertEquals(0, prep.outstandingChanges());
        for (int i = 0; i < 1_000; i++) {
            created(prepare(create("/big/s-", CreateMode.PERSISTENT_SEQUENTIAL)));
        }
        // One snapshot for the parent and one for the child per create; the parent's newest replaces
        // the older ones in the per-path view, none holds a child set.
        assertEquals(2_000, prep.outstandingChanges());
        assertEquals("/big/s-0000101000", created(prepare(create("/big/s-", CreateMode.PERSISTENT_SEQUENTIAL))).path());
    }

    // ---- deleteAll ----------------------------------------------------------------------------

    @Test
    void deleteAllDeletesTheSubtreeSeenByPrepChildrenFirst() {
        run(persistent("/a"));
        run(persistent("/a/b"));
        run(persistent("/a/b/c"));
        run(persistent("/a/z"));
        assertAccepted(prepare(persistent("/a/b/d")));
        assertAccepted(prepare(new Op.Delete("/a/z", -1)));
        Prepared all = prepare(new Op.DeleteAll("/a"));
        assertAccepted(all);
        Txn.Multi m = assertInstanceOf(Txn.Multi.class, all.record().txn());
        assertEquals(List.of(new Txn.Delete("/a/b/c"), new Txn.Delete("/a/b/d"), new Txn.Delete("/a/b"),
                new Txn.Delete("/a")), m.txns());
        assertRefused(prepare(new Op.SetData("/a/b", NONE, -1)), ErrorCode.NO_NODE);
        assertAccepted(prepare(persistent("/a")));
    }

    @Test
    void deleteAllOfMissingNodeIsNoNode() {
        assertRefused(run(new Op.DeleteAll("/nope")), ErrorCode.NO_NODE);
    }

    @Test
    void deleteAllNeedsDeletePermissionOnEveryParent() {
        run(persistent("/a"));
        run(withAcl("/a/b", List.of(new Acl(Perms.ALL & ~Perms.DELETE, Id.ANYONE))));
        run(persistent("/a/b/c"));
        OpResult.Error e = assertRefused(run(new Op.DeleteAll("/a")), ErrorCode.NO_AUTH);
        assertEquals("/a/b/c", e.path());
        assertRefused(run(new Op.DeleteAll("/a/b/c")), ErrorCode.NO_AUTH);
        assertAccepted(run(0, List.of(new Id("digest", SUPER_DIGEST)), new Op.DeleteAll("/a")));
        assertNull(tree.node("/a"));
        assertNull(tree.node("/a/b/c"));
    }

    // ---- setData, setAcl, check ---------------------------------------------------------------

    @Test
    void setDataNeedsWritePermissionAndFittingData() {
        run(withAcl("/a", List.of(new Acl(Perms.ALL & ~Perms.WRITE, Id.ANYONE))));
        assertRefused(run(new Op.SetData("/a", NONE, -1)), ErrorCode.NO_AUTH);
        run(persistent("/b"));
        assertTrue(assertRefused(run(new Op.SetData("/b", new byte[MAX_DATA + 1], -1)), ErrorCode.BAD_ARGUMENTS)
                .message().contains("exceeds maxDataBytes"));
        assertRefused(run(new Op.SetData("/c", NONE, -1)), ErrorCode.NO_NODE);
        assertRefused(run(new Op.SetData("/b", NONE, 5)), ErrorCode.BAD_VERSION);
        byte[] data = "x".getBytes(StandardCharsets.UTF_8);
        Txn.SetData s = assertInstanceOf(Txn.SetData.class, run(new Op.SetData("/b", data, 0)).record().txn());
        assertEquals(1, s.version());
        assertEquals(1, tree.node("/b").version());
    }

    @Test
    void setAclNeedsAdminAndChecksTheAversion() {
        run(withAcl("/a", List.of(new Acl(Perms.ALL & ~Perms.ADMIN, Id.ANYONE))));
        assertRefused(run(new Op.SetAcl("/a", Acl.OPEN_ACL_UNSAFE, -1)), ErrorCode.NO_AUTH);
        run(persistent("/b"));
        assertRefused(run(new Op.SetAcl("/b", Acl.OPEN_ACL_UNSAFE, 1)), ErrorCode.BAD_VERSION);
        Txn.SetAcl s = assertInstanceOf(Txn.SetAcl.class, run(new Op.SetAcl("/b", ALICE_ALL, 0)).record().txn());
        assertEquals(1, s.version());
        assertEquals(ALICE_ALL, tree.node("/b").acl());
        assertEquals(1, tree.node("/b").aversion());
    }

    @Test
    void setAclFixesTheAclUpBeforeLookingForTheNode() {
        assertRefused(run(new Op.SetAcl("/missing", List.of(), -1)), ErrorCode.INVALID_ACL);
        assertRefused(run(new Op.SetAcl("/missing", Acl.OPEN_ACL_UNSAFE, -1)), ErrorCode.NO_NODE);
    }

    @Test
    void checkNeedsReadPermissionAndTheVersion() {
        run(withAcl("/a", List.of(new Acl(Perms.ALL & ~Perms.READ, Id.ANYONE))));
        assertRefused(run(new Op.Check("/a", -1)), ErrorCode.NO_AUTH);
        run(persistent("/b"));
        assertRefused(run(new Op.Check("/b", 4)), ErrorCode.BAD_VERSION);
        assertRefused(run(new Op.Check("/c", -1)), ErrorCode.NO_NODE);
        assertEquals(new Txn.Check("/b", 0), run(new Op.Check("/b", 0)).record().txn());
    }

    // ---- multi --------------------------------------------------------------------------------

    @Test
    void failedMultiHasZooKeepersSubCodesAndNamesTheFailingOp() {
        run(persistent("/a"));
        Prepared p = run(new Op.Multi(List.of(persistent("/b"), new Op.SetData("/a", NONE, 9), new Op.Delete("/a", -1))));
        assertEquals(ErrorCode.BAD_VERSION, p.error().code());
        assertEquals("/a", p.error().path());
        assertEquals(new Txn.Multi(List.of(new Txn.Error(ErrorCode.OK), new Txn.Error(ErrorCode.BAD_VERSION),
                new Txn.Error(ErrorCode.RUNTIME_INCONSISTENCY))), p.record().txn());
        assertNull(tree.node("/b"));
        Prepared q = run(new Op.Multi(List.of(persistent("/x/y"))));
        assertEquals("/x/y", q.error().path());
        assertEquals(ErrorCode.NO_NODE, q.error().code());
    }

    @Test
    void failedMultiLeavesNoOutstandingChanges() {
        run(persistent("/q"));
        Prepared p = prepare(new Op.Multi(List.of(create("/q/n-", CreateMode.PERSISTENT_SEQUENTIAL),
                persistent("/m"), new Op.Check("/nope", -1))));
        assertEquals(ErrorCode.NO_NODE, p.error().code());
        assertEquals(0, prep.outstandingChanges());
        assertAccepted(prepare(persistent("/m")));
        assertEquals("/q/n-0000000000", created(prepare(create("/q/n-", CreateMode.PERSISTENT_SEQUENTIAL))).path());
    }

    @Test
    void multiEffectsAreVisibleToItsLaterOpsAndToLaterRequests() {
        Prepared p = prepare(new Op.Multi(List.of(persistent("/a"), persistent("/a/b"),
                new Op.SetData("/a/b", NONE, 0), new Op.Check("/a/b", 1), create("/a/s-", CreateMode.PERSISTENT_SEQUENTIAL),
                create("/a/s-", CreateMode.PERSISTENT_SEQUENTIAL), new Op.Delete("/a/b", 1))));
        assertAccepted(p);
        Txn.Multi m = assertInstanceOf(Txn.Multi.class, p.record().txn());
        // /a/b was the first child created under /a, so the suffixes start at 1.
        assertEquals("/a/s-0000000001", assertInstanceOf(Txn.Create.class, m.txns().get(4)).path());
        assertEquals("/a/s-0000000002", assertInstanceOf(Txn.Create.class, m.txns().get(5)).path());
        assertRefused(prepare(new Op.Delete("/a", -1)), ErrorCode.NOT_EMPTY);
        assertRefused(prepare(new Op.Check("/a/b", -1)), ErrorCode.NO_NODE);
        assertEquals("/a/s-0000000003", created(prepare(create("/a/s-", CreateMode.PERSISTENT_SEQUENTIAL))).path());
    }

    @Test
    void multiRefusesOpsOtherThanCreateDeleteSetDataCheck() {
        run(persistent("/a"));
        for (Op bad : List.<Op>of(new Op.SetAcl("/a", Acl.OPEN_ACL_UNSAFE, -1), new Op.DeleteAll("/a"),
                new Op.Reap("/a"), new Op.Multi(List.of()))) {
            Prepared p = run(new Op.Multi(List.of(new Op.Check("/a", -1), bad)));
            assertEquals(ErrorCode.BAD_ARGUMENTS, p.error().code(), bad.toString());
            assertEquals(new Txn.Multi(List.of(new Txn.Error(ErrorCode.OK), new Txn.Error(ErrorCode.BAD_ARGUMENTS))),
                    p.record().txn());
        }
    }

    @Test
    void emptyMultiSucceeds() {
        Prepared p = run(new Op.Multi(List.of()));
        assertAccepted(p);
        assertEquals(new Txn.Multi(List.of()), p.record().txn());
    }

    // ---- reap ---------------------------------------------------------------------------------

    @Test
    void reapDeletesAnEmptyContainerThatHadChildren() {
        run(create("/c", CreateMode.CONTAINER));
        assertNull(run(new Op.Reap("/c")).record(), "a never-used container stays");
        run(persistent("/c/x"));
        assertNull(run(new Op.Reap("/c")).record(), "a container with children stays");
        assertAccepted(prepare(new Op.Delete("/c/x", -1)));
        Prepared p = prepare(new Op.Reap("/c"));
        assertEquals(new Txn.Delete("/c"), p.record().txn());
        assertNull(prepare(new Op.Reap("/c")).record(), "already reaped, though not applied yet");
    }

    @Test
    void reapSeesOutstandingChildren() {
        run(create("/c", CreateMode.CONTAINER));
        run(persistent("/c/x"));
        run(new Op.Delete("/c/x", -1));
        assertAccepted(prepare(persistent("/c/y")));
        assertNull(prepare(new Op.Reap("/c")).record());
    }

    @Test
    void reapDeletesATtlNodeOnlyOnceMtimePlusTtlHasPassed() {
        run(new Op.Create("/t", NONE, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 100));
        timeMs += 100;
        assertNull(run(new Op.Reap("/t")).record(), "not before mtime + ttl");
        timeMs += 1;
        assertAccepted(prepare(new Op.SetData("/t", NONE, -1)));
        assertNull(prepare(new Op.Reap("/t")).record(), "an outstanding setData moved mtime");
        timeMs += 101;
        assertEquals(new Txn.Delete("/t"), prepare(new Op.Reap("/t")).record().txn());
    }

    @Test
    void reapLeavesOtherNodesAlone() {
        run(persistent("/p"));
        timeMs += 1_000_000;
        assertNull(run(new Op.Reap("/p")).record());
        assertNull(run(new Op.Reap("/missing")).record());
        assertNull(run(new Op.Reap("/zookeeper")).record());
        assertNull(run(new Op.Reap("bad")).record());
        assertEquals(0, prep.outstandingChanges());
    }

    // ---- sessions -----------------------------------------------------------------------------

    @Test
    void ephemeralCreateAfterPreparedCloseIsSessionExpired() {
        session(5);
        assertAccepted(prep.prepareCloseSession(++zxid, 5, timeMs));
        assertRefused(prepare(5, List.of(), create("/e", CreateMode.EPHEMERAL)), ErrorCode.SESSION_EXPIRED);
        assertRefused(prepare(5, List.of(), persistent("/p")), ErrorCode.SESSION_EXPIRED);
    }

    @Test
    void ephemeralCreateForPreparedSessionSucceeds() {
        assertAccepted(prep.prepareCreateSession(++zxid, 6, timeMs, 10_000));
        Prepared p = prepare(6, List.of(), create("/e", CreateMode.EPHEMERAL));
        assertAccepted(p);
        assertEquals(6, p.record().sessionId());
    }

    @Test
    void sessionZeroCannotBeCreated() {
        Prepared p = prep.prepareCreateSession(++zxid, 0, timeMs, 10_000);
        assertRefused(p, ErrorCode.BAD_ARGUMENTS);
    }

    @Test
    void closeSessionDeletesAppliedAndOutstandingEphemerals() {
        session(5);
        run(persistent("/p"));
        run(5, List.of(), create("/p/applied", CreateMode.EPHEMERAL));
        List<Prepared> batch = new ArrayList<>();
        batch.add(prepare(5, List.of(), create("/p/pending", CreateMode.EPHEMERAL)));
        batch.add(prep.prepareCloseSession(++zxid, 5, timeMs));
        batch.forEach(TxnPrepTest::assertAccepted);
        batch.add(prepare(persistent("/p/applied")));
        assertAccepted(batch.get(2));
        assertRefused(prepare(new Op.Delete("/p/pending", -1)), ErrorCode.NO_NODE);
        batch.forEach(this::apply);
        assertEquals(CreateMode.PERSISTENT, tree.node("/p/applied").mode());
        assertNull(tree.node("/p/pending"));
        assertFalse(tree.sessions().containsKey(5L));
    }

    // ---- the invariant ------------------------------------------------------------------------

    @Test
    void preparingInBatchesEqualsPreparingEachAfterThePreviousApplied() {
        // Kinds of request the workload must produce more than a few times, so that the comparison
        // covers them: reaps, deleteAlls, sequential and ephemeral creates, closes, failed multis.
        Map<String, Integer> coverage = new TreeMap<>();
        for (long seed = 1; seed <= 40; seed++) {
            List<Step> steps = workload(new Random(seed), 400);
            World batched = new World();
            World single = new World();
            Random interleave = new Random(seed * 7919);
            ArrayDeque<Prepared> unapplied = new ArrayDeque<>();
            List<String> batchedTrace = new ArrayList<>();
            int next = 0;
            while (next < steps.size() || !unapplied.isEmpty()) {
                // Mostly prepare, so that dozens of records are often outstanding at once.
                if (next < steps.size() && (unapplied.isEmpty() || interleave.nextInt(5) > 0)) {
                    Prepared p = batched.prepare(steps.get(next++));
                    batchedTrace.add(render(p));
                    if (p.record() != null) {
                        unapplied.add(p);
                    }
                } else {
                    for (int k = 1 + interleave.nextInt(8); k > 0 && !unapplied.isEmpty(); k--) {
                        batched.apply(unapplied.poll());
                    }
                }
            }
            List<String> singleTrace = new ArrayList<>();
            for (Step s : steps) {
                Prepared p = single.prepare(s);
                singleTrace.add(render(p));
                if (p.record() != null) {
                    single.apply(p);
                }
                if (p.record() != null && p.error() == null) {
                    String kind = s.kind() == 1 ? "createSession" : s.kind() == 2 ? "closeSession"
                            : s.op().getClass().getSimpleName();
                    if (s.op() instanceof Op.Create c) {
                        kind += c.mode().isSequential() ? "-sequential" : "";
                        kind += c.mode().isEphemeral() ? "-ephemeral" : "";
                    }
                    coverage.merge(kind, 1, Integer::sum);
                } else if (p.error() != null && s.op() instanceof Op.Multi) {
                    coverage.merge("Multi-refused", 1, Integer::sum);
                }
            }
            assertEquals(singleTrace, batchedTrace, "seed " + seed);
            assertEquals(single.tree.digest(), batched.tree.digest(), "seed " + seed);
            assertEquals(0, batched.prep.outstandingChanges(), "seed " + seed);
            assertTrue(singleTrace.stream().filter(t -> t.endsWith("error=none")).count() > 80,
                    "too few accepted writes to mean something (seed " + seed + ")");
        }
        for (String kind : List.of("Reap", "DeleteAll", "Multi", "Multi-refused", "Create-sequential",
                "Create-ephemeral", "Create-sequential-ephemeral", "closeSession", "SetAcl", "Delete", "SetData")) {
            assertTrue(coverage.getOrDefault(kind, 0) > 5, "workload covers " + kind + ": " + coverage);
        }
    }

    /** One request of the random workload: a write, or a session opening or closing. */
    private record Step(int kind, long sessionId, List<Id> ids, long timeMs, Op op) {
    }

    /** A tree with its prep and a zxid counter, driven by steps. */
    private static final class World {
        final DataTree tree = new DataTree();
        final TxnPrep prep = new TxnPrep(tree, MAX_DATA, SUPER_DIGEST);
        long zxid;

        Prepared prepare(Step s) {
            Prepared p = switch (s.kind()) {
                case 1 -> prep.prepareCreateSession(zxid + 1, s.sessionId(), s.timeMs(), 5_000);
                case 2 -> prep.prepareCloseSession(zxid + 1, s.sessionId(), s.timeMs());
                default -> prep.prepare(zxid + 1, s.sessionId(), 1, s.timeMs(), s.ids(), s.op());
            };
            if (p.record() != null) {
                zxid = p.record().zxid();
            }
            return p;
        }

        void apply(Prepared p) {
            ApplyResult r = tree.apply(p.record());
            prep.applied(p.record().zxid());
            if (p.error() == null) {
                assertFalse(r.result() instanceof OpResult.Error, () -> "accepted but failed to apply: " + render(p)
                        + " -> " + r.result());
                if (r.result() instanceof OpResult.Multi m) {
                    assertNull(m.firstError(), () -> "accepted multi failed to apply: " + render(p));
                }
            }
        }
    }

    private static final String[] PATHS = {"/a", "/a/b", "/a/b/c", "/a/d", "/b", "/b/e", "/c", "/c/f", "/zookeeper/z"};
    private static final String[] SEQ_BASES = {"/a/s-", "/b/", "/c/q-", "/a/b/"};
    private static final List<List<Acl>> ACLS = List.of(Acl.OPEN_ACL_UNSAFE, Acl.OPEN_ACL_UNSAFE, Acl.OPEN_ACL_UNSAFE,
            Acl.OPEN_ACL_UNSAFE, Acl.READ_ACL_UNSAFE,
            ALICE_ALL, List.of(new Acl(Perms.ALL, new Id("auth", ""))),
            List.of(new Acl(Perms.CREATE | Perms.READ | Perms.DELETE, Id.ANYONE)));
    private static final List<List<Id>> IDS = List.of(List.of(), List.of(), List.of(ALICE), List.of(BOB),
            List.of(new Id("digest", SUPER_DIGEST)));

    private static List<Step> workload(Random rnd, int n) {
        List<Step> steps = new ArrayList<>(n);
        long time = 1_000;
        for (int i = 0; i < n; i++) {
            time += rnd.nextInt(40);
            long sid = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(3); // 0 is sessionless
            List<Id> ids = IDS.get(rnd.nextInt(IDS.size()));
            int r = rnd.nextInt(100);
            if (r < 8 && sid != 0) {
                steps.add(new Step(1, sid, ids, time, null));
            } else if (r < 10 && sid != 0) {
                steps.add(new Step(2, sid, ids, time, null));
            } else {
                steps.add(new Step(0, sid, ids, time, randomOp(rnd, true)));
            }
        }
        return steps;
    }

    private static Op randomOp(Random rnd, boolean topLevel) {
        String path = PATHS[rnd.nextInt(PATHS.length)];
        int version = rnd.nextInt(4) == 0 ? rnd.nextInt(3) : -1;
        byte[] data = rnd.nextInt(20) == 0 ? new byte[MAX_DATA + 1] : new byte[] {(byte) rnd.nextInt(256)};
        int r = rnd.nextInt(topLevel ? 100 : 67);
        if (r < 40) {
            CreateMode mode = CreateMode.values()[rnd.nextInt(CreateMode.values().length)];
            String p = mode.isSequential() ? SEQ_BASES[rnd.nextInt(SEQ_BASES.length)] : path;
            long ttl = mode.isTtl() ? 1 + rnd.nextInt(60) : 0;
            return new Op.Create(p, data, ACLS.get(rnd.nextInt(ACLS.size())), mode, ttl);
        } else if (r < 52) {
            return new Op.Delete(path, version);
        } else if (r < 62) {
            return new Op.SetData(path, data, version);
        } else if (r < 67) {
            return new Op.Check(path, version);
        } else if (r < 77) {
            List<Op> ops = new ArrayList<>();
            for (int k = rnd.nextInt(5); k > 0; k--) {
                ops.add(randomOp(rnd, false));
            }
            return new Op.Multi(ops);
        } else if (r < 85) {
            return new Op.SetAcl(path, ACLS.get(rnd.nextInt(ACLS.size())), version);
        } else if (r < 90) {
            return new Op.DeleteAll(PATHS[rnd.nextInt(4)]);
        }
        return new Op.Reap(path);
    }

    private static String render(Prepared p) {
        return render(p.record()) + " error=" + (p.error() == null ? "none" : p.error().code() + "@" + p.error().path());
    }

    private static String render(TxnRecord r) {
        if (r == null) {
            return "null";
        }
        return r.zxid() + "/" + r.sessionId() + "/" + r.cxid() + "/" + r.timeMs() + " " + render(r.txn());
    }

    private static String render(Txn t) {
        if (t instanceof Txn.Create c) {
            return "Create(" + c.path() + "," + Arrays.toString(c.data()) + "," + c.acl() + "," + c.mode() + ","
                    + c.ttlMs() + "," + c.parentCversion() + ")";
        } else if (t instanceof Txn.SetData s) {
            return "SetData(" + s.path() + "," + Arrays.toString(s.data()) + "," + s.version() + ")";
        } else if (t instanceof Txn.Multi m) {
            List<String> parts = new ArrayList<>();
            m.txns().forEach(x -> parts.add(render(x)));
            return "Multi" + parts;
        }
        return t.toString();
    }
}
