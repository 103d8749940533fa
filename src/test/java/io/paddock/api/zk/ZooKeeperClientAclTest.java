package io.paddock.api.zk;

import static io.paddock.api.zk.ZkAssertions.DEADLINE;
import static io.paddock.api.zk.ZkAssertions.OPEN;
import static io.paddock.api.zk.ZkAssertions.assertCode;
import static io.paddock.api.zk.ZkAssertions.bytes;
import static io.paddock.api.zk.ZkAssertions.connect;
import static io.paddock.api.zk.ZkAssertions.text;
import static io.paddock.api.zk.ZkAssertions.withClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ACLs, digest authentication and whoAmI through the official client, on Paddock and on
 * ZooKeeper alike: which permission each operation needs, how "auth" and CREATOR_ALL_ACL expand,
 * which ACLs are invalid, and what a client that failed to authenticate can still do.
 */
class ZooKeeperClientAclTest {

    @RegisterExtension
    static final SharedTargets TARGETS = new SharedTargets();

    private static final String ALICE = "alice:secret";

    private ZooKeeper connectAs(ZkTarget.Kind kind, String userAndPassword) throws Exception {
        ZooKeeper zk = connect(TARGETS, kind);
        zk.addAuthInfo("digest", bytes(userAndPassword));
        return zk;
    }

    /** A mutable list: the client's ACL check calls contains(null), which List.of refuses. */
    private static List<ACL> acl(ACL... entries) {
        return new ArrayList<>(Arrays.asList(entries));
    }

    private static String aliceDigest() throws Exception {
        return DigestAuthenticationProvider.generateDigest(ALICE);
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void openNodeHasWorldAnyoneAllAndSetAclRaisesAversion(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            Stat s = new Stat();
            assertEquals(OPEN, zk.getACL(root, s));
            assertEquals(0, s.getAversion());
            assertCode(Code.BADVERSION, () -> zk.setACL(root, ZooDefs.Ids.READ_ACL_UNSAFE, 1));
            Stat after = zk.setACL(root, ZooDefs.Ids.READ_ACL_UNSAFE, 0);
            assertEquals(1, after.getAversion());
            assertEquals(s.getMzxid(), after.getMzxid(), "an ACL change is not a data change");
            assertEquals(0, after.getVersion());
            assertEquals(ZooDefs.Ids.READ_ACL_UNSAFE, zk.getACL(root, null));
            assertCode(Code.INVALIDACL, () -> zk.setACL(root, acl(), -1));
            assertCode(Code.NONODE, () -> zk.setACL(root + "/missing", OPEN, -1));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void creatorAllAclNamesTheDigestIdentity(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        try (ZooKeeper alice = connectAs(kind, ALICE); ZooKeeper anon = connect(TARGETS, kind);
             ZooKeeper wrong = connectAs(kind, "alice:wrong")) {
            alice.create(root, bytes("private"), ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
            assertEquals(List.of(new ACL(Perms.ALL, new Id("digest", aliceDigest()))), alice.getACL(root, null));
            assertEquals("private", text(alice.getData(root, false, null)));
            for (ZooKeeper other : List.of(anon, wrong)) {
                assertCode(Code.NOAUTH, () -> other.getData(root, false, null));
                assertCode(Code.NOAUTH, () -> other.exists(root, false));
                assertCode(Code.NOAUTH, () -> other.getChildren(root, false));
                assertCode(Code.NOAUTH, () -> other.getACL(root, null));
                assertCode(Code.NOAUTH, () -> other.setData(root, null, -1));
                assertCode(Code.NOAUTH, () -> other.create(root + "/c", null, OPEN, CreateMode.PERSISTENT));
            }
            // Authenticating later, on the same session, grants access from then on.
            anon.addAuthInfo("digest", bytes(ALICE));
            assertEquals("private", text(anon.getData(root, false, null)));
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void authAclsNeedAnAuthenticatedIdentity(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        try (ZooKeeper anon = connect(TARGETS, kind)) {
            // The ip identity every client has does not count: "auth" and CREATOR need a real one.
            assertCode(Code.INVALIDACL, () -> anon.create(root, null, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT));
            assertCode(Code.INVALIDACL, () -> anon.create(root, null, acl(new ACL(Perms.ALL, new Id("auth", ""))),
                    CreateMode.PERSISTENT));
            assertEquals(null, anon.exists(root, false));
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void malformedAclsAreInvalid(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            for (Id id : List.of(new Id("foo", "bar"), new Id("digest", "nocolon"), new Id("ip", "not-an-ip"))) {
                assertCode(Code.INVALIDACL, () -> zk.create(root, null, acl(new ACL(Perms.ALL, id)),
                        CreateMode.PERSISTENT));
            }
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            assertCode(Code.INVALIDACL, () -> zk.setACL(root, acl(new ACL(Perms.ALL, new Id("foo", "bar"))), -1));
            assertEquals(OPEN, zk.getACL(root, null));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void aclListsAreDeduplicatedAndKeepTheirPerms(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            ACL all = new ACL(Perms.ALL, ZooDefs.Ids.ANYONE_ID_UNSAFE);
            zk.create(root, null, acl(all, all), CreateMode.PERSISTENT);
            assertEquals(List.of(all), zk.getACL(root, null));
            // Unknown permission bits are kept as given; no permission at all is allowed too.
            zk.create(root + "/wide", null, acl(new ACL(63, ZooDefs.Ids.ANYONE_ID_UNSAFE)), CreateMode.PERSISTENT);
            assertEquals(List.of(new ACL(63, ZooDefs.Ids.ANYONE_ID_UNSAFE)), zk.getACL(root + "/wide", null));
            zk.create(root + "/none", null, acl(new ACL(0, ZooDefs.Ids.ANYONE_ID_UNSAFE)), CreateMode.PERSISTENT);
            assertCode(Code.NOAUTH, () -> zk.getData(root + "/none", false, null));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void eachOperationNeedsItsPermission(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            String ro = root + "/ro";
            zk.create(ro, bytes("r"), ZooDefs.Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertEquals("r", text(zk.getData(ro, false, null)));
            assertNotNull(zk.exists(ro, false));
            assertEquals(List.of(), zk.getChildren(ro, false));
            assertCode(Code.NOAUTH, () -> zk.setData(ro, null, -1));
            assertCode(Code.NOAUTH, () -> zk.create(ro + "/c", null, OPEN, CreateMode.PERSISTENT));
            assertCode(Code.NOAUTH, () -> zk.setACL(ro, OPEN, -1));
            // Deleting a node needs DELETE on its parent, not on the node.
            zk.delete(ro, -1);

            String co = root + "/createOnly";
            zk.create(co, null, acl(new ACL(Perms.CREATE, ZooDefs.Ids.ANYONE_ID_UNSAFE)), CreateMode.PERSISTENT);
            zk.create(co + "/c", null, OPEN, CreateMode.PERSISTENT);
            assertCode(Code.NOAUTH, () -> zk.delete(co + "/c", -1));
            assertCode(Code.NOAUTH, () -> zk.getChildren(co, false));
            assertCode(Code.NOAUTH, () -> zk.getAllChildrenNumber(co));
            assertCode(Code.NOTEMPTY, () -> zk.delete(co, -1));

            String admin = root + "/adminOnly";
            zk.create(admin, null, acl(new ACL(Perms.ADMIN, ZooDefs.Ids.ANYONE_ID_UNSAFE)), CreateMode.PERSISTENT);
            assertEquals(List.of(new ACL(Perms.ADMIN, ZooDefs.Ids.ANYONE_ID_UNSAFE)), zk.getACL(admin, null));
            zk.setACL(admin, OPEN, -1);
            assertEquals(OPEN, zk.getACL(admin, null));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void ipAclsMatchTheClientsAddress(ZkTarget.Kind kind) throws Exception {
        withClient(TARGETS, kind, (root, zk) -> {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            zk.create(root + "/local", bytes("l"), acl(new ACL(Perms.ALL, new Id("ip", "127.0.0.1"))),
                    CreateMode.PERSISTENT);
            assertEquals("l", text(zk.getData(root + "/local", false, null)));
            zk.create(root + "/net", bytes("n"), acl(new ACL(Perms.ALL, new Id("ip", "127.0.0.0/8"))),
                    CreateMode.PERSISTENT);
            assertEquals("n", text(zk.getData(root + "/net", false, null)));
            zk.create(root + "/far", null, acl(new ACL(Perms.ALL, new Id("ip", "10.0.0.0/8"))), CreateMode.PERSISTENT);
            assertCode(Code.NOAUTH, () -> zk.getData(root + "/far", false, null));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void authSchemeExpandsToTheSessionsIdentities(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        try (ZooKeeper alice = connectAs(kind, ALICE)) {
            alice.create(root, null, acl(new ACL(Perms.READ, new Id("auth", "")),
                    new ACL(Perms.ALL, ZooDefs.Ids.ANYONE_ID_UNSAFE)), CreateMode.PERSISTENT);
            assertEquals(List.of(new ACL(Perms.READ, new Id("digest", aliceDigest())),
                    new ACL(Perms.ALL, ZooDefs.Ids.ANYONE_ID_UNSAFE)), alice.getACL(root, null));
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void getAclHidesDigestsFromReadersWithoutAdmin(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        try (ZooKeeper alice = connectAs(kind, ALICE)) {
            // ZooKeeper's fix for CVE-2019-0201: without ADMIN, a digest's hash reads as "x".
            alice.create(root, null, acl(new ACL(Perms.READ, new Id("auth", ""))), CreateMode.PERSISTENT);
            assertEquals(List.of(new ACL(Perms.READ, new Id("digest", "alice:x"))), alice.getACL(root, null));
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void whoAmIListsTheIpThenAddedIdentities(ZkTarget.Kind kind) throws Exception {
        try (ZooKeeper zk = connect(TARGETS, kind)) {
            assertEquals(List.of(new ClientInfo("ip", "127.0.0.1")), zk.whoAmI());
            zk.addAuthInfo("digest", bytes(ALICE));
            // whoAmI names a digest identity by its user alone; the order is the server's.
            assertEquals(Set.of("ip 127.0.0.1", "digest alice"),
                    zk.whoAmI().stream().map(c -> c.getAuthScheme() + " " + c.getUser()).collect(Collectors.toSet()));
            assertEquals(2, zk.whoAmI().size());
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void unknownAuthSchemeFailsTheConnection(ZkTarget.Kind kind) throws Exception {
        RecordingWatcher w = new RecordingWatcher(kind.name());
        try (ZooKeeper zk = TARGETS.get(kind).connect(w)) {
            zk.addAuthInfo("foo", bytes("bar"));
            w.awaitState(KeeperState.AuthFailed, DEADLINE);
            KeeperException e = assertThrows(KeeperException.class, () -> zk.exists("/", false));
            assertEquals(Code.AUTHFAILED, e.code());
            assertEquals(ZooKeeper.States.AUTH_FAILED, zk.getState());
        }
    }
}
