package io.paddock.tree;

/** A watch notification owed to a session: what happened, where, and the zxid that did it. */
public record WatchedEvent(EventType type, String path, long zxid) {
}
