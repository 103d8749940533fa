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
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The barrier with several clients waiting on it. */
class BarrierTest {

    static final Duration DEADLINE = RecipeServer.DEADLINE;

    @TempDir
    static Path dataDir;

    static RecipeServer server;

    @BeforeAll
    static void start() throws Exception {
        server = RecipeServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Whether every one of the sessions holds a watch on the path. */
    static boolean allWatch(List<PaddockClient> clients, String path) throws Exception {
        SortedMap<Long, SortedSet<String>> watches = server.node().gateway().watchesBySession()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        for (PaddockClient c : clients) {
            SortedSet<String> paths = watches.get(c.sessionId());
            if (paths == null || !paths.contains(path)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void waitersPassOnlyOnceTheBarrierIsRemoved() throws Exception {
        String path = "/barrier/one";
        Barrier setter = new Barrier(server.client(), path);
        setter.setBarrier();
        AtomicBoolean removed = new AtomicBoolean();
        List<PaddockClient> clients = new ArrayList<>();
        List<CompletableFuture<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            PaddockClient c = server.client();
            clients.add(c);
            Barrier b = new Barrier(c, path);
            waiters.add(CompletableFuture.supplyAsync(() -> {
                try {
                    boolean down = b.waitOnBarrier(DEADLINE);
                    return down && removed.get(); // passing before the removal fails the test
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        RecipeServer.await("for every waiter's watch", DEADLINE, () -> allWatch(clients, path));
        for (CompletableFuture<Boolean> w : waiters) {
            assertFalse(w.isDone(), "a waiter passed a raised barrier");
        }
        removed.set(true);
        setter.removeBarrier();
        for (CompletableFuture<Boolean> w : waiters) {
            assertTrue(w.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @Test
    void aRaisedBarrierHoldsAWaiterUntilItsTimeout() throws Exception {
        Barrier b = new Barrier(server.client(), "/barrier/timeout");
        b.setBarrier();
        assertFalse(b.waitOnBarrier(Duration.ofMillis(300)));
        b.removeBarrier();
        assertTrue(b.waitOnBarrier(Duration.ofMillis(300)));
    }

    @Test
    void settingAndRemovingTwiceIsHarmlessAndALoweredBarrierLetsThroughAtOnce() throws Exception {
        Barrier b = new Barrier(server.client(), "/barrier/idempotent/deep");
        b.setBarrier();
        b.setBarrier();
        b.removeBarrier();
        b.removeBarrier();
        assertTrue(b.waitOnBarrier(Duration.ZERO));
    }

    @Test
    void aWaiterWhoseSessionIsLostStillSeesTheRemoval() throws Exception {
        String path = "/barrier/lost";
        Barrier setter = new Barrier(server.client(), path);
        setter.setBarrier();
        SessionSwapClient swap = new SessionSwapClient(() -> server.client());
        Barrier b = new Barrier(swap, path);
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return b.waitOnBarrier(DEADLINE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        RecipeServer.await("for the waiter's watch", DEADLINE, () -> allWatch(List.of(swap), path));
        // Removed while the waiter has no session: its watch cannot fire; the reconnection must wake it.
        swap.loseSession(setter::removeBarrier);
        assertTrue(waiter.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
    }
}
