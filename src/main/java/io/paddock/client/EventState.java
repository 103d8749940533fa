package io.paddock.client;

/** The session state a {@link WatchEvent} was delivered in: ZooKeeper's KeeperState names. */
public enum EventState {
    /** The session is served; node events always carry this state. */
    SyncConnected,
    /** The client lost its server; the session may still be alive. */
    Disconnected,
    /** The session has expired: its ephemerals and watches are gone. */
    Expired,
    /** The client closed the session. */
    Closed
}
