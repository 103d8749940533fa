package io.paddock.recipes;

/** The znode-path arithmetic the recipes need: checking a base path, joining, taking the last name. */
final class RecipePaths {

    private RecipePaths() {
    }

    /** An absolute path without a trailing slash (other than the root), or IllegalArgumentException. */
    static String validate(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("a znode path starts with '/': " + path);
        }
        if (path.length() > 1 && path.endsWith("/")) {
            throw new IllegalArgumentException("a znode path does not end with '/': " + path);
        }
        if (path.contains("//")) {
            throw new IllegalArgumentException("empty name in znode path: " + path);
        }
        return path;
    }

    /** One name of a path: no '/', not empty, not "." or "..". */
    static String validateName(String name, String what) {
        if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(what + " must be one znode name, not \"" + name + "\"");
        }
        return name;
    }

    static String join(String parent, String name) {
        return parent.equals("/") ? "/" + name : parent + "/" + name;
    }

    /** The last name of a path. */
    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
