package io.paddock.server;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.stream.javadsl.Sink;
import io.paddock.storage.TxnLog;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.DataTree;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.EventType;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import io.paddock.tree.WatchKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's guarantees, checked on its actors: ordering, watches, ephemerals, expiry, event windows. */
class ServerActorsTest {

    private static final int TICK_MS = 100;
    private static final int EVENT_WINDOW = 4;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static ActorTestKit testKit;
    private static ActorRef<TreeActor.Command> tree;
    private static ActorRef<SessionTracker.Command> tracker;
    private static ServerGateway gateway;

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        testKit = ActorTestKit.create();
        PaddockConfig config = PaddockConfig.defaults(dataDir).withTickTime(TICK_MS)
                .withContainerCheckIntervalMs(200).withEventWindow(EVENT_WINDOW);
        TxnLog log = TxnLog.open(dataDir, LogWriter.options(config.storage()));
        tree = testKit.spawn(TreeActor.create(config, 0, System::currentTimeMillis, new DataTree(), log), "tree");
        tracker = testKit.spawn(SessionTracker.create(config, 0, tree, System::currentTimeMillis, Map.of()), "sessions");
        gateway = new ActorGateway(testKit.system(), tree, tracker, 64);
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static OpResult run(long session, Op op) throws Exception {
        return await(gateway.submit(session, op, "127.0.0.1")).result();
    }

    private static Op.Create create(String path, String data, CreateMode mode) {
        return new Op.Create(path, bytes(data), Acl.OPEN_ACL_UNSAFE, mode, 0);
    }

    private static long openSession(int timeoutMs) throws Exception {
        return await(gateway.createSession(timeoutMs)).sessionId();
    }

    @Test
    void requestsOfOneSessionAreAnsweredInOrderAndReadTheirOwnWrites() throws Exception {
        long session = openSession(4000);
        assertInstanceOf(OpResult.Created.class, run(session, create("/ordered", "0", CreateMode.PERSISTENT)));
        List<CompletionStage<Reply>> replies = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            replies.add(gateway.submit(session, new Op.SetData("/ordered", bytes(Integer.toString(i)), -1), "127.0.0.1"));
            replies.add(gateway.submit(session, new Op.GetData("/ordered", false), "127.0.0.1"));
        }
        long lastZxid = 0;
        for (int i = 0; i < replies.size(); i += 2) {
            Reply write = await(replies.get(i));
            Reply read = await(replies.get(i + 1));
            assertTrue(write.zxid() > lastZxid, "writes answered in zxid order");
            lastZxid = write.zxid();
            OpResult.Data data = assertInstanceOf(OpResult.Data.class, read.result());
            assertEquals(Integer.toString(i / 2 + 1), new String(data.data(), StandardCharsets.UTF_8),
                    "each read sees the write sent just before it");
        }
    }

    @Test
    void aWatchEventReachesTheSessionBeforeAnyReplyShowingItsChange() throws Exception {
        long watcher = openSession(4000);
        long writer = openSession(4000);
        run(writer, create("/watched", "old", CreateMode.PERSISTENT));
        run(watcher, new Op.GetData("/watched", true));

        TestProbe<Object> probe = testKit.createTestProbe();
        ActorRef<Object> both = probe.ref();
        tracker.tell(new SessionTracker.Forward(watcher, new SessionActor.Subscribe(OptionalLong.empty(), both.narrow())));
        run(writer, new Op.SetData("/watched", bytes("new"), -1));
        tracker.tell(new SessionTracker.Forward(watcher,
                new SessionActor.Submit(new Op.GetData("/watched", false), "127.0.0.1", both.narrow())));

        EventStream.Element first = probe.expectMessageClass(EventStream.Element.class, WAIT);
        SessionEvent.Watch watch = assertInstanceOf(SessionEvent.Watch.class, first.event());
        assertEquals(EventType.NodeDataChanged, watch.event().type());
        Reply reply = probe.expectMessageClass(Reply.class, WAIT);
        assertArrayEquals(bytes("new"), assertInstanceOf(OpResult.Data.class, reply.result()).data());
        assertTrue(watch.event().zxid() <= reply.zxid());
    }

    @Test
    void aOneShotWatchFiresOnceAndAPersistentOneKeepsFiring() throws Exception {
        long watcher = openSession(4000);
        run(NO_SESSION, create("/once", "0", CreateMode.PERSISTENT));
        run(watcher, new Op.GetData("/once", true));
        run(watcher, new Op.AddWatch("/once", WatchKind.PERSISTENT));
        TestProbe<EventStream.Message> stream = testKit.createTestProbe();
        tracker.tell(new SessionTracker.Forward(watcher, new SessionActor.Subscribe(OptionalLong.empty(), stream.ref())));
        run(NO_SESSION, new Op.SetData("/once", bytes("1"), -1));
        run(NO_SESSION, new Op.SetData("/once", bytes("2"), -1));
        // One event per change: the one-shot and the persistent watch on the same path fire as one.
        assertEquals(EventType.NodeDataChanged, watchEvent(stream).type());
        assertEquals(EventType.NodeDataChanged, watchEvent(stream).type());
        run(watcher, new Op.RemoveWatches("/once", List.of(WatchKind.PERSISTENT)));
        run(NO_SESSION, new Op.SetData("/once", bytes("3"), -1));
        // A sync of the watcher's own goes through after the change: nothing more may have arrived.
        run(watcher, new Op.Sync("/once"));
        stream.expectNoMessage(Duration.ofMillis(200));
    }

    private static io.paddock.tree.WatchedEvent watchEvent(TestProbe<EventStream.Message> stream) {
        EventStream.Element e = stream.expectMessageClass(EventStream.Element.class, WAIT);
        return assertInstanceOf(SessionEvent.Watch.class, e.event()).event();
    }

    private static final long NO_SESSION = ServerGateway.NO_SESSION;

    @Test
    void ephemeralsVanishWhenTheirSessionClosesAndNotBefore() throws Exception {
        long owner = openSession(4000);
        run(owner, create("/eph-closed", "", CreateMode.EPHEMERAL));
        OpResult.Created seq = assertInstanceOf(OpResult.Created.class,
                run(owner, create("/eph-closed-", "", CreateMode.EPHEMERAL_SEQUENTIAL)));
        assertInstanceOf(OpResult.StatResult.class, run(NO_SESSION, new Op.Exists("/eph-closed", false)));
        assertInstanceOf(OpResult.Done.class, await(gateway.closeSession(owner)).result());
        assertEquals(ErrorCode.NO_NODE, error(run(NO_SESSION, new Op.Exists("/eph-closed", false))));
        assertEquals(ErrorCode.NO_NODE, error(run(NO_SESSION, new Op.Exists(seq.path(), false))));
        assertEquals(ErrorCode.SESSION_EXPIRED, error(run(owner, new Op.Exists("/", false))));
    }

    @Test
    void aSessionKeptAliveOutlivesItsTimeoutAndExpiresWhenItFallsSilent() throws Exception {
        int timeoutMs = 4 * TICK_MS;
        long owner = openSession(timeoutMs);
        run(owner, create("/eph-expiry", "", CreateMode.EPHEMERAL));
        long aliveUntil = System.nanoTime() + Duration.ofMillis(3L * timeoutMs).toNanos();
        while (System.nanoTime() < aliveUntil) {
            assertInstanceOf(OpResult.Done.class, await(gateway.heartbeat(owner)).result());
            assertInstanceOf(OpResult.StatResult.class, run(NO_SESSION, new Op.Exists("/eph-expiry", false)),
                    "an ephemeral stays while its session lives");
            testKit.createTestProbe().expectNoMessage(Duration.ofMillis(TICK_MS));
        }
        long silentSince = System.nanoTime();
        long deadline = silentSince + WAIT.toNanos();
        while (run(NO_SESSION, new Op.Exists("/eph-expiry", false)) instanceof OpResult.StatResult) {
            assertTrue(System.nanoTime() < deadline, "the silent session's ephemeral was not removed");
            testKit.createTestProbe().expectNoMessage(Duration.ofMillis(20));
        }
        long goneAfterMs = Duration.ofNanos(System.nanoTime() - silentSince).toMillis();
        assertTrue(goneAfterMs >= timeoutMs - TICK_MS, "expired too early: " + goneAfterMs + " ms");
        assertEquals(ErrorCode.SESSION_EXPIRED, error(await(gateway.heartbeat(owner)).result()));
    }

    @Test
    void theEventStreamEndsWithTheSessionState() throws Exception {
        long session = openSession(4000);
        List<SessionEvent> seen = await(gateway.events(session, OptionalLong.empty())
                .thenCompose(source -> {
                    CompletionStage<List<SessionEvent>> all = source.runWith(Sink.seq(), testKit.system());
                    gateway.closeSession(session);
                    return all;
                }));
        SessionEvent.State end = assertInstanceOf(SessionEvent.State.class, seen.get(seen.size() - 1));
        assertEquals("Closed", end.state());
    }

    @Test
    void aReconnectingStreamGetsWhatItMissedOrAResync() throws Exception {
        long watcher = openSession(4000);
        run(NO_SESSION, create("/resume", "0", CreateMode.PERSISTENT));
        run(watcher, new Op.AddWatch("/resume", WatchKind.PERSISTENT));
        long z1 = await(gateway.submit(NO_SESSION, new Op.SetData("/resume", bytes("1"), -1), null)).zxid();
        long z2 = await(gateway.submit(NO_SESSION, new Op.SetData("/resume", bytes("2"), -1), null)).zxid();
        long z3 = await(gateway.submit(NO_SESSION, new Op.SetData("/resume", bytes("3"), -1), null)).zxid();

        TestProbe<EventStream.Message> resumed = testKit.createTestProbe();
        tracker.tell(new SessionTracker.Forward(watcher, new SessionActor.Subscribe(OptionalLong.of(z1), resumed.ref())));
        assertEquals(z2, watchEvent(resumed).zxid());
        assertEquals(z3, watchEvent(resumed).zxid());

        for (int i = 0; i < EVENT_WINDOW + 2; i++) {
            run(NO_SESSION, new Op.SetData("/resume", bytes("more"), -1));
        }
        TestProbe<EventStream.Message> tooLate = testKit.createTestProbe();
        tracker.tell(new SessionTracker.Forward(watcher, new SessionActor.Subscribe(OptionalLong.of(z3), tooLate.ref())));
        EventStream.Element first = tooLate.expectMessageClass(EventStream.Element.class, WAIT);
        assertInstanceOf(SessionEvent.Resync.class, first.event(), "a gap is announced, never silent");
    }

    @Test
    void anUnknownSessionIsAnsweredSessionExpired() throws Exception {
        assertEquals(ErrorCode.SESSION_EXPIRED, error(run(0x7777L, new Op.GetData("/", false))));
        assertEquals(ErrorCode.SESSION_EXPIRED, error(await(gateway.addAuth(0x7777L, "digest", bytes("u:p"))).result()));
    }

    private static ErrorCode error(OpResult result) {
        return assertInstanceOf(OpResult.Error.class, result).code();
    }
}
