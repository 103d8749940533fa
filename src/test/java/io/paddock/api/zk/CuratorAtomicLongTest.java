package io.paddock.api.zk;

import static io.paddock.api.zk.CuratorClients.closeAll;
import static io.paddock.api.zk.CuratorClients.connect;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.atomic.AtomicValue;
import org.apache.curator.framework.recipes.atomic.DistributedAtomicLong;
import org.apache.curator.framework.recipes.atomic.PromotedToLock;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * DistributedAtomicLong: an optimistic read, then setData with the version read (or a create for
 * the first value); a BadVersion or NodeExists answer means someone else won, so try again.
 * Increments from several clients at once must add up exactly.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CuratorAtomicLongTest {

    /** Sessions of up to 20 ticks (10 s): long enough that a busy machine does not expire them. */
    private static final int TICK_MS = 500;

    private static final long DEADLINE_MS = 60_000;
    private static final int CLIENTS = 4;
    private static final int INCREMENTS = 25;

    /** The mechanism the counter relies on: a write at a stale version is refused. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void staleVersionedSetDataIsRefused(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS);
             CuratorFramework a = connect(target);
             CuratorFramework b = connect(target)) {
            a.create().forPath("/v", "0".getBytes(UTF_8));
            Stat read = new Stat();
            a.getData().storingStatIn(read).forPath("/v");
            Stat written = b.setData().withVersion(read.getVersion()).forPath("/v", "b".getBytes(UTF_8));
            assertEquals(read.getVersion() + 1, written.getVersion());
            assertThrows(KeeperException.BadVersionException.class,
                    () -> a.setData().withVersion(read.getVersion()).forPath("/v", "a".getBytes(UTF_8)));
            assertArrayEquals("b".getBytes(UTF_8), a.getData().forPath("/v"), "the refused write left no trace");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void concurrentIncrementsFromSeveralClientsAddUpExactly(ZkTarget.Kind kind) throws Exception {
        // Many quick optimistic retries: contention is expected, giving up is not.
        runIncrements(kind, client -> new DistributedAtomicLong(client, "/counters/hits", new RetryNTimes(10_000, 1)));
    }

    /** With one optimistic try, a loser takes Curator's lock (an InterProcessMutex) and retries under it. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void incrementsPromotedToALockAlsoAddUpExactly(ZkTarget.Kind kind) throws Exception {
        runIncrements(kind, client -> new DistributedAtomicLong(client, "/counters/hits", new RetryNTimes(0, 0),
                PromotedToLock.builder()
                        .lockPath("/counters/hits-lock")
                        .timeout(DEADLINE_MS, TimeUnit.MILLISECONDS)
                        .retryPolicy(new RetryNTimes(10_000, 1))
                        .build()));
    }

    private static void runIncrements(ZkTarget.Kind kind, Function<CuratorFramework, DistributedAtomicLong> counterOf)
            throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS)) {
            List<CuratorFramework> clients = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(connect(target));
                }
                CountDownLatch startGate = new CountDownLatch(1);
                List<Future<List<Long>>> results = new ArrayList<>();
                for (CuratorFramework client : clients) {
                    DistributedAtomicLong counter = counterOf.apply(client);
                    results.add(pool.submit(() -> {
                        startGate.await();
                        List<Long> seen = new ArrayList<>();
                        for (int i = 0; i < INCREMENTS; i++) {
                            AtomicValue<Long> v = counter.increment();
                            assertTrue(v.succeeded(), "an increment gave up");
                            assertEquals(v.preValue() + 1, (long) v.postValue());
                            seen.add(v.postValue());
                        }
                        return seen;
                    }));
                }
                startGate.countDown();
                Set<Long> postValues = new TreeSet<>();
                int total = 0;
                for (Future<List<Long>> f : results) {
                    List<Long> seen = f.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
                    total += seen.size();
                    postValues.addAll(seen);
                }
                long n = (long) CLIENTS * INCREMENTS;
                assertEquals(n, total);
                // Every increment saw a distinct result: no two read the same value and both wrote.
                assertEquals(LongStream.rangeClosed(1, n).boxed().collect(Collectors.toCollection(TreeSet::new)),
                        postValues);
                AtomicValue<Long> end = counterOf.apply(clients.get(0)).get();
                assertTrue(end.succeeded());
                assertEquals(n, (long) end.postValue());
            } finally {
                pool.shutdownNow();
                closeAll(clients);
            }
        }
    }
}
