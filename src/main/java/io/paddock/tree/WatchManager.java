package io.paddock.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Who watches what, and who is told when something happens: ZooKeeper 3.9's WatchManager and
 * the trigger calls of its DataTree, as one pure class. Watches belong to sessions, not to
 * connections, so a session that moves keeps them.
 *
 * <p>Which watches an event fires (ZooKeeper keeps a data table and a child table):
 * <ul>
 *   <li>NodeCreated, NodeDataChanged: DATA and EXISTS watches on the path (both live in the
 *       data table, so they are one watch here too), PERSISTENT watches on the path.</li>
 *   <li>NodeDeleted: DATA, EXISTS and CHILD watches on the path, PERSISTENT on the path.</li>
 *   <li>NodeChildrenChanged: CHILD and PERSISTENT watches on the path, nothing else.</li>
 *   <li>PERSISTENT_RECURSIVE watches on the path or any ancestor get NodeCreated, NodeDeleted
 *       and NodeDataChanged, never NodeChildrenChanged (ZooKeeper 3.9 keeps them only in the
 *       data table).</li>
 * </ul>
 * One-shot watches (DATA, EXISTS, CHILD) that fire are removed; persistent ones stay until
 * removed. An event reaches each session at most once however many of its watches match
 * (ZooKeeper's WatcherOrBitSet suppression), and every matching one-shot watch is consumed.
 * Deliveries come in ascending session id order.
 *
 * <p>Cost: a trigger looks at the watchers of the event's path plus, when any recursive watch
 * exists, the recursive watchers of each ancestor; recursive watches live in a table of their
 * own so that a crowd of one-shot watchers on "/" is never scanned for descendants' events.
 * Per path, the sessions sit in a primitive open-addressing table (8 bytes of key and one byte
 * of flags a watch), so 100,000 watchers of one znode cost about a megabyte.
 *
 * <p>Not thread-safe: the tree actor owns it.
 */
public final class WatchManager {

    /** A watch event owed to one session. */
    public record Delivery(long sessionId, WatchedEvent event) {
    }

    // Flag bits of one (path, session) entry in the non-recursive table.
    private static final int STANDARD_DATA = 1;   // DATA or EXISTS: one-shot, data table
    private static final int STANDARD_CHILD = 2;  // CHILD: one-shot, child table
    private static final int PERSISTENT = 4;      // data and child table, never consumed

    /** path -> session -> flags, for DATA, EXISTS, CHILD and PERSISTENT watches. */
    private final Map<String, SessionFlags> watchTable = new HashMap<>();
    /** path -> sessions holding a PERSISTENT_RECURSIVE watch there (flag value 1). */
    private final Map<String, SessionFlags> recursiveTable = new HashMap<>();
    /** session -> every path where it holds any watch, so a session leaves in O(its watches). */
    private final Map<Long, PathSet> pathsBySession = new HashMap<>();
    private int watchCount;

    public void add(String path, long sessionId, WatchKind kind) {
        Objects.requireNonNull(path, "path");
        SessionFlags sessions;
        if (kind == WatchKind.PERSISTENT_RECURSIVE) {
            sessions = recursiveTable.computeIfAbsent(path, SessionFlags::new);
            if (sessions.get(sessionId) != 0) {
                return;
            }
            int flags = flagsAt(watchTable.get(path), sessionId);
            sessions.put(sessionId, 1);
            watchCount += tableCount(flags, true) - tableCount(flags, false);
        } else {
            sessions = watchTable.computeIfAbsent(path, SessionFlags::new);
            int old = sessions.get(sessionId);
            int now = old | bitOf(kind);
            if (now == old) {
                return;
            }
            sessions.put(sessionId, now);
            boolean recursive = flagsAt(recursiveTable.get(path), sessionId) != 0;
            watchCount += tableCount(now, recursive) - tableCount(old, recursive);
        }
        // The table's own string, not the caller's: 100,000 requests naming one path would
        // otherwise keep 100,000 equal strings alive.
        pathsBySession.computeIfAbsent(sessionId, id -> new PathSet()).add(sessions.path);
    }

    /** Whether the session holds this kind of watch on exactly this path (DATA and EXISTS are one). */
    public boolean contains(String path, long sessionId, WatchKind kind) {
        if (kind == WatchKind.PERSISTENT_RECURSIVE) {
            return flagsAt(recursiveTable.get(path), sessionId) != 0;
        }
        return (flagsAt(watchTable.get(path), sessionId) & bitOf(kind)) != 0;
    }

    /** Removes one kind of watch (DATA and EXISTS remove the same one); true if it was held. */
    public boolean remove(String path, long sessionId, WatchKind kind) {
        SessionFlags recursive = recursiveTable.get(path);
        SessionFlags standard = watchTable.get(path);
        int flags = flagsAt(standard, sessionId);
        boolean isRecursive = flagsAt(recursive, sessionId) != 0;
        if (kind == WatchKind.PERSISTENT_RECURSIVE) {
            if (!isRecursive) {
                return false;
            }
            recursive.remove(sessionId);
            if (recursive.size() == 0) {
                recursiveTable.remove(path);
            }
            watchCount += tableCount(flags, false) - tableCount(flags, true);
            if (flags == 0) {
                forgetPath(sessionId, path);
            }
            return true;
        }
        int now = flags & ~bitOf(kind);
        if (now == flags) {
            return false;
        }
        setFlags(standard, path, sessionId, now);
        watchCount += tableCount(now, isRecursive) - tableCount(flags, isRecursive);
        if (now == 0 && !isRecursive) {
            forgetPath(sessionId, path);
        }
        return true;
    }

    /** Drops every watch of a session (it closed or expired). */
    public void removeSession(long sessionId) {
        PathSet paths = pathsBySession.remove(sessionId);
        if (paths == null) {
            return;
        }
        paths.forEach(path -> {
            SessionFlags standard = watchTable.get(path);
            int flags = flagsAt(standard, sessionId);
            if (flags != 0) {
                setFlags(standard, path, sessionId, 0);
            }
            SessionFlags recursive = recursiveTable.get(path);
            boolean isRecursive = flagsAt(recursive, sessionId) != 0;
            if (isRecursive) {
                recursive.remove(sessionId);
                if (recursive.size() == 0) {
                    recursiveTable.remove(path);
                }
            }
            watchCount -= tableCount(flags, isRecursive);
        });
    }

    /**
     * The deliveries an event causes, in ascending session id order, one per session; the
     * one-shot watches that fired are gone afterwards.
     *
     * @throws IllegalArgumentException for event types that no tree change produces
     */
    public List<Delivery> trigger(WatchedEvent event) {
        EventType type = event.type();
        int fires = switch (type) {
            case NodeCreated, NodeDataChanged -> STANDARD_DATA | PERSISTENT;
            case NodeDeleted -> STANDARD_DATA | STANDARD_CHILD | PERSISTENT;
            case NodeChildrenChanged -> STANDARD_CHILD | PERSISTENT;
            default -> throw new IllegalArgumentException("not a tree event: " + type);
        };
        int consumes = fires & ~PERSISTENT;
        boolean reachesRecursive = type != EventType.NodeChildrenChanged;
        String path = event.path();
        LongList hits = new LongList();

        SessionFlags standard = watchTable.get(path);
        if (standard != null) {
            SessionFlags recursiveHere = recursiveTable.get(path);
            LongList emptied = new LongList();
            standard.forEachEntry((sessionId, flags) -> {
                if ((flags & fires) == 0) {
                    return flags;
                }
                hits.add(sessionId);
                int now = flags & ~consumes;
                if (now != flags) {
                    boolean isRecursive = flagsAt(recursiveHere, sessionId) != 0;
                    watchCount += tableCount(now, isRecursive) - tableCount(flags, isRecursive);
                    if (now == 0) {
                        emptied.add(sessionId);
                        if (!isRecursive) {
                            forgetPath(sessionId, path);
                        }
                        // Left in place until the scan ends: 0 would mark the slot empty and
                        // cut the probe runs that later removals follow.
                        return flags;
                    }
                }
                return now;
            });
            // Removal moves other entries, so it waits until the scan is over.
            if (emptied.size() == standard.size()) {
                watchTable.remove(path);
            } else {
                for (int i = 0; i < emptied.size(); i++) {
                    standard.remove(emptied.get(i));
                }
            }
        }

        if (reachesRecursive && !recursiveTable.isEmpty()) {
            for (String p = path; p != null; p = parentOf(p)) {
                SessionFlags recursive = recursiveTable.get(p);
                if (recursive != null) {
                    recursive.forEachEntry((sessionId, flags) -> {
                        hits.add(sessionId);
                        return flags;
                    });
                }
            }
        }

        long[] ids = hits.sortedDistinct();
        List<Delivery> deliveries = new ArrayList<>(ids.length);
        for (long id : ids) {
            deliveries.add(new Delivery(id, event));
        }
        return deliveries;
    }

    /**
     * All watches held, counted as ZooKeeper's mntr counts them (zk_watch_count): one per path
     * and session in each of ZooKeeper's two tables. DATA, EXISTS and PERSISTENT_RECURSIVE sit in
     * the data table, CHILD in the child table, PERSISTENT in both (so it counts 2).
     */
    public int watchCount() {
        return watchCount;
    }

    /** One session's watches, counted as {@link #watchCount()} counts them. */
    public int watchCount(long sessionId) {
        PathSet paths = pathsBySession.get(sessionId);
        if (paths == null) {
            return 0;
        }
        int[] count = {0};
        paths.forEach(path -> count[0] += tableCount(
                flagsAt(watchTable.get(path), sessionId), flagsAt(recursiveTable.get(path), sessionId) != 0));
        return count[0];
    }

    /**
     * Every watched path with the sessions watching it, whatever the kind (ZooKeeper's wchp
     * lists only its data table, which leaves out getChildren watches; this does not).
     */
    public SortedMap<String, SortedSet<Long>> byPath() {
        SortedMap<String, SortedSet<Long>> result = new TreeMap<>();
        for (Map<String, SessionFlags> table : List.of(watchTable, recursiveTable)) {
            table.forEach((path, sessions) -> {
                SortedSet<Long> ids = result.computeIfAbsent(path, p -> new TreeSet<>());
                sessions.forEachEntry((sessionId, flags) -> {
                    ids.add(sessionId);
                    return flags;
                });
            });
        }
        return result;
    }

    /** Every watching session with the paths it watches (ZooKeeper's wchc), in order. */
    public SortedMap<Long, SortedSet<String>> bySession() {
        SortedMap<Long, SortedSet<String>> result = new TreeMap<>();
        pathsBySession.forEach((sessionId, paths) -> {
            SortedSet<String> sorted = new TreeSet<>();
            paths.forEach(sorted::add);
            result.put(sessionId, Collections.unmodifiableSortedSet(sorted));
        });
        return result;
    }

    private static int bitOf(WatchKind kind) {
        return switch (kind) {
            case DATA, EXISTS -> STANDARD_DATA;
            case CHILD -> STANDARD_CHILD;
            case PERSISTENT -> PERSISTENT;
            case PERSISTENT_RECURSIVE -> throw new IllegalArgumentException("recursive watches have their own table");
        };
    }

    /** How many of ZooKeeper's two tables an entry occupies. */
    private static int tableCount(int flags, boolean recursive) {
        int data = recursive || (flags & (STANDARD_DATA | PERSISTENT)) != 0 ? 1 : 0;
        int child = (flags & (STANDARD_CHILD | PERSISTENT)) != 0 ? 1 : 0;
        return data + child;
    }

    private static int flagsAt(SessionFlags sessions, long sessionId) {
        return sessions == null ? 0 : sessions.get(sessionId);
    }

    private void setFlags(SessionFlags sessions, String path, long sessionId, int flags) {
        if (flags != 0) {
            sessions.put(sessionId, flags);
            return;
        }
        sessions.remove(sessionId);
        if (sessions.size() == 0) {
            watchTable.remove(path);
        }
    }

    private void forgetPath(long sessionId, String path) {
        PathSet paths = pathsBySession.get(sessionId);
        if (paths != null && paths.remove(path) && paths.size() == 0) {
            pathsBySession.remove(sessionId);
        }
    }

    /** "/a/b" -> "/a" -> "/" -> null. */
    private static String parentOf(String path) {
        if (path.equals("/")) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** Spreads session ids (which differ mostly in their low bits) over the table. */
    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** A visitor that may rewrite the flags of the entry it is shown (never to 0). */
    private interface EntryVisitor {
        int visit(long sessionId, int flags);
    }

    /**
     * Session id -> flags, open addressing with linear probing; a flags byte of 0 marks an empty
     * slot, so any long (0 included) can be a key. Starts at 4 slots: most znodes have few
     * watchers.
     */
    private static final class SessionFlags {
        /** The path these sessions watch: the one string the per-session index shares. */
        final String path;
        private long[] keys = new long[4];
        private byte[] flags = new byte[4];
        private int size;

        SessionFlags(String path) {
            this.path = path;
        }

        int size() {
            return size;
        }

        int get(long key) {
            int mask = keys.length - 1;
            for (int i = mix(key) & mask; flags[i] != 0; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return flags[i];
                }
            }
            return 0;
        }

        void put(long key, int value) {
            int mask = keys.length - 1;
            int i = mix(key) & mask;
            for (; flags[i] != 0; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    flags[i] = (byte) value;
                    return;
                }
            }
            keys[i] = key;
            flags[i] = (byte) value;
            size++;
            // Load at most 3/4, so a probe always ends at an empty slot.
            if (size * 4 > keys.length * 3) {
                resize(keys.length * 2);
            }
        }

        void remove(long key) {
            int mask = keys.length - 1;
            int i = mix(key) & mask;
            while (flags[i] != 0 && keys[i] != key) {
                i = (i + 1) & mask;
            }
            if (flags[i] == 0) {
                return;
            }
            flags[i] = 0;
            size--;
            // Backward-shift: pull later entries of the probe run into the hole so that no
            // lookup stops early at it (no tombstones to accumulate).
            for (int j = (i + 1) & mask; flags[j] != 0; j = (j + 1) & mask) {
                int home = mix(keys[j]) & mask;
                if (((j - home) & mask) >= ((j - i) & mask)) {
                    keys[i] = keys[j];
                    flags[i] = flags[j];
                    flags[j] = 0;
                    i = j;
                }
            }
            if (keys.length > 8 && size * 8 < keys.length) {
                resize(keys.length / 2);
            }
        }

        void forEachEntry(EntryVisitor visitor) {
            for (int i = 0; i < keys.length; i++) {
                if (flags[i] != 0) {
                    flags[i] = (byte) visitor.visit(keys[i], flags[i]);
                }
            }
        }

        private void resize(int capacity) {
            long[] oldKeys = keys;
            byte[] oldFlags = flags;
            keys = new long[capacity];
            flags = new byte[capacity];
            int mask = capacity - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldFlags[j] != 0) {
                    int i = mix(oldKeys[j]) & mask;
                    while (flags[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    flags[i] = oldFlags[j];
                }
            }
        }
    }

    /**
     * A set of path strings, open addressing with linear probing; the strings are the ones the
     * tables hold, so a watch costs this set one reference. Starts at 2 slots: a session
     * often watches a single path.
     */
    private static final class PathSet {
        private String[] slots = new String[2];
        private int size;

        int size() {
            return size;
        }

        void add(String path) {
            int mask = slots.length - 1;
            int i = spread(path) & mask;
            for (; slots[i] != null; i = (i + 1) & mask) {
                if (slots[i].equals(path)) {
                    return;
                }
            }
            slots[i] = path;
            size++;
            if (size * 3 > slots.length * 2) {
                resize(slots.length * 2);
            }
        }

        boolean remove(String path) {
            int mask = slots.length - 1;
            int i = spread(path) & mask;
            while (slots[i] != null && !slots[i].equals(path)) {
                i = (i + 1) & mask;
            }
            if (slots[i] == null) {
                return false;
            }
            slots[i] = null;
            size--;
            for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
                int home = spread(slots[j]) & mask;
                if (((j - home) & mask) >= ((j - i) & mask)) {
                    slots[i] = slots[j];
                    slots[j] = null;
                    i = j;
                }
            }
            if (slots.length > 8 && size * 8 < slots.length) {
                resize(slots.length / 2);
            }
            return true;
        }

        /** The action must not change this set. */
        void forEach(Consumer<String> action) {
            for (String path : slots) {
                if (path != null) {
                    action.accept(path);
                }
            }
        }

        private static int spread(String path) {
            return mix(path.hashCode());
        }

        private void resize(int capacity) {
            String[] old = slots;
            slots = new String[capacity];
            int mask = capacity - 1;
            for (String path : old) {
                if (path != null) {
                    int i = spread(path) & mask;
                    while (slots[i] != null) {
                        i = (i + 1) & mask;
                    }
                    slots[i] = path;
                }
            }
        }
    }

    /** A growable long array for collecting the sessions an event reaches. */
    private static final class LongList {
        private long[] values = new long[8];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long get(int index) {
            return values[index];
        }

        int size() {
            return size;
        }

        /** Sorting gives the documented delivery order and makes duplicates neighbours. */
        long[] sortedDistinct() {
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            int distinct = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (distinct == 0 || sorted[i] != sorted[distinct - 1]) {
                    sorted[distinct++] = sorted[i];
                }
            }
            return distinct == sorted.length ? sorted : Arrays.copyOf(sorted, distinct);
        }
    }
}
