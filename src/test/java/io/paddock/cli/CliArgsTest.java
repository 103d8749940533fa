package io.paddock.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliArgsTest {

    private static CliArgs parse(String line, String switches, String valued) throws CliException {
        return CliArgs.parse(CliArgs.split(line), switches, valued);
    }

    @Test
    void quotedWordsStayWholeWithoutTheirQuotes() {
        assertEquals(List.of("create", "/a", "hello world", "it is"),
                CliArgs.split("create /a \"hello world\" 'it is'"));
    }

    @Test
    void blanksSeparateWordsAndABlankLineHasNone() {
        assertEquals(List.of("ls", "/"), CliArgs.split("   ls \t /  "));
        assertEquals(List.of(), CliArgs.split("   "));
    }

    @Test
    void aQuoteInsideAWordIsKeptAsZkCliKeepsIt() {
        assertEquals(List.of("set", "/a", "it's"), CliArgs.split("set /a it's"));
    }

    @Test
    void flagsMayComeAnywhereAfterTheCommand() throws CliException {
        CliArgs a = parse("set /a data -s -v 3", "sb", "v");
        assertEquals(List.of("set", "/a", "data"), a.args());
        assertTrue(a.has('s'));
        assertFalse(a.has('b'));
        assertEquals("3", a.value('v'));
    }

    @Test
    void switchesBundleAndAValueMayBeAttached() throws CliException {
        CliArgs a = parse("setAcl -sRv3 /a world:anyone:r", "sR", "v");
        assertTrue(a.has('s'));
        assertTrue(a.has('R'));
        assertEquals("3", a.value('v'));
        assertEquals(List.of("setAcl", "/a", "world:anyone:r"), a.args());
    }

    @Test
    void aNegativeNumberIsAnArgumentNotAFlag() throws CliException {
        CliArgs a = parse("set /a -1", "s", "v");
        assertEquals(List.of("set", "/a", "-1"), a.args());
    }

    @Test
    void doubleDashEndsTheFlags() throws CliException {
        CliArgs a = parse("set -- /a -s", "s", "v");
        assertEquals(List.of("set", "/a", "-s"), a.args());
        assertFalse(a.has('s'));
    }

    @Test
    void anUnknownFlagIsRefusedByName() {
        CliException e = assertThrows(CliException.class, () -> parse("ls -z /", "swR", ""));
        assertEquals("Unrecognized option: -z", e.getMessage());
        assertEquals(CliException.FAILED, e.exitCode());
    }

    @Test
    void aValuedFlagWithoutItsValueIsRefused() {
        CliException e = assertThrows(CliException.class, () -> parse("delete /a -v", "", "v"));
        assertEquals("Missing argument for option: v", e.getMessage());
    }
}
