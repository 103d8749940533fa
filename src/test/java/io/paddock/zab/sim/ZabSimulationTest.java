package io.paddock.zab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Runs thousands of simulated schedules (crashes, lost messages, broken links, partitions, slow
 * disks) and checks ZAB's invariants after every step, then that the healed ensemble serves.
 * {@code -Dpaddock.sim.schedules=N} runs N schedules per ensemble (the {@code sim} Maven profile
 * runs many); {@code -Dpaddock.sim.seed=S} replays schedule S of each ensemble. A failure message
 * starts with its seed.
 */
class ZabSimulationTest {

    private static final Long SCHEDULES = Long.getLong("paddock.sim.schedules");
    private static final Long SEED = Long.getLong("paddock.sim.seed");

    @Test
    void threeVotersStaySafeThroughFaultsAndServeOnceHealed() throws Exception {
        check(SimConfig.of(3, 0), 1000);
    }

    @Test
    void fiveVotersStaySafeThroughFaultsAndServeOnceHealed() throws Exception {
        check(SimConfig.of(5, 0), 400);
    }

    @Test
    void threeVotersAndAnObserverStaySafeThroughFaultsAndServeOnceHealed() throws Exception {
        check(SimConfig.of(3, 1), 600);
    }

    @Test
    void oneSeedReplaysTheSameRun() {
        Simulation.Result a = Simulation.run(SimConfig.of(3, 1), 42);
        Simulation.Result b = Simulation.run(SimConfig.of(3, 1), 42);
        Simulation.Result c = Simulation.run(SimConfig.of(3, 1), 43);
        assertEquals(a.traceHash(), b.traceHash());
        assertEquals(a.steps(), b.steps());
        assertEquals(a.committed(), b.committed());
        assertNotEquals(a.traceHash(), c.traceHash());
        assertTrue(a.committed() > 20, "the run committed only " + a.committed() + " records");
    }

    private static void check(SimConfig config, long defaultSchedules) throws Exception {
        if (SEED != null) {
            Simulation.Result r = Simulation.run(config, SEED);
            System.out.println("replayed seed " + SEED + " (" + config + "): " + (r.ok() ? "ok, " + r.steps()
                    + " steps, " + r.committed() + " committed" : r.failure()));
            if (!r.ok()) {
                fail(r.failure());
            }
            return;
        }
        long schedules = SCHEDULES != null ? SCHEDULES : defaultSchedules;
        long started = System.nanoTime();
        List<Simulation.Result> failures = runAll(config, 1, schedules);
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.println(config + ": " + schedules + " schedules in " + ms + " ms, " + failures.size() + " failed");
        if (!failures.isEmpty()) {
            StringBuilder seeds = new StringBuilder();
            for (Simulation.Result f : failures) {
                seeds.append(' ').append(f.seed()).append(" (").append(f.invariant()).append(')');
            }
            fail(failures.get(0).failure() + "\nall failing seeds:" + seeds);
        }
    }

    /** Runs seeds [from, from + count) on two threads; returns the failures in seed order. */
    static List<Simulation.Result> runAll(SimConfig config, long from, long count) throws Exception {
        int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Simulation.Result>> runs = new ArrayList<>();
            for (long seed = from; seed < from + count; seed++) {
                long s = seed;
                runs.add(pool.submit(() -> Simulation.run(config, s)));
            }
            List<Simulation.Result> failures = new ArrayList<>();
            for (Future<Simulation.Result> f : runs) {
                Simulation.Result r = f.get();
                if (!r.ok()) {
                    failures.add(r);
                }
            }
            return failures;
        } finally {
            pool.shutdownNow();
        }
    }
}
