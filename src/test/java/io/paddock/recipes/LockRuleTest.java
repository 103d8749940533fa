package io.paddock.recipes;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LockRuleTest {

    static final LockRule.Decision ACQUIRED = new LockRule.Acquired();
    static final LockRule.Decision MISSING = new LockRule.Missing();

    static LockRule.Decision waitFor(String... nodes) {
        return new LockRule.WaitFor(List.of(nodes));
    }

    @Test
    void exclusiveGrantsTheFirstNodeOnly() {
        List<String> q = List.of("a-lock-1", "b-lock-2", "c-lock-3");
        assertEquals(ACQUIRED, LockRule.exclusive().decide(q, "a-lock-1"));
    }

    @Test
    void exclusiveWaiterWatchesOnlyItsImmediatePredecessor() {
        List<String> q = List.of("a-lock-1", "b-lock-2", "c-lock-3");
        assertEquals(waitFor("a-lock-1"), LockRule.exclusive().decide(q, "b-lock-2"));
        assertEquals(waitFor("b-lock-2"), LockRule.exclusive().decide(q, "c-lock-3"));
    }

    @Test
    void aNodeNotInTheQueueIsMissing() {
        assertEquals(MISSING, LockRule.exclusive().decide(List.of("a-lock-1"), "z-lock-9"));
        assertEquals(MISSING, LockRule.reader("write-").decide(List.of("a-read-1"), "z-read-9"));
    }

    @Test
    void sharedGrantsTheFirstMaxLeasesAndWatchesTheMaxLeasesBefore() {
        List<String> q = List.of("n1", "n2", "n3", "n4", "n5");
        LockRule two = LockRule.shared(2);
        assertEquals(ACQUIRED, two.decide(q, "n1"));
        assertEquals(ACQUIRED, two.decide(q, "n2"));
        assertEquals(waitFor("n1", "n2"), two.decide(q, "n3"));
        assertEquals(waitFor("n3", "n4"), two.decide(q, "n5"));
    }

    @Test
    void sharedRefusesFewerThanOneLease() {
        assertThrows(IllegalArgumentException.class, () -> LockRule.shared(0));
    }

    @Test
    void readerSharesWithEarlierReaders() {
        List<String> q = List.of("a-read-1", "b-read-2", "c-read-3");
        assertEquals(ACQUIRED, LockRule.reader("write-").decide(q, "c-read-3"));
    }

    @Test
    void readerWaitsForTheLastWriterAheadOfIt() {
        List<String> q = List.of("a-write-1", "b-read-2", "c-write-3", "d-read-4", "e-write-5");
        LockRule reader = LockRule.reader("write-");
        assertEquals(waitFor("a-write-1"), reader.decide(q, "b-read-2"));
        assertEquals(waitFor("c-write-3"), reader.decide(q, "d-read-4"));
    }

    @Test
    void readerIgnoresWritersBehindIt() {
        List<String> q = List.of("a-read-1", "b-write-2");
        assertEquals(ACQUIRED, LockRule.reader("write-").decide(q, "a-read-1"));
    }

    @Test
    void writerWaitsBehindAReader() {
        List<String> q = List.of("a-read-1", "b-write-2");
        assertEquals(waitFor("a-read-1"), LockRule.exclusive().decide(q, "b-write-2"));
    }

    /**
     * The no-herd claim of {@link LockRule#shared}: over random queues and random deletions, a
     * waiter's decision changes only after one of the nodes it was told to watch has gone.
     */
    @Test
    void sharedDecisionChangesOnlyWhenAWatchedNodeGoes() {
        Random random = new Random(42);
        for (int round = 0; round < 2_000; round++) {
            int max = 1 + random.nextInt(4);
            LockRule rule = LockRule.shared(max);
            List<String> queue = new ArrayList<>();
            int size = 1 + random.nextInt(12);
            for (int i = 0; i < size; i++) {
                queue.add("n" + i);
            }
            String ours = queue.get(random.nextInt(size));
            // A waiter keeps the watches of its last look until one of them fires.
            LockRule.Decision d = rule.decide(queue, ours);
            List<String> watched = d instanceof LockRule.WaitFor w ? w.nodes() : List.of();
            while (d instanceof LockRule.WaitFor) {
                List<String> others = new ArrayList<>(queue);
                others.remove(ours);
                String gone = others.get(random.nextInt(others.size()));
                queue.remove(gone);
                LockRule.Decision next = rule.decide(queue, ours);
                if (watched.contains(gone)) {
                    d = next;
                    watched = d instanceof LockRule.WaitFor w ? w.nodes() : List.of();
                } else {
                    assertInstanceOf(LockRule.WaitFor.class, next, "granted without a watched node going: " + queue);
                }
            }
            assertEquals(ACQUIRED, d);
            assertTrue(queue.indexOf(ours) < max);
        }
    }

    /** The same claim for readers: a reader can only be granted once the writer it watches has gone. */
    @Test
    void readerDecisionChangesOnlyWhenTheWatchedWriterGoes() {
        Random random = new Random(7);
        LockRule reader = LockRule.reader("write-");
        for (int round = 0; round < 2_000; round++) {
            List<String> queue = new ArrayList<>();
            int size = 1 + random.nextInt(10);
            for (int i = 0; i < size; i++) {
                queue.add((random.nextBoolean() ? "w-write-" : "r-read-") + i);
            }
            String ours = "r-read-" + size;
            queue.add(ours);
            LockRule.Decision d = reader.decide(queue, ours);
            List<String> watched = d instanceof LockRule.WaitFor w ? w.nodes() : List.of();
            while (d instanceof LockRule.WaitFor) {
                String gone = queue.get(random.nextInt(queue.size() - 1));
                queue.remove(gone);
                LockRule.Decision next = reader.decide(queue, ours);
                if (watched.contains(gone)) {
                    d = next;
                    watched = d instanceof LockRule.WaitFor w ? w.nodes() : List.of();
                } else {
                    assertInstanceOf(LockRule.WaitFor.class, next, "granted without a watched node going: " + queue);
                }
            }
            assertEquals(ACQUIRED, d);
            assertTrue(queue.stream().takeWhile(n -> !n.equals(ours)).noneMatch(n -> n.contains("write-")));
        }
    }
}
