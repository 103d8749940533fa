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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The double barrier with several members, each on its own client and thread. */
class DoubleBarrierTest {

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

    /** One round of {@code n} members: all enter, then all leave; checks both barriers hold. */
    static void round(String path, int n) throws Exception {
        AtomicInteger entering = new AtomicInteger();
        AtomicInteger leaving = new AtomicInteger();
        AtomicInteger passedEnter = new AtomicInteger();
        AtomicInteger passedLeave = new AtomicInteger();
        CountDownLatch lastMayEnter = new CountDownLatch(1);
        CountDownLatch lastMayLeave = new CountDownLatch(1);
        PaddockClient observer = server.client();
        List<CompletableFuture<Void>> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PaddockClient c = server.client();
            boolean last = i == n - 1;
            members.add(CompletableFuture.runAsync(() -> {
                try {
                    DoubleBarrier b = new DoubleBarrier(c, path, n);
                    if (last) {
                        lastMayEnter.await();
                    }
                    entering.incrementAndGet();
                    b.enter();
                    assertEquals(n, entering.get(), "passed enter before every member entered");
                    passedEnter.incrementAndGet();
                    if (last) {
                        lastMayLeave.await();
                    }
                    leaving.incrementAndGet();
                    b.leave();
                    assertEquals(n, leaving.get(), "passed leave before every member left");
                    passedLeave.incrementAndGet();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        // All but the last are in: they must wait for it.
        RecipeServer.await("for n-1 members' nodes", DEADLINE, () -> members(observer, path) == n - 1);
        assertEquals(0, passedEnter.get());
        lastMayEnter.countDown();
        RecipeServer.await("for n-1 members to leave", DEADLINE, () -> passedEnter.get() == n && leaving.get() == n - 1);
        // The last has not left: nobody may pass leave. Those that left wait on the lowest.
        RecipeServer.await("for the early leavers to delete their nodes", DEADLINE,
                () -> members(observer, path) <= 2);
        assertEquals(0, passedLeave.get());
        lastMayLeave.countDown();
        for (CompletableFuture<Void> m : members) {
            m.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
        assertEquals(n, passedLeave.get());
        assertEquals(List.of(), observer.getChildren(path), "ready node or a member left behind");
    }

    static int members(PaddockClient c, String path) throws Exception {
        try {
            return (int) c.getChildren(path).stream().filter(name -> !name.equals(DoubleBarrier.READY)).count();
        } catch (io.paddock.client.PaddockException.NoNodeException none) {
            return 0;
        }
    }

    @Test
    void enterWaitsForAllMembersAndLeaveWaitsForAllToLeave() throws Exception {
        round("/double/one", 4);
    }

    @Test
    void theSameBarrierServesASecondRound() throws Exception {
        round("/double/twice", 3);
        round("/double/twice", 3);
    }

    @Test
    void enterTimesOutWithTooFewMembersAndTakesItsNodeBack() throws Exception {
        PaddockClient c = server.client();
        DoubleBarrier b = new DoubleBarrier(c, "/double/few", 3);
        assertFalse(b.enter(Duration.ofMillis(300)));
        assertEquals(0, members(c, "/double/few"));
    }

    @Test
    void aSingleMemberPassesAtOnce() throws Exception {
        PaddockClient c = server.client();
        DoubleBarrier b = new DoubleBarrier(c, "/double/single", 1);
        assertTrue(b.enter(Duration.ofSeconds(10)));
        assertTrue(b.leave(Duration.ofSeconds(10)));
        assertEquals(List.of(), c.getChildren("/double/single"));
    }

    @Test
    void aBarrierOfNoMembersIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DoubleBarrier(null, "/double/none", 0));
    }
}
