package io.paddock.recipes;

import io.paddock.api.zk.TestJvm;
import io.paddock.client.CreateOptions;
import io.paddock.client.PaddockClient;
import io.paddock.tree.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The mutex between separate JVM processes ({@link LockWorkerMain}), each its own client and
 * session, around an in-JVM Paddock node; a holder is killed with SIGKILL.
 */
class DistributedMutexProcessTest {

    /** 500 ms ticks allow sessions of 1 s to 10 s: 4 s is the holder's. */
    static final int TICK_MS = 500;
    static final int HOLDER_SESSION_MS = 4_000;
    /**
     * Beyond the session timeout: the server noticing the dead event stream (its keep-alive lines
     * go out every half tick, and the second write after the kill fails), expiry's tick
     * granularity, the watch event's trip, a busy machine. Measured: 4.6 to 6.2 s from SIGKILL to the
     * waiter's grant with a 4 s session.
     */
    static final int MARGIN_MS = 6_000;
    static final Duration START = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;
    static RecipeServer server;
    static final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        server = RecipeServer.start(dataDir, TICK_MS);
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
        server.close();
    }

    static List<String> args(String lockPath, String mode, String... more) {
        List<String> a = new ArrayList<>(server.connectArgs());
        a.add(String.valueOf(HOLDER_SESSION_MS));
        a.add(lockPath);
        a.add(mode);
        a.addAll(List.of(more));
        return a;
    }

    record Section(String worker, long token, long enter, long exit, long valueRead) {
        static Section parse(String line) {
            String[] f = line.split(" ");
            return new Section(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]));
        }
    }

    /**
     * Several processes increment one counter under the lock with unconditional writes: the final
     * value is the number of increments (no update lost), no two critical sections overlap in
     * time, and fencing tokens grow in the order the sections ran.
     */
    @Test
    void processesIncrementingUnderTheLockLoseNoUpdateAndNeverOverlap() throws Exception {
        int workers = 4;
        int iterations = 25;
        String lockPath = "/process/counter-lock";
        String counterPath = "/process/counter";
        String goPath = "/process/go";
        PaddockClient client = server.client();
        client.create(counterPath, DistributedCounter.encode(0), CreateOptions.of(CreateMode.PERSISTENT).withParents());
        List<TestJvm> jvms = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                jvms.add(TestJvm.start(LockWorkerMain.class,
                        args(lockPath, "count", "w" + w, counterPath, goPath, String.valueOf(iterations))));
            }
            for (TestJvm jvm : jvms) {
                assertNotNull(jvm.awaitLine("READY", START), () -> "worker did not start:\n" + jvm.output());
            }
            client.create(goPath, new byte[0], CreateMode.PERSISTENT);
            for (TestJvm jvm : jvms) {
                assertNotNull(jvm.awaitLine("DONE", Duration.ofSeconds(120)), () -> "worker did not finish:\n" + jvm.output());
                assertEquals(0, jvm.awaitExit(Duration.ofSeconds(30)), jvm::output);
            }
            List<Section> sections = new ArrayList<>();
            for (TestJvm jvm : jvms) {
                jvm.output().lines().filter(l -> l.startsWith("CS ")).map(Section::parse).forEach(sections::add);
            }
            assertEquals(workers * iterations, sections.size());
            assertEquals(workers * iterations, DistributedCounter.decode(client.getData(counterPath).data()),
                    "an update was lost");
            sections.sort(Comparator.comparingLong(Section::enter));
            for (int i = 1; i < sections.size(); i++) {
                Section before = sections.get(i - 1);
                Section after = sections.get(i);
                assertTrue(before.exit() <= after.enter(), "critical sections overlap: " + before + " and " + after);
                assertTrue(before.token() < after.token(), "fencing tokens out of order: " + before + " then " + after);
                assertEquals(i, after.valueRead(), "each section reads what the one before wrote");
            }
            int handovers = 0;
            for (int i = 1; i < sections.size(); i++) {
                if (!sections.get(i).worker().equals(sections.get(i - 1).worker())) {
                    handovers++;
                }
            }
            // Shown, not asserted: how often the lock went from one process to another.
            System.out.println("mutex: " + handovers + " handovers between processes in " + sections.size() + " sections");
        } finally {
            for (TestJvm jvm : jvms) {
                jvm.close();
            }
        }
    }

    /**
     * A holder process killed with SIGKILL never releases; its session expires and the waiter gets
     * the lock within the session timeout and a margin, with a larger fencing token.
     */
    @Test
    void theLockPassesOnWhenItsHoldersProcessIsKilled() throws Exception {
        String lockPath = "/process/killed-holder";
        try (TestJvm holder = TestJvm.start(LockWorkerMain.class, args(lockPath, "hold"))) {
            String holding = holder.awaitLine("HOLDING", START);
            assertNotNull(holding, holder::output);
            long holderToken = Long.parseLong(holding.split(" ")[1]);
            assertEquals(HOLDER_SESSION_MS, Integer.parseInt(holding.split(" ")[2]), "negotiated session timeout");

            DistributedMutex waiter = new DistributedMutex(server.client(Duration.ofSeconds(10)), lockPath);
            assertFalse(waiter.acquire(Duration.ofMillis(300)), "the holder's process holds it");
            Future<LockLease> waiting = threads.submit(() -> {
                LockLease l = waiter.acquire();
                waiter.release();
                return l;
            });
            RecipeServer.await("for the waiter to queue", RecipeServer.DEADLINE, () -> waiter.queue().size() == 2);
            assertFalse(waiting.isDone());

            long killedAt = System.nanoTime();
            holder.kill();
            LockLease lease;
            try {
                lease = waiting.get(HOLDER_SESSION_MS + MARGIN_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                List<String> queueThen = waiter.queue();
                String later;
                try {
                    later = "it did " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms after: "
                            + waiting.get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException again) {
                    later = "nor 30 s later; queue then " + waiter.queue();
                }
                fail("the waiter did not get the lock within the session timeout + margin of the SIGKILL; queue "
                        + queueThen + "; " + later);
                return;
            }
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            assertTrue(lease.fencingToken() > holderToken);
            System.out.println("lock passed on " + tookMs + " ms after SIGKILL (session " + HOLDER_SESSION_MS + " ms)");
        }
    }
}
