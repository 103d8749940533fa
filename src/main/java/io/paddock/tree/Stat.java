package io.paddock.tree;

/**
 * A znode's metadata exactly as ZooKeeper's Stat record has it (same fields, same order).
 * {@code ephemeralOwner} here is what a client sees: 0 for container and TTL nodes.
 */
public record Stat(
        long czxid,
        long mzxid,
        long ctime,
        long mtime,
        int version,
        int cversion,
        int aversion,
        long ephemeralOwner,
        int dataLength,
        int numChildren,
        long pzxid) {
}
