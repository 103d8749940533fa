package io.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.paddock.tree.TxnRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Whole ensembles without faults (the simulation adds them). */
class PeerTest {

    @Test
    void aSingleVoterLeadsAlone() {
        MiniCluster c = new MiniCluster(Set.of(1L), Set.of(), Map.of(), Map.of());
        c.ticks(1);
        assertEquals(1L, c.servingLeader());
        c.submit(1, 1, 5);
        assertEquals(1, c.applied.get(1L).size());
    }

    @Test
    void writesAtAnyServerAreAppliedEverywhereInTheSameOrder() {
        MiniCluster c = new MiniCluster(Set.of(1L, 2L, 3L), Set.of(4L), Map.of(), Map.of());
        c.ticks(8);
        assertNotNull(c.servingLeader());
        for (int i = 1; i <= 4; i++) {
            for (long id = 1; id <= 4; id++) {
                c.submit(id, i, (int) (i * 10 + id));
            }
        }
        c.ticks(2);
        List<TxnRecord> leaderApplied = c.applied.get(c.servingLeader());
        assertEquals(16, leaderApplied.size());
        for (long id = 1; id <= 4; id++) {
            assertEquals(leaderApplied, c.applied.get(id), "server " + id);
        }
    }
}
