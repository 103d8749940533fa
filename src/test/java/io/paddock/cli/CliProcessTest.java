package io.paddock.cli;

import io.paddock.PaddockNode;
import io.paddock.client.PaddockClient;
import io.paddock.server.PaddockConfig;
import io.paddock.tree.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/paddock cli} as scripts use it: one command, or commands on stdin; output and exit status. */
class CliProcessTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;
    static PaddockNode node;
    static String server;

    @BeforeAll
    static void start() throws Exception {
        node = PaddockNode.start(PaddockConfig.defaults(dataDir).withPorts(0, 0).withClientPortAddress("127.0.0.1"));
        server = "127.0.0.1:" + node.httpAddress().getPort();
        try (PaddockClient c = PaddockClient.connect(server)) {
            c.create("/proc", "v".getBytes(StandardCharsets.UTF_8), CreateMode.PERSISTENT);
            c.create("/proc/b", new byte[0], CreateMode.PERSISTENT);
            c.create("/proc/a", new byte[0], CreateMode.PERSISTENT);
            c.create("/proc/a/x", new byte[0], CreateMode.PERSISTENT);
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void oneCommandPrintsOnlyItsOutputAndExits0() throws Exception {
        PaddockCli r = PaddockCli.run("", DEADLINE, "-server", server, "ls", "-R", "/proc");
        assertEquals(0, r.status(), r::toString);
        assertEquals("/proc\n/proc/a\n/proc/b\n/proc/a/x\n", r.out(), r::toString);
        assertEquals("", r.err(), r::toString);
    }

    @Test
    void aRefusedCommandPrintsZkCliMessageOnStderrAndExits1() throws Exception {
        PaddockCli r = PaddockCli.run("", DEADLINE, "-server", server, "get", "/proc/missing");
        assertEquals(1, r.status(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertEquals("Node does not exist: /proc/missing\n", r.err(), r::toString);
    }

    @Test
    void aUsageErrorExits1WithTheUsageLine() throws Exception {
        PaddockCli r = PaddockCli.run("", DEADLINE, "-server", server, "delete", "-z", "/proc");
        assertEquals(1, r.status(), r::toString);
        assertEquals("Unrecognized option: -z\ndelete [-v version] path\n", r.err(), r::toString);
    }

    @Test
    void anUnknownCommandExits127() throws Exception {
        PaddockCli r = PaddockCli.run("", DEADLINE, "-server", server, "frobnicate", "/");
        assertEquals(127, r.status(), r::toString);
        assertTrue(r.err().endsWith("Command not found: Command not found frobnicate\n"), r::toString);
    }

    @Test
    void createSaysCreatedOnStderrAsZkCliDoes() throws Exception {
        PaddockCli r = PaddockCli.run("", DEADLINE, "-server", server, "create", "/proc/made", "some data");
        assertEquals(0, r.status(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertEquals("Created /proc/made\n", r.err(), r::toString);
    }

    @Test
    void stdinCommandsAllRunAndAnyFailureMakesTheStatusNonZero() throws Exception {
        PaddockCli r = PaddockCli.run("get /proc\nget /proc/nope\n\nls /proc\n", DEADLINE, "-server", server);
        assertEquals(1, r.status(), r::toString);
        assertEquals("v\n[a, b]\n", r.out(), r::toString);
        assertEquals("Node does not exist: /proc/nope\n", r.err(), r::toString);
    }

    @Test
    void stdinCommandsThatAllSucceedExit0AndQuitStopsReading() throws Exception {
        PaddockCli r = PaddockCli.run("create -e /proc/eph\ngetEphemerals /proc\nquit\nget /proc/nope\n", DEADLINE,
                "-server", server);
        assertEquals(0, r.status(), r::toString);
        assertEquals("[/proc/eph]\n", r.out(), r::toString);
        assertEquals("Created /proc/eph\n", r.err(), r::toString);
    }

    @Test
    void aConnectStringOfSeveralServersIsAccepted() throws Exception {
        PaddockCli r = PaddockCli.run("", DEADLINE, "-server", server + "," + server, "stat", "/proc");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().startsWith("cZxid = 0x"), r::toString);
        assertTrue(r.out().contains("numChildren = "), r::toString);
    }

    @Test
    void noServerToReachExits1() throws Exception {
        PaddockCli r = PaddockCli.run("", DEADLINE, "-server", "127.0.0.1:1", "-timeout", "2000", "ls", "/");
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.err().startsWith("Unable to connect to 127.0.0.1:1: "), r::toString);
    }

    @Test
    void badOptionsOfTheShellItselfExit2() throws Exception {
        PaddockCli r = PaddockCli.run("", DEADLINE, "-server");
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.err().startsWith("paddock cli: Error: no argument found for option -server\n"), r::toString);
    }
}
