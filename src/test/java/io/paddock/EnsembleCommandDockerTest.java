package io.paddock;

import com.sun.net.httpserver.HttpServer;
import io.paddock.server.ConfigFile;
import io.paddock.server.PaddockConfig;
import io.paddock.server.PaddockConfig.ServerSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container's scripts, run here with bash against a temporary "image" (a home with a fake
 * bin/paddock that prints its arguments, and the shipped conf/paddock.cfg): the entrypoint writes
 * an ensemble member's config and myid from PADDOCK_* variables, which ConfigFile accepts, and
 * the health check asks GET /v1/status.
 */
class EnsembleCommandDockerTest {

    private static final Path REPO = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    private static final Path ENTRYPOINT = REPO.resolve("docker/entrypoint.sh");
    private static final Path HEALTHCHECK = REPO.resolve("docker/healthcheck.sh");
    private static final String SERVERS =
            "1=paddock1:2888:3888,2=paddock2:2888:3888,3=paddock3:2888:3888,4=paddock4:2888:3888:observer";

    @TempDir
    Path home;

    private Path cfg;
    private String shippedCfg;

    private record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    @BeforeEach
    void fakeImage() throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.writeString(bin.resolve("paddock"), "#!/usr/bin/env bash\necho \"FAKE paddock $*\"\n");
        assertTrue(bin.resolve("paddock").toFile().setExecutable(true));
        cfg = Files.createDirectories(home.resolve("conf")).resolve("paddock.cfg");
        Files.copy(REPO.resolve("conf/paddock.cfg"), cfg, StandardCopyOption.REPLACE_EXISTING);
        shippedCfg = Files.readString(cfg);
    }

    private Result run(Path script, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("PADDOCK_"));
        pb.environment().put("PADDOCK_HOME", home.toString());
        pb.environment().put("PADDOCK_CONF_DIR", home.resolve("conf").toString());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "script still running");
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Map<String, String> member(int id) {
        Map<String, String> env = new HashMap<>();
        env.put("PADDOCK_SERVERS", SERVERS);
        env.put("PADDOCK_MYID", Integer.toString(id));
        return env;
    }

    @Test
    void withoutPaddockVariablesTheImagesConfigIsUsedAsItIs() throws Exception {
        Result r = run(ENTRYPOINT, Map.of());
        assertEquals(0, r.status(), r::toString);
        assertEquals("FAKE paddock server\n", r.out(), r::toString);
        assertEquals(shippedCfg, Files.readString(cfg));
        assertFalse(Files.exists(home.resolve("data/myid")));
    }

    @Test
    void otherCommandsAndAConfigOfTheirOwnGoToBinPaddockUntouched() throws Exception {
        assertEquals("FAKE paddock status\n", run(ENTRYPOINT, member(1), "status").out());
        assertEquals("FAKE paddock server /etc/my.cfg\n", run(ENTRYPOINT, member(1), "server", "/etc/my.cfg").out());
        assertEquals(shippedCfg, Files.readString(cfg));
    }

    @Test
    void anEnsembleMembersConfigListsEveryServerAndListensOnAllAddresses() throws Exception {
        Map<String, String> env = member(4);
        env.put("PADDOCK_TICK_TIME", "500");
        env.put("PADDOCK_CFG_EXTRA", "forceSync=no snapCount=1000\ntickTime=999");
        Result r = run(ENTRYPOINT, env);
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("server 4 (observer) of 4"), r::toString);
        assertTrue(r.out().endsWith("FAKE paddock server\n"), r::toString);

        PaddockConfig config = ConfigFile.load(cfg);
        assertEquals(List.of(1L, 2L, 3L, 4L), List.copyOf(config.servers().keySet()));
        assertEquals(new ServerSpec(2, "paddock2", 2888, 3888, false), config.servers().get(2L));
        assertTrue(config.servers().get(4L).observer());
        assertEquals(500, config.tickTime(), "PADDOCK_TICK_TIME wins over PADDOCK_CFG_EXTRA");
        assertFalse(config.storage().forceSync());
        assertEquals(1000, config.storage().snapCount());
        assertEquals("0.0.0.0", config.peerBindAddress());
        // dataDir stays the image's ./data, relative to the working directory, where myid goes.
        assertEquals(Path.of("./data"), config.dataDir());
        assertEquals("4\n", Files.readString(home.resolve("data/myid")));
    }

    @Test
    void restartingWithTheSameVariablesWritesTheSameFile() throws Exception {
        Map<String, String> env = member(2);
        env.put("PADDOCK_DATA_DIR", home.resolve("volume").toString());
        env.put("PADDOCK_HTTP_PORT", "9090");
        assertEquals(0, run(ENTRYPOINT, env).status());
        String first = Files.readString(cfg);
        Result again = run(ENTRYPOINT, env);
        assertEquals(0, again.status(), again::toString);
        assertEquals(first, Files.readString(cfg));
        assertEquals(1, first.lines().filter(l -> l.startsWith("server.2=")).count());
        assertEquals("2\n", Files.readString(home.resolve("volume/myid")));
        assertEquals(9090, ConfigFile.load(cfg).httpPort());
    }

    @Test
    void serverEntriesMayCarryAClientAddressForZookeeperConfig() throws Exception {
        assertRefused(Map.of("PADDOCK_SERVERS", "1=a:1:2;b:c:3", "PADDOCK_MYID", "1"), "server 1: not host:peerPort");
        Map<String, String> env = new HashMap<>();
        env.put("PADDOCK_SERVERS", "1=paddock1:2888:3888;paddock1:2181 2=paddock2:2888:3888:observer;2182,"
                + "3=paddock3:2888:3888");
        env.put("PADDOCK_MYID", "2");
        Result r = run(ENTRYPOINT, env);
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("server 2 (observer) of 3"), r::toString);
        PaddockConfig config = ConfigFile.load(cfg);
        assertEquals(new ServerSpec(1, "paddock1", 2888, 3888, false, "paddock1", 2181), config.servers().get(1L));
        assertEquals(new ServerSpec(2, "paddock2", 2888, 3888, true, "0.0.0.0", 2182), config.servers().get(2L));
        assertEquals(new ServerSpec(3, "paddock3", 2888, 3888, false), config.servers().get(3L));
    }

    @Test
    void aVolumeOfAnotherServerIsRefused() throws Exception {
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data/myid"), "3\n");
        Result r = run(ENTRYPOINT, member(1));
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.err().contains("./data/myid says '3' but PADDOCK_MYID is 1: this volume belongs to another server"),
                r::toString);
        assertEquals("", r.out(), "the server was not started");
    }

    @Test
    void standaloneSettingsAreWrittenWithoutServerLinesOrMyid() throws Exception {
        Result r = run(ENTRYPOINT, Map.of("PADDOCK_HTTP_PORT", "9000", "PADDOCK_TICK_TIME", "100"));
        assertEquals(0, r.status(), r::toString);
        PaddockConfig config = ConfigFile.load(cfg);
        assertTrue(config.standalone());
        assertEquals(9000, config.httpPort());
        assertEquals(100, config.tickTime());
        assertFalse(Files.exists(home.resolve("data/myid")));
    }

    @Test
    void badVariablesStopTheContainerWithStatusTwoAndAMessage() throws Exception {
        Map<String, String> noMyid = Map.of("PADDOCK_SERVERS", SERVERS);
        assertRefused(noMyid, "PADDOCK_MYID must say which of its servers this is");
        assertRefused(Map.of("PADDOCK_SERVERS", SERVERS, "PADDOCK_MYID", "5"), "PADDOCK_MYID 5 is not one of the servers");
        assertRefused(Map.of("PADDOCK_SERVERS", SERVERS, "PADDOCK_MYID", "one"), "PADDOCK_MYID must be a server id in 1..254");
        assertRefused(Map.of("PADDOCK_MYID", "1"), "PADDOCK_MYID is set but PADDOCK_SERVERS is not");
        assertRefused(Map.of("PADDOCK_SERVERS", "1=a:2888", "PADDOCK_MYID", "1"),
                "server 1: not host:peerPort:electionPort[:observer|:participant]: 'a:2888'");
        assertRefused(Map.of("PADDOCK_SERVERS", "1=a:1:2 1=b:1:2", "PADDOCK_MYID", "1"), "server id 1 given twice");
        assertRefused(Map.of("PADDOCK_SERVERS", "a=b", "PADDOCK_MYID", "1"), "not id=host:peerPort:electionPort");
        assertRefused(Map.of("PADDOCK_CFG_EXTRA", "server.1=a:1:2"), "give the ensemble in PADDOCK_SERVERS");
        assertRefused(Map.of("PADDOCK_CFG_EXTRA", "forceSync"), "PADDOCK_CFG_EXTRA: not key=value: 'forceSync'");
        assertRefused(Map.of("PADDOCK_SERVERS", SERVERS, "PADDOCK_MYID", "1", "PADDOCK_QUORUM_LISTEN_ON_ALL_IPS", "yes"),
                "PADDOCK_QUORUM_LISTEN_ON_ALL_IPS must be true or false");
    }

    private void assertRefused(Map<String, String> env, String message) throws Exception {
        Result r = run(ENTRYPOINT, env);
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.err().contains(message), () -> "expected '" + message + "'\n" + r);
        assertEquals("", r.out(), r::toString);
        assertEquals(shippedCfg, Files.readString(cfg), "nothing written");
    }

    @Test
    void healthCheckPassesOnlyWhenStatusAnswers200() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger answer = new AtomicInteger(200);
        server.createContext("/v1/status", exchange -> {
            byte[] body = "{\"mode\":\"follower\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String port = Integer.toString(server.getAddress().getPort());
            Result healthy = run(HEALTHCHECK, Map.of(), port);
            assertEquals(0, healthy.status(), healthy::toString);
            answer.set(503);
            Result unhealthy = run(HEALTHCHECK, Map.of("PADDOCK_HTTP_PORT", port));
            assertEquals(1, unhealthy.status(), unhealthy::toString);
            assertTrue(unhealthy.out().contains("503"), unhealthy::toString);
        } finally {
            server.stop(0);
        }
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Result down = run(HEALTHCHECK, Map.of(), Integer.toString(closed));
        assertEquals(1, down.status(), down::toString);
        assertTrue(down.out().contains("nothing listens on port " + closed), down::toString);
    }
}
