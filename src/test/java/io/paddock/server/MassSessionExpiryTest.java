package io.paddock.server;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import io.paddock.storage.TxnLog;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.DataTree;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many sessions with one ephemeral each, all falling silent at once: every ephemeral must be gone
 * within the session timeout plus two ticks of its session's last heartbeat (ZooKeeper's expiry
 * buckets allow one tick, the second is for ending the sessions).
 *
 * <p>The default suite runs 1,000 sessions; {@code -Dpaddock.expiry.sessions=10000} runs the
 * 10,000 of the target in docs/benchmarks.md ("Memory, restart and mass expiry").
 */
class MassSessionExpiryTest {

    private static final int SESSIONS = Integer.getInteger("paddock.expiry.sessions", 1_000);
    /** conf/paddock.cfg's tickTime, ZooKeeper's default too; -Dpaddock.expiry.tickMs=200 asks for more. */
    private static final int TICK_MS = Integer.getInteger("paddock.expiry.tickMs", 2_000);
    private static final int TIMEOUT_MS = 4_000;
    /** Requests in flight at once, so that no session waits in a queue for longer than its timeout. */
    private static final int WINDOW = 200;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PARENT = "/mass";

    private ActorTestKit testKit;
    private ServerGateway gateway;

    @TempDir
    Path dataDir;

    @BeforeEach
    void start() throws Exception {
        testKit = ActorTestKit.create();
        PaddockConfig config = PaddockConfig.defaults(dataDir).withTickTime(TICK_MS);
        TxnLog log = TxnLog.open(dataDir, LogWriter.options(config.storage()));
        ActorRef<TreeActor.Command> tree = testKit.spawn(
                TreeActor.create(config, 0, System::currentTimeMillis, new DataTree(), log), "tree");
        ActorRef<SessionTracker.Command> tracker = testKit.spawn(
                SessionTracker.create(config, 0, tree, System::currentTimeMillis, Map.of()), "sessions");
        gateway = new ActorGateway(testKit.system(), tree, tracker, 64);
    }

    @AfterEach
    void stop() {
        testKit.shutdownTestKit();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void touch(long[] sessions, int from, int to) {
        for (int i = from; i < to; i++) {
            gateway.touch(sessions[i]);
        }
    }

    /** Reads /mass's children and notes, for each name in {@code left} no longer there, when. */
    private void poll(Set<String> left, long[] goneNanos) throws Exception {
        OpResult.Children now = assertInstanceOf(OpResult.Children.class, await(gateway.submit(
                ServerGateway.NO_SESSION, new Op.GetChildren(PARENT, false), "127.0.0.1")).result());
        long seenAt = System.nanoTime();
        Set<String> still = new HashSet<>(now.children());
        for (Iterator<String> it = left.iterator(); it.hasNext(); ) {
            String name = it.next();
            if (!still.contains(name)) {
                goneNanos[Integer.parseInt(name.substring(1))] = seenAt;
                it.remove();
            }
        }
    }

    @Test
    void silentSessionsLoseTheirEphemeralsWithinTimeoutPlusTwoTicks() throws Exception {
        assertInstanceOf(OpResult.Created.class, await(gateway.submit(ServerGateway.NO_SESSION,
                new Op.Create(PARENT, new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0), "127.0.0.1")).result());

        // Each window: open sessions and give each its ephemeral, then touch every session opened
        // so far (setting up all of them can take longer than a timeout on a busy machine).
        long[] sessions = new long[SESSIONS];
        for (int from = 0; from < SESSIONS; from += WINDOW) {
            int to = Math.min(SESSIONS, from + WINDOW);
            List<CompletableFuture<Reply>> created = new ArrayList<>();
            for (int i = from; i < to; i++) {
                int index = i;
                created.add(gateway.createSession(TIMEOUT_MS).toCompletableFuture().thenCompose(info -> {
                    assertEquals(TIMEOUT_MS, info.timeoutMs(), "the timeout asked for is within 2..20 ticks");
                    sessions[index] = info.sessionId(); // seen by this thread once the future is awaited
                    return gateway.submit(info.sessionId(), new Op.Create(PARENT + "/e" + index, new byte[0],
                            Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, 0), "127.0.0.1");
                }));
            }
            for (int i = from; i < to; i++) {
                OpResult result = await(created.get(i - from)).result();
                assertInstanceOf(OpResult.Created.class, result, () -> "creating an ephemeral: " + result);
            }
            touch(sessions, 0, to);
        }

        // The last heartbeats, a window at a time, the sessions not yet at theirs touched after
        // each window; from this one thread, so each touch reaches the tracker before that
        // session's heartbeat. The server saw each heartbeat after it was sent, before it answered.
        long[] sentNanos = new long[SESSIONS];
        long[] answeredNanos = new long[SESSIONS];
        // When each ephemeral is first seen gone, polled between the windows too: the first
        // sessions may expire before the last have had their heartbeats.
        long[] goneNanos = new long[SESSIONS];
        Set<String> left = new HashSet<>();
        for (int i = 0; i < SESSIONS; i++) {
            left.add("e" + i);
        }
        for (int from = 0; from < SESSIONS; from += WINDOW) {
            int to = Math.min(SESSIONS, from + WINDOW);
            List<CompletableFuture<Reply>> beats = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                int index = i;
                sentNanos[i] = System.nanoTime();
                beats.add(gateway.heartbeat(sessions[i]).toCompletableFuture().whenComplete((r, e) ->
                        answeredNanos[index] = System.nanoTime()));
            }
            touch(sessions, to, SESSIONS);
            for (CompletableFuture<Reply> b : beats) {
                OpResult result = await(b).result();
                assertInstanceOf(OpResult.Done.class, result, () -> "a heartbeat before the silence: " + result);
            }
            poll(left, goneNanos);
        }

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!left.isEmpty()) {
            assertTrue(System.nanoTime() < deadline, left.size() + " ephemerals still there after " + WAIT);
            poll(left, goneNanos);
            if (!left.isEmpty()) {
                testKit.createTestProbe().expectNoMessage(Duration.ofMillis(10));
            }
        }

        // Lateness past "last heartbeat + timeout", with the heartbeat taken at its answer (the
        // latest the server can have seen it, so a lower bound on the lateness up to the poll's
        // delay) and at its sending (an upper bound).
        long worstLateMs = Long.MIN_VALUE;
        long worstLateFromSentMs = Long.MIN_VALUE;
        long earliestMs = Long.MAX_VALUE;
        long firstGone = Long.MAX_VALUE;
        long lastGone = Long.MIN_VALUE;
        for (int i = 0; i < SESSIONS; i++) {
            long sinceAnswerMs = TimeUnit.NANOSECONDS.toMillis(goneNanos[i] - answeredNanos[i]);
            long sinceSentMs = TimeUnit.NANOSECONDS.toMillis(goneNanos[i] - sentNanos[i]);
            worstLateMs = Math.max(worstLateMs, sinceAnswerMs - TIMEOUT_MS);
            worstLateFromSentMs = Math.max(worstLateFromSentMs, sinceSentMs - TIMEOUT_MS);
            earliestMs = Math.min(earliestMs, sinceSentMs);
            firstGone = Math.min(firstGone, goneNanos[i]);
            lastGone = Math.max(lastGone, goneNanos[i]);
        }
        System.out.printf("MassSessionExpiryTest: %d sessions, timeout %d ms, tick %d ms: first ephemeral seen gone %d ms"
                + " after its last heartbeat was sent; the last one %d ms after its timeout counted from the heartbeat's"
                + " answer, %d ms counted from its sending; %d ms from the first seen gone to the last%n",
                SESSIONS, TIMEOUT_MS, TICK_MS, earliestMs, worstLateMs, worstLateFromSentMs,
                TimeUnit.NANOSECONDS.toMillis(lastGone - firstGone));
        assertTrue(earliestMs >= TIMEOUT_MS - TICK_MS, "an ephemeral went " + earliestMs + " ms after its last heartbeat");
        assertTrue(worstLateMs <= 2L * TICK_MS, "the last ephemeral went " + worstLateMs
                + " ms after its session's timeout, more than two ticks");
    }
}
