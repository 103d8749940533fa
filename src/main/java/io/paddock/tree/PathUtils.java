package io.paddock.tree;

/**
 * Znode path rules, exactly ZooKeeper's {@code PathUtils.validatePath}: a path starts with '/',
 * the root is "/", nothing else ends with '/', no segment is empty, "." or "..", and no character
 * is NUL or in the ranges ZooKeeper forbids (C0 and C1 controls, surrogates and the private use
 * area, U+FFF0..U+FFFF).
 */
public final class PathUtils {

    private PathUtils() {
    }

    /** Refuses a path ZooKeeper would refuse, with BAD_ARGUMENTS naming the problem and the path. */
    public static void validate(String path) throws TreeException {
        String reason = problem(path);
        if (reason != null) {
            throw new TreeException(ErrorCode.BAD_ARGUMENTS, path, "Invalid path \"" + path + "\": " + reason);
        }
    }

    /**
     * As {@link #validate(String)}, but for a sequential create, whose path gets a suffix: ZooKeeper
     * validates {@code path + "1"}, so "/a/" is a valid sequential path (it becomes "/a/0000000000").
     */
    public static void validate(String path, boolean sequential) throws TreeException {
        if (!sequential) {
            validate(path);
            return;
        }
        String reason = path == null ? "path is null" : problem(path + "1");
        if (reason != null) {
            throw new TreeException(ErrorCode.BAD_ARGUMENTS, path, "Invalid path \"" + path + "\": " + reason);
        }
    }

    /** True when {@link #validate(String)} would accept the path. */
    public static boolean isValid(String path) {
        return problem(path) == null;
    }

    /** The parent's path: parent("/a/b") = "/a", parent("/a") = "/"; null for "/", which has none. */
    public static String parent(String path) {
        int lastSlash = path.lastIndexOf('/');
        if (lastSlash < 0 || path.length() == 1) {
            return null;
        }
        return lastSlash == 0 ? "/" : path.substring(0, lastSlash);
    }

    /** The last segment: name("/a/b") = "b"; "" for "/". */
    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The child's path: child("/", "a") = "/a", child("/a", "b") = "/a/b". */
    public static String child(String parent, String name) {
        return parent.length() == 1 ? "/" + name : parent + "/" + name;
    }

    /** True when {@code path} is {@code ancestor} itself or lies below it. */
    public static boolean isAtOrUnder(String path, String ancestor) {
        if (ancestor.length() == 1) {
            return path.startsWith("/");
        }
        return path.startsWith(ancestor)
                && (path.length() == ancestor.length() || path.charAt(ancestor.length()) == '/');
    }

    // The same scan, in the same order, as ZooKeeper's validatePath, so the first problem found
    // (and its position) is the one ZooKeeper reports.
    private static String problem(String path) {
        if (path == null) {
            return "path is null";
        }
        if (path.isEmpty()) {
            return "path length must be > 0";
        }
        if (path.charAt(0) != '/') {
            return "path must start with / character";
        }
        if (path.length() == 1) {
            return null;
        }
        if (path.charAt(path.length() - 1) == '/') {
            return "path must not end with / character";
        }
        int n = path.length();
        char last = '/';
        for (int i = 1; i < n; last = path.charAt(i), i++) {
            char c = path.charAt(i);
            boolean segmentEnds = i + 1 == n || path.charAt(i + 1) == '/';
            if (c == 0) {
                return "null character not allowed @" + i;
            } else if (c == '/' && last == '/') {
                return "empty node name specified @" + i;
            } else if (c == '.' && last == '.') {
                if (path.charAt(i - 2) == '/' && segmentEnds) {
                    return "relative paths not allowed @" + i;
                }
            } else if (c == '.') {
                if (path.charAt(i - 1) == '/' && segmentEnds) {
                    return "relative paths not allowed @" + i;
                }
            } else if (c <= '\u001f'
                    || c >= '\u007f' && c <= '\u009f'
                    || c >= '\ud800' && c <= '\uf8ff'
                    || c >= '\ufff0') {
                return "invalid character @" + i;
            }
        }
        return null;
    }
}
