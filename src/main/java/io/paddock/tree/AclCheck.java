package io.paddock.tree;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * ZooKeeper's access control as pure functions: the permission check of
 * {@code ZooKeeperServer.checkACL}, the ACL clean-up of {@code PrepRequestProcessor.fixupACL},
 * and the two built-in authentication providers Paddock supports, {@code digest}
 * (DigestAuthenticationProvider) and {@code ip} (IPAuthenticationProvider, IPv4 and IPv6 with
 * CIDR masks).
 *
 * <p>The super user: {@link #identityFor} gives a client who authenticates with the super
 * password its ordinary digest identity ({@code digest:super:<hash>}), exactly one of the two ids
 * ZooKeeper adds; {@link #checkPerm} recognises that identity through {@code superDigest}. It also
 * accepts ZooKeeper's other form, any identity of scheme {@code super}, so callers may use either.
 * Keeping the digest id means an {@code auth} ACL set by the super user expands to
 * {@code digest:super:<hash>}, as in ZooKeeper.
 */
public final class AclCheck {

    private AclCheck() {
    }

    /**
     * Passes when the identities hold {@code perm} under {@code acl}; otherwise NO_AUTH (path null:
     * the caller knows it). As ZooKeeper: an empty or null ACL allows everything, the super user
     * passes everything, world:anyone matches everyone, digest ids match exactly, ip ids match by
     * address and optional prefix length.
     */
    public static void checkPerm(List<Acl> acl, int perm, List<Id> identities, String superDigest)
            throws TreeException {
        if (acl == null || acl.isEmpty()) {
            return;
        }
        List<Id> ids = identities == null ? List.of() : identities;
        for (Id id : ids) {
            if (isSuper(id, superDigest)) {
                return;
            }
        }
        for (Acl a : acl) {
            if (a == null || a.id() == null || (a.perms() & perm) == 0) {
                continue;
            }
            Id want = a.id();
            if ("world".equals(want.scheme()) && "anyone".equals(want.id())) {
                return;
            }
            for (Id have : ids) {
                if (have.scheme().equals(want.scheme()) && matches(want.scheme(), have.id(), want.id())) {
                    return;
                }
            }
        }
        throw new TreeException(ErrorCode.NO_AUTH, null, "Insufficient permission (" + Perms.letters(perm) + ")");
    }

    /**
     * ZooKeeper's fixupACL: refuses a null or empty list, drops duplicate entries, expands
     * {@code auth} to every authenticated (digest) identity of the session, and refuses any entry
     * that no provider accepts. INVALID_ACL, path null, on any problem.
     */
    public static List<Acl> fixup(List<Acl> acl, List<Id> identities) throws TreeException {
        if (acl == null || acl.isEmpty()) {
            throw invalid("an ACL needs at least one entry");
        }
        // Duplicates are removed before "auth" is expanded, as ZooKeeper's removeDuplicates does.
        List<Acl> unique = new ArrayList<>(acl.size());
        for (Acl a : acl) {
            if (!unique.contains(a)) {
                unique.add(a);
            }
        }
        List<Id> ids = identities == null ? List.of() : identities;
        List<Acl> fixed = new ArrayList<>(unique.size());
        for (Acl a : unique) {
            if (a == null || a.id() == null || a.id().scheme() == null) {
                throw invalid("an ACL entry without an id");
            }
            Id id = a.id();
            String scheme = id.scheme();
            if ("world".equals(scheme) && "anyone".equals(id.id())) {
                fixed.add(a);
            } else if ("auth".equals(scheme)) {
                boolean expanded = false;
                for (Id have : ids) {
                    // Only providers whose ids prove who the client is count (ZooKeeper's
                    // isAuthenticated): digest does, ip does not, super has no provider.
                    if ("digest".equals(have.scheme())) {
                        fixed.add(new Acl(a.perms(), have));
                        expanded = true;
                    }
                }
                if (!expanded) {
                    throw invalid("\"auth\" needs an authenticated identity (addauth digest first)");
                }
            } else if (id.id() != null && isValidId(scheme, id.id())) {
                fixed.add(a);
            } else {
                throw invalid("not a valid ACL id: " + id);
            }
        }
        return List.copyOf(fixed);
    }

    /** ZooKeeper's digest of "user:password": {@code user:base64(sha1("user:password"))}. */
    public static String digest(String userColonPassword) {
        String user = userColonPassword.split(":", 2)[0];
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest(userColonPassword.getBytes(StandardCharsets.UTF_8));
            return user + ":" + Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-1 (MessageDigest's documented guarantee).
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }

    /**
     * The identity an {@code addauth} yields. Only {@code digest} with "user:password" is accepted;
     * anything else is AUTH_FAILED. The super user gets its digest identity (see the class comment),
     * which {@link #checkPerm} treats as super when it equals {@code superDigest}. ZooKeeper accepts a
     * digest credential without a colon; Paddock refuses it, since it can never be a user:password.
     * ip identities come from the connection's address, never from what a client claims, so
     * {@code addauth ip} is refused here and front ends add {@code ip:<address>} themselves.
     */
    public static Id identityFor(String scheme, byte[] auth, String superDigest) throws TreeException {
        if (!"digest".equals(scheme)) {
            throw new TreeException(ErrorCode.AUTH_FAILED, null, "unsupported auth scheme: " + scheme);
        }
        if (auth == null) {
            throw new TreeException(ErrorCode.AUTH_FAILED, null, "digest auth needs user:password");
        }
        String credential = new String(auth, StandardCharsets.UTF_8);
        if (credential.indexOf(':') < 0) {
            throw new TreeException(ErrorCode.AUTH_FAILED, null, "digest auth needs user:password");
        }
        return new Id("digest", digest(credential));
    }

    /** True when the identity is the super user, in either of the forms described above. */
    public static boolean isSuper(Id id, String superDigest) {
        if (id == null) {
            return false;
        }
        if ("super".equals(id.scheme())) {
            return true;
        }
        return superDigest != null && "digest".equals(id.scheme()) && superDigest.equals(id.id());
    }

    private static boolean matches(String scheme, String have, String aclExpr) {
        return switch (scheme) {
            case "digest" -> have.equals(aclExpr);
            case "ip" -> ipMatches(have, aclExpr);
            default -> false; // no provider for the scheme: nothing matches, as in ZooKeeper
        };
    }

    private static boolean isValidId(String scheme, String id) {
        return switch (scheme) {
            // String.split drops trailing empties, so "user:" is refused, as ZooKeeper refuses it.
            case "digest" -> id.split(":").length == 2;
            case "ip" -> isValidIp(id);
            default -> false;
        };
    }

    private static TreeException invalid(String message) {
        return new TreeException(ErrorCode.INVALID_ACL, null, message);
    }

    // ---- ip (IPAuthenticationProvider) -----------------------------------------------------

    /** True when {@code address} lies in {@code aclExpr} ("addr" or "addr/bits"), IPv4 or IPv6. */
    static boolean ipMatches(String address, String aclExpr) {
        String[] parts = aclExpr.split("/", 2);
        byte[] aclAddr = addrToBytes(parts[0]);
        if (aclAddr == null) {
            return false;
        }
        int bits = aclAddr.length * 8;
        if (parts.length == 2) {
            bits = prefixBits(parts[1], aclAddr.length);
            if (bits < 0) {
                return false;
            }
        }
        byte[] remote = addrToBytes(address);
        if (remote == null || remote.length != aclAddr.length) {
            return false;
        }
        mask(aclAddr, bits);
        mask(remote, bits);
        for (int i = 0; i < remote.length; i++) {
            if (remote[i] != aclAddr[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isValidIp(String id) {
        String[] parts = id.split("/", 2);
        byte[] addr = addrToBytes(parts[0]);
        return addr != null && (parts.length == 1 || prefixBits(parts[1], addr.length) >= 0);
    }

    /** The prefix length, or -1 when it is not a number within the address's bits. */
    private static int prefixBits(String s, int addrBytes) {
        try {
            int bits = Integer.parseInt(s);
            return bits < 0 || bits > addrBytes * 8 ? -1 : bits;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void mask(byte[] b, int bits) {
        int start = bits / 8;
        int startMask = ~((1 << (8 - (bits % 8))) - 1);
        while (start < b.length) {
            b[start] &= (byte) startMask;
            startMask = 0;
            start++;
        }
    }

    private static byte[] addrToBytes(String addr) {
        if (addr.indexOf(':') >= 0) {
            return v6ToBytes(addr);
        }
        if (addr.indexOf('.') >= 0) {
            return v4ToBytes(addr);
        }
        return null;
    }

    private static byte[] v4ToBytes(String addr) {
        String[] parts = addr.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            try {
                int v = Integer.parseInt(parts[i]);
                if (v < 0 || v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return b;
    }

    // IPv6 as ZooKeeper 3.9 parses it: eight hex groups, or fewer around a single "::".
    private static byte[] v6ToBytes(String addr) {
        String[] halves = addr.split("::", -1);
        String[] head;
        String[] tail = new String[0];
        if (halves.length == 1) {
            head = halves[0].split(":", -1);
            if (head.length != 8) {
                return null;
            }
        } else if (halves.length == 2) {
            head = halves[0].isEmpty() ? new String[0] : halves[0].split(":", -1);
            tail = halves[1].isEmpty() ? new String[0] : halves[1].split(":", -1);
            if (head.length + tail.length >= 8) {
                return null;
            }
        } else {
            return null;
        }
        byte[] b = new byte[16];
        if (!v6Groups(b, 0, head) || !v6Groups(b, 16 - tail.length * 2, tail)) {
            return null;
        }
        return b;
    }

    private static boolean v6Groups(byte[] b, int at, String[] groups) {
        for (String g : groups) {
            if (g.isEmpty() || g.length() > 4) {
                return false;
            }
            int v;
            try {
                v = Integer.parseInt(g, 16);
            } catch (NumberFormatException e) {
                return false;
            }
            b[at++] = (byte) (v >> 8);
            b[at++] = (byte) v;
        }
        return true;
    }
}
