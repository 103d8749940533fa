package io.paddock.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options of {@code paddock cli} itself, and commands that need no server. */
class CliOptionsTest {

    @Test
    void theServerDefaultsToLocalhost8080AndTheCommandFollowsTheOptions() {
        CliCommand.Options o = CliCommand.parseOptions(new String[] {"ls", "-R", "/"});
        assertEquals("localhost:8080", o.server());
        assertEquals(30000, o.timeoutMs());
        assertEquals(List.of("ls", "-R", "/"), o.command());
        o = CliCommand.parseOptions(new String[] {"-server", "a:1,b:2", "-timeout", "5000", "-r"});
        assertEquals("a:1,b:2", o.server());
        assertEquals(5000, o.timeoutMs());
        assertEquals(List.of(), o.command());
    }

    @Test
    void anOptionWithoutItsValueOrAnUnknownOptionIsBadUsage() {
        assertEquals("Error: no argument found for option -server",
                assertThrows(IllegalArgumentException.class, () -> CliCommand.parseOptions(new String[] {"-server"}))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> CliCommand.parseOptions(new String[] {"-x", "ls"}));
        assertThrows(IllegalArgumentException.class, () -> CliCommand.parseOptions(new String[] {"-timeout", "soon"}));
        assertNull(CliCommand.parseOptions(new String[] {"-h"}));
    }

    @Test
    void badOptionsExit2WithTheUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = CliCommand.run(new String[] {"-bogus"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out), new PrintStream(err), false);
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: paddock cli"));
    }

    @Test
    void helpNeedsNoServerAndExits0() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = CliCommand.run(new String[] {"-server", "127.0.0.1:1", "help"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out), new PrintStream(err), false);
        assertEquals(0, status);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\tgetEphemerals path"), out.toString());
    }
}
