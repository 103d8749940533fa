package io.paddock.api.zk;

import static io.paddock.api.zk.ZkAssertions.OPEN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ZooKeeper's own shell (zkCli, ZooKeeperMain from the 3.9.5 jar, in its own JVM) against
 * Paddock and ZooKeeper: the same script prints the same thing on both, zxids, times and session
 * ids masked (see {@link ZkCli#parse}). The expected transcripts are what ZooKeeper 3.9.5 prints.
 * Each script runs under a chroot of its own ("-server host:port/cli-…") and ends with
 * {@code sync /}, whose answer comes on the event thread after every earlier watch event, so no
 * event is lost to {@code quit}.
 */
class ZkCliTest {

    @RegisterExtension
    static final SharedTargets TARGETS = new SharedTargets();

    private static ZkCli.Transcript run(ZkTarget.Kind kind, String chroot, List<String> script) throws Exception {
        ZkTarget t = TARGETS.get(kind);
        try (ZooKeeper zk = t.connect(new RecordingWatcher("setup"))) {
            zk.create(chroot, null, OPEN, CreateMode.PERSISTENT);
        }
        List<String> lines = new ArrayList<>(script);
        lines.add("sync /");
        lines.add("quit");
        return ZkCli.run(t.connectString(chroot), lines);
    }

    /** The eleven lines of a printed Stat, masked as {@link ZkCli#parse} masks them. */
    private static List<String> stat(int cversion, int dataVersion, int aclVersion, boolean ephemeral,
                                     int dataLength, int numChildren) {
        return List.of("cZxid = 0xZ", "ctime = T", "mZxid = 0xZ", "mtime = T", "pZxid = 0xZ",
                "cversion = " + cversion, "dataVersion = " + dataVersion, "aclVersion = " + aclVersion,
                "ephemeralOwner = " + (ephemeral ? "0xSESSION" : "0x0"), "dataLength = " + dataLength,
                "numChildren = " + numChildren);
    }

    private static String lines(Object... parts) {
        StringBuilder b = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof List<?> l) {
                l.forEach(x -> b.append(x).append('\n'));
            } else {
                b.append(p).append('\n');
            }
        }
        return b.toString();
    }

    private static String event(String type, String path) {
        return "WatchedEvent state:SyncConnected type:" + type + " path:" + path + " zxid: Z";
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void nodeCommandsPrintAsZooKeeperPrintsThem(ZkTarget.Kind kind) throws Exception {
        ZkCli.Transcript t = run(kind, "/cli-nodes", List.of(
                "create /a data-a",
                "create -s /a/s- seqdata",
                "create -s /a/s- seqdata",
                "create -c /c",
                "create -t 100000 /t ttldata",
                "create /a/b",
                "create /a/b/c deep",
                "ls /",
                "ls -s /a",
                "ls -R /a",
                "get -s /a",
                "set /a newdata",
                "set -s /a again",
                "stat /a",
                "stat /a/b/c",
                "set -v 99 /a v3",
                "delete /a/b",
                "delete /a/b/c",
                "delete -v 0 /a/b",
                "ls /a",
                "deleteall /a",
                "ls /",
                "get /missing",
                "stat /missing",
                "ls /missing",
                "delete /missing",
                "create /c/x",
                "create /c/x",
                "create /nope/x"));
        assertEquals(lines(
                "Created /a", "Created /a/s-0000000000", "Created /a/s-0000000001", "Created /c", "Created /t",
                "Created /a/b", "Created /a/b/c",
                "[a, c, t]",
                "[b, s-0000000000, s-0000000001]", stat(3, 0, 0, false, 6, 3),
                "/a", "/a/b", "/a/s-0000000000", "/a/s-0000000001", "/a/b/c",
                "data-a", stat(3, 0, 0, false, 6, 3),
                stat(3, 2, 0, false, 5, 3),
                stat(3, 2, 0, false, 5, 3),
                stat(0, 0, 0, false, 4, 0),
                "version No is not valid : /a",
                "Node not empty: /a/b",
                "[s-0000000000, s-0000000001]",
                "[c, t]",
                "Node does not exist: /missing", "Node does not exist: /missing", "Node does not exist: /missing",
                "Node does not exist: /missing",
                "Created /c/x", "Node already exists: /c/x", "Node does not exist: /nope/x",
                "Sync is OK"), t.outputText(), t.raw());
        assertEquals(List.of(), t.events(), t.raw());
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void watchCommandsReportTheSameEvents(ZkTarget.Kind kind) throws Exception {
        ZkCli.Transcript t = run(kind, "/cli-watches", List.of(
                "create /w data",
                "ls -w /w",
                "get -w /w",
                "stat -w /w",
                "create /w/child",
                "set /w changed",
                "addWatch /w",
                "addWatch -m PERSISTENT /p",
                "create /p pdata",
                "set /p p2",
                "create /w/child/deeper",
                "set /w/child/deeper d",
                "delete /w/child/deeper",
                "removewatches /w -a",
                "removewatches /p -a",
                "set /w quiet",
                "set /p quiet",
                "ls -w /w",
                "delete /w/child"));
        assertEquals(lines(
                "Created /w", "[]", "data", stat(0, 0, 0, false, 4, 0),
                "Created /w/child", "Created /p", "Created /w/child/deeper", "[child]",
                "Sync is OK"), t.outputText(), t.raw());
        assertEquals(List.of(
                event("NodeChildrenChanged", "/w"),
                // get -w and stat -w are one data watch: one event.
                event("NodeDataChanged", "/w"),
                event("NodeCreated", "/p"),
                event("NodeDataChanged", "/p"),
                // addWatch's default mode is PERSISTENT_RECURSIVE.
                event("NodeCreated", "/w/child/deeper"),
                event("NodeDataChanged", "/w/child/deeper"),
                event("NodeDeleted", "/w/child/deeper"),
                event("PersistentWatchRemoved", "/w"),
                event("PersistentWatchRemoved", "/p"),
                event("NodeChildrenChanged", "/w")), t.events(), t.raw());
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void ephemeralAndAclCommandsPrintAsZooKeeperPrintsThem(ZkTarget.Kind kind) throws Exception {
        String digest = DigestAuthenticationProvider.generateDigest("alice:secret");
        ZkCli.Transcript t = run(kind, "/cli-ephemerals", List.of(
                "create /e",
                "create -e /e/one 1",
                "create -e -s /e/seq- 2",
                "create -e /e/one/child x",
                "getEphemerals",
                "getEphemerals /e/s",
                "ls -s /e",
                "stat /e/one",
                "whoami",
                "addauth digest alice:secret",
                "whoami",
                "create /secret s digest:" + digest + ":cdrwa",
                "getAcl /secret",
                "setAcl /e world:anyone:r",
                "getAcl -s /e",
                "create /e/denied",
                "delete /e/one"));
        assertEquals(lines(
                "Created /e", "Created /e/one", "Created /e/seq-0000000001",
                "Ephemerals cannot have children: /e/one/child",
                // The 3.9.5 shell's getEphemerals neither adds nor strips the chroot.
                "[/cli-ephemerals/e/one, /cli-ephemerals/e/seq-0000000001]",
                "[]",
                "[one, seq-0000000001]", stat(2, 0, 0, false, 0, 2),
                stat(0, 0, 0, true, 1, 0),
                "Auth scheme: User", "ip: 127.0.0.1",
                "Auth scheme: User", "digest: alice", "ip: 127.0.0.1",
                "Created /secret",
                "'digest,'" + digest, ": cdrwa",
                "'world,'anyone", ": r", stat(2, 0, 1, false, 0, 2),
                "Insufficient permission : /e/denied",
                "Insufficient permission : /e/one",
                "Sync is OK"), t.outputText(), t.raw());
        assertEquals(List.of(), t.events(), t.raw());
    }
}
