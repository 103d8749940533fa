package io.paddock.tree;

/**
 * The kinds of watch a session can hold. DATA is left by getData and by exists on an existing
 * node, EXISTS by exists on a missing node, CHILD by getChildren; PERSISTENT and
 * PERSISTENT_RECURSIVE by addWatch (ZooKeeper 3.6).
 */
public enum WatchKind {
    DATA,
    EXISTS,
    CHILD,
    PERSISTENT,
    PERSISTENT_RECURSIVE
}
