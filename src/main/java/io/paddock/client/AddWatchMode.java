package io.paddock.client;

/** ZooKeeper 3.6's addWatch modes. */
public enum AddWatchMode {
    /** Every change of the node itself (data, children, creation, deletion), not used up. */
    PERSISTENT,
    /** Every change at or below the node (no NodeChildrenChanged), not used up. */
    PERSISTENT_RECURSIVE
}
