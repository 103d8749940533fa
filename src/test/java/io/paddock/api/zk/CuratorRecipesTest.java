package io.paddock.api.zk;

import static io.paddock.api.zk.CuratorClients.await;
import static io.paddock.api.zk.CuratorClients.closeAll;
import static io.paddock.api.zk.CuratorClients.settingsWithEmptyData;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.api.transaction.OperationType;
import org.apache.curator.framework.recipes.barriers.DistributedDoubleBarrier;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.framework.recipes.locks.Lease;
import org.apache.curator.framework.recipes.shared.SharedCount;
import org.apache.curator.framework.recipes.shared.SharedCountListener;
import org.apache.curator.framework.recipes.shared.SharedCountReader;
import org.apache.curator.framework.recipes.shared.VersionedValue;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * More of Curator's recipes, each its own use of the server: a read-write lock and a semaphore
 * (sequential ephemeral nodes of two kinds under one parent), a double barrier (ephemeral
 * members and a "ready" node with exists watches), a shared count (versioned setData plus a
 * data watch), and transactions (multi: all or nothing, with ZooKeeper's per-op results).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CuratorRecipesTest {

    /** Sessions of up to 20 ticks (10 s): long enough that a busy machine does not expire them. */
    private static final int TICK_MS = 500;
    private static final long DEADLINE_MS = 20_000;

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void readersShareTheReadWriteLockAndAWriterWaitsForThemAll(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS);
             CuratorFramework r1 = connect(target);
             CuratorFramework r2 = connect(target);
             CuratorFramework w = connect(target)) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                InterProcessReadWriteLock lock1 = new InterProcessReadWriteLock(r1, "/rw");
                InterProcessReadWriteLock lock2 = new InterProcessReadWriteLock(r2, "/rw");
                InterProcessReadWriteLock writer = new InterProcessReadWriteLock(w, "/rw");
                assertTrue(lock1.readLock().acquire(DEADLINE_MS, TimeUnit.MILLISECONDS));
                assertTrue(lock2.readLock().acquire(DEADLINE_MS, TimeUnit.MILLISECONDS), "readers share");

                Future<Boolean> written = pool.submit(
                        () -> writer.writeLock().acquire(DEADLINE_MS, TimeUnit.MILLISECONDS));
                await("until the writer queues behind the readers", DEADLINE_MS, () -> children(w, "/rw").size() == 3);
                lock1.readLock().release();
                // Still one reader: the writer's node exists, but the writer must not hold the lock.
                await("until the first reader's node goes", DEADLINE_MS, () -> children(w, "/rw").size() == 2);
                assertFalse(written.isDone(), "a writer acquired while a reader held the lock");
                lock2.readLock().release();
                assertTrue(written.get(DEADLINE_MS, TimeUnit.MILLISECONDS), "the writer acquires once readers leave");

                // And now a reader waits for the writer.
                assertFalse(lock1.readLock().acquire(200, TimeUnit.MILLISECONDS), "a reader acquired under a writer");
                // Curator's locks belong to the thread that took them: release on the writer's thread.
                pool.submit(() -> {
                    writer.writeLock().release();
                    return null;
                }).get(DEADLINE_MS, TimeUnit.MILLISECONDS);
                assertTrue(lock1.readLock().acquire(DEADLINE_MS, TimeUnit.MILLISECONDS));
                lock1.readLock().release();
                assertEquals(List.of(), children(w, "/rw"));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void semaphoreGrantsNoMoreThanItsLeases(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS);
             CuratorFramework a = connect(target);
             CuratorFramework b = connect(target);
             CuratorFramework c = connect(target)) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                InterProcessSemaphoreV2 semA = new InterProcessSemaphoreV2(a, "/sem", 2);
                InterProcessSemaphoreV2 semB = new InterProcessSemaphoreV2(b, "/sem", 2);
                InterProcessSemaphoreV2 semC = new InterProcessSemaphoreV2(c, "/sem", 2);
                Lease leaseA = semA.acquire(DEADLINE_MS, TimeUnit.MILLISECONDS);
                Lease leaseB = semB.acquire(DEADLINE_MS, TimeUnit.MILLISECONDS);
                assertNotNull(leaseA);
                assertNotNull(leaseB);
                Future<Lease> third = pool.submit(() -> semC.acquire(DEADLINE_MS, TimeUnit.MILLISECONDS));
                await("until the third contender queues", DEADLINE_MS, () -> participants(semC) == 3);
                assertFalse(third.isDone(), "a third lease was granted out of two");
                semA.returnLease(leaseA);
                Lease leaseC = third.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
                assertNotNull(leaseC, "a returned lease goes to the waiter");
                assertEquals(2, participants(semA));
                semB.returnLease(leaseB);
                semC.returnLease(leaseC);
                assertEquals(0, participants(semA));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void doubleBarrierLetsNoOneInUntilAllHaveArrived(ZkTarget.Kind kind) throws Exception {
        int members = 3;
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS)) {
            List<CuratorFramework> clients = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(members);
            try {
                for (int i = 0; i < members; i++) {
                    clients.add(connect(target));
                }
                CuratorFramework probe = clients.get(0);
                List<Future<Boolean>> entered = new ArrayList<>();
                for (int i = 0; i < members - 1; i++) {
                    DistributedDoubleBarrier barrier = new DistributedDoubleBarrier(clients.get(i), "/barrier", members);
                    entered.add(pool.submit(() -> barrier.enter(DEADLINE_MS, TimeUnit.MILLISECONDS)));
                }
                await("until two members wait at the barrier", DEADLINE_MS, () -> members(probe) == members - 1);
                for (Future<Boolean> f : entered) {
                    assertFalse(f.isDone(), "a member passed the barrier before all arrived");
                }
                DistributedDoubleBarrier last = new DistributedDoubleBarrier(clients.get(members - 1), "/barrier", members);
                entered.add(pool.submit(() -> last.enter(DEADLINE_MS, TimeUnit.MILLISECONDS)));
                for (Future<Boolean> f : entered) {
                    assertTrue(f.get(DEADLINE_MS, TimeUnit.MILLISECONDS), "every member passes once all arrived");
                }
                assertNotNull(probe.checkExists().forPath("/barrier/ready"));
            } finally {
                pool.shutdownNow();
                closeAll(clients);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void sharedCountIsSeenByOthersAndRefusesStaleWrites(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS);
             CuratorFramework a = connect(target);
             CuratorFramework b = connect(target);
             SharedCount countA = new SharedCount(a, "/count", 0);
             SharedCount countB = new SharedCount(b, "/count", 0)) {
            BlockingQueue<Integer> heardByB = new LinkedBlockingQueue<>();
            countB.addListener(new SharedCountListener() {
                @Override
                public void countHasChanged(SharedCountReader reader, int newCount) {
                    heardByB.add(newCount);
                }

                @Override
                public void stateChanged(CuratorFramework client, ConnectionState newState) {
                }
            });
            countA.start();
            countB.start();
            VersionedValue<Integer> seenByB = countB.getVersionedValue();
            assertEquals(0, (int) seenByB.getValue());

            assertTrue(countA.trySetCount(countA.getVersionedValue(), 5));
            assertEquals(5, (int) heardByB.poll(DEADLINE_MS, TimeUnit.MILLISECONDS), "B hears A's change");
            assertFalse(countB.trySetCount(seenByB, 7), "a write at a stale version is refused");
            assertEquals(5, (int) countB.getVersionedValue().getValue());
            assertTrue(countB.trySetCount(countB.getVersionedValue(), 7));
            await("until A sees B's write", DEADLINE_MS, () -> countA.getCount() == 7);
            assertEquals(7, (int) heardByB.poll(DEADLINE_MS, TimeUnit.MILLISECONDS));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void transactionAppliesAllOrNothing(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS);
             CuratorFramework c = connect(target)) {
            c.create().forPath("/t", "0".getBytes(UTF_8));
            KeeperException failed = assertThrows(KeeperException.class, () -> c.transaction().forOperations(
                    c.transactionOp().create().forPath("/t/a", "a".getBytes(UTF_8)),
                    c.transactionOp().setData().withVersion(7).forPath("/t", "x".getBytes(UTF_8)),
                    c.transactionOp().create().forPath("/t/b")));
            assertEquals(KeeperException.Code.BADVERSION, failed.code());
            // ZooKeeper reports each op: OK before the failure (rolled back), the failure, then
            // RUNTIMEINCONSISTENCY for the ops never tried.
            List<Integer> codes = new ArrayList<>();
            for (OpResult r : failed.getResults()) {
                codes.add(((OpResult.ErrorResult) r).getErr());
            }
            assertEquals(List.of(KeeperException.Code.OK.intValue(), KeeperException.Code.BADVERSION.intValue(),
                    KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()), codes);
            assertNull(c.checkExists().forPath("/t/a"), "the failed transaction left no trace");
            assertArrayEquals("0".getBytes(UTF_8), c.getData().forPath("/t"));

            List<CuratorTransactionResult> results = c.transaction().forOperations(
                    c.transactionOp().create().forPath("/t/a", "a".getBytes(UTF_8)),
                    c.transactionOp().create().withMode(CreateMode.PERSISTENT_SEQUENTIAL).forPath("/t/s-"),
                    c.transactionOp().setData().withVersion(0).forPath("/t", "1".getBytes(UTF_8)),
                    c.transactionOp().check().withVersion(1).forPath("/t"),
                    c.transactionOp().delete().forPath("/t/a"));
            assertEquals(List.of(OperationType.CREATE, OperationType.CREATE, OperationType.SET_DATA,
                    OperationType.CHECK, OperationType.DELETE), results.stream().map(CuratorTransactionResult::getType).toList());
            assertEquals("/t/a", results.get(0).getResultPath());
            assertEquals("/t/s-0000000001", results.get(1).getResultPath(), "the suffix is the parent's cversion: only /t/a's create came before");
            assertEquals(1, results.get(2).getResultStat().getVersion());
            assertEquals(List.of("s-0000000001"), c.getChildren().forPath("/t"));
            assertArrayEquals("1".getBytes(UTF_8), c.getData().forPath("/t"));
        }
    }

    /** A lock's nodes; none when its parent (a container) is gone, as the server may reap it. */
    private static List<String> children(CuratorFramework c, String path) {
        try {
            return c.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int participants(InterProcessSemaphoreV2 semaphore) {
        try {
            return semaphore.getParticipantNodes().size();
        } catch (KeeperException.NoNodeException e) {
            return 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Members waiting at the barrier: its children other than the "ready" marker. */
    private static int members(CuratorFramework c) {
        try {
            if (c.checkExists().forPath("/barrier") == null) {
                return 0;
            }
            return (int) c.getChildren().forPath("/barrier").stream().filter(n -> !n.equals("ready")).count();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CuratorFramework connect(ZkTarget target) throws InterruptedException {
        return CuratorClients.connect(settingsWithEmptyData(target), target);
    }
}
