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
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leader election among several clients of one in-JVM node. */
class LeaderLatchTest {

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

    /** A listener that keeps what it heard. */
    static final class Recorder implements LeaderLatchListener {
        private final List<String> heard = new ArrayList<>();

        @Override
        public synchronized void isLeader() {
            heard.add("isLeader");
        }

        @Override
        public synchronized void notLeader() {
            heard.add("notLeader");
        }

        synchronized List<String> heard() {
            return List.copyOf(heard);
        }
    }

    static LeaderLatch started(PaddockClient client, String path, String id, Recorder recorder) {
        LeaderLatch latch = new LeaderLatch(client, path, id);
        if (recorder != null) {
            latch.addListener(recorder);
        }
        latch.start();
        return latch;
    }

    /** Waits until exactly one latch leads, checking on every look that never more than one does. */
    static LeaderLatch awaitSoleLeader(List<LeaderLatch> latches) throws Exception {
        LeaderLatch[] leader = new LeaderLatch[1];
        RecipeServer.await("for one leader", DEADLINE, () -> {
            List<LeaderLatch> leading = latches.stream().filter(LeaderLatch::hasLeadership).toList();
            assertTrue(leading.size() <= 1, "two leaders at once: " + leading.stream().map(LeaderLatch::id).toList());
            leader[0] = leading.isEmpty() ? null : leading.get(0);
            return leader[0] != null;
        });
        return leader[0];
    }

    @Test
    void aSoleParticipantLeadsAndItsIdIsItsNodeData() throws Exception {
        String path = "/latch/sole";
        Recorder heard = new Recorder();
        try (LeaderLatch latch = started(server.client(), path, "only-one", heard)) {
            assertTrue(latch.await(DEADLINE));
            assertEquals(Optional.of("only-one"), latch.getLeaderId());
            List<Participant> all = latch.participants();
            assertEquals(1, all.size());
            assertTrue(all.get(0).isLeader());
            assertTrue(LeaderSelection.sequenceOf(all.get(0).nodeName()) >= 0, all.get(0).nodeName());
            RecipeServer.await("for isLeader", DEADLINE, () -> heard.heard().equals(List.of("isLeader")));
        }
    }

    @Test
    void exactlyOneOfSeveralLeadsAndItOwnsTheLowestNode() throws Exception {
        String path = "/latch/several";
        List<LeaderLatch> latches = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            latches.add(started(server.client(), path, "p" + i, null));
        }
        try {
            LeaderLatch leader = awaitSoleLeader(latches);
            RecipeServer.await("for five participants", DEADLINE, () -> leader.participants().size() == 5);
            List<Participant> all = leader.participants();
            assertEquals(leader.id(), all.get(0).id());
            assertEquals(Optional.of(leader.id()), latches.get(3).getLeaderId());
            assertEquals(1, all.stream().filter(Participant::isLeader).count());
            assertEquals(1, latches.stream().filter(LeaderLatch::hasLeadership).count());
        } finally {
            latches.forEach(LeaderLatch::close);
        }
    }

    @Test
    void followersWatchOnlyTheNodeJustBeforeTheirOwn() throws Exception {
        String path = "/latch/noherd";
        List<PaddockClient> clients = new ArrayList<>();
        List<LeaderLatch> latches = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            PaddockClient c = server.client();
            clients.add(c);
            latches.add(started(c, path, "w" + i, null));
        }
        try {
            awaitSoleLeader(latches);
            RecipeServer.await("for each follower to watch its predecessor only", DEADLINE, () -> {
                List<Participant> order = latches.get(0).participants();
                if (order.size() != 4) {
                    return false;
                }
                SortedMap<Long, SortedSet<String>> watches = server.node().gateway().watchesBySession()
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
                for (int rank = 0; rank < order.size(); rank++) {
                    int index = Integer.parseInt(order.get(rank).id().substring(1));
                    Set<String> underLatch = new TreeSet<>();
                    for (String w : watches.getOrDefault(clients.get(index).sessionId(), new TreeSet<>())) {
                        if (w.startsWith(path)) {
                            underLatch.add(w);
                        }
                    }
                    Set<String> expected = rank == 0 ? Set.of() : Set.of(path + "/" + order.get(rank - 1).nodeName());
                    if (!underLatch.equals(expected)) {
                        return false;
                    }
                }
                return true;
            });
        } finally {
            latches.forEach(LeaderLatch::close);
        }
    }

    @Test
    void closingTheLeaderHandsLeadershipToTheNextInLine() throws Exception {
        String path = "/latch/close";
        List<Recorder> heard = List.of(new Recorder(), new Recorder(), new Recorder());
        List<LeaderLatch> latches = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            latches.add(started(server.client(), path, "c" + i, heard.get(i)));
        }
        try {
            LeaderLatch first = awaitSoleLeader(latches);
            RecipeServer.await("for three participants", DEADLINE, () -> first.participants().size() == 3);
            String next = first.participants().get(1).id();
            first.close();
            assertFalse(first.hasLeadership());
            assertEquals(LeaderLatch.State.CLOSED, first.state());
            List<LeaderLatch> rest = latches.stream().filter(l -> l != first).toList();
            LeaderLatch second = awaitSoleLeader(rest);
            assertEquals(next, second.id());
            assertEquals(2, second.participants().size());
            Recorder firstHeard = heard.get(latches.indexOf(first));
            RecipeServer.await("for the old leader's notLeader", DEADLINE,
                    () -> firstHeard.heard().equals(List.of("isLeader", "notLeader")));
        } finally {
            latches.forEach(LeaderLatch::close);
        }
    }

    @Test
    void theLeadersSessionEndingHandsLeadershipOver() throws Exception {
        String path = "/latch/session-end";
        List<PaddockClient> clients = new ArrayList<>();
        List<LeaderLatch> latches = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PaddockClient c = server.client();
            clients.add(c);
            latches.add(started(c, path, "s" + i, null));
        }
        try {
            LeaderLatch first = awaitSoleLeader(latches);
            RecipeServer.await("for three participants", DEADLINE, () -> first.participants().size() == 3);
            String next = first.participants().get(1).id();
            // The process "dies": its session ends without the latch deleting anything.
            clients.get(latches.indexOf(first)).close();
            List<LeaderLatch> rest = latches.stream().filter(l -> l != first).toList();
            LeaderLatch second = awaitSoleLeader(rest);
            assertEquals(next, second.id());
            assertEquals(Optional.of(next), second.getLeaderId());
        } finally {
            latches.forEach(LeaderLatch::close);
        }
    }

    @Test
    void aSuspendedConnectionMeansNotLeaderUntilReconnected() throws Exception {
        String path = "/latch/suspend";
        SessionSwapClient swap = new SessionSwapClient(() -> server.client());
        Recorder heard = new Recorder();
        try (LeaderLatch latch = started(swap, path, "susp", heard)) {
            assertTrue(latch.await(DEADLINE));
            String node = latch.participants().get(0).nodeName();
            swap.suspend();
            assertFalse(latch.hasLeadership(), "still leader while suspended");
            swap.resume();
            assertTrue(latch.await(DEADLINE));
            assertEquals(node, latch.participants().get(0).nodeName(), "the same session keeps its node");
            RecipeServer.await("for the flips", DEADLINE,
                    () -> heard.heard().equals(List.of("isLeader", "notLeader", "isLeader")));
        }
    }

    @Test
    void aLostSessionMeansNotLeaderAndJoiningAgainWithANewNode() throws Exception {
        String path = "/latch/lost";
        SessionSwapClient swap = new SessionSwapClient(() -> server.client());
        Recorder heard = new Recorder();
        LeaderLatch a = started(swap, path, "a", heard);
        LeaderLatch b = null;
        try {
            assertTrue(a.await(DEADLINE));
            b = started(server.client(), path, "b", null);
            LeaderLatch bb = b;
            RecipeServer.await("for b to queue", DEADLINE, () -> bb.participants().size() == 2);
            String oldNode = a.participants().get(0).nodeName();
            swap.loseSession();
            assertTrue(b.await(DEADLINE), "b did not take over");
            RecipeServer.await("for a to join again behind b", DEADLINE, () -> {
                List<Participant> all = bb.participants();
                return all.size() == 2 && all.get(0).id().equals("b") && all.get(1).id().equals("a");
            });
            assertNotEquals(oldNode, b.participants().get(1).nodeName());
            assertFalse(a.hasLeadership());
            assertEquals(List.of("isLeader", "notLeader"), heard.heard());
            b.close();
            assertTrue(a.await(DEADLINE), "a did not lead again after b left");
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
        }
    }

    @Test
    void aLostCreateAnswerDoesNotMakeASecondParticipant() throws Exception {
        String path = "/latch/lossy";
        LossyClient lossy = new LossyClient(server.client());
        lossy.loseCreateAnswers.set(1);
        try (LeaderLatch latch = started(lossy, path, "lossy", null)) {
            assertTrue(latch.await(DEADLINE));
            assertEquals(1, latch.participants().size());
            assertEquals(0, lossy.loseCreateAnswers.get(), "the create's answer was not lost");
        }
    }

    @Test
    void awaitTimesOutForAFollowerAndFailsWhenTheLatchCloses() throws Exception {
        String path = "/latch/await";
        try (LeaderLatch leader = started(server.client(), path, "l", null)) {
            assertTrue(leader.await(DEADLINE));
            LeaderLatch follower = started(server.client(), path, "f", null);
            assertFalse(follower.await(Duration.ofMillis(300)));
            CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    follower.await();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            follower.close();
            assertTrue(waiting.get(DEADLINE.toSeconds(), TimeUnit.SECONDS) instanceof IllegalStateException);
            assertThrows(IllegalStateException.class, follower::start);
        }
    }

    @Test
    void listenersRunOnTheExecutorGivenToTheLatch() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "user-listener-pool");
            t.setDaemon(true);
            return t;
        });
        try {
            List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
            LeaderLatch latch = new LeaderLatch(server.client(), "/latch/executor", "e", pool);
            latch.addListener(new LeaderLatchListener() {
                @Override
                public void isLeader() {
                    threads.add("isLeader@" + Thread.currentThread().getName());
                }

                @Override
                public void notLeader() {
                    threads.add("notLeader@" + Thread.currentThread().getName());
                }
            });
            latch.start();
            assertTrue(latch.await(DEADLINE));
            latch.close();
            RecipeServer.await("for both calls", DEADLINE, () -> threads.size() == 2);
            assertEquals(List.of("isLeader@user-listener-pool", "notLeader@user-listener-pool"), threads);
        } finally {
            pool.shutdownNow();
        }
    }
}
