package io.paddock.recipes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Names of the sequential znodes that lock-like recipes queue with, as pure functions.
 *
 * <p>A contender's node is named {@code _c_<guid>-<marker><sequence>}: the "protected" prefix
 * {@code _c_<guid>-} (Curator's spelling, so Curator's recipes and ours read each other's queues)
 * is unique to one acquisition and lets its creator find the node again when the answer to its
 * create was lost; the marker ("lock-", "read-", "write-", "lease-") says what the node asks for;
 * the server appends the ten-digit sequence. The queue order is the sequence, never the name,
 * because the random prefix would otherwise decide it.
 */
public final class SequentialNodes {

    /** Curator's prefix of a protected node's name. */
    public static final String PROTECTED_PREFIX = "_c_";

    private SequentialNodes() {
    }

    /** The prefix unique to one acquisition: {@code _c_<guid>-}. */
    public static String protectedPrefix(String guid) {
        if (guid.isEmpty() || guid.contains("/")) {
            throw new IllegalArgumentException("a guid must be non-empty and free of '/': \"" + guid + "\"");
        }
        return PROTECTED_PREFIX + guid + "-";
    }

    /**
     * The sequence number of a node named {@code …<marker><digits>}, from the last occurrence of
     * the marker; empty when the name has no marker or no digits after it (not a queue member).
     */
    public static OptionalLong sequenceOf(String name, String marker) {
        int at = name.lastIndexOf(marker);
        if (at < 0) {
            return OptionalLong.empty();
        }
        String digits = name.substring(at + marker.length());
        // ZooKeeper formats the suffix as %010d; a parent past 2^31 changes yields "-2147483648"-like
        // suffixes, which are no digits and so no queue member (ZooKeeper's own recipes mis-sort them too).
        if (digits.isEmpty() || digits.length() > 18) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(Long.parseLong(digits));
    }

    /** Which of the markers the node carries (the one ending the name before the digits), if any. */
    public static Optional<String> markerOf(String name, Collection<String> markers) {
        String best = null;
        int bestAt = -1;
        for (String m : markers) {
            int at = name.lastIndexOf(m);
            if (at > bestAt && sequenceOf(name, m).isPresent()) {
                best = m;
                bestAt = at;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The queue: the children that carry one of the markers, ordered by their sequence number
     * (ties, which one parent never produces, by name so the order is total).
     */
    public static List<String> queue(Collection<String> children, Collection<String> markers) {
        record Member(String name, long sequence) {
        }
        List<Member> members = new ArrayList<>();
        for (String child : children) {
            markerOf(child, markers).ifPresent(m -> members.add(new Member(child, sequenceOf(child, m).getAsLong())));
        }
        members.sort(Comparator.comparingLong(Member::sequence).thenComparing(Member::name));
        List<String> out = new ArrayList<>(members.size());
        for (Member m : members) {
            out.add(m.name());
        }
        return out;
    }

    /** The queue members that one acquisition created (their names start with its prefix), in queue order. */
    public static List<String> ownedBy(List<String> queue, String protectedPrefix) {
        List<String> out = new ArrayList<>();
        for (String name : queue) {
            if (name.startsWith(protectedPrefix)) {
                out.add(name);
            }
        }
        return out;
    }

    /** The child path of a parent, "/" handled. */
    public static String childPath(String parent, String name) {
        return parent.equals("/") ? "/" + name : parent + "/" + name;
    }

    /** The last component of a path. */
    public static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The ancestors of a path from the top, the path itself last ("/a/b" gives "/a", "/a/b"). */
    public static List<String> pathAndAncestors(String path) {
        validatePath(path);
        List<String> out = new ArrayList<>();
        for (int i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) {
            out.add(path.substring(0, i));
        }
        if (!path.equals("/")) {
            out.add(path);
        }
        return out;
    }

    /** Refuses what ZooKeeper would refuse as a recipe's base path, before any request is sent. */
    public static String validatePath(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            throw new IllegalArgumentException("a path must start with '/': \"" + path + "\"");
        }
        if (path.length() > 1 && path.endsWith("/")) {
            throw new IllegalArgumentException("a path must not end with '/': \"" + path + "\"");
        }
        if (path.contains("//")) {
            throw new IllegalArgumentException("a path must not contain an empty component: \"" + path + "\"");
        }
        return path;
    }
}
