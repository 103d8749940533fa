package io.paddock.tree;

import java.util.List;

/** What applying one transaction record produced: the answer owed to the client and the watch events, in trigger order. */
public record ApplyResult(OpResult result, List<WatchedEvent> events) {
}
