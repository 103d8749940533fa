package io.paddock.recipes;

/**
 * One participant of a {@link LeaderLatch}: the id it stored in its node, the node's name, and
 * whether it is the leader (its node is the lowest).
 */
public record Participant(String id, String nodeName, boolean isLeader) {
}
