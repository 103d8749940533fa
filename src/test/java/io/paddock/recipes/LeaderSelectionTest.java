package io.paddock.recipes;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class LeaderSelectionTest {

    static final String A = "_c_aaaa-latch-";
    static final String B = "_c_bbbb-latch-";
    static final String Z = "_c_zzzz-latch-";

    @Test
    void lowestSequenceNumberLeads() {
        List<String> children = List.of(Z + "0000000003", A + "0000000007", B + "0000000005");
        assertInstanceOf(LeaderSelection.Decision.Lead.class, LeaderSelection.decide(children, Z + "0000000003"));
        assertEquals(Z + "0000000003", LeaderSelection.leader(children));
    }

    @Test
    void orderIsBySequenceNotByTheProtectedPrefix() {
        // By whole name "_c_aaaa…7" < "_c_zzzz…3"; by sequence it is the other way round.
        assertEquals(List.of(Z + "0000000003", B + "0000000005", A + "0000000007"),
                LeaderSelection.ordered(List.of(A + "0000000007", Z + "0000000003", B + "0000000005")));
    }

    @Test
    void followerWatchesOnlyTheNodeJustBeforeItsOwn() {
        List<String> children = List.of(A + "0000000001", B + "0000000002", Z + "0000000009");
        var d = LeaderSelection.decide(children, Z + "0000000009");
        assertEquals(new LeaderSelection.Decision.Watch(B + "0000000002"), d);
        assertEquals(new LeaderSelection.Decision.Watch(A + "0000000001"),
                LeaderSelection.decide(children, B + "0000000002"));
    }

    @Test
    void aMissingOwnNodeMeansJoinAgain() {
        assertInstanceOf(LeaderSelection.Decision.Missing.class,
                LeaderSelection.decide(List.of(A + "0000000001"), B + "0000000002"));
        assertInstanceOf(LeaderSelection.Decision.Missing.class, LeaderSelection.decide(List.of(), B + "0000000002"));
    }

    @Test
    void childrenWithoutASequentialSuffixAreNotParticipants() {
        List<String> children = List.of("lock", "readme", "x-123", A + "0000000004", "_c_q-latch--000000001");
        assertEquals(List.of(A + "0000000004"), LeaderSelection.ordered(children));
        assertEquals(-1, LeaderSelection.sequenceOf("_c_q-latch--000000001"));
        assertEquals(-1, LeaderSelection.sequenceOf("short"));
        assertEquals(2147483647L, LeaderSelection.sequenceOf("n2147483647"));
    }

    @Test
    void nobodyLeadsAnEmptyLatch() {
        assertNull(LeaderSelection.leader(List.of("not-a-participant")));
    }

    @Test
    void ownNodeIsFoundByItsPrefixAndTheNewestWins() {
        List<String> children = List.of(A + "0000000001", B + "0000000002", A + "0000000006", A + "x0000000007");
        assertEquals(A + "0000000006", LeaderSelection.findOurs(children, A));
        assertNull(LeaderSelection.findOurs(children, Z));
    }
}
