package io.paddock.client;

import io.paddock.tree.EventType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client's side of its session's watches: which {@link Watcher}s wait on which path for which
 * kind of change, as ZooKeeper's client keeps them (ZKWatchManager). An event is matched to its
 * watchers here ({@link #materialize}); one-shot watchers are forgotten as they fire. It also knows
 * the zxid each path was armed at, so that a client moving to another server can re-arm them all
 * there and have the server fire what changed after that (setWatches).
 *
 * <p>Not thread-safe: the client guards it with its own lock. Pure: no I/O, no clock.
 */
final class ClientWatches {

    /** The kinds of watch, as the server keeps them. */
    enum Kind { DATA, EXIST, CHILD, PERSISTENT, PERSISTENT_RECURSIVE }

    /** What a client sends a server to re-arm its watches: each kind's paths, and the zxid to compare against. */
    record Snapshot(long relativeZxid, List<String> data, List<String> exist, List<String> child,
                    List<String> persistent, List<String> persistentRecursive) {
        boolean isEmpty() {
            return data.isEmpty() && exist.isEmpty() && child.isEmpty() && persistent.isEmpty()
                    && persistentRecursive.isEmpty();
        }
    }

    private final Map<Kind, Map<String, Set<Watcher>>> byKind = new LinkedHashMap<>();
    /** The smallest zxid at which a watch still outstanding was armed. */
    private final Map<Kind, Map<String, Long>> armedAt = new LinkedHashMap<>();

    ClientWatches() {
        for (Kind k : Kind.values()) {
            byKind.put(k, new LinkedHashMap<>());
            armedAt.put(k, new LinkedHashMap<>());
        }
    }

    /** Adds a watcher of a kind on a path (before its request is sent, so that no event can pass it). */
    void add(Kind kind, String path, Watcher watcher) {
        byKind.get(kind).computeIfAbsent(path, p -> new LinkedHashSet<>()).add(watcher);
    }

    /** Records that the server armed a watch of this kind on the path when it had applied {@code zxid}. */
    void armed(Kind kind, String path, long zxid) {
        if (byKind.get(kind).containsKey(path)) {
            armedAt.get(kind).merge(path, zxid, Math::min);
        }
    }

    /** Forgets a watcher whose request failed (or moves it: see {@link #move}); true if it was there. */
    boolean remove(Kind kind, String path, Watcher watcher) {
        Map<String, Set<Watcher>> m = byKind.get(kind);
        Set<Watcher> s = m.get(path);
        if (s == null || !s.remove(watcher)) {
            return false;
        }
        if (s.isEmpty()) {
            m.remove(path);
            armedAt.get(kind).remove(path);
        }
        return true;
    }

    /** Moves a watcher from one kind to another (a getData that found no node leaves an exists watch). */
    void move(Kind from, Kind to, String path, Watcher watcher) {
        if (remove(from, path, watcher)) {
            add(to, path, watcher);
        }
    }

    /** Removes every watcher of the kinds on the path; returns them, each once. */
    List<Watcher> removeAll(String path, List<Kind> kinds) {
        Set<Watcher> out = new LinkedHashSet<>();
        for (Kind k : kinds) {
            Set<Watcher> s = byKind.get(k).remove(path);
            armedAt.get(k).remove(path);
            if (s != null) {
                out.addAll(s);
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * The watchers an event reaches, in a stable order, removing the one-shot ones: as ZooKeeper's
     * client, NodeCreated and NodeDataChanged reach data and exists watchers, NodeDeleted those and
     * child watchers, NodeChildrenChanged child watchers; persistent watchers on the path, and
     * persistent recursive ones on it or an ancestor (except for NodeChildrenChanged), stay.
     */
    List<Watcher> materialize(EventType type, String path) {
        Set<Watcher> out = new LinkedHashSet<>();
        switch (type) {
            case NodeCreated, NodeDataChanged -> {
                take(Kind.DATA, path, out);
                take(Kind.EXIST, path, out);
            }
            case NodeDeleted -> {
                take(Kind.DATA, path, out);
                take(Kind.EXIST, path, out);
                take(Kind.CHILD, path, out);
            }
            case NodeChildrenChanged -> take(Kind.CHILD, path, out);
            default -> {
                return List.of();
            }
        }
        Set<Watcher> p = byKind.get(Kind.PERSISTENT).get(path);
        if (p != null) {
            out.addAll(p);
        }
        if (type != EventType.NodeChildrenChanged) {
            for (String prefix : selfAndAncestors(path)) {
                Set<Watcher> r = byKind.get(Kind.PERSISTENT_RECURSIVE).get(prefix);
                if (r != null) {
                    out.addAll(r);
                }
            }
        }
        return new ArrayList<>(out);
    }

    private void take(Kind kind, String path, Set<Watcher> out) {
        Set<Watcher> s = byKind.get(kind).remove(path);
        armedAt.get(kind).remove(path);
        if (s != null) {
            out.addAll(s);
        }
    }

    /** Every watcher there is, each once. */
    List<Watcher> all() {
        Set<Watcher> out = new LinkedHashSet<>();
        for (Map<String, Set<Watcher>> m : byKind.values()) {
            m.values().forEach(out::addAll);
        }
        return new ArrayList<>(out);
    }

    /** Forgets everything (the session is gone, and its watches with it). */
    void clear() {
        byKind.values().forEach(Map::clear);
        armedAt.values().forEach(Map::clear);
    }

    /**
     * The watches to re-arm on another server. Changes after the returned zxid are fired again:
     * every event up to {@code lastEventZxid} has been received, and no watch can fire for a change
     * before the zxid it was armed at, so nothing after {@code max(lastEventZxid, earliest arming)}
     * can have been missed. (An event fired again is harmless: the watcher re-reads.)
     */
    Snapshot snapshot(long lastEventZxid) {
        long earliest = Long.MAX_VALUE;
        boolean any = false;
        for (Map<String, Long> m : armedAt.values()) {
            for (long z : m.values()) {
                earliest = Math.min(earliest, z);
                any = true;
            }
        }
        long relative = any ? Math.max(lastEventZxid, earliest) : lastEventZxid;
        // A watch whose arming zxid is unknown (its answer is still in flight) must see everything
        // after the last event.
        for (Kind k : Kind.values()) {
            if (byKind.get(k).size() != armedAt.get(k).size()) {
                relative = lastEventZxid;
            }
        }
        return new Snapshot(relative, paths(Kind.DATA), paths(Kind.EXIST), paths(Kind.CHILD),
                paths(Kind.PERSISTENT), paths(Kind.PERSISTENT_RECURSIVE));
    }

    private List<String> paths(Kind kind) {
        return List.copyOf(byKind.get(kind).keySet());
    }

    /** "/a/b/c" → "/a/b/c", "/a/b", "/a", "/". */
    static List<String> selfAndAncestors(String path) {
        List<String> out = new ArrayList<>();
        String p = path;
        while (true) {
            out.add(p);
            if (p.equals("/")) {
                return out;
            }
            int slash = p.lastIndexOf('/');
            p = slash <= 0 ? "/" : p.substring(0, slash);
        }
    }
}
