package io.paddock.zab.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Proves the simulation can find a real ZAB bug: learners that acknowledge NEWLEADER before their
 * synced records and new currentEpoch are durable (ZOOKEEPER-3911 and its kin) let a leader
 * commit what a crash then loses.
 */
class NewLeaderAckOrderBugTest {

    private static final Set<String> LOST_WRITE = Set.of("Durability", "LeaderCompleteness", "PrefixConsistency");

    @Test
    void simulationCatchesNewLeaderAckedBeforeItsRecordsAreDurable() {
        SimConfig broken = SimConfig.of(3, 0).withBrokenNewLeaderAck();
        for (long seed = 1; seed <= 300; seed++) {
            Simulation.Result r = Simulation.run(broken, seed);
            if (!r.ok() && LOST_WRITE.contains(r.invariant())) {
                System.out.println("the broken learner is caught at seed " + seed + ":\n" + r.failure());
                Simulation.Result fixed = Simulation.run(SimConfig.of(3, 0), seed);
                assertTrue(fixed.ok(), "the same schedule fails with correct learners too:\n" + fixed.failure());
                return;
            }
        }
        fail("no seed among the first 300 caught learners that ack NEWLEADER before persisting");
    }
}
