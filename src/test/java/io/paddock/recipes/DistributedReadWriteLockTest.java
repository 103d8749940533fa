package io.paddock.recipes;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read-write lock against an in-JVM Paddock node, one client (session) per contender. */
class DistributedReadWriteLockTest {

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
        return "/locks/rw-" + paths.incrementAndGet();
    }

    @Test
    void readersShareTheLock() throws Exception {
        String path = freshPath();
        DistributedReadWriteLock a = new DistributedReadWriteLock(server.client(), path);
        DistributedReadWriteLock b = new DistributedReadWriteLock(server.client(), path);
        DistributedReadWriteLock c = new DistributedReadWriteLock(server.client(), path);
        assertTrue(a.readLock().acquire(RecipeServer.DEADLINE));
        assertTrue(b.readLock().acquire(RecipeServer.DEADLINE));
        assertTrue(c.readLock().acquire(Duration.ZERO), "a third reader gets in at once too");
        assertEquals(3, a.readLock().queue().size());
        a.readLock().release();
        b.readLock().release();
        c.readLock().release();
    }

    @Test
    void aWriterWaitsForEveryReaderAndExcludesThem() throws Exception {
        String path = freshPath();
        DistributedReadWriteLock r1 = new DistributedReadWriteLock(server.client(), path);
        DistributedReadWriteLock r2 = new DistributedReadWriteLock(server.client(), path);
        DistributedReadWriteLock w = new DistributedReadWriteLock(server.client(), path);
        r1.readLock().acquire();
        r2.readLock().acquire();
        assertFalse(w.writeLock().acquire(Duration.ofMillis(200)), "readers hold it");
        r1.readLock().release();
        assertFalse(w.writeLock().acquire(Duration.ofMillis(200)), "one reader still holds it");
        r2.readLock().release();
        LockLease writeLease = w.writeLock().acquire();
        assertFalse(r1.readLock().acquire(Duration.ofMillis(200)), "the writer excludes readers");
        assertFalse(r2.writeLock().acquire(Duration.ofMillis(200)), "the writer excludes writers");
        w.writeLock().release();
        LockLease readLease = r1.readLock().acquire();
        assertTrue(readLease.fencingToken() > writeLease.fencingToken());
        r1.readLock().release();
    }

    @Test
    void aQueuedWriterHoldsBackLaterReaders() throws Exception {
        String path = freshPath();
        DistributedReadWriteLock r1 = new DistributedReadWriteLock(server.client(), path);
        DistributedReadWriteLock w = new DistributedReadWriteLock(server.client(), path);
        DistributedReadWriteLock r2 = new DistributedReadWriteLock(server.client(), path);
        r1.readLock().acquire();
        Future<LockLease> writer = threads.submit(() -> {
            LockLease l = w.writeLock().acquire();
            w.writeLock().release();
            return l;
        });
        RecipeServer.await("for the writer to queue", RecipeServer.DEADLINE, () -> r1.readLock().queue().size() == 2);
        assertFalse(r2.readLock().acquire(Duration.ofMillis(200)), "a reader behind a waiting writer waits");
        r1.readLock().release();
        writer.get(30, TimeUnit.SECONDS);
        assertTrue(r2.readLock().acquire(RecipeServer.DEADLINE));
        r2.readLock().release();
    }

    @Test
    void theWriterMayAlsoTakeTheReadLock() throws Exception {
        String path = freshPath();
        DistributedReadWriteLock rw = new DistributedReadWriteLock(server.client(), path);
        DistributedReadWriteLock other = new DistributedReadWriteLock(server.client(), path);
        rw.writeLock().acquire();
        assertTrue(rw.readLock().acquire(Duration.ofMillis(500)), "downgrade: read under one's own write lock");
        rw.writeLock().release();
        assertTrue(other.readLock().acquire(RecipeServer.DEADLINE), "after the downgrade readers share");
        DistributedReadWriteLock third = new DistributedReadWriteLock(server.client(), path);
        assertFalse(third.writeLock().acquire(Duration.ofMillis(100)), "readers still hold it");
        other.readLock().release();
        rw.readLock().release();
    }

    @Test
    void upgradingFromReadToWriteIsRefused() throws Exception {
        DistributedReadWriteLock rw = new DistributedReadWriteLock(server.client(), freshPath());
        rw.readLock().acquire();
        assertThrows(IllegalStateException.class, () -> rw.writeLock().acquire());
        rw.readLock().release();
        assertTrue(rw.writeLock().acquire(RecipeServer.DEADLINE));
        rw.writeLock().release();
    }

    /**
     * Readers and writers in several sessions: while a writer is inside no one else is, and readers
     * are seen inside together.
     */
    @Test
    void underContentionWritersAreAloneAndReadersOverlap() throws Exception {
        String path = freshPath();
        AtomicInteger readers = new AtomicInteger();
        AtomicInteger writers = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger maxReaders = new AtomicInteger();
        int readerThreads = 4;
        CountDownLatch allReadersIn = new CountDownLatch(readerThreads);
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < readerThreads + 2; t++) {
            boolean writer = t >= readerThreads;
            DistributedReadWriteLock lock = new DistributedReadWriteLock(server.client(), path);
            all.add(threads.submit(() -> {
                if (writer) {
                    // Writers join once the readers have shown they share (or a writer queued among
                    // them would hold back the readers the first ones wait for).
                    assertTrue(allReadersIn.await(30, TimeUnit.SECONDS), "readers could not all get in");
                }
                for (int i = 0; i < 8; i++) {
                    DistributedMutex side = writer ? lock.writeLock() : lock.readLock();
                    side.acquire();
                    if (writer) {
                        if (writers.incrementAndGet() != 1 || readers.get() != 0) {
                            violations.incrementAndGet();
                        }
                        side.queue();
                        writers.decrementAndGet();
                    } else {
                        int now = readers.incrementAndGet();
                        maxReaders.accumulateAndGet(now, Math::max);
                        if (writers.get() != 0) {
                            violations.incrementAndGet();
                        }
                        if (i == 0) {
                            // The first round, every reader waits inside for the others: they must share.
                            allReadersIn.countDown();
                            assertTrue(allReadersIn.await(30, TimeUnit.SECONDS), "readers could not all get in");
                        }
                        readers.decrementAndGet();
                    }
                    side.release();
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get(120, TimeUnit.SECONDS);
        }
        assertEquals(0, violations.get());
        assertEquals(readerThreads, maxReaders.get());
    }
}
