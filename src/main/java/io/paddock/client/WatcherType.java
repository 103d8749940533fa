package io.paddock.client;

/** Which of a session's watches on a path {@link PaddockClient#removeWatchesAsync} removes. */
public enum WatcherType {
    /** Data and exists watches (ZooKeeper's WatcherType.Data). */
    DATA,
    /** Exists watches only. */
    EXISTS,
    /** Child watches. */
    CHILD,
    /** The persistent watch (addWatch PERSISTENT). */
    PERSISTENT,
    /** The persistent recursive watch. */
    PERSISTENT_RECURSIVE,
    /** All of them. */
    ANY
}
