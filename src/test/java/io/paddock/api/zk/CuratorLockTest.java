package io.paddock.api.zk;

import static io.paddock.api.zk.CuratorClients.await;
import static io.paddock.api.zk.CuratorClients.closeAll;
import static io.paddock.api.zk.CuratorClients.connect;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Curator's InterProcessMutex (the seed's §5.2 case) against Paddock and, side by side, against
 * Apache ZooKeeper: every contender is its own CuratorFramework, so its own session, and the lock
 * is nothing but EPHEMERAL_SEQUENTIAL nodes and watches on the predecessor.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CuratorLockTest {

    /** Sessions of up to 20 ticks (10 s): long enough that a busy machine does not expire them. */
    private static final int TICK_MS = 500;

    private static final long DEADLINE_MS = 20_000;

    /**
     * The seed's CuratorLockTest, finished: two clients on "/locks", each thread acquires twice,
     * holds, releases twice. The first holder keeps the lock until the other contender's node is
     * queued behind it (instead of the seed's sleep), so the two really contend.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void seedCaseReentrantHoldersNeverInterleave(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS);
             CuratorFramework c1 = connect(target);
             CuratorFramework c2 = connect(target)) {
            InterProcessMutex lock1 = new InterProcessMutex(c1, "/locks");
            InterProcessMutex lock2 = new InterProcessMutex(c2, "/locks");
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            AtomicReference<String> firstHolder = new AtomicReference<>();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<?> t1 = pool.submit(() -> reentrantRound("1", lock1, c1, log, firstHolder));
                Future<?> t2 = pool.submit(() -> reentrantRound("2", lock2, c2, log, firstHolder));
                t1.get(DEADLINE_MS * 2, TimeUnit.MILLISECONDS);
                t2.get(DEADLINE_MS * 2, TimeUnit.MILLISECONDS);
            } finally {
                pool.shutdownNow();
            }
            String a = firstHolder.get();
            String b = a.equals("1") ? "2" : "1";
            assertEquals(List.of(
                    a + " acquired", a + " acquired again", a + " released", a + " releases again",
                    b + " acquired", b + " acquired again", b + " released", b + " releases again"), log);
            assertEquals(List.of(), lockNodes(c1, "/locks"), "every lock node is gone");
        }
    }

    private static Void reentrantRound(String name, InterProcessMutex lock, CuratorFramework client, List<String> log,
                                       AtomicReference<String> firstHolder) throws Exception {
        assertTrue(lock.acquire(DEADLINE_MS, TimeUnit.MILLISECONDS), name + " acquires");
        log.add(name + " acquired");
        // While held, the holder's node sorts first among the participants.
        String node = lock.getParticipantNodes().iterator().next();
        assertTrue(lock.acquire(DEADLINE_MS, TimeUnit.MILLISECONDS), name + " acquires again");
        log.add(name + " acquired again");
        assertTrue(lock.isOwnedByCurrentThread());
        if (firstHolder.compareAndSet(null, name)) {
            // Hold until the other contender waits behind us, so re-entrancy is checked under contention.
            await("until the other contender queues behind " + name, DEADLINE_MS,
                    () -> participants(lock) == 2);
        }
        // Re-entrant acquisition made no second node of ours.
        assertEquals(node, lock.getParticipantNodes().iterator().next());
        lock.release();
        log.add(name + " released");
        assertTrue(lock.isOwnedByCurrentThread(), "one release of two keeps the lock");
        assertNotNull(client.checkExists().forPath(node), "the lock node outlives the first release");
        // Logged before the call: once the node is gone the other contender may log its acquire.
        log.add(name + " releases again");
        lock.release();
        assertFalse(lock.isOwnedByCurrentThread());
        assertNull(client.checkExists().forPath(node), "the second release deletes the lock node");
        return null;
    }

    /**
     * Several clients, each in its own thread, increment a counter znode by read-modify-write
     * under the lock: the critical sections never overlap (enter/exit strictly alternate) and no
     * increment is lost.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void mutexExcludesContendersAndLosesNoUpdate(ZkTarget.Kind kind) throws Exception {
        int contenders = 5;
        int rounds = 20;
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS)) {
            List<CuratorFramework> clients = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(contenders);
            try {
                for (int i = 0; i < contenders; i++) {
                    clients.add(connect(target));
                }
                clients.get(0).create().forPath("/counter", "0".getBytes(UTF_8));
                List<String> log = Collections.synchronizedList(new ArrayList<>());
                AtomicInteger inside = new AtomicInteger();
                AtomicInteger overlaps = new AtomicInteger();
                CountDownLatch startGate = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < contenders; i++) {
                    String name = "c" + i;
                    CuratorFramework client = clients.get(i);
                    InterProcessMutex lock = new InterProcessMutex(client, "/locks/counter");
                    done.add(pool.submit(() -> {
                        startGate.await();
                        for (int r = 0; r < rounds; r++) {
                            assertTrue(lock.acquire(DEADLINE_MS, TimeUnit.MILLISECONDS), name + " acquires");
                            try {
                                if (inside.incrementAndGet() != 1) {
                                    overlaps.incrementAndGet();
                                }
                                log.add("enter " + name);
                                long value = Long.parseLong(new String(client.getData().forPath("/counter"), UTF_8));
                                // Unversioned write: only the lock keeps this read-modify-write safe.
                                client.setData().forPath("/counter", Long.toString(value + 1).getBytes(UTF_8));
                                log.add("exit " + name);
                                inside.decrementAndGet();
                            } finally {
                                lock.release();
                            }
                        }
                        return null;
                    }));
                }
                startGate.countDown();
                for (Future<?> f : done) {
                    f.get(DEADLINE_MS * 4, TimeUnit.MILLISECONDS);
                }
                assertEquals(0, overlaps.get(), "critical sections overlapped");
                assertEquals(2 * contenders * rounds, log.size());
                for (int i = 0; i < log.size(); i += 2) {
                    String enter = log.get(i);
                    String exit = log.get(i + 1);
                    assertTrue(enter.startsWith("enter ") && exit.equals("exit " + enter.substring(6)),
                            "enter/exit interleaved at " + i + ": " + enter + ", " + exit);
                }
                long total = Long.parseLong(new String(clients.get(0).getData().forPath("/counter"), UTF_8));
                assertEquals((long) contenders * rounds, total, "lost updates");
                assertEquals(List.of(), lockNodes(clients.get(0), "/locks/counter"));
            } finally {
                pool.shutdownNow();
                closeAll(clients);
            }
        }
    }

    /**
     * A holder whose client closes without releasing loses the lock with its session: its
     * ephemeral node goes, and the contender watching it takes the lock.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void lockPassesOnWhenTheHoldersSessionCloses(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS);
             CuratorFramework waiterClient = connect(target)) {
            CuratorFramework holderClient = connect(target);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                InterProcessMutex holder = new InterProcessMutex(holderClient, "/locks/l");
                InterProcessMutex waiter = new InterProcessMutex(waiterClient, "/locks/l");
                assertTrue(holder.acquire(DEADLINE_MS, TimeUnit.MILLISECONDS));
                String holderNode = holder.getParticipantNodes().iterator().next();
                Future<Boolean> acquired = pool.submit(() -> waiter.acquire(DEADLINE_MS, TimeUnit.MILLISECONDS));
                await("until the waiter queues behind the holder", DEADLINE_MS, () -> participants(waiter) == 2);
                assertFalse(acquired.isDone(), "the waiter must not hold the lock while the holder does");
                holderClient.close();
                assertTrue(acquired.get(DEADLINE_MS, TimeUnit.MILLISECONDS), "the waiter takes the lock");
                assertNull(waiterClient.checkExists().forPath(holderNode), "the closed session's node is gone");
                List<String> nodes = new ArrayList<>(waiter.getParticipantNodes());
                assertEquals(1, nodes.size());
                assertNotEquals(holderNode, nodes.get(0));
            } finally {
                pool.shutdownNow();
                holderClient.close();
            }
        }
    }

    /**
     * The lock's nodes. Curator makes a lock's parent a container, so once the last node goes the
     * server may reap the parent too: no parent means no lock node.
     */
    private static List<String> lockNodes(CuratorFramework client, String lockPath) throws Exception {
        try {
            return client.getChildren().forPath(lockPath);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    private static int participants(InterProcessMutex lock) {
        try {
            return lock.getParticipantNodes().size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
