package io.paddock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code bin/paddock} as a real process against this build's output (Surefire passes
 * paddock.buildDir; the build copies the runtime jars in process-classes, before the tests).
 * Builds nothing. Servers take port 0 and a temporary dataDir.
 */
class MainProcessTest {

    private static final Duration START_DEADLINE = Duration.ofSeconds(60);
    private static final Duration EXIT_DEADLINE = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("HTTP API on http://(\\S+):(\\d+), data in ");

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void serverAnswersStatusAndExitsZeroOnSigterm() throws Exception {
        Path cfg = writeConfig("server.cfg", standaloneConfig());
        Run server = paddock("server", cfg.toString());

        String line = server.stdout.awaitLine(LISTENING, START_DEADLINE);
        assertNotNull(line, () -> "no listening line within " + START_DEADLINE + "\n" + server.transcript());
        Matcher m = LISTENING.matcher(line);
        assertTrue(m.find());
        int port = Integer.parseInt(m.group(2));
        assertTrue(port > 0, line);
        assertTrue(line.startsWith("Paddock standalone: "), line);

        // The line comes only once the API is bound: /health answers at once.
        assertEquals(200, get(port, "/health").statusCode(), server::transcript);
        HttpResponse<String> status = get(port, "/v1/status");
        assertEquals(200, status.statusCode(), status.body());
        JsonNode json = new ObjectMapper().readTree(status.body());
        assertEquals("standalone", json.path("mode").asText(), status.body());

        // httpPort=0: the status command finds the chosen port through the server's port file.
        Run cli = paddock("status", cfg.toString());
        assertEquals(0, cli.awaitExit(EXIT_DEADLINE), cli::transcript);
        assertTrue(cli.stdout.text().contains("Mode: standalone"), cli::transcript);
        assertTrue(cli.stdout.text().contains("Zxid: 0x"), cli::transcript);

        // SIGTERM, through the handle: Process.destroy() would also close our end of the pipes,
        // losing what the server prints while it stops.
        assertTrue(server.process.toHandle().destroy());
        assertEquals(0, server.awaitExit(EXIT_DEADLINE), server::transcript);
        assertTrue(server.stdout.text().contains("Paddock stopped"), server::transcript);
        assertFalse(Files.exists(dir.resolve("data").resolve(Main.PORT_FILE)), "port file left behind");
    }

    @Test
    void statusExitsOneWhenNoServerRuns() throws Exception {
        Path cfg = writeConfig("idle.cfg", standaloneConfig());
        Run cli = paddock("status", cfg.toString());
        assertEquals(1, cli.awaitExit(EXIT_DEADLINE), cli::transcript);
        assertTrue(cli.stderr.text().contains("Is the server running?"), cli::transcript);
    }

    @Test
    void unknownConfigKeyStopsStartWithExitTwoNamingTheKey() throws Exception {
        Path cfg = writeConfig("bad.cfg", standaloneConfig() + "frobnicationLevel=11\n");
        Run server = paddock("server", cfg.toString());
        assertEquals(2, server.awaitExit(EXIT_DEADLINE), server::transcript);
        assertTrue(server.stderr.text().contains("frobnicationLevel"), server::transcript);
        assertFalse(server.stdout.text().contains("HTTP API on"), server::transcript);
    }

    @Test
    void unknownCommandPrintsUsageAndExitsTwo() throws Exception {
        Run run = paddock("frobnicate");
        assertEquals(2, run.awaitExit(EXIT_DEADLINE), run::transcript);
        String err = run.stderr.text();
        assertTrue(err.contains("unknown command 'frobnicate'"), run::transcript);
        assertTrue(err.contains("server [config]") && err.contains("status [config]"), run::transcript);
    }

    @Test
    void noCommandPrintsUsageAndExitsTwo() throws Exception {
        Run run = paddock();
        assertEquals(2, run.awaitExit(EXIT_DEADLINE), run::transcript);
        assertTrue(run.stderr.text().startsWith("Usage: paddock <command>"), run::transcript);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private String standaloneConfig() {
        return "tickTime=2000\n"
                + "dataDir=" + dir.resolve("data") + "\n"
                + "clientPort=0\n"
                + "httpPort=0\n";
    }

    private Path writeConfig(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private Run paddock(String... args) throws IOException {
        Path repo = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        String buildDir = System.getProperty("paddock.buildDir", repo.resolve("target").toString());
        List<String> command = new ArrayList<>();
        command.add(repo.resolve("bin/paddock").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("PADDOCK_BUILD_DIR", buildDir);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("PADDOCK_CONF_DIR");
        Process process = pb.start();
        started.add(process);
        return new Run(process, new Lines(process.getInputStream()), new Lines(process.getErrorStream()));
    }

    private record Run(Process process, Lines stdout, Lines stderr) {
        int awaitExit(Duration deadline) throws InterruptedException {
            assertTrue(process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS),
                    () -> "still running after " + deadline + "\n" + transcript());
            stdout.awaitEnd(deadline);
            stderr.awaitEnd(deadline);
            return process.exitValue();
        }

        String transcript() {
            return "--- stdout\n" + stdout.text() + "--- stderr\n" + stderr.text();
        }
    }

    /** Drains one output stream on its own thread (a full pipe would block the child) and hands lines over. */
    private static final class Lines {
        private static final String END = new String("end of stream"); // compared by identity
        private final StringBuffer text = new StringBuffer();
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Thread reader;

        Lines(InputStream in) {
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        text.append(line).append('\n');
                        lines.add(line);
                    }
                } catch (IOException e) {
                    text.append("(reading failed: ").append(e).append(")\n");
                }
                lines.add(END);
            }, "paddock-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** The first line matching the pattern, or null when none came before the deadline or the end. */
        String awaitLine(Pattern pattern, Duration deadline) throws InterruptedException {
            long end = System.nanoTime() + deadline.toNanos();
            for (long left = deadline.toNanos(); left > 0; left = end - System.nanoTime()) {
                String line = lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == END) {
                    return null;
                }
                if (line != null && pattern.matcher(line).find()) {
                    return line;
                }
            }
            return null;
        }

        void awaitEnd(Duration deadline) throws InterruptedException {
            reader.join(deadline.toMillis());
        }

        String text() {
            return text.toString();
        }
    }
}
