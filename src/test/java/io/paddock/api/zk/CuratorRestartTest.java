package io.paddock.api.zk;

import static io.paddock.api.zk.CuratorClients.await;
import static io.paddock.api.zk.CuratorClients.awaitState;
import static io.paddock.api.zk.CuratorClients.connectionStates;
import static io.paddock.api.zk.CuratorClients.next;
import static io.paddock.api.zk.CuratorClients.settingsWithEmptyData;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server restart shorter than the session timeout is only a lost connection: the sessions,
 * their ephemeral nodes and the watches come back. The ZooKeeper client re-sends its watches
 * (SetWatches) when it reconnects, so a waiter's watch on its predecessor still fires.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CuratorRestartTest {

    /** Sessions of 20 ticks (10 s): far longer than a restart takes. */
    private static final int TICK_MS = 500;
    private static final long DEADLINE_MS = 20_000;

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void sessionEphemeralsAndCacheOutliveAQuickServerRestart(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS);
             CuratorFramework owner = connect(target);
             CuratorFramework reader = connect(target)) {
            BlockingQueue<ConnectionState> ownerStates = connectionStates(owner);
            owner.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath("/app/e", "e".getBytes(UTF_8));
            long session = owner.getZookeeperClient().getZooKeeper().getSessionId();
            BlockingQueue<String> heard = new LinkedBlockingQueue<>();
            try (CuratorCache cache = CuratorCache.build(reader, "/app")) {
                cache.listenable().addListener(CuratorCacheListener.builder()
                        .forCreates(n -> heard.add("created " + n.getPath()))
                        .forChanges((before, after) -> heard.add("changed " + after.getPath()))
                        .forDeletes(n -> heard.add("deleted " + n.getPath()))
                        .forInitialized(() -> heard.add("initialized"))
                        .build());
                cache.start();
                assertEquals(List.of("created /app", "created /app/e", "initialized"), take(heard, 3));

                target.restart();
                awaitState(ownerStates, ConnectionState.RECONNECTED, DEADLINE_MS, ConnectionState.LOST);
                assertEquals(session, owner.getZookeeperClient().getZooKeeper().getSessionId(),
                        "the client got its session back");
                Stat e = reader.checkExists().forPath("/app/e");
                assertNotNull(e, "the session's ephemeral node survived the restart");
                assertEquals(session, e.getEphemeralOwner());

                owner.setData().forPath("/app/e", "e2".getBytes(UTF_8));
                owner.create().forPath("/app/f");
                assertEquals(List.of("changed /app/e", "created /app/f"), take(heard, 2));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void lockWaiterWakesAfterAServerRestartWhenTheHolderReleases(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS);
             CuratorFramework holderClient = connect(target);
             CuratorFramework waiterClient = connect(target)) {
            BlockingQueue<ConnectionState> holderStates = connectionStates(holderClient);
            BlockingQueue<ConnectionState> waiterStates = connectionStates(waiterClient);
            ExecutorService holderThread = Executors.newSingleThreadExecutor();
            ExecutorService waiterThread = Executors.newSingleThreadExecutor();
            try {
                InterProcessMutex holder = new InterProcessMutex(holderClient, "/locks/r");
                InterProcessMutex waiter = new InterProcessMutex(waiterClient, "/locks/r");
                assertTrue(holderThread.submit(() -> holder.acquire(DEADLINE_MS, TimeUnit.MILLISECONDS))
                        .get(DEADLINE_MS, TimeUnit.MILLISECONDS));
                Future<Boolean> acquired = waiterThread.submit(
                        () -> waiter.acquire(DEADLINE_MS, TimeUnit.MILLISECONDS));
                await("for the waiter to queue", DEADLINE_MS, () -> waiter.getParticipantNodes().size() >= 2);

                target.restart();
                awaitState(holderStates, ConnectionState.RECONNECTED, DEADLINE_MS, ConnectionState.LOST);
                awaitState(waiterStates, ConnectionState.RECONNECTED, DEADLINE_MS, ConnectionState.LOST);
                assertEquals(2, waiter.getParticipantNodes().size(), "both lock nodes survived");
                assertFalse(acquired.isDone(), "the waiter took the lock while the holder held it");

                // The waiter's watch on the holder's node (re-sent by the client on reconnect) wakes it.
                holderThread.submit(() -> {
                    holder.release();
                    return null;
                }).get(DEADLINE_MS, TimeUnit.MILLISECONDS);
                assertTrue(acquired.get(DEADLINE_MS, TimeUnit.MILLISECONDS), "the waiter takes the lock");
            } finally {
                holderThread.shutdownNow();
                waiterThread.shutdownNow();
            }
        }
    }

    private static List<String> take(BlockingQueue<String> heard, int n) throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            got.add(next(heard, DEADLINE_MS, "heard only " + got));
        }
        return got;
    }

    private static CuratorFramework connect(ZkTarget target) throws InterruptedException {
        // Enough retries to ride out a restart (the server is away for a second or two).
        return CuratorClients.connect(settingsWithEmptyData(target).retryPolicy(new RetryNTimes(20, 200)), target);
    }
}
