package io.paddock.server;

import io.paddock.tree.WatchedEvent;

/** What a session's event stream carries. */
public sealed interface SessionEvent {

    /** A watch notification. */
    record Watch(WatchedEvent event) implements SessionEvent {
    }

    /**
     * Events after the client's last-seen zxid are no longer held: the client must re-read what
     * it watches. {@code zxid} is the last zxid the server has applied.
     */
    record Resync(long zxid) implements SessionEvent {
    }

    /** The session ended: {@code state} is "Expired" or "Closed". Always the last event. */
    record State(String state, long zxid) implements SessionEvent {
    }
}
