package io.paddock.recipes;

import java.util.List;

/**
 * Whether a queued contender holds what it asked for, and if not, which nodes it must watch: the
 * one decision of every lock-like recipe, as a pure function of the queue (children in sequence
 * order, see {@link SequentialNodes#queue}) and the contender's own node name.
 *
 * <p>The rules rely on one fact: nodes only leave the part of the queue before a contender (later
 * nodes get larger sequence numbers), so once a rule says {@link Acquired} it stays true until
 * the contender's own node goes. A rule that says {@link WaitFor} names nodes at least one of which
 * must disappear before its answer can change: the waiter is woken by exactly those nodes (no herd).
 */
@FunctionalInterface
public interface LockRule {

    Decision decide(List<String> queue, String ours);

    /** The outcome of {@link #decide}. */
    sealed interface Decision permits Acquired, WaitFor, Missing {
    }

    /** The contender holds it. */
    record Acquired() implements Decision {
    }

    /** The contender waits until one of these nodes (names in the queue) is gone, then decides again. */
    record WaitFor(List<String> nodes) implements Decision {
        public WaitFor {
            nodes = List.copyOf(nodes);
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("a wait needs a node to watch");
            }
        }
    }

    /** The contender's node is not in the queue (its session expired, or someone deleted it). */
    record Missing() implements Decision {
    }

    /** One holder at a time: a mutex, or the write side of a read-write lock. */
    static LockRule exclusive() {
        return shared(1);
    }

    /**
     * At most {@code maxLeases} holders: the first {@code maxLeases} of the queue hold. A waiter
     * watches the {@code maxLeases} nodes right before it: fewer than maxLeases nodes can precede it
     * only once one of those has gone, so a deletion elsewhere never needs to wake it.
     */
    static LockRule shared(int maxLeases) {
        if (maxLeases < 1) {
            throw new IllegalArgumentException("maxLeases must be at least 1, not " + maxLeases);
        }
        return (queue, ours) -> {
            int index = queue.indexOf(ours);
            if (index < 0) {
                return new Missing();
            }
            if (index < maxLeases) {
                return new Acquired();
            }
            return new WaitFor(queue.subList(index - maxLeases, index));
        };
    }

    /**
     * The read side of a read-write lock: a reader holds when no writer is ahead of it, whatever
     * readers are; it watches the last writer ahead of it (that writer can only go once every writer
     * before it has, or by giving up, and then the reader looks again).
     */
    static LockRule reader(String writeMarker) {
        return (queue, ours) -> {
            int index = queue.indexOf(ours);
            if (index < 0) {
                return new Missing();
            }
            for (int i = index - 1; i >= 0; i--) {
                if (SequentialNodes.sequenceOf(queue.get(i), writeMarker).isPresent()) {
                    return new WaitFor(List.of(queue.get(i)));
                }
            }
            return new Acquired();
        };
    }
}
