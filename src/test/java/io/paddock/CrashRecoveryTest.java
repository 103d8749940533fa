package io.paddock;

import com.fasterxml.jackson.databind.JsonNode;
import io.paddock.PaddockHttp.TreeImage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Durability against a real server process, really killed: concurrent clients write over the
 * HTTP API, the process gets SIGKILL at a random moment, a new process starts on the same
 * dataDir, and everything the server acknowledged must be there, exactly, with nothing that was
 * never asked for. And a graceful restart gives back the very tree the server held.
 *
 * <p>{@code -Dpaddock.crash.kills=N} sets the number of kills (default 3; the {@code crash}
 * Maven profile runs many); {@code -Dpaddock.crash.seed=S} replays the kill moments and the
 * writers' choices of a failed run (thread interleaving is the OS's, so a replay is close, not
 * exact). Every failure message starts with the seed.
 */
class CrashRecoveryTest {

    private static final Duration START_DEADLINE = Duration.ofSeconds(60);
    private static final Duration EXIT_DEADLINE = Duration.ofSeconds(30);
    private static final int WRITERS = 8;
    /** The kill comes this long after the first acknowledged write, at most: the random part of the experiment. */
    private static final int KILL_DELAY_MS_MAX = 1500;
    /** One restart in this many is itself killed during start-up (recovery), before being checked. */
    private static final int KILL_DURING_RECOVERY_ONE_IN = 3;

    @TempDir
    Path dir;

    private final List<PaddockProcess> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(PaddockProcess::destroyAndWait);
    }

    @Test
    void acknowledgedWritesSurviveSigkill() throws Exception {
        long seed = Long.getLong("paddock.crash.seed", System.nanoTime());
        int kills = Integer.getInteger("paddock.crash.kills", 3);
        System.out.println("CrashRecoveryTest: seed " + seed + ", " + kills + " kills");
        withSeed(seed, () -> killAndRecover(seed, kills));
    }

    @Test
    void gracefulRestartRebuildsTheSameTree() throws Exception {
        long seed = Long.getLong("paddock.crash.seed", System.nanoTime());
        withSeed(seed, () -> restartAndCompare(seed));
    }

    // ---- the runs ------------------------------------------------------------------------------

    private void killAndRecover(long seed, int kills) throws Exception {
        Random random = new Random(seed);
        Path cfg = writeConfig();
        CrashWorkload workload = new CrashWorkload(WRITERS);
        Running server = start(cfg);
        workload.setUp(server.http);
        long zxidFloor = 0;
        for (int kill = 1; kill <= kills; kill++) {
            String round = "kill " + kill + " of " + kills;
            long ackedBefore = workload.acknowledgedWrites();
            PaddockProcess victim = server.process;
            CrashWorkload.Round writes = workload.new Round(server.http, random.nextLong(), Long.MAX_VALUE, zxidFloor);
            assertTrue(writes.awaitFirstAck(START_DEADLINE), round + ": no write acknowledged within " + START_DEADLINE
                    + "\n" + victim.transcript());
            long delayMs = random.nextInt(KILL_DELAY_MS_MAX + 1);
            Thread.sleep(delayMs); // the experiment's random moment, not a wait for a condition
            writes.killing();
            assertEquals(PaddockProcess.KILLED_STATUS, victim.kill(EXIT_DEADLINE),
                    () -> round + ": the server was not ended by our SIGKILL (it exited by itself first)\n"
                            + victim.transcript());
            List<String> writerProblems = writes.finish(EXIT_DEADLINE);
            assertTrue(writerProblems.isEmpty(), () -> round + ", before the kill: " + CrashWorkload.lines(writerProblems));

            long killedAt = System.nanoTime();
            boolean twice = random.nextInt(KILL_DURING_RECOVERY_ONE_IN) == 0;
            if (twice) {
                killDuringStartUp(cfg, random.nextInt(KILL_DELAY_MS_MAX + 1), round);
            }
            server = start(cfg);
            long upAt = System.nanoTime();
            List<String> problems = workload.verifyRecovered(server.http);
            System.out.printf("CrashRecoveryTest: %s: %d writes acknowledged, killed %d ms after the first;"
                    + " unanswered: %s; restart%s %d ms, check %d ms%n", round,
                    workload.acknowledgedWrites() - ackedBefore, delayMs, workload.unansweredOutcome(),
                    twice ? " (killed once during start-up)" : "", (upAt - killedAt) / 1_000_000,
                    (System.nanoTime() - upAt) / 1_000_000);
            Running restarted = server;
            assertTrue(problems.isEmpty(), () -> round + " (" + delayMs + " ms after the first acknowledged write, "
                    + workload.acknowledgedWrites() + " writes acknowledged so far), after the restart:\n"
                    + CrashWorkload.lines(problems) + "\n" + restarted.process.transcript());
            zxidFloor = PaddockHttp.zxid(server.http.call("GET", "/v1/status", null).path("zxid"));
        }
        // One more round on the last restart: writing after recovery works and reuses no zxid.
        CrashWorkload.Round last = workload.new Round(server.http, random.nextLong(), 20, zxidFloor);
        List<String> lastProblems = last.finish(START_DEADLINE);
        assertTrue(lastProblems.isEmpty(), () -> "after the last restart: " + CrashWorkload.lines(lastProblems));
        stop(server);
    }

    /** A restart killed at a random moment of its start-up (recovery included) must lose nothing either. */
    private void killDuringStartUp(Path cfg, int delayMs, String round) throws Exception {
        PaddockProcess p = launch(cfg);
        p.process().waitFor(delayMs, TimeUnit.MILLISECONDS); // the random moment
        int status = p.kill(EXIT_DEADLINE);
        assertTrue(status == PaddockProcess.KILLED_STATUS,
                () -> round + ": the restart killed " + delayMs + " ms into its start-up had already exited with "
                        + status + "\n" + p.transcript());
    }

    private void restartAndCompare(long seed) throws Exception {
        Random random = new Random(seed);
        Path cfg = writeConfig();
        Running server = start(cfg);
        CrashWorkload workload = new CrashWorkload(WRITERS);
        workload.setUp(server.http);
        writeEveryKindOfZnode(server.http);
        // 320 writes and more: past the jittered snapCount (150 to 300), so the restart loads a
        // snapshot and replays the log after it.
        List<String> problems = workload.new Round(server.http, random.nextLong(), 40, 0).finish(START_DEADLINE);
        assertTrue(problems.isEmpty(), () -> CrashWorkload.lines(problems));

        // Snapshots are written in the background: wait for one, so the restart starts from it.
        assertTrue(awaitSnapshotFile(dir.resolve("data"), START_DEADLINE),
                "no snapshot.* in dataDir after more than snapCount writes");
        long readStart = System.nanoTime();
        TreeImage before = server.http.readTree();
        long stopStart = System.nanoTime();
        stop(server);
        long startStart = System.nanoTime();
        server = start(cfg);
        long started = System.nanoTime();
        TreeImage after = server.http.readTree();
        System.out.printf("CrashRecoveryTest: graceful restart: %d znodes read in %d ms, stop %d ms, start %d ms%n",
                before.nodes().size(), (stopStart - readStart) / 1_000_000, (startStart - stopStart) / 1_000_000,
                (started - startStart) / 1_000_000);
        assertSameTree(before, after, "graceful restart");
        List<String> recovered = workload.verifyRecovered(server.http);
        assertTrue(recovered.isEmpty(), () -> CrashWorkload.lines(recovered));

        // The zxid goes on from where it was: a new write gets a higher one.
        long recoveredZxid = PaddockHttp.zxid(server.http.call("GET", "/v1/status", null).path("zxid"));
        JsonNode created = server.http.call("POST", "/v1/znodes/after-restart", "{}");
        assertTrue(PaddockHttp.zxid(created.path("stat").path("czxid")) > recoveredZxid, created::toString);
        stop(server);
    }

    /** Whether a finished snapshot.&lt;zxid&gt; file appears in dataDir before the deadline. */
    private static boolean awaitSnapshotFile(Path dataDir, Duration deadline) throws IOException, InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            try (var files = Files.list(dataDir)) {
                // Finished ones only: snapshot.<zxid>.tmp is one still being written.
                if (files.map(f -> f.getFileName().toString())
                        .anyMatch(n -> n.startsWith("snapshot.") && !n.endsWith(".tmp"))) {
                    return true;
                }
            }
            LockSupport.parkNanos(20_000_000); // polling interval, with a deadline
        }
        return false;
    }

    /**
     * Modes and features a snapshot or log must carry besides plain data: sequential names (the
     * parent's counter), an ephemeral and its session, a TTL node, a container, a digest ACL.
     */
    private static void writeEveryKindOfZnode(PaddockHttp http) throws IOException, InterruptedException {
        http.call("POST", "/v1/znodes/kinds", "{\"data\":\"" + b64("kinds") + "\"}");
        http.call("POST", "/v1/znodes/kinds/job-", "{\"mode\":\"PERSISTENT_SEQUENTIAL\"}");
        http.call("POST", "/v1/znodes/kinds/job-", "{\"mode\":\"PERSISTENT_SEQUENTIAL\"}");
        http.call("DELETE", "/v1/znodes/kinds/job-0000000000", null);
        http.call("POST", "/v1/znodes/kinds/ttl", "{\"mode\":\"PERSISTENT_WITH_TTL\",\"ttlMs\":3600000}");
        http.call("POST", "/v1/znodes/kinds/box", "{\"mode\":\"CONTAINER\"}");
        http.call("POST", "/v1/znodes/kinds/box/item", "{}");
        http.call("POST", "/v1/znodes/kinds/vault", "{\"data\":\"" + b64("gold") + "\",\"acl\":["
                + "{\"scheme\":\"world\",\"id\":\"anyone\",\"perms\":\"r\"},"
                + "{\"scheme\":\"digest\",\"id\":\"alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=\",\"perms\":\"cdrwa\"}]}");
        http.call("PUT", "/v1/znodes/kinds", "{\"data\":\"" + b64("kinds, again") + "\",\"version\":0}");
        // The longest timeout granted (20 ticks): the session outlives the restart with time to spare.
        String session = http.call("POST", "/v1/sessions", "{\"timeoutMs\":40000}").path("sessionId").asText();
        var r = http.send("POST", "/v1/znodes/kinds/worker", "{\"mode\":\"EPHEMERAL\"}", "Paddock-Session", session);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode owner = PaddockHttp.parse(r.body()).path("stat").path("ephemeralOwner");
        assertEquals(session, owner.asText(), r.body());
    }

    private static void assertSameTree(TreeImage before, TreeImage after, String what) {
        List<String> diffs = new ArrayList<>();
        if (!before.zxid().equals(after.zxid())) {
            diffs.add("zxid " + before.zxid() + " before, " + after.zxid() + " after");
        }
        if (before.nodeCount() != after.nodeCount()) {
            diffs.add("nodeCount " + before.nodeCount() + " before, " + after.nodeCount() + " after");
        }
        if (before.sessionCount() != after.sessionCount()) {
            diffs.add("sessionCount " + before.sessionCount() + " before, " + after.sessionCount() + " after");
        }
        before.nodes().forEach((path, node) -> {
            JsonNode now = after.nodes().get(path);
            if (!node.equals(now)) {
                diffs.add(path + ": " + node + " before, " + (now == null ? "missing" : now.toString()) + " after");
            }
        });
        after.nodes().keySet().stream().filter(p -> !before.nodes().containsKey(p))
                .forEach(p -> diffs.add(p + ": not there before, " + after.nodes().get(p) + " after"));
        assertTrue(diffs.isEmpty(), () -> what + ": the tree differs (" + before.nodes().size() + " znodes before):\n"
                + CrashWorkload.lines(diffs));
    }

    // ---- processes -----------------------------------------------------------------------------

    private record Running(PaddockProcess process, PaddockHttp http) {
    }

    private Path writeConfig() throws IOException {
        // No session of the crash run depends on time: the default tick is fine, and keeps the
        // graceful run's session (40 s) well clear of expiry across its restarts.
        return Files.writeString(dir.resolve("crash.cfg"), "tickTime=2000\n"
                + "dataDir=" + dir.resolve("data") + "\n"
                + "clientPort=0\n"
                + "clientPortAddress=127.0.0.1\n"
                + "httpPort=0\n"
                // Durable, as shipped; snapshots every 150 to 300 transactions (jittered), so kills
                // land before, during and after snapshots and recovery replays log after a snapshot.
                + "forceSync=yes\n"
                + "snapCount=300\n"
                // 1 MB preallocation chunks instead of 64 MB: the many restarts stay light on /tmp.
                + "preAllocSize=1024\n");
    }

    private PaddockProcess launch(Path cfg) throws IOException {
        PaddockProcess p = PaddockProcess.start(dir, "server", cfg.toString());
        started.add(p);
        return p;
    }

    /** A new server process on the config's dataDir, up and answering /health. */
    private Running start(Path cfg) throws Exception {
        PaddockProcess p = launch(cfg);
        PaddockHttp http = new PaddockHttp(p.awaitHttpPort(START_DEADLINE));
        http.awaitHealthy(p, START_DEADLINE);
        return new Running(p, http);
    }

    /** SIGTERM, and a clean exit. */
    private static void stop(Running server) throws InterruptedException {
        server.process.terminate();
        assertEquals(0, server.process.awaitExit(EXIT_DEADLINE), server.process::transcript);
    }

    private interface Body {
        void run() throws Exception;
    }

    /** Runs a test body so that whatever fails names the seed that replays it. */
    private static void withSeed(long seed, Body body) throws Exception {
        try {
            body.run();
        } catch (AssertionError e) {
            throw new AssertionError(replay(seed) + e.getMessage(), e);
        } catch (Exception e) {
            throw new AssertionError(replay(seed) + e, e);
        }
    }

    private static String replay(long seed) {
        return "[seed " + seed + ", replay with -Dpaddock.crash.seed=" + seed + "] ";
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
