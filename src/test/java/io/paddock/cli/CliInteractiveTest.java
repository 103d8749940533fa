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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/paddock cli} on a real terminal (tmux), driven key by key as a user would: every
 * command and its messages, line editing, the history file, tab completion, and watch events
 * printed above the prompt.
 */
class CliInteractiveTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;
    @TempDir
    static Path home;
    static PaddockNode node;
    static String server;

    @BeforeAll
    static void start() throws Exception {
        node = PaddockNode.start(PaddockConfig.defaults(dataDir).withPorts(0, 0).withClientPortAddress("127.0.0.1"));
        server = "127.0.0.1:" + node.httpAddress().getPort();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** The command line that starts the shell in the terminal's bash, then shows its exit status. */
    private static String shellCommand(Path historyFile) {
        return "PADDOCK_BUILD_DIR='" + PaddockCli.buildDir() + "' JAVA_HOME='" + System.getProperty("java.home")
                + "' PADDOCK_CLI_HISTORY='" + historyFile + "' HOME='" + home + "' '" + PaddockCli.script()
                + "' cli -server " + server + "; echo EXIT=$?";
    }

    private static String prompt(String state, int n) {
        return "[zk: " + server + "(" + state + ") " + n + "]";
    }

    /**
     * A user at the shell's prompt: counts the lines it enters, so that each line also waits for
     * the prompt that follows it (the command has finished then).
     */
    private static final class User {
        final TmuxTerminal t;
        int lines;
        String state = "CONNECTED";

        User(TmuxTerminal t, Path historyFile) throws Exception {
            this.t = t;
            int prompts = t.lines(prompt("CONNECTED", 0));
            t.type(shellCommand(historyFile));
            t.press("Enter");
            t.awaitLines(prompt("CONNECTED", 0), prompts);
        }

        /** Types the line, presses Enter, waits for the expected lines and the next prompt. */
        void run(String line, String... expected) throws Exception {
            lines++;
            String[] all = java.util.Arrays.copyOf(expected, expected.length + 1);
            all[expected.length] = prompt(state, lines);
            t.run(line, all);
        }

        /** Presses Enter on what is on the line now. */
        void enter(String... expected) throws Exception {
            run("", expected);
        }

        void quit(int status) throws Exception {
            t.run("quit", "EXIT=" + status);
        }
    }

    @Test
    void everyCommandPrintsWhatZkCliPrints() throws Exception {
        try (TmuxTerminal t = TmuxTerminal.start("every", DEADLINE)) {
            User u = new User(t, home.resolve("every.history"));
            String screen = t.screen();
            assertTrue(screen.contains("Connecting to " + server), screen);
            assertTrue(screen.contains("WatchedEvent state:SyncConnected type:None path:null zxid: -1"), screen);

            u.run("create /it hello", "Created /it");
            u.run("create /it", "Node already exists: /it");
            u.run("ls /it", "[]");
            u.run("get /it", "hello");
            u.run("get -s /it", "dataVersion = 0", "numChildren = 0");
            u.run("set -s /it bye", "dataVersion = 1");
            u.run("set -v 9 /it x", "version No is not valid : /it");
            u.run("stat /it", "cZxid = 0x", "ctime = ", "ephemeralOwner = 0x0", "dataLength = 3");
            u.run("stat /nope", "Node does not exist: /nope");
            u.run("get /nope", "Node does not exist: /nope");
            u.run("create -e /it/e", "Created /it/e");
            u.run("create /it/e/x", "Ephemerals cannot have children: /it/e/x");
            u.run("getEphemerals /it", "[/it/e]");
            u.run("create -s /it/s-", "Created /it/s-0000000001");
            u.run("create -c -s /it/c", "-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.");
            u.run("create -t 5000 /it/ttl", "Created /it/ttl");
            u.run("ls -R /it", "/it/e", "/it/s-0000000001", "/it/ttl");
            u.run("ls -s /it", "[e, s-0000000001, ttl]", "numChildren = 3");
            u.run("delete /it", "Node not empty: /it");
            u.run("delete -v 3 /it/ttl", "version No is not valid : /it/ttl");
            u.run("delete /it/ttl");
            u.run("getAcl /it", "'world,'anyone", ": cdrwa");
            u.run("setAcl -s /it world:anyone:cdra", "aclVersion = 1");
            u.run("set /it again", "Insufficient permission : /it");
            u.run("getAcl -s /it", ": cdra", "aclVersion = 1");
            u.run("setAcl -v 0 /it world:anyone:cdrwa", "version No is not valid : /it");
            u.run("setAcl /it nonsense", "nonsense does not have the form scheme:id:perm");
            u.run("whoami", "Auth scheme: User", "ip: 127.0.0.1");
            u.run("addauth digest u:p");
            u.run("whoami", "digest: u");
            u.run("sync /it", "Sync is OK");
            u.run("getAllChildrenNumber /it", "2");
            u.run("deleteall /it");
            u.run("stat /it", "Node does not exist: /it");
            u.run("ls", "ls [-s] [-w] [-R] path");
            u.run("ls -z /", "Unrecognized option: -z");
            u.run("get", "get [-s] [-w] [-b] [-x] path", "-x   Output data in hexdump format");
            u.run("addWatch -m sideways /",
                    "addWatch [-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE]");
            u.run("removewatches /", "KeeperErrorCode = No such watcher for /");
            u.run("bogus", "removewatches path [-c|-d|-a] [-l]", "Command not found: Command not found bogus");
            u.run("help", "setAcl [-s] [-v version] [-R] path acl");
            u.state = "CLOSED";
            u.run("close");
            u.run("ls /", "Not connected");
            u.state = "CONNECTED";
            u.run("connect " + server);
            u.run("printwatches", "printwatches is on");
            u.quit(0);
        }
    }

    @Test
    void watchEventsPrintAboveThePromptWhilePrintwatchesIsOn() throws Exception {
        try (TmuxTerminal t = TmuxTerminal.start("watch", DEADLINE);
             PaddockClient other = PaddockClient.connect(server)) {
            User u = new User(t, home.resolve("watch.history"));
            u.run("create /wt v", "Created /wt");
            u.run("get -w /wt", "v");

            // A half-typed line survives an event: JLine prints the event above it and redraws it.
            t.type("get /w");
            int events = t.lines("WATCHER::");
            other.setData("/wt", "w".getBytes(StandardCharsets.UTF_8), -1);
            t.awaitLines("WatchedEvent state:SyncConnected type:NodeDataChanged path:/wt zxid: ", 0);
            t.awaitLines("WATCHER::", events);
            u.run("t", "w");
            assertTrue(t.screen().contains("] get /wt\n"), t.screen());

            u.run("addWatch /wt");
            other.create("/wt/c", new byte[0], CreateMode.PERSISTENT);
            t.awaitLines("WatchedEvent state:SyncConnected type:NodeCreated path:/wt/c zxid: ", 0);

            u.run("printwatches off");
            other.setData("/wt/c", new byte[1], -1);
            u.run("sync /wt", "Sync is OK");
            u.run("printwatches on");
            other.create("/wt/d", new byte[0], CreateMode.PERSISTENT);
            t.awaitLines("WatchedEvent state:SyncConnected type:NodeCreated path:/wt/d zxid: ", 0);
            assertFalse(t.screen().contains("type:NodeDataChanged path:/wt/c"), t.screen());

            u.run("removewatches /wt", "WatchedEvent state:SyncConnected type:PersistentWatchRemoved path:/wt zxid: -1");
            u.quit(0);
        }
    }

    @Test
    void lineEditingHistoryAndTabCompletionWork() throws Exception {
        Path history = home.resolve("edit.history");
        try (TmuxTerminal t = TmuxTerminal.start("edit", DEADLINE)) {
            User u = new User(t, history);
            u.run("create /edit one", "Created /edit");
            u.run("create /edit/child two", "Created /edit/child");

            // Typed without its first letter, which is added after moving to the start of the line.
            t.type("et /edit");
            t.press("C-a");
            t.type("g");
            u.enter("one");
            // A wrong letter erased and retyped.
            t.type("get /edit/chilx");
            t.press("BSpace");
            u.run("d", "two");

            // Up-arrow recalls the line before.
            t.press("Up");
            u.enter("two");

            // Tab completes a command name, then a znode path.
            t.type("getEph");
            t.press("Tab");
            u.run("/edit", "[]");
            t.type("ls /ed");
            t.press("Tab");
            u.enter("[child]");

            u.run("history", "0 - create /edit one", "2 - get /edit", "3 - get /edit/child", "4 - get /edit/child",
                    "5 - getEphemerals /edit", "6 - ls /edit", "7 - history");
            u.run("redo 6", "[child]");
            u.run("redo 99", "Command index out of range");
            u.run("redo 9", "No redoing redos");
            u.run("get /nope", "Node does not exist: /nope");
            u.quit(1);

            String saved = Files.readString(history);
            assertTrue(saved.contains("get /edit/child"), saved);
            assertTrue(saved.contains("getEphemerals /edit"), saved);

            // A new shell finds the earlier session's lines in the history file.
            User again = new User(t, history);
            t.press("Up");
            t.press("Up");
            again.enter("Node does not exist: /nope");
            again.quit(1);
        }
    }
}
