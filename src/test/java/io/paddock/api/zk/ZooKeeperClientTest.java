package io.paddock.api.zk;

import static io.paddock.api.zk.ZkAssertions.OPEN;
import static io.paddock.api.zk.ZkAssertions.assertCode;
import static io.paddock.api.zk.ZkAssertions.assertFreshStat;
import static io.paddock.api.zk.ZkAssertions.assertSameStat;
import static io.paddock.api.zk.ZkAssertions.awaitGone;
import static io.paddock.api.zk.ZkAssertions.bytes;
import static io.paddock.api.zk.ZkAssertions.connect;
import static io.paddock.api.zk.ZkAssertions.text;
import static io.paddock.api.zk.ZkAssertions.withClient;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.Create2Response;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.CreateTTLRequest;
import org.apache.zookeeper.proto.DeleteRequest;
import org.apache.zookeeper.proto.ExistsRequest;
import org.apache.zookeeper.proto.ExistsResponse;
import org.apache.zookeeper.proto.GetACLRequest;
import org.apache.zookeeper.proto.GetACLResponse;
import org.apache.zookeeper.proto.GetChildrenRequest;
import org.apache.zookeeper.proto.GetChildrenResponse;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetDataResponse;
import org.apache.zookeeper.proto.SetACLRequest;
import org.apache.zookeeper.proto.SetACLResponse;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.proto.SetDataResponse;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ZooKeeper Java client's node operations (create in every mode, create2, delete, exists,
 * getData, setData, getChildren, getAllChildrenNumber, getEphemerals, sync) and the errors a
 * client meets, run unchanged against Paddock and against Apache ZooKeeper: both must give the
 * same observable results. Stat times and zxids are compared only through their relations
 * (a new node's czxid = mzxid = pzxid, a write raises mzxid), never across servers.
 * ACLs and auth are in {@link ZooKeeperClientAclTest}, multi in {@link ZooKeeperClientMultiTest},
 * watches in {@link ZooKeeperClientWatchesTest}, sessions in {@link ZooKeeperClientSessionTest}.
 */
class ZooKeeperClientTest {

    @RegisterExtension
    static final SharedTargets TARGETS = new SharedTargets();

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void createReturnsThePathAndFillsAFreshStat(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            Stat created = new Stat();
            assertEquals(root, zk.create(root, bytes("abc"), OPEN, CreateMode.PERSISTENT, created));
            assertFreshStat(created, 3, 0);
            assertTrue(created.getCzxid() > 0, "czxid " + created.getCzxid());
            assertSameStat(created, zk.exists(root, false));
            Stat read = new Stat();
            assertEquals("abc", text(zk.getData(root, false, read)));
            assertSameStat(created, read);
            // Plain create (opcode 1, no Stat in the reply) names the node the same way.
            assertEquals(root + "/plain", zk.create(root + "/plain", null, OPEN, CreateMode.PERSISTENT));
            Stat plain = zk.exists(root + "/plain", false);
            assertFreshStat(plain, 0, 0);
            assertTrue(plain.getCzxid() > created.getCzxid(), "zxids grow");
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void createOfAChildUpdatesTheParentsChildStat(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            Stat parentBefore = new Stat();
            zk.create(root, null, OPEN, CreateMode.PERSISTENT, parentBefore);
            Stat child = new Stat();
            zk.create(root + "/a", null, OPEN, CreateMode.PERSISTENT, child);
            Stat parent = zk.exists(root, false);
            assertEquals(1, parent.getCversion());
            assertEquals(1, parent.getNumChildren());
            assertEquals(child.getCzxid(), parent.getPzxid(), "pzxid is the last child change");
            assertEquals(parentBefore.getMzxid(), parent.getMzxid(), "a child is not a data change");
            assertEquals(0, parent.getVersion());
            zk.delete(root + "/a", -1);
            Stat afterDelete = zk.exists(root, false);
            assertEquals(2, afterDelete.getCversion());
            assertEquals(0, afterDelete.getNumChildren());
            assertTrue(afterDelete.getPzxid() > child.getCzxid(), "a delete moves pzxid too");
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void sequentialSuffixCountsTheParentsCreatesNotItsDeletes(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            zk.create(root + "/a", null, OPEN, CreateMode.PERSISTENT);
            zk.delete(root + "/a", -1);
            // ZooKeeper keeps a count of creates under the parent and suffixes with it; the
            // cversion a client sees counts creates and deletes (2 here), the suffix does not.
            assertEquals(2, zk.exists(root, false).getCversion());
            assertEquals(root + "/s-0000000001", zk.create(root + "/s-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
            assertEquals(3, zk.exists(root, false).getCversion());
            assertEquals(root + "/s-0000000002", zk.create(root + "/s-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
            // A name may be the counter alone.
            assertEquals(root + "/0000000003", zk.create(root + "/", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
            Stat s = new Stat();
            String eph = zk.create(root + "/e-", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL, s);
            assertEquals(root + "/e-0000000004", eph);
            assertEquals(zk.getSessionId(), s.getEphemeralOwner());
            zk.delete(root + "/s-0000000001", -1);
            zk.delete(root + "/s-0000000002", -1);
            assertEquals(root + "/s-0000000005", zk.create(root + "/s-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
            assertEquals(Set.of("s-0000000005", "0000000003", "e-0000000004"), Set.copyOf(zk.getChildren(root, false)));
            assertEquals(9, zk.exists(root, false).getCversion(), "6 creates and 3 deletes");
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void ephemeralNodeBelongsToItsSessionAndGoesWithIt(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        try (ZooKeeper other = connect(TARGETS, kind)) {
            other.create(root, null, OPEN, CreateMode.PERSISTENT);
            ZooKeeper owner = connect(TARGETS, kind);
            Stat s = new Stat();
            owner.create(root + "/e", bytes("x"), OPEN, CreateMode.EPHEMERAL, s);
            assertFreshStat(s, 1, owner.getSessionId());
            assertEquals(owner.getSessionId(), other.exists(root + "/e", false).getEphemeralOwner());
            assertEquals(List.of(root + "/e"), owner.getEphemerals(root));
            assertEquals(List.of(), other.getEphemerals(root));
            owner.close();
            // close() returns once the server has closed the session: its ephemerals are gone.
            assertNull(other.exists(root + "/e", false));
            assertEquals(List.of(), other.getChildren(root, false));
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void ephemeralNodesCannotHaveChildren(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            zk.create(root + "/e", null, OPEN, CreateMode.EPHEMERAL);
            assertCode(Code.NOCHILDRENFOREPHEMERALS,
                    () -> zk.create(root + "/e/c", null, OPEN, CreateMode.PERSISTENT));
            assertCode(Code.NOCHILDRENFOREPHEMERALS,
                    () -> zk.create(root + "/e/c", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL));
            assertEquals(0, zk.exists(root + "/e", false).getCversion());
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void containerIsRemovedOnceItsLastChildIsGone(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            Stat s = new Stat();
            zk.create(root, null, OPEN, CreateMode.CONTAINER, s);
            // ZooKeeper marks a container inside with a special ephemeralOwner, but shows clients 0.
            assertFreshStat(s, 0, 0);
            assertFreshStat(zk.exists(root, false), 0, 0);
            zk.create(root + "/child", null, OPEN, CreateMode.PERSISTENT);
            zk.delete(root + "/child", -1);
            awaitGone(zk, root);
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void containerThatNeverHadChildrenStays(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            zk.create(root, null, OPEN, CreateMode.CONTAINER);
            // Absence check: a few container-check intervals pass without removing it.
            Thread.sleep(3 * ZkTarget.CONTAINER_CHECK_MS);
            assertNotNull(zk.exists(root, false));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void ttlNodeIsRemovedOnceUnchangedForItsTtl(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            Stat s = new Stat();
            zk.create(root, bytes("t"), OPEN, CreateMode.PERSISTENT_WITH_TTL, s, 200);
            // ZooKeeper keeps the ttl in the ephemeralOwner field inside, but shows clients 0.
            assertFreshStat(s, 1, 0);
            assertFreshStat(zk.exists(root, false), 1, 0);
            String seq = zk.create(root + "-s-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, s, 200);
            assertTrue(seq.matches("\\Q" + root + "\\E-s-\\d{10}"), seq);
            awaitGone(zk, root);
            awaitGone(zk, seq);
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void ttlNodeWithAChildStays(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 100);
            zk.create(root + "/c", null, OPEN, CreateMode.PERSISTENT);
            Thread.sleep(3 * ZkTarget.CONTAINER_CHECK_MS); // absence check: the TTL passes, the node stays
            assertNotNull(zk.exists(root, false));
            zk.delete(root + "/c", -1);
            awaitGone(zk, root);
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void ttlOutOfRangeOrWithoutATtlModeIsBadArguments(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        // The Java client refuses these itself, so they go raw: other clients do send them.
        try (RawZooKeeper zk = raw(kind)) {
            int ttlMode = CreateMode.PERSISTENT_WITH_TTL.toFlag();
            for (long ttl : new long[] {0, -5, 0x10000000000L}) {
                assertEquals(Code.BADARGUMENTS.intValue(), zk.submit(OpCode.createTTL,
                        new CreateTTLRequest(root, new byte[0], OPEN, ttlMode, ttl), new Create2Response()), "ttl " + ttl);
            }
            // createTTL with a mode that has no TTL, and a TTL mode sent without a TTL.
            assertEquals(Code.BADARGUMENTS.intValue(), zk.submit(OpCode.createTTL,
                    new CreateTTLRequest(root, new byte[0], OPEN, CreateMode.PERSISTENT.toFlag(), 100),
                    new Create2Response()));
            assertEquals(Code.BADARGUMENTS.intValue(), zk.submit(OpCode.create,
                    new CreateRequest(root, new byte[0], OPEN, ttlMode), new CreateResponse()));
            // A flag that names no mode.
            assertEquals(Code.BADARGUMENTS.intValue(), zk.submit(OpCode.create,
                    new CreateRequest(root, new byte[0], OPEN, 42), new CreateResponse()));
            assertNull(zk.exists(root, false));
            // The largest TTL (40 bits) is accepted.
            assertEquals(Code.OK.intValue(), zk.submit(OpCode.createTTL,
                    new CreateTTLRequest(root, new byte[0], OPEN, ttlMode, 0xFFFFFFFFFFL), new Create2Response()));
            assertNotNull(zk.exists(root, false));
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void createErrors(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            assertCode(Code.NONODE, () -> zk.create(root + "/a", null, OPEN, CreateMode.PERSISTENT));
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            assertCode(Code.NODEEXISTS, () -> zk.create(root, null, OPEN, CreateMode.PERSISTENT));
            assertCode(Code.NODEEXISTS, () -> zk.create(root, null, OPEN, CreateMode.EPHEMERAL));
            assertCode(Code.NODEEXISTS, () -> zk.create("/", null, OPEN, CreateMode.PERSISTENT));
            assertCode(Code.NODEEXISTS, () -> zk.create("/zookeeper", null, OPEN, CreateMode.PERSISTENT));
            assertCode(Code.INVALIDACL, () -> zk.create(root + "/a", null, List.of(), CreateMode.PERSISTENT));
            // A failed create leaves the parent's counter alone.
            assertEquals(0, zk.exists(root, false).getCversion());
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void malformedPathsInWritesAreBadArguments(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        try (RawZooKeeper zk = raw(kind)) {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            zk.create(root + "/a", null, OPEN, CreateMode.PERSISTENT);
            int bad = Code.BADARGUMENTS.intValue();
            for (String path : List.of("nope", root + "/", root + "/a\u0000b")) {
                assertEquals(bad, zk.submit(OpCode.create,
                        new CreateRequest(path, new byte[0], OPEN, 0), new CreateResponse()), "create " + path);
                assertEquals(bad, zk.submit(OpCode.create2,
                        new CreateRequest(path, new byte[0], OPEN, 0), new Create2Response()), "create2 " + path);
            }
            for (String path : List.of("nope", root + "/", root + "/a\u0000b", root + "//a", root + "/./a",
                    root + "/../a")) {
                assertEquals(bad, zk.submit(OpCode.setData,
                        new SetDataRequest(path, new byte[0], -1), new SetDataResponse()), "setData " + path);
                assertEquals(bad, zk.submit(OpCode.setACL,
                        new SetACLRequest(path, OPEN, -1), new SetACLResponse()), "setACL " + path);
            }
            for (String path : List.of("nope", root + "/a\u0000b")) {
                assertEquals(bad, zk.submit(OpCode.delete, new DeleteRequest(path, -1), null), "delete " + path);
            }
            assertEquals(List.of("a"), zk.getChildren(root, false));
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void readsOfMalformedPathsFindNoNode(ZkTarget.Kind kind) throws Exception {
        try (RawZooKeeper zk = raw(kind)) {
            // ZooKeeper looks read paths up as given, without validating them: no such node.
            int noNode = Code.NONODE.intValue();
            for (String path : List.of("nope", "/zookeeper/", "/zookeeper//quota", "/zookeeper/./quota")) {
                assertEquals(noNode, zk.submit(OpCode.getData, new GetDataRequest(path, false),
                        new GetDataResponse()), "getData " + path);
                assertEquals(noNode, zk.submit(OpCode.exists, new ExistsRequest(path, false),
                        new ExistsResponse()), "exists " + path);
                assertEquals(noNode, zk.submit(OpCode.getChildren, new GetChildrenRequest(path, false),
                        new GetChildrenResponse()), "getChildren " + path);
                assertEquals(noNode, zk.submit(OpCode.getACL, new GetACLRequest(path),
                        new GetACLResponse()), "getACL " + path);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void systemNodesExistAndCannotBeRemoved(ZkTarget.Kind kind) throws Exception {
        try (ZooKeeper zk = connect(TARGETS, kind)) {
            assertTrue(zk.getChildren("/", false).contains("zookeeper"));
            assertEquals(Set.of("config", "quota"), Set.copyOf(zk.getChildren("/zookeeper", false)));
            assertCode(Code.BADARGUMENTS, () -> zk.delete("/zookeeper", -1));
            assertCode(Code.BADARGUMENTS, () -> zk.delete("/", -1));
            Stat root = zk.exists("/", false);
            assertEquals(0, root.getCzxid(), "the root predates every transaction");
            assertEquals(0, root.getCtime());
            // /zookeeper/config is world-readable only, and its ACL was set once at start (aversion -1).
            Stat config = new Stat();
            assertEquals(ZooDefs.Ids.READ_ACL_UNSAFE, zk.getACL("/zookeeper/config", config));
            assertEquals(-1, config.getAversion());
            assertEquals(0, config.getCzxid());
            assertCode(Code.NOAUTH, () -> zk.setData("/zookeeper/config", bytes("x"), -1));
            assertCode(Code.NOAUTH, () -> zk.create("/zookeeper/config/x", null, OPEN, CreateMode.PERSISTENT));
            assertEquals(OPEN, zk.getACL("/zookeeper", null));
            assertEquals(OPEN, zk.getACL("/zookeeper/quota", null));
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void deleteChecksVersionChildrenAndExistence(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            assertCode(Code.NONODE, () -> zk.delete(root, -1));
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            zk.create(root + "/c", null, OPEN, CreateMode.PERSISTENT);
            zk.setData(root + "/c", bytes("1"), -1);
            assertCode(Code.NOTEMPTY, () -> zk.delete(root, -1));
            assertCode(Code.BADVERSION, () -> zk.delete(root + "/c", 0));
            assertCode(Code.BADVERSION, () -> zk.delete(root + "/c", 2));
            zk.delete(root + "/c", 1);
            assertCode(Code.NONODE, () -> zk.delete(root + "/c", 1));
            zk.delete(root, 0);
            assertNull(zk.exists(root, false));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void setDataRaisesTheVersionAndMzxid(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            assertCode(Code.NONODE, () -> zk.setData(root, bytes("x"), -1));
            Stat created = new Stat();
            zk.create(root, bytes("one"), OPEN, CreateMode.PERSISTENT, created);
            Stat s1 = zk.setData(root, bytes("second"), 0);
            assertEquals(1, s1.getVersion());
            assertEquals(6, s1.getDataLength());
            assertEquals(created.getCzxid(), s1.getCzxid());
            assertTrue(s1.getMzxid() > created.getMzxid(), "mzxid moves");
            assertEquals(created.getPzxid(), s1.getPzxid(), "pzxid does not move on a data change");
            assertEquals(created.getCtime(), s1.getCtime());
            assertTrue(s1.getMtime() >= created.getMtime());
            assertCode(Code.BADVERSION, () -> zk.setData(root, bytes("x"), 0));
            Stat s2 = zk.setData(root, null, -1);
            assertEquals(2, s2.getVersion());
            assertEquals(0, s2.getDataLength());
            Stat read = new Stat();
            byte[] data = zk.getData(root, false, read);
            // Empty and null data read back alike: as zero bytes.
            assertTrue(data == null || data.length == 0, "empty data");
            assertSameStat(s2, read);
            // Versions are checked, not just counted: the same data again is still a new version.
            assertEquals(3, zk.setData(root, null, 2).getVersion());
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void existsAndGetDataOnMissingNodes(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            assertNull(zk.exists(root, false));
            assertCode(Code.NONODE, () -> zk.getData(root, false, null));
            assertCode(Code.NONODE, () -> zk.getChildren(root, false));
            assertCode(Code.NONODE, () -> zk.getChildren(root, false, new Stat()));
            assertCode(Code.NONODE, () -> zk.getACL(root, new Stat()));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void largeDataRoundTrips(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        byte[] data = new byte[512 * 1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        try (ZooKeeper zk = connect(TARGETS, kind)) {
            zk.create(root, data, OPEN, CreateMode.PERSISTENT);
            Stat s = new Stat();
            assertArrayEquals(data, zk.getData(root, false, s));
            assertEquals(data.length, s.getDataLength());
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void getChildrenListsNamesAndFillsTheParentsStat(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            zk.create(root, bytes("p"), OPEN, CreateMode.PERSISTENT);
            assertEquals(List.of(), zk.getChildren(root, false));
            Stat last = new Stat();
            for (String c : List.of("b", "a", "c")) {
                zk.create(root + "/" + c, null, OPEN, CreateMode.PERSISTENT, last);
            }
            zk.create(root + "/a/deeper", null, OPEN, CreateMode.PERSISTENT);
            // The server's order is unspecified (ZooKeeper's is a hash set's): compare as sets.
            assertEquals(Set.of("a", "b", "c"), Set.copyOf(zk.getChildren(root, false)));
            Stat s = new Stat();
            assertEquals(new TreeSet<>(Set.of("a", "b", "c")), new TreeSet<>(zk.getChildren(root, false, s)));
            assertEquals(3, s.getNumChildren());
            assertEquals(3, s.getCversion());
            assertEquals(last.getCzxid(), s.getPzxid());
            assertEquals(1, s.getDataLength());
            assertSameStat(zk.exists(root, false), s);
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void getAllChildrenNumberCountsEveryDescendant(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            assertEquals(0, zk.getAllChildrenNumber(root));
            for (String p : List.of("/a", "/a/b", "/a/b/c", "/d", "/a/e")) {
                zk.create(root + p, null, OPEN, CreateMode.PERSISTENT);
            }
            assertEquals(5, zk.getAllChildrenNumber(root));
            assertEquals(3, zk.getAllChildrenNumber(root + "/a"));
            assertEquals(0, zk.getAllChildrenNumber(root + "/d"));
            assertCode(Code.NONODE, () -> zk.getAllChildrenNumber(root + "/missing"));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void getEphemeralsListsThisSessionsEphemeralsUnderAPrefix(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        try (ZooKeeper zk = connect(TARGETS, kind); ZooKeeper other = connect(TARGETS, kind)) {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            zk.create(root + "/x", null, OPEN, CreateMode.PERSISTENT);
            zk.create(root + "/e1", null, OPEN, CreateMode.EPHEMERAL);
            zk.create(root + "/x/e2", null, OPEN, CreateMode.EPHEMERAL);
            other.create(root + "/e3", null, OPEN, CreateMode.EPHEMERAL);
            assertEquals(Set.of(root + "/e1", root + "/x/e2"), Set.copyOf(zk.getEphemerals(root)));
            assertEquals(Set.of(root + "/x/e2"), Set.copyOf(zk.getEphemerals(root + "/x")));
            // A prefix is a string prefix, not a path: "/tN/e" matches /tN/e1 only.
            assertEquals(List.of(root + "/e1"), zk.getEphemerals(root + "/e"));
            assertTrue(zk.getEphemerals().containsAll(List.of(root + "/e1", root + "/x/e2")));
            assertEquals(List.of(root + "/e3"), other.getEphemerals(root));
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void syncAnswersWithThePath(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            zk.sync(root);
            CompletableFuture<String> done = new CompletableFuture<>();
            zk.sync(root, (rc, path, ctx) -> done.complete(Code.get(rc) + " " + path + " " + ctx), "ctx");
            assertEquals("OK " + root + " ctx", done.get(ZkAssertions.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void asyncCallsAnswerInTheOrderSent(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            List<String> answers = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Void> last = new CompletableFuture<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                zk.setData(root, bytes(Integer.toString(i)), i, (rc, p, ctx, stat) ->
                        answers.add(n + ":" + Code.get(rc) + ":" + (stat == null ? -1 : stat.getVersion())), null);
                zk.getData(root, false, (rc, p, ctx, data, stat) -> answers.add(n + ":read:" + text(data)), null);
            }
            zk.sync(root, (rc, p, ctx) -> last.complete(null), null);
            last.get(ZkAssertions.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            for (int i = 0; i < 50; i++) {
                assertEquals(i + ":OK:" + (i + 1), answers.get(2 * i));
                assertEquals(i + ":read:" + i, answers.get(2 * i + 1), "a read sees the write sent before it");
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void sessionIdsAreDistinctAndStandaloneOnesStartWithByteOne(ZkTarget.Kind kind) throws Exception {
        try (ZooKeeper a = connect(TARGETS, kind); ZooKeeper b = connect(TARGETS, kind)) {
            assertNotEquals(a.getSessionId(), b.getSessionId());
            // The high byte is the server id that made the session; a standalone ZooKeeper's
            // session tracker uses 1 (ZooKeeperServer.createSessionTrackerServerId).
            assertEquals(1, a.getSessionId() >>> 56);
            assertEquals(1, b.getSessionId() >>> 56);
            assertEquals(16, a.getSessionPasswd().length);
        }
    }

    private RawZooKeeper raw(ZkTarget.Kind kind) throws Exception {
        ZkTarget t = TARGETS.get(kind);
        RecordingWatcher w = new RecordingWatcher(kind.name());
        RawZooKeeper zk = new RawZooKeeper(t.connectString(), t.maxSessionTimeoutMs(), w);
        try {
            w.awaitState(Watcher.Event.KeeperState.SyncConnected, ZkAssertions.DEADLINE);
        } catch (Throwable e) {
            zk.close();
            throw e;
        }
        return zk;
    }
}
