package io.paddock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private static final Pattern LISTENING = PaddockProcess.LISTENING;

    @TempDir
    Path dir;

    private final List<PaddockProcess> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void killLeftovers() {
        started.forEach(PaddockProcess::destroyAndWait);
    }

    @Test
    void serverAnswersStatusAndExitsZeroOnSigterm() throws Exception {
        Path cfg = writeConfig("server.cfg", standaloneConfig());
        PaddockProcess server = paddock("server", cfg.toString());

        String line = server.stdout().awaitLine(LISTENING, START_DEADLINE);
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
        PaddockProcess cli = paddock("status", cfg.toString());
        assertEquals(0, cli.awaitExit(EXIT_DEADLINE), cli::transcript);
        assertTrue(cli.stdout().text().contains("Mode: standalone"), cli::transcript);
        assertTrue(cli.stdout().text().contains("Zxid: 0x"), cli::transcript);

        // clientPort=0: the ZooKeeper port is in its own port file, and answers srvr (whitelisted by default).
        int clientPort = Integer.parseInt(Files.readString(dir.resolve("data").resolve(Main.CLIENT_PORT_FILE)).trim());
        assertTrue(server.stdout().text().contains("ZooKeeper protocol on 0.0.0.0:" + clientPort), server::transcript);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", clientPort)) {
            socket.getOutputStream().write("srvr".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String srvr = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(srvr.startsWith("Zookeeper version: "), srvr);
            assertTrue(srvr.contains("Mode: standalone"), srvr);
        }

        // SIGTERM, through the handle: Process.destroy() would also close our end of the pipes,
        // losing what the server prints while it stops.
        assertTrue(server.process().toHandle().destroy());
        assertEquals(0, server.awaitExit(EXIT_DEADLINE), server::transcript);
        assertTrue(server.stdout().text().contains("Paddock stopped"), server::transcript);
        assertFalse(Files.exists(dir.resolve("data").resolve(Main.PORT_FILE)), "port file left behind");
        assertFalse(Files.exists(dir.resolve("data").resolve(Main.CLIENT_PORT_FILE)), "client port file left behind");
    }

    @Test
    void statusExitsOneWhenNoServerRuns() throws Exception {
        Path cfg = writeConfig("idle.cfg", standaloneConfig());
        PaddockProcess cli = paddock("status", cfg.toString());
        assertEquals(1, cli.awaitExit(EXIT_DEADLINE), cli::transcript);
        assertTrue(cli.stderr().text().contains("Is the server running?"), cli::transcript);
    }

    @Test
    void unknownConfigKeyStopsStartWithExitTwoNamingTheKey() throws Exception {
        Path cfg = writeConfig("bad.cfg", standaloneConfig() + "frobnicationLevel=11\n");
        PaddockProcess server = paddock("server", cfg.toString());
        assertEquals(2, server.awaitExit(EXIT_DEADLINE), server::transcript);
        assertTrue(server.stderr().text().contains("frobnicationLevel"), server::transcript);
        assertFalse(server.stdout().text().contains("HTTP API on"), server::transcript);
    }

    @Test
    void unknownCommandPrintsUsageAndExitsTwo() throws Exception {
        PaddockProcess run = paddock("frobnicate");
        assertEquals(2, run.awaitExit(EXIT_DEADLINE), run::transcript);
        String err = run.stderr().text();
        assertTrue(err.contains("unknown command 'frobnicate'"), run::transcript);
        assertTrue(err.contains("server [config]") && err.contains("status [config]"), run::transcript);
    }

    @Test
    void noCommandPrintsUsageAndExitsTwo() throws Exception {
        PaddockProcess run = paddock();
        assertEquals(2, run.awaitExit(EXIT_DEADLINE), run::transcript);
        assertTrue(run.stderr().text().startsWith("Usage: paddock <command>"), run::transcript);
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

    private PaddockProcess paddock(String... args) throws IOException {
        PaddockProcess run = PaddockProcess.start(dir, args);
        started.add(run);
        return run;
    }
}
