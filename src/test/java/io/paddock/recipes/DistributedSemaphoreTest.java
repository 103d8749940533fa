package io.paddock.recipes;

import io.paddock.client.PaddockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The semaphore against an in-JVM Paddock node with several clients. */
class DistributedSemaphoreTest {

    @TempDir
    static Path dataDir;
    static RecipeServer server;
    static final AtomicInteger paths = new AtomicInteger();
    static final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        server = RecipeServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
        server.close();
    }

    static String freshPath() {
        return "/semaphores/s-" + paths.incrementAndGet();
    }

    @Test
    void grantsMaxLeasesAndMakesTheNextWait() throws Exception {
        String path = freshPath();
        DistributedSemaphore a = new DistributedSemaphore(server.client(), path, 2);
        DistributedSemaphore b = new DistributedSemaphore(server.client(), path, 2);
        LockLease l1 = a.acquire();
        LockLease l2 = b.acquire();
        assertEquals(Optional.empty(), a.acquire(Duration.ofMillis(200)));
        assertEquals(2, a.queue().size(), "the timed-out contender's node is gone");
        b.release(l2);
        LockLease l3 = a.acquire(RecipeServer.DEADLINE).orElseThrow();
        assertTrue(l3.fencingToken() > l2.fencingToken());
        a.release(l1);
        a.release(l3);
        assertEquals(List.of(), a.queue());
    }

    @Test
    void releasingALeaseTwiceIsRefused() throws Exception {
        DistributedSemaphore s = new DistributedSemaphore(server.client(), freshPath(), 1);
        LockLease l = s.acquire();
        s.release(l);
        assertThrows(IllegalStateException.class, () -> s.release(l));
    }

    @Test
    void aLeaseEndsWithItsSession() throws Exception {
        String path = freshPath();
        PaddockClient short1 = server.client(Duration.ofSeconds(2));
        DistributedSemaphore holder = new DistributedSemaphore(short1, path, 1);
        DistributedSemaphore waiter = new DistributedSemaphore(server.client(), path, 1);
        holder.acquire();
        Future<LockLease> waiting = threads.submit(() -> waiter.acquire());
        RecipeServer.await("for the waiter to queue", RecipeServer.DEADLINE, () -> waiter.queue().size() == 2);
        short1.close();
        waiter.release(waiting.get(30, TimeUnit.SECONDS));
    }

    /** Many contenders in several sessions: never more than maxLeases inside at once. */
    @Test
    void neverMoreThanMaxLeasesHoldersUnderContention() throws Exception {
        String path = freshPath();
        int maxLeases = 3;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger serverOverfull = new AtomicInteger();
        Set<Long> tokens = ConcurrentHashMap.newKeySet();
        AtomicInteger grants = new AtomicInteger();
        List<Future<?>> all = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            PaddockClient client = server.client();
            DistributedSemaphore semaphore = new DistributedSemaphore(client, path, maxLeases);
            for (int t = 0; t < 2; t++) {
                all.add(threads.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        LockLease lease = semaphore.acquire();
                        int now = inside.incrementAndGet();
                        maxInside.accumulateAndGet(now, Math::max);
                        // The queue's first maxLeases are the holders: this lease must be one of them.
                        List<String> queue = semaphore.queue();
                        int at = queue.indexOf(SequentialNodes.nameOf(lease.path()));
                        if (at < 0 || at >= maxLeases) {
                            serverOverfull.incrementAndGet();
                        }
                        tokens.add(lease.fencingToken());
                        grants.incrementAndGet();
                        inside.decrementAndGet();
                        semaphore.release(lease);
                    }
                    return null;
                }));
            }
        }
        for (Future<?> f : all) {
            f.get(120, TimeUnit.SECONDS);
        }
        assertTrue(maxInside.get() <= maxLeases, "at most " + maxLeases + " inside, saw " + maxInside.get());
        assertEquals(0, serverOverfull.get(), "a holder was not among the first maxLeases of the queue");
        assertEquals(80, grants.get());
        assertEquals(80, tokens.size(), "every lease has its own fencing token");
    }

    /** A waiter watches only the maxLeases nodes before it, not the whole queue. */
    @Test
    void aWaiterWatchesOnlyTheMaxLeasesNodesBeforeIt() throws Exception {
        String path = freshPath();
        DistributedSemaphore holders = new DistributedSemaphore(server.client(), path, 2);
        LockLease h1 = holders.acquire();
        LockLease h2 = holders.acquire();
        List<PaddockClient> clients = new ArrayList<>();
        List<Future<?>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PaddockClient c = server.client();
            clients.add(c);
            DistributedSemaphore s = new DistributedSemaphore(c, path, 2);
            waiting.add(threads.submit(() -> {
                s.release(s.acquire());
                return null;
            }));
            int queued = 3 + i;
            RecipeServer.await("for waiter " + i + " to queue", RecipeServer.DEADLINE,
                    () -> holders.queue().size() == queued);
        }
        List<String> queue = holders.queue();
        RecipeServer.await("for every waiter to watch", RecipeServer.DEADLINE,
                () -> DistributedMutexTest.watchedBy(server, clients).stream().filter(w -> w.size() >= 2).count() == 3);
        List<SortedSet<String>> watched = DistributedMutexTest.watchedBy(server, clients);
        for (int i = 0; i < 3; i++) {
            assertEquals(new TreeSet<>(Set.of(path + "/" + queue.get(i), path + "/" + queue.get(i + 1))), watched.get(i),
                    "waiter " + i + " watches the two nodes before it");
        }
        holders.release(h1);
        holders.release(h2);
        for (Future<?> f : waiting) {
            f.get(30, TimeUnit.SECONDS);
        }
    }
}
