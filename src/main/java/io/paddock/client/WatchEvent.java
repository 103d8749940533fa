package io.paddock.client;

import io.paddock.tree.EventType;

/**
 * One notification for a client's session: a change of a watched znode ({@code type} other than
 * {@link EventType#None}, {@code state} {@link EventState#SyncConnected}), or a change of the
 * session's state ({@code type} None, {@code path} null). {@code zxid} is the transaction that
 * fired it, or -1 when there is none.
 */
public record WatchEvent(EventType type, EventState state, String path, long zxid) {

    /** A session-state event. */
    public static WatchEvent state(EventState state) {
        return new WatchEvent(EventType.None, state, null, -1L);
    }

    /** As zkCli prints it: {@code WatchedEvent state:SyncConnected type:NodeDataChanged path:/a}. */
    @Override
    public String toString() {
        return "WatchedEvent state:" + state + " type:" + type + " path:" + path;
    }
}
