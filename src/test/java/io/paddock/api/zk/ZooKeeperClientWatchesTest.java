package io.paddock.api.zk;

import static io.paddock.api.zk.ZkAssertions.DEADLINE;
import static io.paddock.api.zk.ZkAssertions.NOW;
import static io.paddock.api.zk.ZkAssertions.OPEN;
import static io.paddock.api.zk.ZkAssertions.QUIET;
import static io.paddock.api.zk.ZkAssertions.assertCode;
import static io.paddock.api.zk.ZkAssertions.assertEvent;
import static io.paddock.api.zk.ZkAssertions.bytes;
import static io.paddock.api.zk.ZkAssertions.connect;
import static io.paddock.api.zk.ZkAssertions.text;
import static io.paddock.api.zk.ZkAssertions.withClients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.WatcherType;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Watches through the official client on Paddock and ZooKeeper: which change fires which watch,
 * with which event, in which order; one-shot watches fire once, persistent ones keep firing,
 * recursive ones cover a subtree; removeWatches; and a client always sees a watch event before
 * any read that shows the change. Absence checks ("no second event") wait {@link ZkAssertions#QUIET}.
 */
class ZooKeeperClientWatchesTest {

    @RegisterExtension
    static final SharedTargets TARGETS = new SharedTargets();

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void dataWatchFiresOnceOnTheNextChange(ZkTarget.Kind kind) throws Exception {
        withClients(TARGETS, kind, (root, zk, writer) -> {
            zk.create(root, bytes("0"), OPEN, CreateMode.PERSISTENT);
            RecordingWatcher w = new RecordingWatcher("data");
            zk.getData(root, w, null);
            writer.setData(root, bytes("1"), -1);
            assertEvent(EventType.NodeDataChanged, root, w.next(DEADLINE));
            writer.setData(root, bytes("2"), -1);
            w.expectNone(QUIET);
            // Registered again, it fires again, and on delete says so.
            zk.getData(root, w, null);
            writer.delete(root, -1);
            assertEvent(EventType.NodeDeleted, root, w.next(DEADLINE));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void existsWatchOnAMissingNodeFiresWhenItIsCreated(ZkTarget.Kind kind) throws Exception {
        withClients(TARGETS, kind, (root, zk, writer) -> {
            RecordingWatcher w = new RecordingWatcher("exists");
            assertNull(zk.exists(root, w));
            writer.create(root, null, OPEN, CreateMode.PERSISTENT);
            assertEvent(EventType.NodeCreated, root, w.next(DEADLINE));
            writer.setData(root, bytes("x"), -1);
            w.expectNone(QUIET);
            // On an existing node, exists watches data changes and deletion.
            zk.exists(root, w);
            writer.setData(root, bytes("y"), -1);
            assertEvent(EventType.NodeDataChanged, root, w.next(DEADLINE));
            zk.exists(root, w);
            writer.delete(root, -1);
            assertEvent(EventType.NodeDeleted, root, w.next(DEADLINE));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void childWatchFiresOnChildCreateAndDeleteButNotOnData(ZkTarget.Kind kind) throws Exception {
        withClients(TARGETS, kind, (root, zk, writer) -> {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            writer.create(root + "/a", null, OPEN, CreateMode.PERSISTENT);
            RecordingWatcher w = new RecordingWatcher("children");
            zk.getChildren(root, w);
            writer.setData(root, bytes("parent data"), -1);
            writer.setData(root + "/a", bytes("child data"), -1);
            writer.create(root + "/a/grandchild", null, OPEN, CreateMode.PERSISTENT);
            w.expectNone(QUIET);
            writer.create(root + "/b", null, OPEN, CreateMode.PERSISTENT);
            assertEvent(EventType.NodeChildrenChanged, root, w.next(DEADLINE));
            Stat s = new Stat();
            zk.getChildren(root, w, s);
            assertEquals(2, s.getNumChildren());
            writer.delete(root + "/b", -1);
            assertEvent(EventType.NodeChildrenChanged, root, w.next(DEADLINE));
            writer.create(root + "/c", null, OPEN, CreateMode.PERSISTENT);
            w.expectNone(QUIET);
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void deleteFiresTheNodesWatchesAndItsParentsChildWatch(ZkTarget.Kind kind) throws Exception {
        withClients(TARGETS, kind, (root, zk, writer) -> {
            String node = root + "/n";
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            zk.create(node, null, OPEN, CreateMode.PERSISTENT);
            RecordingWatcher data = new RecordingWatcher("data");
            RecordingWatcher children = new RecordingWatcher("children");
            RecordingWatcher parent = new RecordingWatcher("parent");
            zk.getData(node, data, null);
            zk.getChildren(node, children);
            zk.getChildren(root, parent);
            writer.delete(node, -1);
            assertEvent(EventType.NodeDeleted, node, data.next(DEADLINE));
            assertEvent(EventType.NodeDeleted, node, children.next(DEADLINE));
            assertEvent(EventType.NodeChildrenChanged, root, parent.next(DEADLINE));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void oneWatcherOnDataAndChildrenHearsADeleteOnce(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        RecordingWatcher w = new RecordingWatcher("default");
        try (ZooKeeper zk = TARGETS.get(kind).connect(w); ZooKeeper writer = connect(TARGETS, kind)) {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            zk.getData(root, true, null);
            zk.getChildren(root, true);
            zk.exists(root, true);
            writer.delete(root, -1);
            assertEvent(EventType.NodeDeleted, root, w.next(DEADLINE));
            w.expectNone(QUIET);
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void aClientsOwnChangeFiresItsWatch(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        RecordingWatcher w = new RecordingWatcher("default");
        try (ZooKeeper zk = TARGETS.get(kind).connect(w)) {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            zk.getData(root, true, null);
            zk.setData(root, bytes("mine"), -1);
            assertEvent(EventType.NodeDataChanged, root, w.next(DEADLINE));
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void watchEventArrivesBeforeAnyReadThatShowsTheChange(ZkTarget.Kind kind) throws Exception {
        withClients(TARGETS, kind, (root, zk, writer) -> {
            zk.create(root, bytes("old"), OPEN, CreateMode.PERSISTENT);
            // Watch events and async callbacks run on the client's one event thread in the order
            // the server's messages came: one log shows the order the server sent them in.
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            zk.getData(root, e -> log.add("event " + e.getType()), null);
            writer.setData(root, bytes("new"), -1);
            long end = System.nanoTime() + DEADLINE.toNanos();
            String seen = "old";
            while (!seen.equals("new")) {
                assertTrue(System.nanoTime() < end, "the change never showed: " + log);
                CompletableFuture<String> read = new CompletableFuture<>();
                zk.getData(root, false, (rc, p, ctx, data, stat) -> {
                    log.add("read " + text(data));
                    read.complete(text(data));
                }, null);
                seen = read.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
            int event = log.indexOf("event NodeDataChanged");
            int firstNew = log.indexOf("read new");
            assertTrue(event >= 0 && event < firstNew, "event before the read that shows the change: " + log);
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void eventsFollowTheOrderOfTheChanges(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        RecordingWatcher w = new RecordingWatcher("default");
        try (ZooKeeper zk = TARGETS.get(kind).connect(w); ZooKeeper writer = connect(TARGETS, kind)) {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            zk.create(root + "/b", null, OPEN, CreateMode.PERSISTENT);
            zk.create(root + "/c", null, OPEN, CreateMode.PERSISTENT);
            zk.exists(root + "/a", true);
            zk.getChildren(root, true);
            zk.getData(root + "/b", true, null);
            zk.exists(root + "/c", true);
            writer.create(root + "/a", null, OPEN, CreateMode.PERSISTENT);
            writer.setData(root + "/b", bytes("x"), -1);
            writer.delete(root + "/c", -1);
            // One create fires the node's own watch before its parent's child watch.
            assertEvent(EventType.NodeCreated, root + "/a", w.next(DEADLINE));
            assertEvent(EventType.NodeChildrenChanged, root, w.next(DEADLINE));
            assertEvent(EventType.NodeDataChanged, root + "/b", w.next(DEADLINE));
            assertEvent(EventType.NodeDeleted, root + "/c", w.next(DEADLINE));
            w.expectNone(QUIET);
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void multiFiresWatchesInTheOrderOfItsOps(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        RecordingWatcher w = new RecordingWatcher("default");
        try (ZooKeeper zk = TARGETS.get(kind).connect(w); ZooKeeper writer = connect(TARGETS, kind)) {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            zk.create(root + "/b", null, OPEN, CreateMode.PERSISTENT);
            zk.create(root + "/c", null, OPEN, CreateMode.PERSISTENT);
            zk.getData(root + "/c", true, null);
            zk.getData(root + "/b", true, null);
            zk.exists(root + "/a", true);
            writer.multi(List.of(
                    Op.delete(root + "/c", -1),
                    Op.setData(root + "/b", bytes("x"), -1),
                    Op.create(root + "/a", null, OPEN, CreateMode.PERSISTENT)));
            assertEvent(EventType.NodeDeleted, root + "/c", w.next(DEADLINE));
            assertEvent(EventType.NodeDataChanged, root + "/b", w.next(DEADLINE));
            assertEvent(EventType.NodeCreated, root + "/a", w.next(DEADLINE));
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void closingASessionFiresWatchesOnItsEphemerals(ZkTarget.Kind kind) throws Exception {
        String root = TARGETS.uniqueRoot();
        try (ZooKeeper watcher = connect(TARGETS, kind)) {
            watcher.create(root, null, OPEN, CreateMode.PERSISTENT);
            ZooKeeper owner = connect(TARGETS, kind);
            owner.create(root + "/e", null, OPEN, CreateMode.EPHEMERAL);
            RecordingWatcher data = new RecordingWatcher("data");
            RecordingWatcher children = new RecordingWatcher("children");
            watcher.exists(root + "/e", data);
            watcher.getChildren(root, children);
            owner.close();
            assertEvent(EventType.NodeDeleted, root + "/e", data.next(DEADLINE));
            assertEvent(EventType.NodeChildrenChanged, root, children.next(DEADLINE));
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void persistentWatchKeepsFiringForTheNodeAndItsChildList(ZkTarget.Kind kind) throws Exception {
        withClients(TARGETS, kind, (root, zk, writer) -> {
            RecordingWatcher w = new RecordingWatcher("persistent");
            zk.addWatch(root, w, AddWatchMode.PERSISTENT);
            writer.create(root, null, OPEN, CreateMode.PERSISTENT);
            assertEvent(EventType.NodeCreated, root, w.next(DEADLINE));
            writer.setData(root, bytes("1"), -1);
            assertEvent(EventType.NodeDataChanged, root, w.next(DEADLINE));
            writer.setData(root, bytes("2"), -1);
            assertEvent(EventType.NodeDataChanged, root, w.next(DEADLINE));
            writer.create(root + "/c", null, OPEN, CreateMode.PERSISTENT);
            assertEvent(EventType.NodeChildrenChanged, root, w.next(DEADLINE));
            // Below the children, nothing: PERSISTENT is not recursive.
            writer.create(root + "/c/g", null, OPEN, CreateMode.PERSISTENT);
            writer.setData(root + "/c", bytes("c"), -1);
            w.expectNone(QUIET);
            writer.delete(root + "/c/g", -1);
            writer.delete(root + "/c", -1);
            assertEvent(EventType.NodeChildrenChanged, root, w.next(DEADLINE));
            writer.delete(root, -1);
            assertEvent(EventType.NodeDeleted, root, w.next(DEADLINE));
            writer.create(root, null, OPEN, CreateMode.PERSISTENT);
            assertEvent(EventType.NodeCreated, root, w.next(DEADLINE));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void recursiveWatchCoversTheSubtreeWithoutChildEvents(ZkTarget.Kind kind) throws Exception {
        withClients(TARGETS, kind, (root, zk, writer) -> {
            writer.create(root, null, OPEN, CreateMode.PERSISTENT);
            RecordingWatcher w = new RecordingWatcher("recursive");
            zk.addWatch(root, w, AddWatchMode.PERSISTENT_RECURSIVE);
            writer.create(root + "/a", null, OPEN, CreateMode.PERSISTENT);
            assertEvent(EventType.NodeCreated, root + "/a", w.next(DEADLINE));
            writer.create(root + "/a/b", null, OPEN, CreateMode.PERSISTENT);
            assertEvent(EventType.NodeCreated, root + "/a/b", w.next(DEADLINE));
            writer.setData(root + "/a/b", bytes("x"), -1);
            assertEvent(EventType.NodeDataChanged, root + "/a/b", w.next(DEADLINE));
            writer.setData(root + "/a/b", bytes("y"), -1);
            assertEvent(EventType.NodeDataChanged, root + "/a/b", w.next(DEADLINE));
            writer.delete(root + "/a/b", -1);
            assertEvent(EventType.NodeDeleted, root + "/a/b", w.next(DEADLINE));
            writer.setData(root, bytes("r"), -1);
            assertEvent(EventType.NodeDataChanged, root, w.next(DEADLINE));
            // A sibling whose name extends the root's is not below it.
            writer.create(root + "x", null, OPEN, CreateMode.PERSISTENT);
            w.expectNone(QUIET);
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void persistentAndOneShotWatchesOnOneNodeBothFire(ZkTarget.Kind kind) throws Exception {
        withClients(TARGETS, kind, (root, zk, writer) -> {
            writer.create(root, null, OPEN, CreateMode.PERSISTENT);
            RecordingWatcher persistent = new RecordingWatcher("persistent");
            RecordingWatcher once = new RecordingWatcher("once");
            zk.addWatch(root, persistent, AddWatchMode.PERSISTENT_RECURSIVE);
            zk.getData(root, once, null);
            writer.setData(root, bytes("1"), -1);
            assertEvent(EventType.NodeDataChanged, root, persistent.next(DEADLINE));
            assertEvent(EventType.NodeDataChanged, root, once.next(DEADLINE));
            writer.setData(root, bytes("2"), -1);
            assertEvent(EventType.NodeDataChanged, root, persistent.next(DEADLINE));
            once.expectNone(QUIET);
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void removeWatchesRemovesOneKindOnTheServer(ZkTarget.Kind kind) throws Exception {
        withClients(TARGETS, kind, (root, zk, writer) -> {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            RecordingWatcher w = new RecordingWatcher("w");
            zk.getData(root, w, null);
            zk.getChildren(root, w);
            zk.removeWatches(root, w, WatcherType.Data, false);
            assertEvent(EventType.DataWatchRemoved, root, w.next(DEADLINE));
            writer.setData(root, bytes("x"), -1);
            w.expectNone(QUIET);
            writer.create(root + "/c", null, OPEN, CreateMode.PERSISTENT);
            assertEvent(EventType.NodeChildrenChanged, root, w.next(DEADLINE));
            // Nothing left to remove: the client says so.
            assertCode(Code.NOWATCHER, () -> zk.removeWatches(root, w, WatcherType.Children, false));
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void removeAllWatchesRemovesEveryKind(ZkTarget.Kind kind) throws Exception {
        withClients(TARGETS, kind, (root, zk, writer) -> {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            RecordingWatcher data = new RecordingWatcher("data");
            RecordingWatcher children = new RecordingWatcher("children");
            zk.getData(root, data, null);
            zk.getChildren(root, children);
            zk.removeAllWatches(root, WatcherType.Any, false);
            assertEvent(EventType.DataWatchRemoved, root, data.next(DEADLINE));
            assertEvent(EventType.ChildWatchRemoved, root, children.next(DEADLINE));
            writer.setData(root, bytes("x"), -1);
            writer.create(root + "/c", null, OPEN, CreateMode.PERSISTENT);
            data.expectNone(QUIET);
            children.expectNone(NOW);
        });
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void removeWatchesRemovesPersistentWatches(ZkTarget.Kind kind) throws Exception {
        withClients(TARGETS, kind, (root, zk, writer) -> {
            zk.create(root, null, OPEN, CreateMode.PERSISTENT);
            RecordingWatcher p = new RecordingWatcher("persistent");
            RecordingWatcher r = new RecordingWatcher("recursive");
            zk.addWatch(root, p, AddWatchMode.PERSISTENT);
            zk.addWatch(root, r, AddWatchMode.PERSISTENT_RECURSIVE);
            zk.removeWatches(root, p, WatcherType.Persistent, false);
            assertEvent(EventType.PersistentWatchRemoved, root, p.next(DEADLINE));
            writer.setData(root, bytes("x"), -1);
            assertEvent(EventType.NodeDataChanged, root, r.next(DEADLINE));
            zk.removeWatches(root, r, WatcherType.PersistentRecursive, false);
            assertEvent(EventType.PersistentWatchRemoved, root, r.next(DEADLINE));
            writer.setData(root, bytes("y"), -1);
            writer.create(root + "/c", null, OPEN, CreateMode.PERSISTENT);
            p.expectNone(QUIET);
            r.expectNone(NOW);
        });
    }
}
