package io.paddock.client;

import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;

import java.util.List;
import java.util.Objects;

/**
 * How to create a znode: its mode, a TTL (required above 0 with the TTL modes, 0 otherwise), its
 * ACL, and whether missing parents are created with it (persistent, open ACL, same transaction).
 */
public record CreateOptions(CreateMode mode, long ttlMs, List<Acl> acl, boolean parents) {

    public CreateOptions {
        Objects.requireNonNull(mode, "mode");
        acl = List.copyOf(acl);
    }

    /** The mode with the open ACL, no TTL, no parents. */
    public static CreateOptions of(CreateMode mode) {
        return new CreateOptions(mode, 0L, Acl.OPEN_ACL_UNSAFE, false);
    }

    public CreateOptions withTtl(long ttlMs) {
        return new CreateOptions(mode, ttlMs, acl, parents);
    }

    public CreateOptions withAcl(List<Acl> acl) {
        return new CreateOptions(mode, ttlMs, acl, parents);
    }

    public CreateOptions withParents() {
        return new CreateOptions(mode, ttlMs, acl, true);
    }
}
