package io.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.tree.WatchManager.Delivery;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class WatchManagerTest {

    private final WatchManager watches = new WatchManager();

    private static WatchedEvent event(EventType type, String path) {
        return new WatchedEvent(type, path, 0x100000001L);
    }

    private List<Long> fire(EventType type, String path) {
        List<Long> sessions = new ArrayList<>();
        WatchedEvent e = event(type, path);
        for (Delivery d : watches.trigger(e)) {
            assertEquals(e, d.event());
            sessions.add(d.sessionId());
        }
        return sessions;
    }

    @Test
    void nodeCreatedFiresDataAndExistsWatchesOnThePath() {
        watches.add("/a", 1, WatchKind.EXISTS);
        watches.add("/a", 2, WatchKind.DATA);
        watches.add("/b", 3, WatchKind.EXISTS);
        assertEquals(List.of(1L, 2L), fire(EventType.NodeCreated, "/a"));
        assertTrue(watches.contains("/b", 3, WatchKind.EXISTS));
    }

    @Test
    void nodeCreatedLeavesChildWatchesAlone() {
        watches.add("/a", 1, WatchKind.CHILD);
        assertEquals(List.of(), fire(EventType.NodeCreated, "/a"));
        assertTrue(watches.contains("/a", 1, WatchKind.CHILD));
    }

    @Test
    void nodeDataChangedFiresDataAndExistsButNotChildWatches() {
        watches.add("/a", 1, WatchKind.DATA);
        watches.add("/a", 2, WatchKind.EXISTS);
        watches.add("/a", 3, WatchKind.CHILD);
        assertEquals(List.of(1L, 2L), fire(EventType.NodeDataChanged, "/a"));
        assertTrue(watches.contains("/a", 3, WatchKind.CHILD));
        assertFalse(watches.contains("/a", 1, WatchKind.DATA));
    }

    @Test
    void nodeDeletedFiresDataExistsAndChildWatchesOnThePath() {
        watches.add("/a", 1, WatchKind.DATA);
        watches.add("/a", 2, WatchKind.EXISTS);
        watches.add("/a", 3, WatchKind.CHILD);
        watches.add("/a/b", 4, WatchKind.DATA);
        assertEquals(List.of(1L, 2L, 3L), fire(EventType.NodeDeleted, "/a"));
        assertEquals(1, watches.watchCount());
        assertTrue(watches.contains("/a/b", 4, WatchKind.DATA));
    }

    @Test
    void nodeChildrenChangedFiresOnlyChildWatchesOnThePath() {
        watches.add("/a", 1, WatchKind.DATA);
        watches.add("/a", 2, WatchKind.EXISTS);
        watches.add("/a", 3, WatchKind.CHILD);
        watches.add("/", 4, WatchKind.CHILD);
        assertEquals(List.of(3L), fire(EventType.NodeChildrenChanged, "/a"));
        assertTrue(watches.contains("/a", 1, WatchKind.DATA));
        assertTrue(watches.contains("/a", 2, WatchKind.EXISTS));
        assertTrue(watches.contains("/", 4, WatchKind.CHILD));
    }

    @Test
    void oneShotWatchFiresOnce() {
        watches.add("/a", 1, WatchKind.DATA);
        assertEquals(List.of(1L), fire(EventType.NodeDataChanged, "/a"));
        assertEquals(List.of(), fire(EventType.NodeDataChanged, "/a"));
        assertEquals(0, watches.watchCount());
        assertEquals(Map.of(), watches.byPath());
    }

    @Test
    void oneShotWatchCanBeSetAgainAfterFiring() {
        watches.add("/a", 1, WatchKind.CHILD);
        assertEquals(List.of(1L), fire(EventType.NodeChildrenChanged, "/a"));
        watches.add("/a", 1, WatchKind.CHILD);
        assertEquals(List.of(1L), fire(EventType.NodeChildrenChanged, "/a"));
    }

    @Test
    void persistentWatchGetsEveryEventOnItsPathAndStays() {
        watches.add("/a", 1, WatchKind.PERSISTENT);
        for (EventType type : List.of(EventType.NodeCreated, EventType.NodeDataChanged,
                EventType.NodeChildrenChanged, EventType.NodeDeleted, EventType.NodeCreated)) {
            assertEquals(List.of(1L), fire(type, "/a"), type.name());
        }
        assertTrue(watches.contains("/a", 1, WatchKind.PERSISTENT));
    }

    @Test
    void persistentWatchIgnoresDescendants() {
        watches.add("/a", 1, WatchKind.PERSISTENT);
        assertEquals(List.of(), fire(EventType.NodeCreated, "/a/b"));
        assertEquals(List.of(), fire(EventType.NodeDataChanged, "/a/b"));
        assertEquals(List.of(), fire(EventType.NodeDeleted, "/a/b"));
    }

    @Test
    void recursiveWatchOnAncestorSeesDescendantsCreateChangeAndDelete() {
        watches.add("/a", 1, WatchKind.PERSISTENT_RECURSIVE);
        assertEquals(List.of(1L), fire(EventType.NodeCreated, "/a/b"));
        assertEquals(List.of(1L), fire(EventType.NodeDataChanged, "/a/b/c/d"));
        assertEquals(List.of(1L), fire(EventType.NodeDeleted, "/a/b"));
        assertTrue(watches.contains("/a", 1, WatchKind.PERSISTENT_RECURSIVE));
    }

    @Test
    void recursiveWatchOnThePathItselfFires() {
        watches.add("/a", 1, WatchKind.PERSISTENT_RECURSIVE);
        assertEquals(List.of(1L), fire(EventType.NodeCreated, "/a"));
        assertEquals(List.of(1L), fire(EventType.NodeDataChanged, "/a"));
        assertEquals(List.of(1L), fire(EventType.NodeDeleted, "/a"));
    }

    @Test
    void recursiveWatchNeverGetsChildrenChanged() {
        watches.add("/a", 1, WatchKind.PERSISTENT_RECURSIVE);
        assertEquals(List.of(), fire(EventType.NodeChildrenChanged, "/a"));
        assertEquals(List.of(), fire(EventType.NodeChildrenChanged, "/a/b"));
    }

    @Test
    void recursiveWatchOnRootSeesTheWholeTree() {
        watches.add("/", 1, WatchKind.PERSISTENT_RECURSIVE);
        assertEquals(List.of(1L), fire(EventType.NodeDataChanged, "/"));
        assertEquals(List.of(1L), fire(EventType.NodeCreated, "/x"));
        assertEquals(List.of(1L), fire(EventType.NodeDeleted, "/x/y/z"));
    }

    @Test
    void recursiveWatchDoesNotReachPathsThatOnlyShareAPrefix() {
        watches.add("/a", 1, WatchKind.PERSISTENT_RECURSIVE);
        assertEquals(List.of(), fire(EventType.NodeCreated, "/ab"));
        assertEquals(List.of(), fire(EventType.NodeCreated, "/"));
    }

    @Test
    void sessionGetsOneDeliveryWhenSeveralWatchesMatch() {
        watches.add("/a/b", 1, WatchKind.DATA);
        watches.add("/a/b", 1, WatchKind.CHILD);
        watches.add("/a/b", 1, WatchKind.PERSISTENT);
        watches.add("/a/b", 1, WatchKind.PERSISTENT_RECURSIVE);
        watches.add("/a", 1, WatchKind.PERSISTENT_RECURSIVE);
        watches.add("/", 1, WatchKind.PERSISTENT_RECURSIVE);
        assertEquals(List.of(1L), fire(EventType.NodeDeleted, "/a/b"));
    }

    @Test
    void everyMatchingOneShotIsConsumedEvenWhenTheSessionIsToldOnce() {
        watches.add("/a", 1, WatchKind.DATA);
        watches.add("/a", 1, WatchKind.CHILD);
        watches.add("/", 1, WatchKind.PERSISTENT_RECURSIVE);
        assertEquals(List.of(1L), fire(EventType.NodeDeleted, "/a"));
        assertFalse(watches.contains("/a", 1, WatchKind.DATA));
        assertFalse(watches.contains("/a", 1, WatchKind.CHILD));
        assertEquals(1, watches.watchCount());
    }

    @Test
    void oneShotWatchIsConsumedWhenARecursiveWatchOfTheSameSessionAlsoMatches() {
        watches.add("/a", 1, WatchKind.EXISTS);
        watches.add("/", 1, WatchKind.PERSISTENT_RECURSIVE);
        assertEquals(List.of(1L), fire(EventType.NodeCreated, "/a"));
        assertFalse(watches.contains("/a", 1, WatchKind.EXISTS));
    }

    @Test
    void persistentAndOneShotOnOnePathLeaveThePersistentOneAfterFiring() {
        watches.add("/a", 1, WatchKind.DATA);
        watches.add("/a", 1, WatchKind.PERSISTENT);
        assertEquals(List.of(1L), fire(EventType.NodeDataChanged, "/a"));
        assertFalse(watches.contains("/a", 1, WatchKind.DATA));
        assertTrue(watches.contains("/a", 1, WatchKind.PERSISTENT));
    }

    @Test
    void deliveriesComeInAscendingSessionIdOrder() {
        long[] ids = {42, -7, 0x7fffffffffffffffL, 3, 0, Long.MIN_VALUE + 1, 1000};
        for (long id : ids) {
            watches.add("/a", id, id % 2 == 0 ? WatchKind.DATA : WatchKind.PERSISTENT);
        }
        watches.add("/", 5, WatchKind.PERSISTENT_RECURSIVE);
        List<Long> expected = new ArrayList<>();
        for (long id : ids) {
            expected.add(id);
        }
        expected.add(5L);
        expected.sort(null);
        assertEquals(expected, fire(EventType.NodeDataChanged, "/a"));
    }

    @Test
    void dataAndExistsAreOneWatchAsInZooKeepersDataTable() {
        watches.add("/a", 1, WatchKind.DATA);
        watches.add("/a", 1, WatchKind.EXISTS);
        assertEquals(1, watches.watchCount());
        assertTrue(watches.contains("/a", 1, WatchKind.EXISTS));
        assertTrue(watches.remove("/a", 1, WatchKind.EXISTS));
        assertFalse(watches.contains("/a", 1, WatchKind.DATA));
    }

    @Test
    void removeTakesOneKindAndSaysWhetherItWasHeld() {
        watches.add("/a", 1, WatchKind.DATA);
        watches.add("/a", 1, WatchKind.CHILD);
        watches.add("/a", 1, WatchKind.PERSISTENT_RECURSIVE);
        assertFalse(watches.remove("/a", 1, WatchKind.PERSISTENT));
        assertFalse(watches.remove("/a", 2, WatchKind.DATA));
        assertFalse(watches.remove("/b", 1, WatchKind.DATA));
        assertTrue(watches.remove("/a", 1, WatchKind.CHILD));
        assertFalse(watches.remove("/a", 1, WatchKind.CHILD));
        assertTrue(watches.contains("/a", 1, WatchKind.DATA));
        assertTrue(watches.remove("/a", 1, WatchKind.PERSISTENT_RECURSIVE));
        assertEquals(List.of(), fire(EventType.NodeDataChanged, "/a/b"));
        assertTrue(watches.remove("/a", 1, WatchKind.DATA));
        assertEquals(0, watches.watchCount());
        assertEquals(Map.of(), watches.bySession());
    }

    @Test
    void removeSessionDropsAllItsWatchesAndNoOthers() {
        watches.add("/a", 1, WatchKind.DATA);
        watches.add("/b", 1, WatchKind.CHILD);
        watches.add("/c", 1, WatchKind.PERSISTENT);
        watches.add("/", 1, WatchKind.PERSISTENT_RECURSIVE);
        watches.add("/a", 2, WatchKind.DATA);
        watches.removeSession(1);
        watches.removeSession(99);
        assertEquals(0, watches.watchCount(1));
        assertEquals(1, watches.watchCount());
        assertEquals(List.of(2L), fire(EventType.NodeDataChanged, "/a"));
        assertEquals(List.of(), fire(EventType.NodeChildrenChanged, "/b"));
        assertEquals(List.of(), fire(EventType.NodeDeleted, "/c"));
        assertEquals(Map.of(), watches.byPath());
    }

    @Test
    void watchCountCountsAsZooKeepersMntrDoes() {
        watches.add("/a", 1, WatchKind.DATA);              // data table
        watches.add("/a", 1, WatchKind.CHILD);             // child table
        watches.add("/b", 1, WatchKind.PERSISTENT);        // both tables
        watches.add("/c", 2, WatchKind.PERSISTENT_RECURSIVE); // data table
        watches.add("/c", 2, WatchKind.EXISTS);            // same data-table entry
        assertEquals(4, watches.watchCount(1));
        assertEquals(1, watches.watchCount(2));
        assertEquals(5, watches.watchCount());
        assertEquals(0, watches.watchCount(3));
        watches.add("/a", 1, WatchKind.DATA);              // already held
        assertEquals(5, watches.watchCount());
    }

    @Test
    void byPathAndBySessionListEveryWatchInOrder() {
        watches.add("/b", 3, WatchKind.CHILD);
        watches.add("/b", 1, WatchKind.DATA);
        watches.add("/a", 2, WatchKind.PERSISTENT_RECURSIVE);
        watches.add("/a", 1, WatchKind.EXISTS);
        SortedMap<String, SortedSet<Long>> byPath = watches.byPath();
        assertEquals(List.of("/a", "/b"), new ArrayList<>(byPath.keySet()));
        assertEquals(List.of(1L, 2L), new ArrayList<>(byPath.get("/a")));
        assertEquals(List.of(1L, 3L), new ArrayList<>(byPath.get("/b")));
        SortedMap<Long, SortedSet<String>> bySession = watches.bySession();
        assertEquals(List.of(1L, 2L, 3L), new ArrayList<>(bySession.keySet()));
        assertEquals(List.of("/a", "/b"), new ArrayList<>(bySession.get(1L)));
    }

    @Test
    void eventTypesNoTreeChangeMakesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> watches.trigger(event(EventType.None, "/a")));
        assertThrows(IllegalArgumentException.class,
                () -> watches.trigger(event(EventType.DataWatchRemoved, "/a")));
    }

    @Test
    void hundredThousandWatchersOfOneZnodeAreAllToldOnceAndGone() {
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            watches.add("/hot", i, WatchKind.DATA);
            watches.add("/", i, WatchKind.CHILD);
        }
        watches.add("/hot", 7, WatchKind.PERSISTENT);
        assertEquals(2 * n + 1, watches.watchCount());
        List<Delivery> deliveries = watches.trigger(event(EventType.NodeDataChanged, "/hot"));
        assertEquals(n, deliveries.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, deliveries.get(i).sessionId());
        }
        assertEquals(n + 2, watches.watchCount());
        assertEquals(List.of(7L), fire(EventType.NodeDataChanged, "/hot"));
        assertEquals(n, watches.trigger(event(EventType.NodeChildrenChanged, "/")).size());
        assertEquals(2, watches.watchCount());
    }

    /** Random operations against a plain reference model, step by step. */
    @Test
    void agreesWithASimpleModelOverManyRandomOperations() {
        String[] paths = {"/", "/a", "/a/b", "/a/b/c", "/ab", "/x", "/x/y"};
        WatchKind[] kinds = WatchKind.values();
        EventType[] types = {EventType.NodeCreated, EventType.NodeDeleted, EventType.NodeDataChanged,
                EventType.NodeChildrenChanged};
        Model model = new Model();
        Random random = new Random(20240601L);
        for (int step = 0; step < 10_000; step++) {
            String path = paths[random.nextInt(paths.length)];
            long session = random.nextInt(40) - 5;
            WatchKind kind = kinds[random.nextInt(kinds.length)];
            int op = random.nextInt(100);
            String what = "step " + step;
            if (op < 55) {
                watches.add(path, session, kind);
                model.add(path, session, kind);
            } else if (op < 70) {
                assertEquals(model.remove(path, session, kind), watches.remove(path, session, kind), what);
            } else if (op < 73) {
                watches.removeSession(session);
                model.removeSession(session);
            } else {
                WatchedEvent e = event(types[random.nextInt(types.length)], path);
                List<Long> got = new ArrayList<>();
                watches.trigger(e).forEach(d -> got.add(d.sessionId()));
                assertEquals(model.trigger(e), got, what + " " + e);
            }
            assertEquals(model.contains(path, session, kind), watches.contains(path, session, kind), what);
            if (op >= 55 || step % 5 == 0) { // counting the model is slow; check after every removal
                assertEquals(model.count(null), watches.watchCount(), what);
                assertEquals(model.count(session), watches.watchCount(session), what);
            }
            if (step % 97 == 0) {
                assertEquals(model.byPath(), watches.byPath(), what);
            }
        }
    }

    /** The rules written out the slow, obvious way: a set of (path, session, kind) triples. */
    private static final class Model {
        private record Entry(String path, long session, WatchKind kind) {
        }

        private final Set<Entry> entries = new HashSet<>();

        private static Entry entry(String path, long session, WatchKind kind) {
            return new Entry(path, session, kind == WatchKind.EXISTS ? WatchKind.DATA : kind);
        }

        void add(String path, long session, WatchKind kind) {
            entries.add(entry(path, session, kind));
        }

        boolean remove(String path, long session, WatchKind kind) {
            return entries.remove(entry(path, session, kind));
        }

        boolean contains(String path, long session, WatchKind kind) {
            return entries.contains(entry(path, session, kind));
        }

        void removeSession(long session) {
            entries.removeIf(e -> e.session() == session);
        }

        List<Long> trigger(WatchedEvent e) {
            TreeSet<Long> told = new TreeSet<>();
            List<Entry> consumed = new ArrayList<>();
            for (Entry entry : entries) {
                boolean here = entry.path().equals(e.path());
                boolean ancestor = !here && (entry.path().equals("/") || e.path().startsWith(entry.path() + "/"));
                boolean fires = switch (entry.kind()) {
                    case DATA -> here && e.type() != EventType.NodeChildrenChanged;
                    case CHILD -> here && (e.type() == EventType.NodeChildrenChanged
                            || e.type() == EventType.NodeDeleted);
                    case PERSISTENT -> here;
                    case PERSISTENT_RECURSIVE -> (here || ancestor) && e.type() != EventType.NodeChildrenChanged;
                    default -> throw new AssertionError(entry);
                };
                if (fires) {
                    told.add(entry.session());
                    if (entry.kind() == WatchKind.DATA || entry.kind() == WatchKind.CHILD) {
                        consumed.add(entry);
                    }
                }
            }
            consumed.forEach(entries::remove);
            return new ArrayList<>(told);
        }

        /** ZooKeeper's count: distinct (path, session) pairs in its data table plus in its child table. */
        int count(Long onlySession) {
            Set<Entry> dataTable = new HashSet<>();
            Set<Entry> childTable = new HashSet<>();
            for (Entry entry : entries) {
                if (onlySession != null && entry.session() != onlySession) {
                    continue;
                }
                Entry pair = new Entry(entry.path(), entry.session(), null);
                if (entry.kind() != WatchKind.CHILD) {
                    dataTable.add(pair);
                }
                if (entry.kind() == WatchKind.CHILD || entry.kind() == WatchKind.PERSISTENT) {
                    childTable.add(pair);
                }
            }
            return dataTable.size() + childTable.size();
        }

        SortedMap<String, SortedSet<Long>> byPath() {
            SortedMap<String, SortedSet<Long>> result = new TreeMap<>();
            for (Entry entry : entries) {
                result.computeIfAbsent(entry.path(), p -> new TreeSet<>()).add(entry.session());
            }
            return result;
        }
    }
}
