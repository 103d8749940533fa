package io.paddock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.paddock.storage.TxnLog;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.DataTree;
import io.paddock.tree.EventType;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import io.paddock.tree.WatchRequests;
import io.paddock.tree.WatchedEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * setWatches on the real tree, session tracker and session actors: the events it owes reach the
 * session's stream before its reply, and the watches it sets fire like any other.
 */
class SetWatchesOrderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long NO_SESSION = ServerGateway.NO_SESSION;

    private static ActorTestKit testKit;
    private static ActorRef<SessionTracker.Command> tracker;
    private static ServerGateway gateway;

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        testKit = ActorTestKit.create();
        PaddockConfig config = PaddockConfig.defaults(dataDir).withTickTime(100);
        TxnLog log = TxnLog.open(dataDir, LogWriter.options(config.storage()));
        ActorRef<TreeActor.Command> tree = testKit.spawn(
                TreeActor.create(config, 0, System::currentTimeMillis, new DataTree(), log), "tree");
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

    private static Reply run(long session, Op op) throws Exception {
        return await(gateway.submit(session, op, "127.0.0.1"));
    }

    private static Reply create(String path) throws Exception {
        return run(NO_SESSION, new Op.Create(path, new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0));
    }

    private static Reply setData(String path, String data) throws Exception {
        return run(NO_SESSION, new Op.SetData(path, data.getBytes(StandardCharsets.UTF_8), -1));
    }

    /** A session whose events and replies all arrive at one probe, in the order its actor sent them. */
    private static TestProbe<Object> watcher(long session) {
        TestProbe<Object> probe = testKit.createTestProbe();
        tracker.tell(new SessionTracker.Forward(session, new SessionActor.Subscribe(OptionalLong.empty(),
                probe.ref().narrow())));
        return probe;
    }

    private static void submit(long session, Op op, TestProbe<Object> probe) {
        tracker.tell(new SessionTracker.Forward(session, new SessionActor.Submit(op, "127.0.0.1", probe.ref().narrow())));
    }

    private static WatchedEvent event(TestProbe<Object> probe) {
        EventStream.Element e = probe.expectMessageClass(EventStream.Element.class, WAIT);
        return assertInstanceOf(SessionEvent.Watch.class, e.event()).event();
    }

    @Test
    void theEventsSetWatchesOwesArriveBeforeItsReply() throws Exception {
        long session = await(gateway.createSession(4000)).sessionId();
        create("/o-data");
        create("/o-exist");
        create("/o-parent");
        create("/o-same");
        long seen = create("/o-gone").zxid();
        setData("/o-data", "missed");
        run(NO_SESSION, new Op.Delete("/o-gone", -1));
        long last = create("/o-parent/child").zxid();

        TestProbe<Object> probe = watcher(session);
        submit(session, new Op.SetWatches(seen, List.of("/o-data", "/o-gone", "/o-same"), List.of("/o-exist"),
                List.of("/o-parent"), List.of(), List.of()), probe);

        assertEquals(new WatchedEvent(EventType.NodeDataChanged, "/o-data", WatchRequests.NO_ZXID), event(probe));
        assertEquals(new WatchedEvent(EventType.NodeDeleted, "/o-gone", WatchRequests.NO_ZXID), event(probe));
        assertEquals(new WatchedEvent(EventType.NodeCreated, "/o-exist", WatchRequests.NO_ZXID), event(probe));
        assertEquals(new WatchedEvent(EventType.NodeChildrenChanged, "/o-parent", WatchRequests.NO_ZXID),
                event(probe));
        Reply reply = probe.expectMessageClass(Reply.class, WAIT);
        assertInstanceOf(OpResult.Done.class, reply.result());
        assertEquals(last, reply.zxid(), "answered with the tree's last zxid");

        // The one left unchanged was set again, and fires like any data watch.
        long changed = setData("/o-same", "now").zxid();
        assertEquals(new WatchedEvent(EventType.NodeDataChanged, "/o-same", changed), event(probe));
    }

    @Test
    void aWatchTheSessionStillHoldsFiresOnceForItsChange() throws Exception {
        long session = await(gateway.createSession(4000)).sessionId();
        create("/h-data");
        run(session, new Op.GetData("/h-data", true));
        TestProbe<Object> probe = watcher(session);
        // A stale relativeZxid would fire at once under ZooKeeper; the session's own watch has not fired yet.
        submit(session, new Op.SetWatches(0, List.of("/h-data"), List.of(), List.of(), List.of(), List.of()), probe);
        assertInstanceOf(OpResult.Done.class, probe.expectMessageClass(Reply.class, WAIT).result());

        long changed = setData("/h-data", "once").zxid();
        assertEquals(new WatchedEvent(EventType.NodeDataChanged, "/h-data", changed), event(probe));
        setData("/h-data", "twice");
        // The session's own sync comes back after the second change: no event may precede it.
        submit(session, new Op.Sync("/h-data"), probe);
        assertInstanceOf(OpResult.Synced.class, probe.expectMessageClass(Reply.class, WAIT).result());
    }
}
