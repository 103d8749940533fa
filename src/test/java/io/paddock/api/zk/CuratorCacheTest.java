package io.paddock.api.zk;

import static io.paddock.api.zk.CuratorClients.settingsWithEmptyData;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener.Type;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Curator 5's CuratorCache: one PERSISTENT_RECURSIVE watch (addWatch) on the cache's root, an
 * initial build by getData/getChildren, then an event for every create, change and delete
 * anywhere below the root.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CuratorCacheTest {

    /** Sessions of up to 20 ticks (10 s): long enough that a busy machine does not expire them. */
    private static final int TICK_MS = 500;

    private static final long DEADLINE_MS = 20_000;

    /** What the cache's listener heard; INITIALIZED marks the end of the initial build. */
    private record Heard(String type, String path, String data) {
        static final Heard INITIALIZED = new Heard("INITIALIZED", "", "");

        static Heard of(Type type, String path, String data) {
            return new Heard(type.name(), path, data);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void initialBuildReportsEveryExistingNodeThenInitialized(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS);
             CuratorFramework writer = connect(target);
             CuratorFramework reader = connect(target)) {
            writer.create().creatingParentsIfNeeded().forPath("/app/a/b/c", "c0".getBytes(UTF_8));
            writer.create().forPath("/app/a/x", "x0".getBytes(UTF_8));
            writer.setData().forPath("/app", "root".getBytes(UTF_8));
            BlockingQueue<Heard> heard = new LinkedBlockingQueue<>();
            try (CuratorCache cache = CuratorCache.build(reader, "/app")) {
                cache.listenable().addListener(recorder(heard));
                cache.start();
                List<Heard> build = takeUntilInitialized(heard);
                assertEquals(Set.of(
                        Heard.of(Type.NODE_CREATED, "/app", "root"),
                        Heard.of(Type.NODE_CREATED, "/app/a", ""),
                        Heard.of(Type.NODE_CREATED, "/app/a/b", ""),
                        Heard.of(Type.NODE_CREATED, "/app/a/b/c", "c0"),
                        Heard.of(Type.NODE_CREATED, "/app/a/x", "x0")), new HashSet<>(build));
                assertEquals(5, build.size(), "each node reported once: " + build);
                assertEquals("/app", build.get(0).path(), "the build starts at the root");
                assertEquals(5, cache.size());
                assertEquals("c0", text(cache.get("/app/a/b/c").orElseThrow()));
            }
        }
    }

    /** One change at a time, deep in the subtree: each is heard, in the order made. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void deepCreateChangeDeleteAreHeardInOrder(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS);
             CuratorFramework writer = connect(target);
             CuratorFramework reader = connect(target)) {
            writer.create().forPath("/app");
            BlockingQueue<Heard> heard = new LinkedBlockingQueue<>();
            try (CuratorCache cache = CuratorCache.build(reader, "/app")) {
                cache.listenable().addListener(recorder(heard));
                cache.start();
                assertEquals(List.of(Heard.of(Type.NODE_CREATED, "/app", "")), takeUntilInitialized(heard));

                writer.create().creatingParentsIfNeeded().forPath("/app/a/b/c/d", "d1".getBytes(UTF_8));
                // The parents are created one by one, top down, before the leaf.
                assertEquals(Heard.of(Type.NODE_CREATED, "/app/a", ""), next(heard));
                assertEquals(Heard.of(Type.NODE_CREATED, "/app/a/b", ""), next(heard));
                assertEquals(Heard.of(Type.NODE_CREATED, "/app/a/b/c", ""), next(heard));
                assertEquals(Heard.of(Type.NODE_CREATED, "/app/a/b/c/d", "d1"), next(heard));

                writer.setData().forPath("/app/a/b/c/d", "d2".getBytes(UTF_8));
                assertEquals(Heard.of(Type.NODE_CHANGED, "/app/a/b/c/d", "d2"), next(heard));
                assertEquals(1, cache.get("/app/a/b/c/d").orElseThrow().getStat().getVersion());

                writer.setData().forPath("/app/a/b", "b1".getBytes(UTF_8));
                assertEquals(Heard.of(Type.NODE_CHANGED, "/app/a/b", "b1"), next(heard));

                writer.delete().forPath("/app/a/b/c/d");
                assertEquals(Heard.of(Type.NODE_DELETED, "/app/a/b/c/d", "d2"), next(heard));
                assertFalse(cache.get("/app/a/b/c/d").isPresent());

                // Nodes beside the cache's root are not its business.
                writer.create().forPath("/apple", "no".getBytes(UTF_8));
                writer.create().forPath("/app/a/e", "e1".getBytes(UTF_8));
                assertEquals(Heard.of(Type.NODE_CREATED, "/app/a/e", "e1"), next(heard));
                assertEquals(Set.of("/app", "/app/a", "/app/a/b", "/app/a/b/c", "/app/a/e"),
                        cache.stream().map(ChildData::getPath).collect(Collectors.toSet()));
            }
        }
    }

    /** Creates made back to back (no waiting in between) are heard in the order they were made. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void burstOfDeepCreatesIsHeardInCreationOrder(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS);
             CuratorFramework writer = connect(target);
             CuratorFramework reader = connect(target)) {
            writer.create().creatingParentsIfNeeded().forPath("/app/deep/er");
            BlockingQueue<Heard> heard = new LinkedBlockingQueue<>();
            try (CuratorCache cache = CuratorCache.build(reader, "/app")) {
                cache.listenable().addListener(recorder(heard));
                cache.start();
                assertEquals(3, takeUntilInitialized(heard).size());
                List<Heard> expected = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    String path = (i % 2 == 0 ? "/app/deep/er/n" : "/app/deep/m") + i;
                    writer.create().forPath(path, ("v" + i).getBytes(UTF_8));
                    expected.add(Heard.of(Type.NODE_CREATED, path, "v" + i));
                }
                List<Heard> got = new ArrayList<>();
                for (int i = 0; i < expected.size(); i++) {
                    got.add(next(heard));
                }
                assertEquals(expected, got);
            }
        }
    }

    /** Deleting a subtree is heard node by node, each node after all of its descendants. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void subtreeDeletionIsHeardDescendantsFirst(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS);
             CuratorFramework writer = connect(target);
             CuratorFramework reader = connect(target)) {
            List<String> subtree = List.of("/app/s", "/app/s/1", "/app/s/1/x", "/app/s/1/y", "/app/s/2",
                    "/app/s/2/z", "/app/s/2/z/deep");
            writer.create().forPath("/app");
            for (String p : subtree) {
                writer.create().forPath(p, p.getBytes(UTF_8));
            }
            BlockingQueue<Heard> heard = new LinkedBlockingQueue<>();
            try (CuratorCache cache = CuratorCache.build(reader, "/app")) {
                cache.listenable().addListener(recorder(heard));
                cache.start();
                assertEquals(1 + subtree.size(), takeUntilInitialized(heard).size());

                writer.delete().deletingChildrenIfNeeded().forPath("/app/s");
                List<String> deleted = new ArrayList<>();
                for (int i = 0; i < subtree.size(); i++) {
                    Heard h = next(heard);
                    assertEquals("NODE_DELETED", h.type(), h.toString());
                    assertEquals(h.path(), h.data(), "a deletion reports the node's last data");
                    deleted.add(h.path());
                }
                assertEquals(new HashSet<>(subtree), new HashSet<>(deleted));
                for (int i = 0; i < deleted.size(); i++) {
                    for (int j = i + 1; j < deleted.size(); j++) {
                        assertFalse(deleted.get(j).startsWith(deleted.get(i) + "/"),
                                deleted.get(j) + " heard deleted after its ancestor " + deleted.get(i));
                    }
                }
                assertEquals(1, cache.size());
                assertNotNull(writer.checkExists().forPath("/app"));
            }
        }
    }

    private static CuratorCacheListener recorder(BlockingQueue<Heard> heard) {
        return new CuratorCacheListener() {
            @Override
            public void event(Type type, ChildData oldData, ChildData data) {
                ChildData node = type == Type.NODE_DELETED ? oldData : data;
                heard.add(Heard.of(type, node.getPath(), text(node)));
            }

            @Override
            public void initialized() {
                heard.add(Heard.INITIALIZED);
            }
        };
    }

    private static String text(ChildData node) {
        return node.getData() == null ? "" : new String(node.getData(), UTF_8);
    }

    private static List<Heard> takeUntilInitialized(BlockingQueue<Heard> heard) throws InterruptedException {
        List<Heard> build = new ArrayList<>();
        for (Heard h = next(heard); !h.equals(Heard.INITIALIZED); h = next(heard)) {
            build.add(h);
        }
        return build;
    }

    private static Heard next(BlockingQueue<Heard> heard) throws InterruptedException {
        return CuratorClients.next(heard, DEADLINE_MS, "the cache heard nothing");
    }

    private static CuratorFramework connect(ZkTarget target) throws InterruptedException {
        CuratorFramework client = CuratorClients.connect(settingsWithEmptyData(target), target);
        assertTrue(client.getZookeeperClient().isConnected());
        return client;
    }
}
