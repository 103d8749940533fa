package io.paddock.recipes;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SequentialNodesTest {

    @Test
    void queueOrdersBySequenceNotByTheRandomPrefix() {
        List<String> children = List.of(
                "_c_ffff-lock-0000000003",
                "_c_0000-lock-0000000007",
                "_c_aaaa-lock-0000000001");
        assertEquals(List.of("_c_aaaa-lock-0000000001", "_c_ffff-lock-0000000003", "_c_0000-lock-0000000007"),
                SequentialNodes.queue(children, List.of("lock-")));
    }

    @Test
    void queueLeavesOutNodesWithoutAMarkerAndDigits() {
        List<String> children = List.of("config", "lock-", "_c_x-lock-00000000a1", "_c_y-lock-0000000002", "lease-0000000001");
        assertEquals(List.of("_c_y-lock-0000000002"), SequentialNodes.queue(children, List.of("lock-")));
    }

    @Test
    void readersAndWritersShareOneQueue() {
        List<String> children = List.of("_c_b-write-0000000002", "_c_a-read-0000000001", "_c_c-read-0000000003");
        assertEquals(List.of("_c_a-read-0000000001", "_c_b-write-0000000002", "_c_c-read-0000000003"),
                SequentialNodes.queue(children, List.of("read-", "write-")));
    }

    @Test
    void sequenceIsReadAfterTheLastMarker() {
        assertEquals(OptionalLong.of(12), SequentialNodes.sequenceOf("_c_lock--lock-0000000012", "lock-"));
        assertEquals(OptionalLong.of(2_147_483_647L), SequentialNodes.sequenceOf("lock-2147483647", "lock-"));
        assertEquals(OptionalLong.empty(), SequentialNodes.sequenceOf("lock--2147483648", "lock-"));
        assertEquals(OptionalLong.empty(), SequentialNodes.sequenceOf("read-0000000001", "write-"));
    }

    @Test
    void markerOfNamesTheMarkerBeforeTheDigits() {
        assertEquals(Optional.of("write-"), SequentialNodes.markerOf("_c_g-write-0000000004", List.of("read-", "write-")));
        assertEquals(Optional.of("read-"), SequentialNodes.markerOf("_c_g-read-0000000004", List.of("read-", "write-")));
        assertEquals(Optional.empty(), SequentialNodes.markerOf("_c_g-lease-0000000004", List.of("read-", "write-")));
    }

    @Test
    void ownedBySelectsOneAcquisitionsNodesInQueueOrder() {
        String prefix = SequentialNodes.protectedPrefix("1234");
        List<String> queue = List.of("_c_1234-lock-0000000001", "_c_9999-lock-0000000002", "_c_1234-lock-0000000003");
        assertEquals(List.of("_c_1234-lock-0000000001", "_c_1234-lock-0000000003"), SequentialNodes.ownedBy(queue, prefix));
    }

    @Test
    void protectedPrefixIsCuratorsSpelling() {
        assertEquals("_c_abc-", SequentialNodes.protectedPrefix("abc"));
        assertThrows(IllegalArgumentException.class, () -> SequentialNodes.protectedPrefix("a/b"));
    }

    @Test
    void pathAndAncestorsListsFromTheTop() {
        assertEquals(List.of("/a", "/a/b", "/a/b/c"), SequentialNodes.pathAndAncestors("/a/b/c"));
        assertEquals(List.of("/a"), SequentialNodes.pathAndAncestors("/a"));
        assertEquals(List.of(), SequentialNodes.pathAndAncestors("/"));
        assertThrows(IllegalArgumentException.class, () -> SequentialNodes.pathAndAncestors("a/b"));
        assertThrows(IllegalArgumentException.class, () -> SequentialNodes.pathAndAncestors("/a/"));
        assertThrows(IllegalArgumentException.class, () -> SequentialNodes.pathAndAncestors("/a//b"));
    }

    @Test
    void childPathJoinsUnderTheRoot() {
        assertEquals("/x", SequentialNodes.childPath("/", "x"));
        assertEquals("/a/x", SequentialNodes.childPath("/a", "x"));
        assertEquals("x", SequentialNodes.nameOf("/a/x"));
    }
}
