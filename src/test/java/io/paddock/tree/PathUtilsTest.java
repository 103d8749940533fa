package io.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathUtilsTest {

    // The accepted half of ZooKeeper's PathUtilsTest table.
    @ParameterizedTest
    @ValueSource(strings = {"/", "/a", "/a/b", "/this is / a valid/path", "/name/with.period.", "/...", "/a/...",
            "/a/.b", "/a/b.", "/a/..b", "/a/b..", "/..a", "/a.../b", "/\u00e9t\u00e9", "/\u4e2d\u6587",
            "/~!@#$%^&*()_+=-", "/a-b/c_d"})
    void zookeeperAcceptsThesePaths(String path) {
        assertDoesNotThrow(() -> PathUtils.validate(path));
        assertTrue(PathUtils.isValid(path));
    }

    // The refused half: empty, relative, trailing slash, empty segment, "." and "..", NUL, controls,
    // C1 controls, surrogates and private use, U+FFF0..U+FFFF.
    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a/b", "//", "/a/", "/a//b", "//a", "/.", "/..", "/./a", "/../a", "/a/.",
            "/a/..", "/a/./b", "/a/../b", "/a\u0000b", "/a\u0001b", "/a\u001fb", "/a\u007fb", "/a\u0085b",
            "/a\u009fb", "/a\ud800b", "/a\ue000b", "/a\uf8ffb", "/a\ufff0b", "/a\uffffb"})
    void zookeeperRefusesThesePaths(String path) {
        TreeException e = assertThrows(TreeException.class, () -> PathUtils.validate(path));
        assertEquals(ErrorCode.BAD_ARGUMENTS, e.code());
        assertEquals(path, e.path());
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertFalse(PathUtils.isValid(path));
    }

    @Test
    void nullPathIsBadArguments() {
        TreeException e = assertThrows(TreeException.class, () -> PathUtils.validate(null));
        assertEquals(ErrorCode.BAD_ARGUMENTS, e.code());
    }

    @Test
    void messageNamesTheProblemAndItsPosition() {
        TreeException e = assertThrows(TreeException.class, () -> PathUtils.validate("/a//b"));
        assertTrue(e.getMessage().contains("empty node name specified @3"), e.getMessage());
        e = assertThrows(TreeException.class, () -> PathUtils.validate("/a/"));
        assertTrue(e.getMessage().contains("must not end with /"), e.getMessage());
        e = assertThrows(TreeException.class, () -> PathUtils.validate("/a/.."));
        assertTrue(e.getMessage().contains("relative paths not allowed"), e.getMessage());
    }

    @Test
    void sequentialPathMayEndWithSlashBecauseZookeeperValidatesPathPlusOne() {
        assertDoesNotThrow(() -> PathUtils.validate("/a/", true));
        assertDoesNotThrow(() -> PathUtils.validate("/", true));
        assertThrows(TreeException.class, () -> PathUtils.validate("/a/", false));
        TreeException e = assertThrows(TreeException.class, () -> PathUtils.validate("/a//", true));
        assertEquals("/a//", e.path());
        // "/." + "1" is the name ".1", which is fine: the suffix rescues a trailing dot too.
        assertDoesNotThrow(() -> PathUtils.validate("/a/.", true));
        assertThrows(TreeException.class, () -> PathUtils.validate("a", true));
    }

    @Test
    void parentAndNameSplitAtTheLastSlash() {
        assertEquals("/a", PathUtils.parent("/a/b"));
        assertEquals("/", PathUtils.parent("/a"));
        assertNull(PathUtils.parent("/"));
        assertEquals("b", PathUtils.name("/a/b"));
        assertEquals("a", PathUtils.name("/a"));
        assertEquals("", PathUtils.name("/"));
        assertEquals("/a", PathUtils.child("/", "a"));
        assertEquals("/a/b", PathUtils.child("/a", "b"));
    }

    @Test
    void atOrUnderMeansTheSubtreeNotAStringPrefix() {
        assertTrue(PathUtils.isAtOrUnder("/a", "/a"));
        assertTrue(PathUtils.isAtOrUnder("/a/b", "/a"));
        assertFalse(PathUtils.isAtOrUnder("/ab", "/a"));
        assertTrue(PathUtils.isAtOrUnder("/ab", "/"));
    }
}
