package io.paddock.tree;

import java.util.List;

/** One ACL entry: the permissions {@link Perms} granted to an identity. */
public record Acl(int perms, Id id) {
    /** world:anyone with every permission (ZooKeeper's OPEN_ACL_UNSAFE). */
    public static final List<Acl> OPEN_ACL_UNSAFE = List.of(new Acl(Perms.ALL, Id.ANYONE));
    /** world:anyone may read (ZooKeeper's READ_ACL_UNSAFE). */
    public static final List<Acl> READ_ACL_UNSAFE = List.of(new Acl(Perms.READ, Id.ANYONE));
}
