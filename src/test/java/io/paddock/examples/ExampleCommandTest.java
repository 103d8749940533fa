package io.paddock.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example command's argument handling, in-process (no server needed: each case fails before connecting). */
class ExampleCommandTest {

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ExampleCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noExampleNameIsBadUsageListingTheExamples() {
        Run r = run();
        assertEquals(ExampleCommand.USAGE, r.status());
        for (String name : List.of("servers register", "servers watch", "lock", "akka")) {
            assertTrue(r.err().contains(name), r.err());
        }
    }

    @Test
    void unknownExamplesAndOptionsAreBadUsage() {
        assertEquals(ExampleCommand.USAGE, run("nope").status());
        Run r = run("lock", "--hodl", "2s");
        assertEquals(ExampleCommand.USAGE, r.status());
        assertTrue(r.err().contains("unknown option --hodl"), r.err());
        assertEquals(ExampleCommand.USAGE, run("lock", "--times", "0").status());
        assertEquals(ExampleCommand.USAGE, run("servers", "register").status());
        assertEquals(ExampleCommand.USAGE, run("servers", "watch", "extra").status());
        assertEquals(ExampleCommand.USAGE, run("servers", "dance").status());
    }

    @Test
    void unreachableServerFailsWithStatusOne() {
        // Port 1 on loopback: nothing listens, so the connection is refused at once.
        Run r = run("lock", "--connect", "127.0.0.1:1", "--session-timeout", "1s");
        assertEquals(ExampleCommand.FAILED, r.status(), r.err());
        assertTrue(r.err().contains("cannot connect to 127.0.0.1:1"), r.err());
    }

    @Test
    void durationsTakeMillisecondsSecondsAndMinutes() {
        assertEquals(Duration.ofMillis(500), ExampleOptions.parseDuration("--hold", "500ms"));
        assertEquals(Duration.ofMillis(1500), ExampleOptions.parseDuration("--hold", "1.5s"));
        assertEquals(Duration.ofSeconds(2), ExampleOptions.parseDuration("--hold", "2"));
        assertEquals(Duration.ofMinutes(1), ExampleOptions.parseDuration("--hold", "1m"));
        assertThrows(IllegalArgumentException.class, () -> ExampleOptions.parseDuration("--hold", "soon"));
        assertThrows(IllegalArgumentException.class, () -> ExampleOptions.parseDuration("--hold", "-1s"));
    }

    @Test
    void serverNamesDropTheSequenceSuffix() {
        assertEquals("alpha", ServersExample.serverName("alpha-0000000003"));
        assertEquals("web-1", ServersExample.serverName("web-1-0000000012"));
        assertEquals("plain", ServersExample.serverName("plain"));
    }
}
