package io.paddock.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int run(Path confDir, String... args) {
        return BenchCommand.run(args, confDir, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsTheOptionsAndExitsZero(@TempDir Path conf) {
        assertEquals(0, run(conf, "--help"));
        String help = outBytes.toString(StandardCharsets.UTF_8);
        for (String option : new String[] {"--url", "--clients", "--outstanding", "--duration", "--warmup",
                "--value-size", "--keys", "--workload", "--servers", "--trials", "--tick-time", "failover"}) {
            assertTrue(help.contains(option), option + " missing from --help");
        }
        assertTrue(help.contains("coordinated omission"), help);
        assertTrue(help.contains("read") && help.contains("mixed"), "--help names every workload");
        for (String zk : new String[] {"--protocol", "--read-ratio", "host:port", "closeSession",
                "bench/compare-zookeeper.sh"}) {
            assertTrue(help.contains(zk), zk + " missing from --help");
        }
    }

    @Test
    void defaultZkServerIsLoopback2181WithoutAConfigFile(@TempDir Path conf) {
        assertEquals(InetSocketAddress.createUnresolved("127.0.0.1", 2181),
                BenchCommand.defaultZkServer(conf.resolve("paddock.cfg")));
    }

    @Test
    void defaultZkServerTakesClientPortAndASpecificAddressFromTheConfig(@TempDir Path conf) throws IOException {
        Path cfg = conf.resolve("paddock.cfg");
        Files.writeString(cfg, "dataDir=./data\nclientPort=2999\nhttpPort=9191\nclientPortAddress=10.1.2.3\n");
        assertEquals(InetSocketAddress.createUnresolved("10.1.2.3", 2999), BenchCommand.defaultZkServer(cfg));
        Files.writeString(cfg, "dataDir=./data\nclientPortAddress=0.0.0.0\n");
        assertEquals(InetSocketAddress.createUnresolved("127.0.0.1", 2181), BenchCommand.defaultZkServer(cfg));
        Files.writeString(cfg, "dataDir=./data\nclientPort=2182\nclientPortAddress=::\n");
        assertEquals(InetSocketAddress.createUnresolved("::1", 2182), BenchCommand.defaultZkServer(cfg));
    }

    @Test
    void defaultZkServerIsUnknownForClientPortZero(@TempDir Path conf) throws IOException {
        Path cfg = conf.resolve("paddock.cfg");
        Files.writeString(cfg, "dataDir=./data\nclientPort=0\n");
        assertNull(BenchCommand.defaultZkServer(cfg));
        assertEquals(2, run(conf, "--protocol", "zk"));
        assertTrue(err().startsWith("paddock bench: --url: "), err());
    }

    @Test
    void anUnreachableZkServerExitsOneSayingSo(@TempDir Path conf) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertEquals(1, run(conf, "--protocol", "zk", "--url", "127.0.0.1:" + port, "--duration", "1s"));
        assertTrue(err().contains("nothing answers at 127.0.0.1:" + port), err());
    }

    @Test
    void aBadOptionExitsTwoWithAMessageNamingIt(@TempDir Path conf) {
        assertEquals(2, run(conf, "--clients", "1,eight"));
        assertTrue(err().startsWith("paddock bench: --clients: 'eight' is not a whole number"), err());
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnreachableServerExitsOneSayingSo(@TempDir Path conf) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertEquals(1, run(conf, "--url", "http://127.0.0.1:" + port, "--duration", "1s"));
        assertTrue(err().contains("nothing answers at http://127.0.0.1:" + port), err());
    }

    @Test
    void defaultUrlIsTheServerDefaultWithoutAConfigFile(@TempDir Path conf) {
        assertEquals(URI.create("http://127.0.0.1:8080"), BenchCommand.defaultUrl(conf.resolve("paddock.cfg")));
    }

    @Test
    void defaultUrlTakesHttpPortAndASpecificAddressFromTheConfig(@TempDir Path conf) throws IOException {
        Path cfg = conf.resolve("paddock.cfg");
        Files.writeString(cfg, "# comment\ndataDir=./data\n httpPort = 9191 \nclientPortAddress=10.1.2.3\n");
        assertEquals(URI.create("http://10.1.2.3:9191"), BenchCommand.defaultUrl(cfg));
        Files.writeString(cfg, "dataDir=./data\nhttpPort=9191\nclientPortAddress=0.0.0.0\n");
        assertEquals(URI.create("http://127.0.0.1:9191"), BenchCommand.defaultUrl(cfg));
        Files.writeString(cfg, "dataDir=./data\nhttpPort=9191\nclientPortAddress=::1\n");
        assertEquals(URI.create("http://[::1]:9191"), BenchCommand.defaultUrl(cfg));
    }

    @Test
    void defaultUrlWithHttpPortZeroReadsTheRunningServersPortFile(@TempDir Path conf) throws IOException {
        Path dataDir = conf.resolve("data");
        Files.createDirectories(dataDir);
        Path cfg = conf.resolve("paddock.cfg");
        Files.writeString(cfg, "dataDir=" + dataDir + "\nhttpPort=0\n");
        assertNull(BenchCommand.defaultUrl(cfg), "no port file: no default");
        Files.writeString(dataDir.resolve("paddock-http.port"), "40123\n");
        assertEquals(URI.create("http://127.0.0.1:40123"), BenchCommand.defaultUrl(cfg));
    }

    @Test
    void withoutAUsableDefaultTheUrlOptionIsAskedFor(@TempDir Path conf) throws IOException {
        Files.writeString(conf.resolve("paddock.cfg"), "dataDir=" + conf.resolve("nowhere") + "\nhttpPort=0\n");
        assertEquals(2, run(conf));
        assertTrue(err().startsWith("paddock bench: --url: "), err());
    }
}
