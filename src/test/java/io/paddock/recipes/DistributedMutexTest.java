package io.paddock.recipes;

import io.paddock.client.Children;
import io.paddock.client.ConnectionState;
import io.paddock.client.CreateOptions;
import io.paddock.client.Created;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.Watcher;
import io.paddock.tree.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The mutex against an in-JVM Paddock node, several clients (each its own session). */
class DistributedMutexTest {

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
        return "/locks/mutex-" + paths.incrementAndGet();
    }

    @Test
    void secondContenderWaitsUntilTheHolderReleases() throws Exception {
        String path = freshPath();
        DistributedMutex a = new DistributedMutex(server.client(), path);
        DistributedMutex b = new DistributedMutex(server.client(), path);
        a.acquire();
        assertFalse(b.acquire(Duration.ofMillis(200)));
        Future<LockLease> waiting = threads.submit(() -> b.acquire());
        RecipeServer.await("for b to queue", RecipeServer.DEADLINE, () -> a.queue().size() == 2);
        assertFalse(waiting.isDone());
        a.release();
        LockLease lease = waiting.get(30, TimeUnit.SECONDS);
        assertTrue(lease.path().startsWith(path + "/_c_"));
    }

    @Test
    void fencingTokensGrowWithEachHolderAndAreTheNodesCzxid() throws Exception {
        String path = freshPath();
        PaddockClient client = server.client();
        List<DistributedMutex> mutexes = List.of(new DistributedMutex(client, path),
                new DistributedMutex(server.client(), path), new DistributedMutex(server.client(), path));
        long last = -1;
        for (int round = 0; round < 3; round++) {
            for (DistributedMutex m : mutexes) {
                LockLease lease = m.acquire();
                assertEquals(client.exists(lease.path()).orElseThrow().czxid(), lease.fencingToken());
                assertTrue(lease.fencingToken() > last, lease.fencingTokenHex() + " after 0x" + Long.toHexString(last));
                last = lease.fencingToken();
                m.release();
            }
        }
    }

    @Test
    void reentrantHoldIsReleasedOnlyByTheLastRelease() throws Exception {
        String path = freshPath();
        DistributedMutex a = new DistributedMutex(server.client(), path);
        DistributedMutex b = new DistributedMutex(server.client(), path);
        LockLease first = a.acquire();
        LockLease second = a.acquire();
        assertEquals(first, second);
        assertEquals(2, a.holdCount());
        assertEquals(1, a.queue().size(), "re-entry queues no second node");
        a.release();
        assertTrue(a.isHeldByCurrentThread());
        assertFalse(b.acquire(Duration.ofMillis(300)), "one release of two must not free the lock");
        a.release();
        assertFalse(a.isHeldByCurrentThread());
        assertTrue(b.acquire(RecipeServer.DEADLINE));
        b.release();
    }

    @Test
    void releaseByAThreadThatDoesNotHoldItIsIllegal() throws Exception {
        DistributedMutex m = new DistributedMutex(server.client(), freshPath());
        assertThrows(IllegalMonitorStateException.class, m::release);
        m.acquire();
        Future<?> other = threads.submit(() -> {
            m.release();
            return null;
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> other.get(30, TimeUnit.SECONDS));
        assertInstanceOf(IllegalMonitorStateException.class, e.getCause());
        assertTrue(m.isHeldByCurrentThread());
        m.release();
    }

    @Test
    void timedOutContenderRemovesItsNode() throws Exception {
        String path = freshPath();
        DistributedMutex a = new DistributedMutex(server.client(), path);
        DistributedMutex b = new DistributedMutex(server.client(), path);
        a.acquire();
        assertFalse(b.acquire(Duration.ofMillis(100)));
        assertFalse(b.acquire(Duration.ZERO));
        assertEquals(1, a.queue().size());
        a.release();
    }

    @Test
    void interruptedContenderRemovesItsNode() throws Exception {
        String path = freshPath();
        DistributedMutex a = new DistributedMutex(server.client(), path);
        DistributedMutex b = new DistributedMutex(server.client(), path);
        a.acquire();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                b.acquire();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        waiter.start();
        RecipeServer.await("for b to queue", RecipeServer.DEADLINE, () -> a.queue().size() == 2);
        waiter.interrupt();
        assertInstanceOf(InterruptedException.class, outcome.get(30, TimeUnit.SECONDS));
        RecipeServer.await("for b's node to go", RecipeServer.DEADLINE, () -> a.queue().size() == 1);
        a.release();
    }

    @Test
    void eachWaiterWatchesOnlyItsPredecessor() throws Exception {
        String path = freshPath();
        DistributedMutex holder = new DistributedMutex(server.client(), path);
        holder.acquire();
        List<PaddockClient> clients = new ArrayList<>();
        List<Future<LockLease>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PaddockClient c = server.client();
            clients.add(c);
            DistributedMutex m = new DistributedMutex(c, path);
            waiting.add(threads.submit(() -> {
                LockLease l = m.acquire();
                m.release();
                return l;
            }));
            int queued = i + 2;
            RecipeServer.await("for waiter " + i + " to queue", RecipeServer.DEADLINE, () -> holder.queue().size() == queued);
        }
        List<String> queue = holder.queue();
        RecipeServer.await("for every waiter to watch", RecipeServer.DEADLINE, () -> watchedBy(server, clients).size() == 3);
        List<SortedSet<String>> watched = watchedBy(server, clients);
        for (int i = 0; i < 3; i++) {
            assertEquals(new TreeSet<>(Set.of(path + "/" + queue.get(i))), watched.get(i),
                    "waiter " + i + " watches exactly its predecessor");
        }
        holder.release();
        for (Future<LockLease> f : waiting) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    /** The paths each client's session watches on the server, for the clients that watch any. */
    static List<SortedSet<String>> watchedBy(RecipeServer server, List<PaddockClient> clients) throws Exception {
        SortedMap<Long, SortedSet<String>> all = server.node().gateway().watchesBySession().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        List<SortedSet<String>> out = new ArrayList<>();
        for (PaddockClient c : clients) {
            SortedSet<String> w = all.get(c.sessionId());
            if (w != null && !w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    @Test
    void lostCreateAnswerIsFoundByItsProtectedPrefix() throws Exception {
        String path = freshPath();
        LossyClient lossy = new LossyClient(server.client());
        DistributedMutex a = new DistributedMutex(lossy, path);
        DistributedMutex b = new DistributedMutex(server.client(), path);
        lossy.create(path, new byte[0], CreateOptions.of(CreateMode.PERSISTENT).withParents());
        lossy.loseCreateAnswers.set(1);
        LockLease lease = a.acquire();
        assertEquals(0, lossy.loseCreateAnswers.get(), "the create's answer was lost");
        assertEquals(List.of(lease.path().substring(path.length() + 1)), a.queue(), "no orphan, no second node");
        a.release();
        assertTrue(b.acquire(RecipeServer.DEADLINE));
        b.release();
    }

    @Test
    void aCreateThatLandedTwiceKeepsTheEarlierNodeAndDeletesTheLater() throws Exception {
        String path = freshPath();
        LossyClient lossy = new LossyClient(server.client());
        DistributedMutex a = new DistributedMutex(lossy, path);
        lossy.create(path, new byte[0], CreateOptions.of(CreateMode.PERSISTENT).withParents());
        lossy.duplicateCreates.set(1);
        LockLease lease = a.acquire();
        assertEquals(0, lossy.duplicateCreates.get());
        List<String> queue = a.queue();
        assertEquals(1, queue.size(), "the later copy was deleted: " + queue);
        assertEquals(path + "/" + queue.get(0), lease.path());
        a.release();
        assertEquals(List.of(), a.queue());
    }

    @Test
    void holdersSessionEndingPassesTheLockOn() throws Exception {
        String path = freshPath();
        PaddockClient holderClient = server.client(Duration.ofSeconds(2));
        DistributedMutex holder = new DistributedMutex(holderClient, path);
        DistributedMutex waiter = new DistributedMutex(server.client(), path);
        LockLease held = holder.acquire();
        Future<LockLease> waiting = threads.submit(() -> {
            LockLease l = waiter.acquire();
            waiter.release();
            return l;
        });
        RecipeServer.await("for the waiter to queue", RecipeServer.DEADLINE, () -> waiter.queue().size() == 2);
        holderClient.close();
        LockLease next = waiting.get(30, TimeUnit.SECONDS);
        assertTrue(next.fencingToken() > held.fencingToken());
    }

    @Test
    void concurrentThreadsOfOneProcessExcludeEachOther() throws Exception {
        String path = freshPath();
        PaddockClient shared = server.client();
        DistributedMutex m = new DistributedMutex(shared, path);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            all.add(threads.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    m.acquire();
                    if (inside.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    shared.exists(path); // a round trip inside, to give overlaps a chance
                    inside.decrementAndGet();
                    m.release();
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertEquals(0, overlaps.get());
    }

    @Test
    void missingLockPathIsCreatedAsContainers() throws Exception {
        String path = "/locks/deep-" + paths.incrementAndGet() + "/a/b";
        PaddockClient c = server.client();
        DistributedMutex m = new DistributedMutex(c, path);
        m.acquire();
        assertEquals(0L, c.exists(path).orElseThrow().ephemeralOwner());
        m.release();
        // The server removes the emptied container (it checks every 200 ms here).
        RecipeServer.await("for the empty container to go", RecipeServer.DEADLINE, () -> c.exists(path).isEmpty());
    }

    /** Ends a client's session from the server's side, as an expiry would. */
    static void expireSession(PaddockClient c) throws Exception {
        server.node().gateway().closeSession(c.sessionId()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aHolderWhoseSessionEndsLearnsItFromTheConnectionStateAndTheLockPassesOn() throws Exception {
        assumeTrue(RecipeServer.clientKind().equals("http"), "needs a client that opens a new session after LOST");
        String path = freshPath();
        PaddockClient holderClient = server.client();
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        holderClient.addConnectionStateListener((c, s) -> states.add(s));
        DistributedMutex holder = new DistributedMutex(holderClient, path);
        DistributedMutex other = new DistributedMutex(server.client(), path);
        LockLease lease = holder.acquire();
        assertTrue(lease.stillHeldBy(holderClient));
        expireSession(holderClient);
        RecipeServer.await("for the holder's client to report LOST", RecipeServer.DEADLINE,
                () -> states.contains(ConnectionState.LOST));
        assertFalse(lease.stillHeldBy(holderClient), "a lease of an ended session is known lost");
        LockLease next = other.acquire();
        assertTrue(next.fencingToken() > lease.fencingToken());
        other.release();
        holder.release(); // the node is gone already: releasing only forgets the hold
        assertFalse(holder.isHeldByCurrentThread());
    }

    @Test
    void aWaiterWhoseSessionEndsQueuesAgainOnItsNewSession() throws Exception {
        assumeTrue(RecipeServer.clientKind().equals("http"), "needs a client that opens a new session after LOST");
        String path = freshPath();
        DistributedMutex holder = new DistributedMutex(server.client(), path);
        PaddockClient waiterClient = server.client();
        DistributedMutex waiter = new DistributedMutex(waiterClient, path);
        holder.acquire();
        long firstSession = waiterClient.sessionId();
        Future<LockLease> waiting = threads.submit(() -> {
            LockLease l = waiter.acquire();
            waiter.release();
            return l;
        });
        RecipeServer.await("for the waiter to queue", RecipeServer.DEADLINE, () -> holder.queue().size() == 2);
        String firstNode = holder.queue().get(1);
        expireSession(waiterClient);
        RecipeServer.await("for the waiter to queue again", RecipeServer.DEADLINE,
                () -> holder.queue().size() == 2 && !holder.queue().get(1).equals(firstNode));
        holder.release();
        LockLease lease = waiting.get(30, TimeUnit.SECONDS);
        assertTrue(lease.sessionId() != firstSession, "held on the new session");
    }

    @Test
    void aWaiterToldSessionExpiredAtItsFirstLookQueuesAgainOnItsNewSession() throws Exception {
        assumeTrue(RecipeServer.clientKind().equals("http"), "needs a client that opens a new session after LOST");
        String path = freshPath();
        DistributedMutex holder = new DistributedMutex(server.client(), path);
        EndsSessionAfterCreate waiterClient = new EndsSessionAfterCreate(server.client());
        DistributedMutex waiter = new DistributedMutex(waiterClient, path);
        holder.acquire();
        long firstSession = waiterClient.sessionId();
        waiterClient.armed = true;
        Future<LockLease> waiting = threads.submit(() -> {
            LockLease l = waiter.acquire();
            waiter.release();
            return l;
        });
        RecipeServer.await("for the waiter to queue on a new session", RecipeServer.DEADLINE,
                () -> waiterClient.expiredLooks.get() == 1 && holder.queue().size() == 2
                        && waiterClient.sessionId() != firstSession);
        assertFalse(waiting.isDone(), "the waiter still waits");
        holder.release();
        LockLease lease = waiting.get(30, TimeUnit.SECONDS);
        assertTrue(lease.sessionId() != firstSession, "held on the new session");
    }

    /**
     * Once armed, ends the session on the server right after the next create, and answers the
     * next look at children SessionExpired, as a server does before the client has noticed.
     */
    static final class EndsSessionAfterCreate extends ForwardingClient {
        private final PaddockClient real;
        volatile boolean armed;
        private volatile boolean ended;
        final AtomicInteger expiredLooks = new AtomicInteger();

        EndsSessionAfterCreate(PaddockClient real) {
            this.real = real;
        }

        @Override
        protected PaddockClient delegate() {
            return real;
        }

        @Override
        public CompletionStage<Created> createAsync(String path, byte[] data, CreateOptions options) {
            CompletionStage<Created> created = real.createAsync(path, data, options);
            if (!armed) {
                return created;
            }
            armed = false;
            long session = real.sessionId();
            return created.thenCompose(c -> server.node().gateway().closeSession(session)
                    .thenApply(done -> {
                        ended = true;
                        return c;
                    }));
        }

        @Override
        public CompletionStage<Children> getChildrenAsync(String path, Watcher watcher) {
            if (ended) {
                ended = false;
                expiredLooks.incrementAndGet();
                return CompletableFuture.failedFuture(
                        new PaddockException.SessionExpiredException(path, "session ended (test)"));
            }
            return real.getChildrenAsync(path, watcher);
        }
    }
}
