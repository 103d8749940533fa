package io.paddock.client;

import io.paddock.client.ClientWatches.Kind;
import io.paddock.tree.EventType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Matching events to watchers, as ZooKeeper's client does, and what a move to another server re-arms. */
class ClientWatchesTest {

    private final ClientWatches watches = new ClientWatches();
    private final Watcher a = e -> { };
    private final Watcher b = e -> { };
    private final Watcher c = e -> { };

    @Test
    void dataChangesReachDataAndExistsWatchersOnceOnly() {
        watches.add(Kind.DATA, "/x", a);
        watches.add(Kind.EXIST, "/x", b);
        watches.add(Kind.CHILD, "/x", c);
        assertEquals(List.of(a, b), watches.materialize(EventType.NodeDataChanged, "/x"));
        assertEquals(List.of(), watches.materialize(EventType.NodeDataChanged, "/x"));
        assertEquals(List.of(c), watches.materialize(EventType.NodeDeleted, "/x"));
    }

    @Test
    void deletionReachesEveryOneShotKindAndChildrenChangesOnlyChildWatchers() {
        watches.add(Kind.DATA, "/x", a);
        watches.add(Kind.CHILD, "/x", b);
        assertEquals(List.of(b), watches.materialize(EventType.NodeChildrenChanged, "/x"));
        watches.add(Kind.CHILD, "/x", b);
        assertEquals(List.of(a, b), watches.materialize(EventType.NodeDeleted, "/x"));
    }

    @Test
    void persistentWatchersStayAndRecursiveOnesHearDescendantsButNotChildListChanges() {
        watches.add(Kind.PERSISTENT, "/p", a);
        watches.add(Kind.PERSISTENT_RECURSIVE, "/", b);
        assertEquals(List.of(a, b), watches.materialize(EventType.NodeDataChanged, "/p"));
        assertEquals(List.of(a, b), watches.materialize(EventType.NodeDataChanged, "/p"));
        assertEquals(List.of(a), watches.materialize(EventType.NodeChildrenChanged, "/p"));
        assertEquals(List.of(b), watches.materialize(EventType.NodeCreated, "/p/q/r"));
    }

    @Test
    void aGetDataOnAMissingNodeBecomesAnExistsWatch() {
        watches.add(Kind.DATA, "/m", a);
        watches.move(Kind.DATA, Kind.EXIST, "/m", a);
        watches.armed(Kind.EXIST, "/m", 7);
        ClientWatches.Snapshot s = watches.snapshot(0);
        assertEquals(List.of(), s.data());
        assertEquals(List.of("/m"), s.exist());
    }

    @Test
    void reArmingComparesAgainstTheLaterOfTheLastEventAndTheEarliestArming() {
        watches.add(Kind.DATA, "/a", a);
        watches.armed(Kind.DATA, "/a", 20);
        watches.add(Kind.CHILD, "/b", b);
        watches.armed(Kind.CHILD, "/b", 30);
        assertEquals(20, watches.snapshot(10).relativeZxid());
        assertEquals(25, watches.snapshot(25).relativeZxid());
        // A watch whose answer is still in flight: nothing after the last event may be skipped.
        watches.add(Kind.EXIST, "/c", c);
        assertEquals(10, watches.snapshot(10).relativeZxid());
    }

    @Test
    void removingAndClearing() {
        watches.add(Kind.DATA, "/r", a);
        watches.add(Kind.EXIST, "/r", b);
        watches.add(Kind.EXIST, "/r", a);
        assertEquals(List.of(a, b), watches.removeAll("/r", List.of(Kind.DATA, Kind.EXIST)));
        watches.add(Kind.CHILD, "/r", c);
        assertEquals(List.of(c), watches.all());
        watches.clear();
        assertTrue(watches.snapshot(0).isEmpty());
    }

    @Test
    void ancestorsOfAPath() {
        assertEquals(List.of("/a/b", "/a", "/"), ClientWatches.selfAndAncestors("/a/b"));
        assertEquals(List.of("/"), ClientWatches.selfAndAncestors("/"));
    }
}
