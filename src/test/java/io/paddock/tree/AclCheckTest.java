package io.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclCheckTest {

    private static final String SUPER_DIGEST = "super:D/InIHSb7yEEbrWz8b9l71RjZJU=";
    private static final Id ALICE = new Id("digest", AclCheck.digest("alice:secret"));
    private static final Id BOB = new Id("digest", AclCheck.digest("bob:secret"));

    private static ErrorCode denied(List<Acl> acl, int perm, List<Id> ids, String superDigest) {
        return assertThrows(TreeException.class, () -> AclCheck.checkPerm(acl, perm, ids, superDigest)).code();
    }

    private static ErrorCode fixupRefused(List<Acl> acl, List<Id> ids) {
        return assertThrows(TreeException.class, () -> AclCheck.fixup(acl, ids)).code();
    }

    // ---- digest and addauth -------------------------------------------------------------------

    @Test
    void digestMatchesZooKeepersKnownValue() {
        assertEquals(SUPER_DIGEST, AclCheck.digest("super:test"));
    }

    @Test
    void digestKeepsEverythingAfterTheFirstColonInThePassword() {
        // ZooKeeper hashes the whole "user:password" string and keeps the user before the first colon.
        String d = AclCheck.digest("u:p:q");
        assertTrue(d.startsWith("u:"));
        assertFalse(d.equals(AclCheck.digest("u:p")));
    }

    @Test
    void addauthDigestYieldsTheDigestIdentity() throws TreeException {
        Id id = AclCheck.identityFor("digest", "alice:secret".getBytes(StandardCharsets.UTF_8), SUPER_DIGEST);
        assertEquals(ALICE, id);
    }

    @Test
    void addauthOfSuperUserYieldsIdentityThatCheckPermTreatsAsSuper() throws TreeException {
        Id id = AclCheck.identityFor("digest", "super:test".getBytes(StandardCharsets.UTF_8), SUPER_DIGEST);
        assertEquals(new Id("digest", SUPER_DIGEST), id);
        assertTrue(AclCheck.isSuper(id, SUPER_DIGEST));
        assertFalse(AclCheck.isSuper(id, null));
    }

    @Test
    void addauthWithUnknownSchemeOrBadFormIsAuthFailed() {
        for (String scheme : List.of("ip", "world", "super", "sasl", "x509")) {
            assertEquals(ErrorCode.AUTH_FAILED, assertThrows(TreeException.class,
                    () -> AclCheck.identityFor(scheme, "a:b".getBytes(StandardCharsets.UTF_8), null)).code(), scheme);
        }
        assertEquals(ErrorCode.AUTH_FAILED, assertThrows(TreeException.class,
                () -> AclCheck.identityFor("digest", "nocolon".getBytes(StandardCharsets.UTF_8), null)).code());
        assertEquals(ErrorCode.AUTH_FAILED, assertThrows(TreeException.class,
                () -> AclCheck.identityFor("digest", null, null)).code());
    }

    // ---- checkPerm ----------------------------------------------------------------------------

    @Test
    void worldAnyoneGrantsItsBitsToEveryone() {
        assertDoesNotThrow(() -> AclCheck.checkPerm(Acl.READ_ACL_UNSAFE, Perms.READ, List.of(), null));
        assertEquals(ErrorCode.NO_AUTH, denied(Acl.READ_ACL_UNSAFE, Perms.WRITE, List.of(ALICE), null));
    }

    @Test
    void emptyAclAllowsEverythingAsZooKeeperDoes() {
        assertDoesNotThrow(() -> AclCheck.checkPerm(List.of(), Perms.ADMIN, List.of(), null));
        assertDoesNotThrow(() -> AclCheck.checkPerm(null, Perms.ADMIN, List.of(), null));
    }

    @Test
    void digestAclMatchesOnlyTheExactIdentity() {
        List<Acl> acl = List.of(new Acl(Perms.ALL, ALICE));
        assertDoesNotThrow(() -> AclCheck.checkPerm(acl, Perms.WRITE, List.of(ALICE), null));
        assertEquals(ErrorCode.NO_AUTH, denied(acl, Perms.WRITE, List.of(BOB), null));
        assertEquals(ErrorCode.NO_AUTH, denied(acl, Perms.WRITE, List.of(new Id("ip", ALICE.id())), null));
        assertEquals(ErrorCode.NO_AUTH, denied(acl, Perms.WRITE, List.of(), null));
    }

    @Test
    void aclEntryGrantsOnlyItsOwnBits() {
        List<Acl> acl = List.of(new Acl(Perms.READ | Perms.CREATE, ALICE), new Acl(Perms.DELETE, BOB));
        assertDoesNotThrow(() -> AclCheck.checkPerm(acl, Perms.CREATE, List.of(ALICE), null));
        assertEquals(ErrorCode.NO_AUTH, denied(acl, Perms.DELETE, List.of(ALICE), null));
        assertDoesNotThrow(() -> AclCheck.checkPerm(acl, Perms.DELETE, List.of(ALICE, BOB), null));
    }

    @Test
    void superUserBypassesEveryAcl() {
        List<Acl> acl = List.of(new Acl(Perms.READ, BOB));
        Id superId = new Id("digest", SUPER_DIGEST);
        assertDoesNotThrow(() -> AclCheck.checkPerm(acl, Perms.ADMIN, List.of(superId), SUPER_DIGEST));
        assertDoesNotThrow(() -> AclCheck.checkPerm(acl, Perms.ADMIN, List.of(new Id("super", "")), null));
        // Without the server's super digest the same identity is an ordinary digest user.
        assertEquals(ErrorCode.NO_AUTH, denied(acl, Perms.ADMIN, List.of(superId), null));
        assertEquals(ErrorCode.NO_AUTH, denied(acl, Perms.ADMIN, List.of(ALICE), SUPER_DIGEST));
    }

    @Test
    void ipAclMatchesByCidrPrefix() {
        assertTrue(AclCheck.ipMatches("10.1.2.3", "10.0.0.0/8"));
        assertFalse(AclCheck.ipMatches("11.1.2.3", "10.0.0.0/8"));
        assertTrue(AclCheck.ipMatches("192.168.1.77", "192.168.1.0/24"));
        assertFalse(AclCheck.ipMatches("192.168.2.77", "192.168.1.0/24"));
        assertTrue(AclCheck.ipMatches("192.168.1.129", "192.168.1.128/25"));
        assertFalse(AclCheck.ipMatches("192.168.1.127", "192.168.1.128/25"));
        assertTrue(AclCheck.ipMatches("127.0.0.1", "127.0.0.1"));
        assertFalse(AclCheck.ipMatches("127.0.0.2", "127.0.0.1"));
        assertTrue(AclCheck.ipMatches("8.8.8.8", "0.0.0.0/0"));
        assertFalse(AclCheck.ipMatches("10.0.0.1", "10.0.0.0/33"));
        assertFalse(AclCheck.ipMatches("10.0.0.1", "10.0.0.0/x"));
        assertFalse(AclCheck.ipMatches("not-an-ip", "10.0.0.0/8"));
    }

    @Test
    void ipAclMatchesIpv6AndNeverAcrossFamilies() {
        assertTrue(AclCheck.ipMatches("2001:db8:0:0:0:0:0:1", "2001:db8::/32"));
        assertTrue(AclCheck.ipMatches("2001:db8::ff", "2001:db8::/32"));
        assertFalse(AclCheck.ipMatches("2001:db9::1", "2001:db8::/32"));
        assertTrue(AclCheck.ipMatches("::1", "0:0:0:0:0:0:0:1"));
        assertFalse(AclCheck.ipMatches("10.0.0.1", "::/0"));
        assertFalse(AclCheck.ipMatches("::1", "0.0.0.0/0"));
    }

    @Test
    void ipIdentityPassesCheckPermThroughCidrAcl() {
        List<Acl> acl = List.of(new Acl(Perms.ALL, new Id("ip", "10.0.0.0/8")));
        assertDoesNotThrow(() -> AclCheck.checkPerm(acl, Perms.READ, List.of(new Id("ip", "10.9.9.9")), null));
        assertEquals(ErrorCode.NO_AUTH, denied(acl, Perms.READ, List.of(new Id("ip", "172.16.0.1")), null));
    }

    // ---- fixup --------------------------------------------------------------------------------

    @Test
    void fixupRefusesNullOrEmptyAcl() {
        assertEquals(ErrorCode.INVALID_ACL, fixupRefused(null, List.of()));
        assertEquals(ErrorCode.INVALID_ACL, fixupRefused(List.of(), List.of()));
    }

    @Test
    void fixupExpandsAuthToTheSessionsDigestIdentities() throws TreeException {
        List<Id> ids = List.of(new Id("ip", "10.0.0.1"), ALICE, BOB);
        List<Acl> fixed = AclCheck.fixup(List.of(new Acl(Perms.READ, new Id("auth", ""))), ids);
        assertEquals(List.of(new Acl(Perms.READ, ALICE), new Acl(Perms.READ, BOB)), fixed);
    }

    @Test
    void fixupRefusesAuthWithoutAnAuthenticatedIdentity() {
        List<Acl> acl = List.of(new Acl(Perms.ALL, new Id("auth", "")));
        assertEquals(ErrorCode.INVALID_ACL, fixupRefused(acl, List.of()));
        // ip identities are not "authenticated" in ZooKeeper's sense, nor is a bare super id.
        assertEquals(ErrorCode.INVALID_ACL, fixupRefused(acl, List.of(new Id("ip", "10.0.0.1"), new Id("super", ""))));
    }

    @Test
    void fixupAcceptsOnlyWorldAnyone() {
        assertEquals(ErrorCode.INVALID_ACL, fixupRefused(List.of(new Acl(Perms.ALL, new Id("world", "someone"))), List.of()));
        assertDoesNotThrow(() -> AclCheck.fixup(Acl.OPEN_ACL_UNSAFE, List.of()));
    }

    @Test
    void fixupNeedsDigestIdsOfUserColonHash() throws TreeException {
        assertEquals(List.of(new Acl(Perms.ALL, ALICE)), AclCheck.fixup(List.of(new Acl(Perms.ALL, ALICE)), List.of()));
        assertEquals(ErrorCode.INVALID_ACL, fixupRefused(List.of(new Acl(Perms.ALL, new Id("digest", "alice"))), List.of()));
        assertEquals(ErrorCode.INVALID_ACL, fixupRefused(List.of(new Acl(Perms.ALL, new Id("digest", "alice:"))), List.of()));
        assertEquals(ErrorCode.INVALID_ACL, fixupRefused(List.of(new Acl(Perms.ALL, new Id("digest", "a:b:c"))), List.of()));
    }

    @Test
    void fixupNeedsIpIdsToBeAddressesOrCidr() {
        assertDoesNotThrow(() -> AclCheck.fixup(List.of(new Acl(Perms.ALL, new Id("ip", "10.0.0.0/8"))), List.of()));
        assertDoesNotThrow(() -> AclCheck.fixup(List.of(new Acl(Perms.ALL, new Id("ip", "2001:db8::/32"))), List.of()));
        assertDoesNotThrow(() -> AclCheck.fixup(List.of(new Acl(Perms.ALL, new Id("ip", "127.0.0.1"))), List.of()));
        for (String bad : List.of("10.0.0.0/33", "10.0.0/8", "256.0.0.1", "localhost", "10.0.0.1/-1", "1::2::3")) {
            assertEquals(ErrorCode.INVALID_ACL,
                    fixupRefused(List.of(new Acl(Perms.ALL, new Id("ip", bad))), List.of()), bad);
        }
    }

    @Test
    void fixupRefusesUnknownSchemes() {
        for (String scheme : List.of("super", "x509", "sasl", "nope")) {
            assertEquals(ErrorCode.INVALID_ACL,
                    fixupRefused(List.of(new Acl(Perms.ALL, new Id(scheme, "x:y"))), List.of()), scheme);
        }
        assertEquals(ErrorCode.INVALID_ACL, fixupRefused(List.of(new Acl(Perms.ALL, null)), List.of()));
    }

    @Test
    void fixupRemovesDuplicateEntries() throws TreeException {
        Acl a = new Acl(Perms.ALL, ALICE);
        Acl w = new Acl(Perms.READ, Id.ANYONE);
        assertEquals(List.of(a, w), AclCheck.fixup(List.of(a, w, a, w), List.of()));
    }
}
