package io.paddock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/paddock ensemble} as a real process against this build's output: it finds
 * bin/paddock through the home bin/paddock passes, starts {@code bin/paddock server <cfg>} per
 * server with the same conf dir, and reports servers that die with the end of their logs. The
 * servers here are made to fail at start (an unreadable application.conf in their conf dir), so
 * the outcome does not depend on how far ensemble support has come.
 */
class EnsembleCommandScriptTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private Process process;

    @AfterEach
    void killLeftovers() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void binPaddockEnsembleRunsBinPaddockServersAndReportsTheirDeaths() throws Exception {
        Path repo = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.copy(repo.resolve("conf/paddock.cfg"), conf.resolve("paddock.cfg"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(repo.resolve("conf/logback.xml"), conf.resolve("logback.xml"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(conf.resolve("application.conf"), "akka {\n  loglevel = \n", StandardCharsets.UTF_8);
        Path base = dir.resolve("ens");

        ProcessBuilder pb = new ProcessBuilder(repo.resolve("bin/paddock").toString(), "ensemble", "2",
                "--base", base.toString()).directory(dir.toFile());
        pb.environment().put("PADDOCK_BUILD_DIR", System.getProperty("paddock.buildDir", repo.resolve("target").toString()));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("PADDOCK_CONF_DIR", conf.toString());
        pb.environment().remove("JAVA_OPTS");
        process = pb.start();
        PaddockProcess.Lines out = new PaddockProcess.Lines(process.getInputStream());
        PaddockProcess.Lines err = new PaddockProcess.Lines(process.getErrorStream());
        assertTrue(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "still running after " + DEADLINE);
        out.awaitEnd(DEADLINE);
        err.awaitEnd(DEADLINE);
        String transcript = "--- out\n" + out.text() + "--- err\n" + err.text();

        assertEquals(EnsembleCommand.FAILED, process.exitValue(), transcript);
        assertTrue(out.text().contains("Paddock ensemble: 2 participants in " + base), transcript);
        assertTrue(err.text().contains("every server has stopped"), transcript);
        for (int id = 1; id <= 2; id++) {
            Path serverDir = base.resolve("server-" + id);
            assertTrue(err.text().contains("server " + id + " (participant, pid "), transcript);
            assertTrue(err.text().contains("to start it again by hand: " + repo.resolve("bin/paddock") + " server "
                    + serverDir.resolve("paddock.cfg")), transcript);
            List<String> log = Files.readAllLines(serverDir.resolve("server.log"), StandardCharsets.UTF_8);
            assertFalse(log.isEmpty(), "server " + id + " wrote nothing to its log");
            assertTrue(err.text().contains("  | " + log.get(log.size() - 1) + "\n"), transcript);
            assertEquals(id + "\n", Files.readString(serverDir.resolve("data/myid")));
        }
    }
}
