package io.paddock.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpScheduleTest {

    private static int readsIn(OpSchedule schedule, int ops) {
        int reads = 0;
        for (int i = 0; i < ops; i++) {
            schedule.advance();
            if (schedule.isRead()) {
                reads++;
            }
        }
        return reads;
    }

    @Test
    void aClientStepsThroughTheKeysByTheNumberOfClientsWrappingAtTheEnd() {
        OpSchedule s = new OpSchedule(1, 3, 5, 0.0);
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            s.advance();
            keys.add(s.key());
        }
        assertEquals(List.of(1, 4, 2, 0), keys, "the same order as the HTTP write and read workloads");
    }

    @Test
    void writeOnlyAndReadOnlyNeverMix() {
        assertEquals(0, readsIn(new OpSchedule(3, 8, 10, 0.0), 10_000));
        assertEquals(10_000, readsIn(new OpSchedule(3, 8, 10, 1.0), 10_000));
    }

    @Test
    void everyTenOperationsHoldNineReadsAtNineTenthsWhateverTheClient() {
        for (int client = 0; client < 16; client++) {
            OpSchedule s = new OpSchedule(client, 16, 1000, 0.9);
            for (int block = 0; block < 50; block++) {
                assertEquals(9, readsIn(s, 10), "client " + client + ", block " + block);
            }
        }
    }

    @Test
    void theShareOfReadsIsExactOverAMillionOperations() {
        assertEquals(333_000, readsIn(new OpSchedule(0, 1, 7, 0.333), 1_000_000));
        assertEquals(500_000, readsIn(new OpSchedule(5, 9, 7, 0.5), 1_000_000));
    }

    @Test
    void clientsStartTheirWritesOnDifferentTurns() {
        List<Integer> firstWrite = new ArrayList<>();
        for (int client = 0; client < 4; client++) {
            OpSchedule s = new OpSchedule(client, 4, 100, 0.9);
            int turn = 0;
            do {
                s.advance();
                turn++;
            } while (s.isRead());
            firstWrite.add(turn);
        }
        assertTrue(firstWrite.stream().distinct().count() > 1, "all clients write on the same turn: " + firstWrite);
    }

    @Test
    void aRatioOutsideZeroToOneIsABug() {
        assertThrows(IllegalArgumentException.class, () -> new OpSchedule(0, 1, 1, 1.01));
        assertThrows(IllegalArgumentException.class, () -> new OpSchedule(0, 0, 1, 0.5));
        OpSchedule s = new OpSchedule(0, 1, 1, 0.5);
        s.advance();
        assertFalse(s.key() != 0);
    }
}
