package io.paddock.api.zk;

import static io.paddock.api.zk.ZkAssertions.DEADLINE;
import static io.paddock.api.zk.ZkAssertions.OPEN;
import static io.paddock.api.zk.ZkAssertions.assertCode;
import static io.paddock.api.zk.ZkAssertions.assertEvent;
import static io.paddock.api.zk.ZkAssertions.bytes;
import static io.paddock.api.zk.ZkAssertions.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Set;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Chroot connect strings ("host:port/app") on Paddock and ZooKeeper. The chroot is the client's
 * business (it prefixes request paths and strips reply and event paths), so this checks that
 * every path the server sends back, in replies, multi results and watch events, is one the
 * client can strip: the full path, as ZooKeeper sends it. Where the 3.9.5 client forgets to strip
 * (multi results, getEphemerals) the test shows the full path it received.
 */
class ZooKeeperClientChrootTest {

    @RegisterExtension
    static final SharedTargets TARGETS = new SharedTargets();

    private ZooKeeper connect(ZkTarget.Kind kind, String chroot, RecordingWatcher w) throws Exception {
        ZkTarget t = TARGETS.get(kind);
        return ZkTarget.connect(t.connectString(chroot), t.maxSessionTimeoutMs(), w);
    }

    /** A test body with a client that sees the whole tree and one chrooted at app, with its watcher. */
    @FunctionalInterface
    private interface ChrootClients {
        void run(String app, ZooKeeper full, ZooKeeper zk, RecordingWatcher w) throws Exception;
    }

    /** Creates a fresh app node holding appData, then runs the body with both clients. */
    private void withChroot(ZkTarget.Kind kind, byte[] appData, ChrootClients body) throws Exception {
        String app = TARGETS.uniqueRoot();
        try (ZooKeeper full = TARGETS.get(kind).connect(new RecordingWatcher("full"))) {
            full.create(app, appData, OPEN, CreateMode.PERSISTENT);
            RecordingWatcher w = new RecordingWatcher("chroot");
            try (ZooKeeper zk = connect(kind, app, w)) {
                body.run(app, full, zk, w);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void pathsAreRelativeToTheChroot(ZkTarget.Kind kind) throws Exception {
        withChroot(kind, bytes("app"), (app, full, zk, w) -> {
            assertEquals("/x", zk.create("/x", bytes("x"), OPEN, CreateMode.PERSISTENT));
            assertEquals("x", text(full.getData(app + "/x", false, null)));
            assertEquals("app", text(zk.getData("/", false, null)));
            assertEquals("/s-0000000001", zk.create("/s-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
            assertEquals("/x/e-0000000000", zk.create("/x/e-", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL));
            assertEquals(Set.of("x", "s-0000000001"), Set.copyOf(zk.getChildren("/", false)));
            assertEquals(3, zk.getAllChildrenNumber("/"));
            // The 3.9.5 client neither prefixes nor strips the chroot for getEphemerals: the
            // prefix is a server path, and so are the answers.
            assertEquals(List.of(app + "/x/e-0000000000"), zk.getEphemerals(app + "/x"));
            assertEquals(List.of(), zk.getEphemerals("/x"));
            assertNotNull(zk.exists("/x", false));
            zk.sync("/x");
            assertCode(Code.NONODE, () -> zk.getData("/nothing", false, null));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void multiResultsAreRelativeToTheChroot(ZkTarget.Kind kind) throws Exception {
        withChroot(kind, null, (app, full, zk, w) -> {
            List<OpResult> results = zk.multi(List.of(
                    Op.create("/a", null, OPEN, CreateMode.PERSISTENT),
                    Op.create("/q-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL),
                    Op.create("/c", null, OPEN, CreateMode.CONTAINER)));
            // The 3.9.5 client does not strip the chroot from a multi's create results: they
            // show the server's full paths.
            assertEquals(app + "/a", ((OpResult.CreateResult) results.get(0)).getPath());
            assertEquals(app + "/q-0000000001", ((OpResult.CreateResult) results.get(1)).getPath());
            assertEquals(app + "/c", ((OpResult.CreateResult) results.get(2)).getPath());
            List<OpResult> reads = zk.multi(List.of(Op.getChildren("/"), Op.getData("/a")));
            assertEquals(Set.of("a", "q-0000000001", "c"),
                    Set.copyOf(((OpResult.GetChildrenResult) reads.get(0)).getChildren()));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void watchEventsNameChrootRelativePaths(ZkTarget.Kind kind) throws Exception {
        withChroot(kind, null, (app, full, zk, w) -> {
            zk.exists("/n", true);
            zk.getChildren("/", true);
            full.create(app + "/n", null, OPEN, CreateMode.PERSISTENT);
            assertEvent(EventType.NodeCreated, "/n", w.next(DEADLINE));
            assertEvent(EventType.NodeChildrenChanged, "/", w.next(DEADLINE));
            RecordingWatcher recursive = new RecordingWatcher("recursive");
            zk.addWatch("/", recursive, AddWatchMode.PERSISTENT_RECURSIVE);
            full.setData(app + "/n", bytes("d"), -1);
            assertEvent(EventType.NodeDataChanged, "/n", recursive.next(DEADLINE));
            full.setData(app, bytes("d"), -1);
            assertEvent(EventType.NodeDataChanged, "/", recursive.next(DEADLINE));
            full.delete(app + "/n", -1);
            assertEvent(EventType.NodeDeleted, "/n", recursive.next(DEADLINE));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void aMissingChrootIsNoNodeUntilCreated(ZkTarget.Kind kind) throws Exception {
        String app = TARGETS.uniqueRoot();
        try (ZooKeeper zk = connect(kind, app, new RecordingWatcher("chroot"));
             ZooKeeper full = TARGETS.get(kind).connect(new RecordingWatcher("full"))) {
            assertCode(Code.NONODE, () -> zk.create("/x", null, OPEN, CreateMode.PERSISTENT));
            assertCode(Code.NONODE, () -> zk.getChildren("/", false));
            full.create(app, null, OPEN, CreateMode.PERSISTENT);
            assertEquals("/x", zk.create("/x", null, OPEN, CreateMode.PERSISTENT));
        }
    }
}
