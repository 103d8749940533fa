package io.paddock.api.zk;

import static io.paddock.api.zk.CuratorClients.await;
import static io.paddock.api.zk.CuratorClients.settingsWithEmptyData;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Curator's parent-creating builders and the node kinds the server removes by itself: containers
 * (removed once they have had a child and have none) and TTL nodes (removed once childless and
 * unmodified for longer than their TTL). The server's reaper runs on an interval, so each removal
 * is awaited with a deadline; a node that must survive is checked after a removal that proves the
 * reaper has passed over it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CuratorContainerTtlTest {

    /** Many reaper passes: both servers check every ZkTarget.CONTAINER_CHECK_MS (100 ms). */
    private static final long REAP_DEADLINE_MS = 15_000;
    private static final long TTL_MS = 500;

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void creatingParentsIfNeededMakesEmptyPersistentParents(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind);
             CuratorFramework c = connect(target)) {
            c.create().creatingParentsIfNeeded().forPath("/p/q/r", "leaf".getBytes(UTF_8));
            for (String parent : List.of("/p", "/p/q")) {
                Stat s = c.checkExists().forPath(parent);
                assertNotNull(s, parent);
                assertEquals(0, s.getEphemeralOwner(), parent + " is a plain persistent node");
                assertEquals(0, s.getDataLength(), parent + " holds no data");
                assertEquals(1, s.getNumChildren());
            }
            assertArrayEquals("leaf".getBytes(UTF_8), c.getData().forPath("/p/q/r"));

            // Existing parents are fine; an existing leaf is not.
            c.create().creatingParentsIfNeeded().forPath("/p/q/s", "s".getBytes(UTF_8));
            assertEquals(List.of("r", "s"), c.getChildren().forPath("/p/q").stream().sorted().toList());
            assertThrows(KeeperException.NodeExistsException.class,
                    () -> c.create().creatingParentsIfNeeded().forPath("/p/q/r"));

            // Ephemeral leaves may have persistent parents created for them.
            c.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath("/e/f/g");
            assertEquals(c.getZookeeperClient().getZooKeeper().getSessionId(),
                    c.checkExists().forPath("/e/f/g").getEphemeralOwner());
            assertEquals(0, c.checkExists().forPath("/e/f").getEphemeralOwner());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void emptiedContainerParentsAreReapedAndNothingElse(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind);
             CuratorFramework c = connect(target)) {
            c.create().creatingParentContainersIfNeeded().forPath("/svc/x/leaf");
            c.create().creatingParentContainersIfNeeded().forPath("/svc/y/leaf");
            // ZooKeeper keeps a container's marker (Long.MIN_VALUE) in ephemeralOwner on the server but
            // shows clients 0: a container looks like a persistent node until it is reaped.
            for (String node : List.of("/svc", "/svc/x", "/svc/y", "/svc/x/leaf")) {
                assertEquals(0, c.checkExists().forPath(node).getEphemeralOwner(), node + "'s ephemeralOwner");
            }
            // Survivors: a container that never had a child, and an emptied plain persistent parent.
            c.create().withMode(CreateMode.CONTAINER).forPath("/never");
            c.create().creatingParentsIfNeeded().forPath("/plain/leaf");
            c.delete().forPath("/plain/leaf");

            c.delete().forPath("/svc/x/leaf");
            awaitGone(c, "/svc/x");
            for (String kept : List.of("/svc", "/svc/y", "/svc/y/leaf", "/never", "/plain")) {
                assertNotNull(c.checkExists().forPath(kept), kept + " must survive the reaper");
            }

            // Emptying /svc/y empties /svc in turn: both go.
            c.delete().forPath("/svc/y/leaf");
            awaitGone(c, "/svc/y");
            awaitGone(c, "/svc");
            assertNotNull(c.checkExists().forPath("/never"));
            assertNotNull(c.checkExists().forPath("/plain"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void childlessTtlNodesAreRemovedAfterTheirTtl(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind);
             CuratorFramework c = connect(target)) {
            c.create().withTtl(TTL_MS).creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT_WITH_TTL)
                    .forPath("/ttl/parent", "p".getBytes(UTF_8));
            c.create().forPath("/ttl/parent/child");
            // The create's own Stat: a short TTL may remove the node before a later read.
            Stat n = new Stat();
            c.create().withTtl(TTL_MS).storingStatIn(n).withMode(CreateMode.PERSISTENT_WITH_TTL)
                    .forPath("/ttl/n", "n".getBytes(UTF_8));
            Stat s = new Stat();
            String seq = c.create().withTtl(TTL_MS).storingStatIn(s).withMode(CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL)
                    .forPath("/ttl/s-", "s".getBytes(UTF_8));
            assertTrue(seq.matches("/ttl/s-\\d{10}"), seq);

            // As for containers, clients see 0 where the server keeps the TTL marker.
            assertEquals(0, n.getEphemeralOwner(), "/ttl/n's ephemeralOwner");
            assertEquals(0, s.getEphemeralOwner(), seq + "'s ephemeralOwner");
            assertEquals(1, n.getDataLength(), "the create's Stat describes the new node");
            for (String node : List.of("/ttl", "/ttl/parent")) {
                assertEquals(0, c.checkExists().forPath(node).getEphemeralOwner(), node + "'s ephemeralOwner");
            }

            awaitGone(c, "/ttl/n");
            awaitGone(c, seq);
            // /ttl/parent's TTL ran out before /ttl/n's, but it still has a child.
            assertNotNull(c.checkExists().forPath("/ttl/parent"), "a TTL node with a child stays");
            assertNotNull(c.checkExists().forPath("/ttl"));

            c.delete().forPath("/ttl/parent/child");
            awaitGone(c, "/ttl/parent");
            assertEquals(List.of(), c.getChildren().forPath("/ttl"));
        }
    }

    private static void awaitGone(CuratorFramework c, String path) throws Exception {
        await("for " + path + " to be removed", REAP_DEADLINE_MS, () -> c.checkExists().forPath(path) == null);
    }

    private static CuratorFramework connect(ZkTarget target) throws InterruptedException {
        return CuratorClients.connect(settingsWithEmptyData(target), target);
    }
}
