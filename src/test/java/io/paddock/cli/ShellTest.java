package io.paddock.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell's own commands and its refusals before any request: no server needed. */
class ShellTest {

    private static final String NL = System.lineSeparator();

    private final StringWriter outText = new StringWriter();
    private final StringWriter errText = new StringWriter();
    private final List<String> events = new ArrayList<>();
    private final Shell shell = new Shell(new PrintWriter(outText, true), new PrintWriter(errText, true), events::add,
            Duration.ofSeconds(5), false);

    private String out() {
        String s = outText.toString();
        outText.getBuffer().setLength(0);
        return s;
    }

    private String err() {
        String s = errText.toString();
        errText.getBuffer().setLength(0);
        return s;
    }

    @Test
    void promptShowsHostStateAndTheNumberOfTheNextLine() throws Exception {
        assertEquals("[zk: (CLOSED) 0] ", shell.prompt());
        shell.executeLine("printwatches");
        assertEquals("[zk: (CLOSED) 1] ", shell.prompt());
        shell.executeLine("   ");
        assertEquals("[zk: (CLOSED) 1] ", shell.prompt());
    }

    @Test
    void anUnknownCommandPrintsTheUsageAndExits127() throws Exception {
        assertEquals(127, shell.executeLine("bogus /a"));
        String err = err();
        assertTrue(err.startsWith("paddock cli -server host:port"), err);
        assertTrue(err.contains("\tls [-s] [-w] [-R] path" + NL), err);
        assertTrue(err.endsWith("Command not found: Command not found bogus" + NL), err);
    }

    @Test
    void aMissingPathPrintsTheUsageLine() throws Exception {
        assertEquals(1, shell.executeLine("ls"));
        assertEquals("ls [-s] [-w] [-R] path" + NL, err());
        assertEquals(1, shell.executeLine("create"));
        assertEquals("create [-s] [-e] [-c] [-t ttl] path [data] [acl]" + NL, err());
        assertEquals(1, shell.executeLine("setAcl /a"));
        assertEquals("setAcl [-s] [-v version] [-R] path acl" + NL, err());
    }

    @Test
    void getAndSetUsagesListTheirOptionsAsZkCli395Does() throws Exception {
        assertEquals(1, shell.executeLine("get"));
        assertEquals("get [-s] [-w] [-b] [-x] path" + NL
                + " -b   Output data in base64 format" + NL
                + " -s   Print znode stats additionally" + NL
                + " -w   Watch for changes on the znode" + NL
                + " -x   Output data in hexdump format" + NL + NL, err());
        assertEquals(1, shell.executeLine("set /a"));
        assertTrue(err().startsWith("set path data [-s] [-v version] [-b]" + NL + " -b         Supply data in base64 format"));
    }

    @Test
    void anUnknownFlagIsNamedWithTheUsageLine() throws Exception {
        assertEquals(1, shell.executeLine("ls -z /"));
        assertEquals("Unrecognized option: -z" + NL + "ls [-s] [-w] [-R] path" + NL, err());
    }

    @Test
    void addWatchRefusesAnUnknownModeWithItsUsage() throws Exception {
        assertEquals(1, shell.executeLine("addWatch -m FOO /a"));
        assertEquals("addWatch [-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE]"
                + " - default is PERSISTENT_RECURSIVE" + NL, err());
    }

    @Test
    void createRefusesFlagCombinationsZkCliRefuses() throws Exception {
        assertEquals(1, shell.executeLine("create -c -e /a"));
        assertEquals("-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential." + NL, err());
        assertEquals(1, shell.executeLine("create -t 100 -e /a"));
        assertEquals("TTLs cannot be used with Ephemeral znodes" + NL, err());
        assertEquals(1, shell.executeLine("create -t abc /a"));
        assertEquals("-t argument must be a long value" + NL, err());
        assertEquals(1, shell.executeLine("create -t 0 /a"));
        assertEquals("ttl must be positive and cannot be larger than: 1099511627775" + NL, err());
    }

    @Test
    void aBadVersionNumberIsRefusedBeforeAnyRequest() throws Exception {
        assertEquals(1, shell.executeLine("set -v x /a b"));
        assertEquals("-v argument must be an int value" + NL, err());
        assertEquals(1, shell.executeLine("deleteall /a -b x"));
        assertEquals("-b argument must be an int value" + NL, err());
    }

    @Test
    void aBadPathIsRefusedWithZooKeepersWords() throws Exception {
        assertEquals(1, shell.executeLine("get a"));
        assertEquals("Path must start with / character" + NL, err());
        assertEquals(1, shell.executeLine("ls /a/"));
        assertEquals("Path must not end with / character" + NL, err());
        assertEquals(1, shell.executeLine("stat /a//b"));
        assertEquals("Invalid path string \"/a//b\" caused by empty node name specified @3" + NL, err());
    }

    @Test
    void requestsWithoutASessionSayNotConnected() throws Exception {
        assertEquals(1, shell.executeLine("ls /"));
        assertEquals("Not connected" + NL, err());
        assertEquals(1, shell.executeLine("whoami"));
        assertEquals("Not connected" + NL, err());
    }

    @Test
    void historyNumbersTheLastElevenLines() throws Exception {
        for (int i = 0; i < 12; i++) {
            shell.executeLine("printwatches " + (i % 2 == 0 ? "on" : "off"));
        }
        out();
        assertEquals(0, shell.executeLine("history"));
        StringBuilder expected = new StringBuilder();
        for (int i = 2; i < 12; i++) {
            expected.append(i).append(" - printwatches ").append(i % 2 == 0 ? "on" : "off").append(NL);
        }
        expected.append("12 - history").append(NL);
        assertEquals(expected.toString(), out());
    }

    @Test
    void redoRunsANumberedLineAgainAndRecordsItUnderItsOwnNumber() throws Exception {
        shell.executeLine("printwatches off");
        shell.executeLine("printwatches on");
        assertEquals(0, shell.executeLine("redo 0"));
        shell.executeLine("printwatches");
        assertEquals("printwatches is off" + NL, out());
        shell.executeLine("history");
        assertEquals("0 - printwatches off" + NL + "1 - printwatches on" + NL + "2 - printwatches off" + NL
                + "3 - printwatches" + NL + "4 - history" + NL, out());
    }

    @Test
    void redoRefusesBadNumbersAndRedos() throws Exception {
        shell.executeLine("printwatches");
        assertEquals(1, shell.executeLine("redo 5"));
        assertEquals("Command index out of range" + NL, err());
        assertEquals(1, shell.executeLine("redo x"));
        assertEquals("Command index out of range" + NL, err());
        assertEquals(1, shell.executeLine("redo 1"));
        assertEquals("No redoing redos" + NL, err());
        assertEquals(1, shell.executeLine("redo"));
        assertEquals("redo cmdno" + NL, err());
    }

    @Test
    void printwatchesIsOnUntilTurnedOffAndAnythingButOnTurnsItOff() throws Exception {
        shell.executeLine("printwatches");
        assertEquals("printwatches is on" + NL, out());
        shell.executeLine("printwatches maybe");
        shell.executeLine("printwatches");
        assertEquals("printwatches is off" + NL, out());
    }

    @Test
    void helpListsEveryCommandSortedAsZkCliSortsThem() throws Exception {
        assertEquals(0, shell.executeLine("help"));
        String help = out();
        List<String> names = new ArrayList<>();
        for (String line : help.split(NL)) {
            if (line.startsWith("\t")) {
                names.add(line.substring(1, line.indexOf(' ')));
            }
        }
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        assertEquals(sorted, names);
        for (String name : List.of("connect", "ls", "get", "set", "create", "stat", "delete", "deleteall", "sync",
                "addWatch", "removewatches", "getEphemerals", "getAcl", "setAcl", "addauth", "whoami", "printwatches",
                "history", "redo", "close", "quit")) {
            assertTrue(names.contains(name), name + " missing from help:\n" + help);
        }
        assertTrue(help.contains("\tset path data [-s] [-v version] [-b]" + NL), help);
    }

    @Test
    void quitEndsTheShellKeepingTheLastStatus() throws Exception {
        shell.executeLine("ls");
        assertEquals(0, shell.executeLine("quit"));
        assertTrue(shell.quitRequested());
        assertEquals(1, shell.exitCode());
    }

    @Test
    void lsRecursiveVisitsBreadthFirstWithChildrenSortedByName() {
        // zkCli 3.9.5 printed "/ /c /e /w /zookeeper /w/k /zookeeper/config /zookeeper/quota".
        List<String> descendants = List.of("/a", "/a-b", "/a-b/y", "/a/x", "/a/x/deep", "/c", "/zookeeper",
                "/zookeeper/config", "/zookeeper/quota");
        assertEquals(List.of("/", "/a", "/a-b", "/c", "/zookeeper", "/a/x", "/a-b/y", "/zookeeper/config",
                "/zookeeper/quota", "/a/x/deep"), ReadCommands.breadthFirst("/", descendants));
        assertEquals(List.of("/a", "/a/x", "/a/x/deep"), ReadCommands.breadthFirst("/a", List.of("/a/x", "/a/x/deep")));
    }
}
