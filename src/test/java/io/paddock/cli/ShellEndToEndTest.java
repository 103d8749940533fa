package io.paddock.cli;

import io.paddock.PaddockNode;
import io.paddock.client.PaddockClient;
import io.paddock.tree.CreateMode;
import io.paddock.tree.EventType;
import io.paddock.server.PaddockConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every shell command against a real server, in this JVM: what it prints and its status. */
class ShellEndToEndTest {

    private static final String NL = System.lineSeparator();
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @TempDir
    static Path dataDir;
    static PaddockNode node;
    static String server;

    private final StringWriter outText = new StringWriter();
    private final StringWriter errText = new StringWriter();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private Shell shell;
    private PaddockClient other;

    @BeforeAll
    static void start() throws Exception {
        node = PaddockNode.start(PaddockConfig.defaults(dataDir).withPorts(0, 0).withClientPortAddress("127.0.0.1"));
        server = "127.0.0.1:" + node.httpAddress().getPort();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @BeforeEach
    void connect() throws Exception {
        shell = new Shell(new PrintWriter(outText, true), new PrintWriter(errText, true), events::add,
                Duration.ofSeconds(10), false);
        shell.connect(server);
        other = PaddockClient.connect(server);
    }

    @AfterEach
    void close() {
        shell.closeClient();
        other.close();
    }

    /** Runs a line; returns its status, leaving what it printed in out() and err(). */
    private int run(String line) throws InterruptedException {
        outText.getBuffer().setLength(0);
        errText.getBuffer().setLength(0);
        return shell.executeLine(line);
    }

    private String out() {
        return outText.toString();
    }

    private String err() {
        return errText.toString();
    }

    private void ok(String line) throws InterruptedException {
        int status = run(line);
        assertEquals(0, status, () -> line + " failed: " + err());
    }

    private void fails(String line, String expectedErr) throws InterruptedException {
        assertEquals(1, run(line), () -> line + " succeeded: " + out());
        assertEquals(expectedErr + NL, err(), line);
    }

    /**
     * The next znode event printed. Session-state events (type:None) are passed over: on a loaded
     * machine a late heartbeat may print Disconnected and SyncConnected between them.
     */
    private String nextEvent() throws InterruptedException {
        while (true) {
            String e = events.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(e, "no watch event within " + DEADLINE);
            if (!e.contains(" type:None ")) {
                return e.strip();
            }
        }
    }

    private void expectEvent(String type, String path) throws InterruptedException {
        String e = nextEvent();
        assertTrue(e.startsWith(event(type, path) + " zxid: "), () -> "expected a " + type + " of " + path + ", not " + e);
    }

    private static String event(String type, String path) {
        return "WATCHER::" + NL + NL + "WatchedEvent state:SyncConnected type:" + type + " path:" + path;
    }

    @Test
    void createGetSetAndStatPrintAsZkCliPrints() throws Exception {
        ok("create /basic hello");
        assertEquals("Created /basic" + NL, err());
        assertEquals("", out());
        ok("get /basic");
        assertEquals("hello" + NL, out());
        ok("set -s /basic \"hello world\"");
        assertTrue(out().startsWith("cZxid = 0x"), out());
        assertTrue(out().contains(NL + "dataVersion = 1" + NL + "aclVersion = 0" + NL), out());
        assertTrue(out().endsWith("dataLength = 11" + NL + "numChildren = 0" + NL), out());
        ok("get -s /basic");
        assertTrue(out().startsWith("hello world" + NL + "cZxid = 0x"), out());
        ok("stat /basic");
        assertEquals(11, out().split(NL).length, out());
        assertTrue(out().contains("ephemeralOwner = 0x0" + NL), out());
        ok("set /basic x -v 1");
        ok("create /basic/empty");
        ok("get /basic/empty");
        assertEquals(NL, out());
    }

    @Test
    void dataMayBeGivenAndShownInBase64OrAsAHexDump() throws Exception {
        ok("create /enc");
        ok("set -b /enc aGVsbG8=");
        ok("get /enc");
        assertEquals("hello" + NL, out());
        ok("get -b /enc");
        assertEquals("aGVsbG8=" + NL, out());
        ok("get -x /enc");
        assertTrue(out().contains("|00000000| 68 65 6c 6c 6f                                  |hello           |"), out());
        fails("set -b /enc !!", "Illegal base64 character 21");
    }

    @Test
    void lsListsChildrenSortedWithTheStatOrTheWholeSubtreeBreadthFirst() throws Exception {
        ok("create /tree");
        for (String p : List.of("/tree/b", "/tree/a", "/tree/a-z", "/tree/a/x", "/tree/a-z/y")) {
            ok("create " + p);
        }
        ok("ls /tree");
        assertEquals("[a, a-z, b]" + NL, out());
        ok("ls -s /tree");
        assertTrue(out().startsWith("[a, a-z, b]" + NL + "cZxid = 0x"), out());
        assertTrue(out().contains("numChildren = 3" + NL), out());
        ok("ls -R /tree");
        assertEquals(String.join(NL, "/tree", "/tree/a", "/tree/a-z", "/tree/b", "/tree/a/x", "/tree/a-z/y") + NL, out());
        ok("getAllChildrenNumber /tree");
        assertEquals("5" + NL, out());
    }

    @Test
    void refusalsPrintZkCliMessagesNamingThePathAskedFor() throws Exception {
        ok("create /ref");
        ok("create /ref/child");
        fails("get /ref/missing", "Node does not exist: /ref/missing");
        fails("stat /ref/missing", "Node does not exist: /ref/missing");
        fails("create /ref", "Node already exists: /ref");
        fails("create /ref/no/such", "Node does not exist: /ref/no/such");
        fails("delete /ref", "Node not empty: /ref");
        fails("set -v 7 /ref x", "version No is not valid : /ref");
        fails("delete -v 7 /ref/child", "version No is not valid : /ref/child");
        ok("create -e /ref/eph");
        fails("create /ref/eph/x", "Ephemerals cannot have children: /ref/eph/x");
        fails("ls /ref/missing", "Node does not exist: /ref/missing");
        fails("getAcl /ref/missing", "Node does not exist: /ref/missing");
    }

    @Test
    void createModesMakeSequentialEphemeralContainerAndTtlNodes() throws Exception {
        ok("create /modes");
        ok("create -s /modes/seq- data");
        assertEquals("Created /modes/seq-0000000000" + NL, err());
        ok("create -s -e /modes/eph-");
        assertEquals("Created /modes/eph-0000000001" + NL, err());
        ok("create -e /modes/eph");
        ok("getEphemerals /modes");
        assertEquals("[/modes/eph, /modes/eph-0000000001]",
                out().strip().replace("[/modes/eph-0000000001, /modes/eph]", "[/modes/eph, /modes/eph-0000000001]"));
        ok("stat /modes/eph");
        assertTrue(out().contains("ephemeralOwner = 0x" + Long.toHexString(shell.client().sessionId()) + NL), out());
        ok("create -c /modes/box");
        ok("create -t 60000 /modes/ttl");
        ok("create -s -t 60000 /modes/ttlseq-");
        assertEquals("Created /modes/ttlseq-0000000005" + NL, err());
        ok("create /modes/acl x world:anyone:r");
        ok("getAcl /modes/acl");
        assertEquals("'world,'anyone" + NL + ": r" + NL, out());
    }

    @Test
    void deleteRemovesOneNodeAndDeleteallASubtree() throws Exception {
        ok("create /del");
        ok("create /del/a");
        ok("create /del/a/b");
        ok("delete -v 0 /del/a/b");
        fails("get /del/a/b", "Node does not exist: /del/a/b");
        ok("create /del/a/c");
        ok("deleteall /del");
        fails("stat /del", "Node does not exist: /del");
        fails("deleteall /del", "Node does not exist: /del");
    }

    @Test
    void aclsAreReadSetAndEnforced() throws Exception {
        ok("create /acl x world:anyone:r,ip:127.0.0.1:rw");
        ok("getAcl /acl");
        assertEquals("'world,'anyone" + NL + ": r" + NL + "'ip,'127.0.0.1" + NL + ": rw" + NL, out());
        fails("setAcl /acl world:anyone:cdrwa", "Insufficient permission : /acl");
        ok("create /acl2");
        fails("setAcl -v 3 /acl2 world:anyone:r", "version No is not valid : /acl2");
        ok("setAcl -s /acl2 world:anyone:cdra");
        assertTrue(out().contains("aclVersion = 1" + NL), out());
        fails("set /acl2 x", "Insufficient permission : /acl2");
        ok("getAcl -s /acl2");
        assertTrue(out().startsWith("'world,'anyone" + NL + ": cdra" + NL + "cZxid = 0x"), out());

        ok("create /acl3");
        ok("create /acl3/s");
        ok("setAcl -R /acl3 world:anyone:r");
        ok("getAcl /acl3/s");
        assertEquals("'world,'anyone" + NL + ": r" + NL, out());
        fails("create /acl3/s/t", "Insufficient permission : /acl3/s/t");
    }

    @Test
    void addauthAddsAnIdentityThatWhoamiShowsAndAclsHonour() throws Exception {
        ok("whoami");
        assertEquals("Auth scheme: User" + NL + "ip: 127.0.0.1" + NL, out());
        ok("addauth digest u:p");
        ok("whoami");
        assertEquals("Auth scheme: User" + NL + "ip: 127.0.0.1" + NL + "digest: u" + NL, out());
        ok("create /mine x auth:u:p:cdrwa");
        ok("getAcl /mine");
        assertEquals("'digest,'u:Jq7wMyA/w2Vd5WIDAKdu4OIIFEQ=" + NL + ": cdrwa" + NL, out());
        ok("get /mine");
        shell.connect(server);
        fails("get /mine", "Insufficient permission : /mine");
    }

    @Test
    void syncSaysOk() throws Exception {
        ok("sync /");
        assertEquals("Sync is OK" + NL, out());
    }

    @Test
    void oneShotWatchesPrintTheirEventOnce() throws Exception {
        ok("create /w1");
        ok("get -w /w1");
        ok("get -w /w1");
        other.setData("/w1", "x".getBytes(StandardCharsets.UTF_8), -1);
        expectEvent("NodeDataChanged", "/w1");
        ok("ls -w /w1");
        other.create("/w1/kid", new byte[0], CreateMode.PERSISTENT);
        expectEvent("NodeChildrenChanged", "/w1");
        fails("stat -w /w1/new", "Node does not exist: /w1/new");
        other.create("/w1/new", new byte[0], CreateMode.PERSISTENT);
        expectEvent("NodeCreated", "/w1/new");
        other.setData("/w1", "y".getBytes(StandardCharsets.UTF_8), -1);
        other.create("/w1/marker", new byte[0], CreateMode.PERSISTENT);
        fails("stat -w /w1/marker2", "Node does not exist: /w1/marker2");
        other.create("/w1/marker2", new byte[0], CreateMode.PERSISTENT);
        // The used-up watch on /w1 printed nothing for the second change: the next event is the marker's.
        expectEvent("NodeCreated", "/w1/marker2");
    }

    @Test
    void persistentWatchesPrintEveryChangeUntilRemoved() throws Exception {
        ok("addWatch /pw");
        other.create("/pw", new byte[0], CreateMode.PERSISTENT);
        expectEvent("NodeCreated", "/pw");
        other.create("/pw/a", new byte[0], CreateMode.PERSISTENT);
        expectEvent("NodeCreated", "/pw/a");
        other.setData("/pw/a", new byte[1], -1);
        expectEvent("NodeDataChanged", "/pw/a");
        ok("removewatches /pw");
        assertEquals(event("PersistentWatchRemoved", "/pw") + " zxid: -1", nextEvent());
        fails("removewatches /pw", "KeeperErrorCode = No such watcher for /pw");
        ok("addWatch -m persistent /pw");
        other.create("/pw/b", new byte[0], CreateMode.PERSISTENT);
        expectEvent("NodeChildrenChanged", "/pw");
        ok("get -w /pw");
        ok("removewatches /pw -d");
        assertEquals(event("DataWatchRemoved", "/pw") + " zxid: -1", nextEvent());
    }

    @Test
    void printwatchesOffSilencesEvents() throws Exception {
        ok("create /quiet");
        ok("printwatches off");
        ok("get -w /quiet");
        // Over HTTP an answer (a sync's, say) may come before an event it already shows. A watch
        // listener hears each event after its watchers have run: once it hears the change, the
        // shell's silenced watcher has run too.
        CountDownLatch changed = new CountDownLatch(1);
        shell.client().addWatchListener(e -> {
            if (e.type() == EventType.NodeDataChanged && e.path().equals("/quiet")) {
                changed.countDown();
            }
        });
        other.setData("/quiet", new byte[1], -1);
        assertTrue(changed.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "the change reached the shell's client");
        ok("printwatches on");
        fails("stat -w /quiet/marker", "Node does not exist: /quiet/marker");
        other.create("/quiet/marker", new byte[0], CreateMode.PERSISTENT);
        expectEvent("NodeCreated", "/quiet/marker");
        assertTrue(events.stream().allMatch(e -> e.contains(" type:None ")), events::toString);
    }

    @Test
    void closeEndsTheSessionAndConnectOpensANewOne() throws Exception {
        ok("create -e /session-eph");
        assertTrue(shell.prompt().startsWith("[zk: " + server + "(CONNECTED) "), shell.prompt());
        ok("close");
        assertTrue(shell.prompt().startsWith("[zk: " + server + "(CLOSED) "), shell.prompt());
        fails("ls /", "Not connected");
        assertTrue(other.exists("/session-eph").isEmpty(), "the closed session's ephemeral is still there");
        ok("connect " + server);
        assertTrue(shell.prompt().startsWith("[zk: " + server + "(CONNECTED) "), shell.prompt());
        ok("ls /");
    }

    @Test
    void anInteractiveShellPrintsEachSessionStateOnceAndScriptsNone() throws Exception {
        ok("create /announce");
        assertTrue(events.isEmpty(), events::toString);
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        BlockingQueue<String> announced = new LinkedBlockingQueue<>();
        Shell interactive = new Shell(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), e -> {
            seen.add(e.strip());
            announced.add(e);
        }, Duration.ofSeconds(10), true);
        interactive.connect(server);
        interactive.executeLine("get -w /announce");
        other.setData("/announce", new byte[1], -1);
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (seen.stream().noneMatch(e -> e.contains("NodeDataChanged")) && System.nanoTime() < end) {
            announced.poll(100, TimeUnit.MILLISECONDS);
        }
        // The client may report the connection too: one SyncConnected is printed all the same. The
        // change's zxid is left out: when the event stream opens after the change, the watch is
        // fired by the client re-arming its watches, with ZooKeeper's "no zxid" (-1).
        assertEquals(List.of(
                "WATCHER::" + NL + NL + "WatchedEvent state:SyncConnected type:None path:null",
                event("NodeDataChanged", "/announce")), seen.stream().map(e -> e.replaceAll(" zxid: -?[0-9]+$", "")).toList());
        interactive.closeClient();
        assertEquals("WATCHER::" + NL + NL + "WatchedEvent state:Closed type:None path:null zxid: -1", seen.get(2));
    }
}
