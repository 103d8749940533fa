package io.paddock.tree;

/** An identity in an ACL or held by a session: scheme (world, auth, digest, ip, super) and id. */
public record Id(String scheme, String id) {
    public static final Id ANYONE = new Id("world", "anyone");

    @Override
    public String toString() {
        return scheme + ":" + id;
    }
}
