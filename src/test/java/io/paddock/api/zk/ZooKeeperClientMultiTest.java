package io.paddock.api.zk;

import static io.paddock.api.zk.ZkAssertions.OPEN;
import static io.paddock.api.zk.ZkAssertions.assertFreshStat;
import static io.paddock.api.zk.ZkAssertions.bytes;
import static io.paddock.api.zk.ZkAssertions.connect;
import static io.paddock.api.zk.ZkAssertions.text;
import static io.paddock.api.zk.ZkAssertions.withClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ZooKeeper#multi on Paddock and ZooKeeper: a write transaction applies all its ops or none and
 * reports each op's result (on failure: OK for the ops before the failing one, its error, then
 * RuntimeInconsistency); a read-only multi (multiRead) answers each op on its own.
 */
class ZooKeeperClientMultiTest {

    @RegisterExtension
    static final SharedTargets TARGETS = new SharedTargets();

    /** Each result as "Type" or "Error:CODE", for comparing whole result lists. */
    private static List<String> shapes(List<OpResult> results) {
        List<String> out = new ArrayList<>();
        for (OpResult r : results) {
            out.add(r instanceof OpResult.ErrorResult e ? "Error:" + Code.get(e.getErr()) : r.getClass().getSimpleName());
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void multiAppliesEveryOpAndReportsEach(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            List<OpResult> results = zk.multi(List.of(
                    Op.create(root + "/a", bytes("x"), OPEN, CreateMode.PERSISTENT),
                    Op.create(root + "/s-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL),
                    Op.setData(root + "/a", bytes("yy"), 0),
                    Op.check(root + "/a", 1),
                    Op.create(root + "/b", null, OPEN, CreateMode.PERSISTENT),
                    Op.delete(root + "/b", 0),
                    Op.create(root + "/c", null, OPEN, CreateMode.CONTAINER),
                    Op.create(root + "/t", null, OPEN, CreateMode.PERSISTENT_WITH_TTL, 60_000)));
            assertEquals(List.of("CreateResult", "CreateResult", "SetDataResult", "CheckResult", "CreateResult",
                    "DeleteResult", "CreateResult", "CreateResult"), shapes(results));
            OpResult.CreateResult a = (OpResult.CreateResult) results.get(0);
            assertEquals(root + "/a", a.getPath());
            // A plain create answers with the path only; container and TTL creates add the Stat.
            assertNull(a.getStat());
            // Sequence numbers count the creates before it in the same transaction.
            assertEquals(root + "/s-0000000001", ((OpResult.CreateResult) results.get(1)).getPath());
            Stat set = ((OpResult.SetDataResult) results.get(2)).getStat();
            assertEquals(1, set.getVersion());
            assertEquals(2, set.getDataLength());
            OpResult.CreateResult c = (OpResult.CreateResult) results.get(6);
            assertEquals(root + "/c", c.getPath());
            assertFreshStat(c.getStat(), 0, 0);
            assertNotNull(((OpResult.CreateResult) results.get(7)).getStat());
            // All ops are one transaction: one zxid for every change.
            Stat sa = zk.exists(root + "/a", false);
            assertEquals(sa.getMzxid(), sa.getCzxid(), "created and changed by the same transaction");
            assertEquals(sa.getCzxid(), c.getStat().getCzxid());
            assertEquals("yy", text(zk.getData(root + "/a", false, null)));
            assertEquals(Set.of("a", "s-0000000001", "c", "t"), Set.copyOf(zk.getChildren(root, false)));
            assertEquals(List.of(), zk.multi(List.of()));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void failedMultiAppliesNothingAndReportsEachOp(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            zk.create(root + "/a", bytes("keep"), OPEN, CreateMode.PERSISTENT);
            Stat before = zk.exists(root, false);
            KeeperException e = assertThrows(KeeperException.class, () -> zk.multi(List.of(
                    Op.create(root + "/x", null, OPEN, CreateMode.PERSISTENT),
                    Op.setData(root + "/a", null, 7),
                    Op.delete(root + "/a", -1))));
            assertEquals(Code.BADVERSION, e.code());
            assertEquals(List.of("Error:OK", "Error:BADVERSION", "Error:RUNTIMEINCONSISTENCY"), shapes(e.getResults()));
            assertNull(zk.exists(root + "/x", false));
            assertEquals("keep", text(zk.getData(root + "/a", false, null)));
            ZkAssertions.assertSameStat(before, zk.exists(root, false));

            KeeperException noNode = assertThrows(KeeperException.class, () -> zk.multi(List.of(
                    Op.check(root + "/none", -1),
                    Op.create(root + "/y", null, OPEN, CreateMode.PERSISTENT))));
            assertEquals(Code.NONODE, noNode.code());
            assertEquals(List.of("Error:NONODE", "Error:RUNTIMEINCONSISTENCY"), shapes(noNode.getResults()));

            KeeperException eph = assertThrows(KeeperException.class, () -> zk.multi(List.of(
                    Op.create(root + "/e", null, OPEN, CreateMode.EPHEMERAL),
                    Op.create(root + "/e/c", null, OPEN, CreateMode.PERSISTENT))));
            assertEquals(List.of("Error:OK", "Error:NOCHILDRENFOREPHEMERALS"), shapes(eph.getResults()));

            KeeperException acl = assertThrows(KeeperException.class, () -> zk.multi(List.of(
                    Op.create(root + "/k", null, new ArrayList<>(), CreateMode.PERSISTENT))));
            assertEquals(List.of("Error:INVALIDACL"), shapes(acl.getResults()));
            assertEquals(List.of("a"), zk.getChildren(root, false));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void opsInAMultiSeeTheEarlierOpsOfTheSameMulti(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            List<OpResult> results = zk.multi(List.of(
                    Op.create(root, null, OPEN, CreateMode.PERSISTENT),
                    Op.create(root + "/a", null, OPEN, CreateMode.PERSISTENT),
                    Op.setData(root + "/a", bytes("1"), 0),
                    Op.setData(root + "/a", bytes("2"), 1),
                    Op.check(root + "/a", 2),
                    Op.delete(root + "/a", 2),
                    Op.check(root, -1)));
            assertEquals(7, results.size());
            assertNull(zk.exists(root + "/a", false));
            Stat s = zk.exists(root, false);
            assertEquals(2, s.getCversion());
            // The delete of /a freed the name: a failed check on it now is NoNode.
            KeeperException e = assertThrows(KeeperException.class,
                    () -> zk.multi(List.of(Op.check(root + "/a", -1))));
            assertEquals(Code.NONODE, e.code());
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void multiNeedsEachOpsPermission(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            zk.create(root + "/ro", null, ZooDefs.Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
            KeeperException e = assertThrows(KeeperException.class, () -> zk.multi(List.of(
                    Op.create(root + "/z", null, OPEN, CreateMode.PERSISTENT),
                    Op.setData(root + "/ro", null, -1))));
            assertEquals(Code.NOAUTH, e.code());
            assertEquals(List.of("Error:OK", "Error:NOAUTH"), shapes(e.getResults()));
            assertNull(zk.exists(root + "/z", false));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void multiReadAnswersEachOpOnItsOwn(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            zk.create(root, bytes("r"), OPEN, CreateMode.PERSISTENT);
            zk.create(root + "/a", bytes("aa"), OPEN, CreateMode.PERSISTENT);
            zk.create(root + "/b", null, OPEN, CreateMode.PERSISTENT);
            // Readable by nobody: ADMIN only.
            zk.create(root + "/secret", null,
                    new ArrayList<>(List.of(new ACL(ZooDefs.Perms.ADMIN, ZooDefs.Ids.ANYONE_ID_UNSAFE))),
                    CreateMode.PERSISTENT);
            List<OpResult> results = zk.multi(List.of(
                    Op.getData(root + "/a"),
                    Op.getChildren(root),
                    Op.getData(root + "/none"),
                    Op.getChildren(root + "/a"),
                    Op.getData(root + "/secret"),
                    Op.getData(root)));
            // A failing read fails alone: no exception, no RuntimeInconsistency for the others.
            assertEquals(List.of("GetDataResult", "GetChildrenResult", "Error:NONODE", "GetChildrenResult",
                    "Error:NOAUTH", "GetDataResult"), shapes(results));
            OpResult.GetDataResult a = (OpResult.GetDataResult) results.get(0);
            assertEquals("aa", text(a.getData()));
            ZkAssertions.assertSameStat(zk.exists(root + "/a", false), a.getStat());
            assertEquals(Set.of("a", "b", "secret"),
                    Set.copyOf(((OpResult.GetChildrenResult) results.get(1)).getChildren()));
            assertEquals(List.of(), ((OpResult.GetChildrenResult) results.get(3)).getChildren());
            assertEquals("r", text(assertInstanceOf(OpResult.GetDataResult.class, results.get(5)).getData()));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void multiCreatesEphemeralsOwnedByTheSession(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        try (ZooKeeper other = connect(TARGETS, kind)) {
            other.create(root, null, OPEN, CreateMode.PERSISTENT);
            ZooKeeper zk = connect(TARGETS, kind);
            zk.multi(List.of(
                    Op.create(root + "/e", null, OPEN, CreateMode.EPHEMERAL),
                    Op.create(root + "/q-", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL)));
            assertEquals(zk.getSessionId(), other.exists(root + "/e", false).getEphemeralOwner());
            assertEquals(Set.of(root + "/e", root + "/q-0000000001"), Set.copyOf(zk.getEphemerals(root)));
            zk.close();
            assertEquals(List.of(), other.getChildren(root, false));
        }
    }
}
