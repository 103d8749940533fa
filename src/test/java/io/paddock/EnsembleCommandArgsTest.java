package io.paddock;

import io.paddock.EnsembleCommand.Options;
import io.paddock.EnsembleCommand.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line of {@code paddock ensemble}: what it accepts, and what it refuses with status 2. */
class EnsembleCommandArgsTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private int run(String... args) {
        return EnsembleCommand.run(args, dir.resolve("conf"), out, err);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private void assertUsage(String expected, String... args) {
        assertEquals(EnsembleCommand.USAGE, run(args), err());
        assertTrue(err().contains(expected), () -> "expected '" + expected + "' in:\n" + err());
        assertTrue(err().contains("paddock ensemble --help"), err());
        errBytes.reset();
    }

    @Test
    void parseReadsEveryOptionInBothForms() throws Exception {
        assertEquals(new Options(3, 0, null, 0, false), Options.parse(List.of("3")));
        assertEquals(new Options(5, 2, Path.of("/x/y"), 250, true),
                Options.parse(List.of("--observers", "2", "5", "--base", "/x/y", "--tick-time=250", "--stop-on-failure")));
        assertEquals(new Options(1, 9, Path.of("b"), 0, false), Options.parse(List.of("1", "--observers=9", "--base=b")));
    }

    @Test
    void missingOrBadServerCountIsAUsageError() {
        assertUsage("how many servers?");
        assertUsage("N must be in 1..9, not 0", "0");
        assertUsage("N must be in 1..9, not 10", "10");
        assertUsage("N must be a number in 1..9, not 'three'", "three");
        assertUsage("unexpected argument '5' (N is already 3)", "3", "5");
    }

    @Test
    void badOptionsAreUsageErrorsThatNameTheOption() {
        assertUsage("--observers must be in 0..9, not 10", "3", "--observers", "10");
        assertUsage("--observers must be in 0..9, not -1", "3", "--observers=-1");
        assertUsage("--observers must be a number in 0..9, not 'two'", "3", "--observers", "two");
        assertUsage("--tick-time must be in 1..", "3", "--tick-time", "0");
        assertUsage("--tick-time needs a value", "3", "--tick-time");
        assertUsage("--base needs a value", "3", "--base");
        assertUsage("--base needs a folder", "3", "--base=");
        assertUsage("--base given twice", "3", "--base", "a", "--base", "b");
        assertUsage("--stop-on-failure takes no value", "3", "--stop-on-failure=yes");
        assertUsage("unknown option '--servers'", "--servers", "3");
    }

    @Test
    void usageErrorsStartNothingAndWriteNothing() {
        assertUsage("N must be in 1..9", "0", "--base", dir.resolve("ens").toString());
        assertFalse(Files.exists(dir.resolve("ens")));
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsTheOptionsAndExitsZero() {
        assertEquals(EnsembleCommand.OK, run("--help"));
        String help = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(help.startsWith("Usage: paddock ensemble N [options]"), help);
        for (String option : List.of("--base", "--observers", "--tick-time", "--stop-on-failure")) {
            assertTrue(help.contains(option), option);
        }
        assertEquals("", err());
    }

    @Test
    void parseRejectsWhatRunRejects() {
        UsageException e = assertThrows(UsageException.class, () -> Options.parse(List.of("--observers", "1")));
        assertTrue(e.getMessage().contains("how many servers?"), e.getMessage());
    }

    @Test
    void aTemplateThatConfigFileRefusesStopsBeforeAnyServerStarts() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("paddock.cfg"), "dataDir=./data\nnoSuchKey=1\n");
        Path base = dir.resolve("ens");
        int status = EnsembleCommand.launch(new Options(3, 0, base, 0, false), conf,
                member -> List.of("/bin/false"), Map.of(),
                new CompletableFuture<>(), out, err);
        assertEquals(EnsembleCommand.USAGE, status, err());
        assertTrue(err().contains("noSuchKey") && err().contains("unknown key"), err());
        assertFalse(Files.exists(base.resolve("server-1/server.log")), "no server was started");
    }

    @Test
    void aMissingTemplateIsAUsageError() {
        int status = EnsembleCommand.launch(new Options(3, 0, dir.resolve("ens"), 0, false), dir.resolve("none"),
                member -> List.of("/bin/false"), Map.of(),
                new CompletableFuture<>(), out, err);
        assertEquals(EnsembleCommand.USAGE, status, err());
        assertTrue(err().contains("cannot read the template"), err());
    }

    @Test
    void mainDispatchesEnsembleAndListsItInItsUsage() {
        PrintStream savedErr = System.err;
        PrintStream savedOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(Main.USAGE, Main.run(new String[] {"ensemble"}));
            assertTrue(captured.toString(StandardCharsets.UTF_8).contains("paddock ensemble: how many servers?"));
            captured.reset();
            assertEquals(Main.OK, Main.run(new String[] {"help"}));
            assertTrue(captured.toString(StandardCharsets.UTF_8).contains("  ensemble N [opts] "));
        } finally {
            System.setErr(savedErr);
            System.setOut(savedOut);
        }
    }

    @Test
    void theServerScriptIsUnderTheHomeBinPaddockSaysOrNextToTheConfDir() {
        assertEquals(Path.of("/opt/paddock/bin/paddock"), EnsembleCommand.paddockScript("/opt/paddock", Path.of("/etc/x")));
        assertEquals(Path.of("/srv/p/bin/paddock"), EnsembleCommand.paddockScript(null, Path.of("/srv/p/conf")));
        assertEquals(Path.of("/srv/p/bin/paddock"), EnsembleCommand.paddockScript("", Path.of("/srv/p/conf/")));
    }

    @Test
    void shellWordsQuoteOnlyWhatNeedsQuoting() {
        assertEquals("/a/b/paddock.cfg", EnsembleCommand.shellWord("/a/b/paddock.cfg"));
        assertEquals("'/a b/c'", EnsembleCommand.shellWord("/a b/c"));
        assertEquals("'it'\\''s'", EnsembleCommand.shellWord("it's"));
    }
}
