package io.paddock.zab;

/** ZooKeeper's peer states. */
public enum ServerState {
    LOOKING, FOLLOWING, LEADING, OBSERVING
}
