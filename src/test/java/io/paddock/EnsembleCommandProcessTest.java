package io.paddock;

import io.paddock.EnsembleCommand.Options;
import io.paddock.EnsembleLayout.Member;
import io.paddock.EnsembleLayout.Ports;
import io.paddock.server.ConfigFile;
import io.paddock.server.PaddockConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's process management, with bash scripts standing in for Paddock servers: they
 * are started with their config, their output goes to their log, deaths are reported while the
 * others keep running, and a stop request ends them all with SIGTERM.
 */
class EnsembleCommandProcessTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Pattern ROW = Pattern.compile("(?m)^(\\d+)\\s+(participant|observer)\\s+(\\d+)\\s+http://");
    /**
     * Stays up until SIGTERM, which it reports; says "fake server for <cfg>" once its trap is set.
     * Run by bash: dash, with a SIGTERM that comes as the sleep is forked, can leave the sleep
     * running after it exits (seen in about one start in ten).
     */
    private static final String SERVING = "trap 'kill $! 2>/dev/null; echo stopped by TERM; exit 0' TERM; "
            + "echo \"fake server for $1 conf=$PADDOCK_CONF_DIR\"; sleep 120 & wait $!";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private final CompletableFuture<String> stop = new CompletableFuture<>();
    private CompletableFuture<Integer> launcher;
    private EnsembleSupervisor.Child supervised;

    @AfterEach
    void stopEverything() throws Exception {
        stop.complete("test over");
        if (launcher != null) {
            launcher.get(DEADLINE.toSeconds() * 2, TimeUnit.SECONDS);
        }
        // The launcher stops its children itself before it returns, so nothing is killed here by
        // pid: a pid of a child that has ended may already belong to another process.
        if (supervised != null) {
            supervised.process().destroyForcibly();
        }
    }

    private static Path conf() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).resolve("conf");
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private String transcript() {
        return "--- out\n" + out() + "--- err\n" + err();
    }

    /** Starts the launcher on its own thread with the given scripts (SERVING for ids not listed). */
    private void launch(Options options, Map<Long, String> scripts) {
        EnsembleSupervisor.ChildCommand command = member -> List.of("bash", "-c",
                scripts.getOrDefault(member.id(), SERVING), "fake-paddock", member.configFile().toString());
        launcher = CompletableFuture.supplyAsync(() -> EnsembleCommand.launch(options, conf(), command,
                Map.of("PADDOCK_CONF_DIR", "/conf/of/test"), stop, out, err));
    }

    /** Waits for the table and returns the pids by server id. */
    private Map<Long, Long> awaitTable() {
        await(() -> out().contains("Crash one:") || launcher.isDone(), "the table");
        Map<Long, Long> byId = new LinkedHashMap<>();
        Matcher m = ROW.matcher(out());
        while (m.find()) {
            byId.put(Long.parseLong(m.group(1)), Long.parseLong(m.group(3)));
        }
        return byId;
    }

    private void await(BooleanSupplier condition, String what) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, () -> "no " + what + " within " + DEADLINE + "\n" + transcript());
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int awaitLauncher() throws Exception {
        return launcher.get(DEADLINE.toSeconds() * 2, TimeUnit.SECONDS);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void launchWritesEveryServersFilesAndAStopRequestEndsThemAllWithSigterm() throws Exception {
        Path base = dir.resolve("ens");
        launch(new Options(3, 1, base, 400, false), Map.of());
        Map<Long, Long> pidById = awaitTable();
        assertEquals(List.of(1L, 2L, 3L, 4L), List.copyOf(pidById.keySet()), transcript());
        assertTrue(out().contains("3 participants and 1 observer in " + base.toAbsolutePath()), transcript());
        assertTrue(out().contains("for port in "), transcript());

        for (long id = 1; id <= 4; id++) {
            Path serverDir = base.toAbsolutePath().resolve("server-" + id);
            assertEquals(id + "\n", read(serverDir.resolve("data/myid")));
            PaddockConfig config = ConfigFile.load(serverDir.resolve("paddock.cfg"));
            assertEquals(serverDir.resolve("data"), config.dataDir());
            assertEquals(400, config.tickTime());
            assertEquals(4, config.servers().size());
            assertEquals(id == 4, config.servers().get(id).observer());
            assertTrue(out().contains("http://127.0.0.1:" + config.httpPort()), transcript());
            // The child got its own config and the launcher's environment, and writes to its log.
            Path log = serverDir.resolve("server.log");
            await(() -> read(log).contains("fake server for " + serverDir.resolve("paddock.cfg")
                    + " conf=/conf/of/test"), "start line in " + log);
        }

        stop.complete("SIGINT");
        assertEquals(EnsembleCommand.OK, awaitLauncher(), transcript());
        for (long id = 1; id <= 4; id++) {
            assertTrue(read(base.resolve("server-" + id + "/server.log")).contains("stopped by TERM"), "server " + id);
            assertFalse(alive(pidById.get(id)), "server " + id + " still running");
        }
        assertTrue(out().contains("stopping (SIGINT): SIGTERM to 4 servers"), transcript());
        assertTrue(out().contains("Paddock ensemble stopped"), transcript());
        assertFalse(err().contains("exited with"), transcript());
    }

    @Test
    void aServerThatDiesIsReportedWithItsLastLogLinesWhileTheOthersKeepRunning() throws Exception {
        launch(new Options(3, 0, dir.resolve("ens"), 0, false), Map.of(2L, "echo first words; echo last words; exit 3"));
        Map<Long, Long> pidById = awaitTable();
        await(() -> err().contains("still running:"), "report");
        assertTrue(err().contains("server 2 (participant, pid " + pidById.get(2L) + ") exited with status 3"), transcript());
        assertTrue(err().contains("  | first words\n  | last words\n"), transcript());
        assertTrue(err().contains("to start it again by hand: bash -c "), transcript());
        assertTrue(err().contains("still running: server 1 (pid " + pidById.get(1L) + "), server 3 (pid "
                + pidById.get(3L) + ")"), transcript());
        assertTrue(alive(pidById.get(1L)) && alive(pidById.get(3L)), transcript());
        assertFalse(launcher.isDone(), transcript());

        stop.complete("SIGTERM");
        assertEquals(EnsembleCommand.OK, awaitLauncher(), transcript());
        assertFalse(alive(pidById.get(1L)) || alive(pidById.get(3L)), transcript());
    }

    @Test
    void aServerKilledByHandIsReportedAsKilledBySigkill() throws Exception {
        // exec: the pid is the sleep's own, so SIGKILL leaves no orphan behind.
        launch(new Options(3, 0, dir.resolve("ens"), 0, false), Map.of(3L, "exec sleep 120"));
        Map<Long, Long> pidById = awaitTable();
        assertTrue(ProcessHandle.of(pidById.get(3L)).orElseThrow().destroyForcibly());
        await(() -> err().contains("still running:"), "report");
        assertTrue(err().contains("server 3 (participant, pid " + pidById.get(3L)
                + ") exited with status 137 (killed by SIGKILL)"), transcript());
        assertFalse(launcher.isDone(), transcript());
    }

    @Test
    void withStopOnFailureOneDeathStopsTheOthersAndReturnsOne() throws Exception {
        launch(new Options(3, 1, dir.resolve("ens"), 0, true), Map.of(1L, "echo bye; exit 1"));
        Map<Long, Long> pidById = awaitTable();
        assertEquals(EnsembleCommand.FAILED, awaitLauncher(), transcript());
        assertTrue(err().contains("server 1 (participant, pid " + pidById.get(1L) + ") exited with status 1"), transcript());
        assertTrue(out().contains("stopping (--stop-on-failure)"), transcript());
        pidById.values().forEach(pid -> assertFalse(alive(pid), "pid " + pid + " still running"));
    }

    @Test
    void whenEveryServerHasDiedTheLauncherReturnsOne() throws Exception {
        launch(new Options(2, 0, dir.resolve("ens"), 0, false), Map.of(1L, "exit 2", 2L, "exit 2"));
        assertEquals(EnsembleCommand.FAILED, awaitLauncher(), transcript());
        assertTrue(err().contains("every server has stopped"), transcript());
        assertTrue(err().contains("server 1 (participant") && err().contains("server 2 (participant"), transcript());
        assertTrue(err().contains("is empty)"), transcript());
    }

    @Test
    void anExitFollowedAtOnceByAStopRequestIsAStopNotAFailure() throws Exception {
        // Ctrl-C reaches the servers as well as the launcher; a server may exit first.
        launch(new Options(2, 0, dir.resolve("ens"), 0, false), Map.of(1L, "exec sleep 120"));
        Map<Long, Long> pidById = awaitTable();
        assertTrue(ProcessHandle.of(pidById.get(1L)).orElseThrow().destroy());
        stop.complete("SIGINT");
        assertEquals(EnsembleCommand.OK, awaitLauncher(), transcript());
        assertFalse(err().contains("exited with"), transcript());
    }

    @Test
    void aSecondLaunchInTheSameFolderKeepsTheDataAndRefusesAForeignMyid() throws Exception {
        Path base = dir.resolve("ens");
        Files.createDirectories(base.resolve("server-1/data"));
        Files.writeString(base.resolve("server-1/data/keep.me"), "x");
        launch(new Options(1, 0, base, 0, false), Map.of());
        awaitTable();
        stop.complete("SIGINT");
        assertEquals(EnsembleCommand.OK, awaitLauncher(), transcript());
        assertEquals("x", read(base.resolve("server-1/data/keep.me")));

        Files.writeString(base.resolve("server-1/data/myid"), "7\n");
        Supplier<Integer> again = () -> EnsembleCommand.launch(new Options(1, 0, base, 0, false), conf(),
                member -> List.of("/bin/false"), Map.of(), new CompletableFuture<>(), out, err);
        assertEquals(EnsembleCommand.FAILED, again.get(), transcript());
        assertTrue(err().contains("says '7', not 1: this data belongs to another server"), transcript());
    }

    // ---- the supervisor's own rules -------------------------------------------------------

    @Test
    void stopAllKillsAServerThatOutlivesTheDeadline() throws Exception {
        Member member = new Member(1, false, dir, new Ports(1, 2, 3, 4));
        // An ignored signal stays ignored across exec: this sleep ignores SIGTERM.
        EnsembleSupervisor supervisor = new EnsembleSupervisor(
                m -> List.of("bash", "-c", "trap '' TERM; echo ready; exec sleep 120"), Map.of(), exit -> { });
        EnsembleSupervisor.Child child = supervisor.start(member);
        supervised = child;
        await(() -> read(member.logFile()).contains("ready"), "ready");
        List<EnsembleSupervisor.Child> killed = supervisor.stopAll(Duration.ofMillis(300));
        assertEquals(List.of(child), killed);
        assertFalse(child.process().isAlive());
        assertEquals(137, child.process().exitValue());
        assertEquals(List.of(), supervisor.stopAll(Duration.ofMillis(300)), "a second stop finds nothing");
    }

    @Test
    void tailGivesTheLastLinesEvenOfALogLargerThanItReads() throws Exception {
        Path log = dir.resolve("server.log");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(log, text);
        assertEquals(List.of("line 19997", "line 19998", "line 19999"), EnsembleSupervisor.tail(log, 3));
        List<String> many = EnsembleSupervisor.tail(log, 1_000_000);
        assertTrue(many.get(0).matches("line \\d+"), "the first line read is whole, not the end of one: " + many.get(0));
        assertEquals("line 19999", many.get(many.size() - 1));

        Files.writeString(log, "one\ntwo");
        assertEquals(List.of("one", "two"), EnsembleSupervisor.tail(log, 5));
        assertEquals(List.of(), EnsembleSupervisor.tail(dir.resolve("missing.log"), 5));
    }

    @Test
    void exitStatusesAboveOneTwentyEightNameTheSignal() {
        assertEquals("status 0", EnsembleSupervisor.describeStatus(0));
        assertEquals("status 2", EnsembleSupervisor.describeStatus(2));
        assertEquals("status 137 (killed by SIGKILL)", EnsembleSupervisor.describeStatus(137));
        assertEquals("status 143 (killed by SIGTERM)", EnsembleSupervisor.describeStatus(143));
        assertEquals("status 140 (killed by signal 12)", EnsembleSupervisor.describeStatus(140));
        assertEquals("status 255", EnsembleSupervisor.describeStatus(255));
    }

    @Test
    void tableColumnsLineUp() {
        List<Member> members = EnsembleLayout.plan(Path.of("/b"), 1, 1, List.of(10, 11, 12, 13, 100, 101, 102, 103));
        List<String> table = EnsembleCommand.table(members, List.of(5L, 12345L));
        assertEquals(3, table.size());
        assertTrue(table.get(0).startsWith("id  role         pid    HTTP API              client port"), table.get(0));
        assertTrue(table.get(2).startsWith("2   observer     12345  http://127.0.0.1:101  100          102 "), table.get(2));
        assertTrue(table.get(2).endsWith("/b/server-2/server.log"), table.get(2));
    }
}
