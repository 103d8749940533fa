package io.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** setWatches as ZooKeeper 3.9's DataTree.setWatches, plus what session-owned watches change. */
class SetWatchesTest {

    private static final long S1 = 0x11L;
    private static final long S2 = 0x22L;

    private final DataTree tree = new DataTree();
    private final WatchManager watches = new WatchManager();
    private long zxid;

    private long apply(Txn txn) {
        OpResult r = tree.apply(new TxnRecord(++zxid, S1, 0, 1000 + zxid, txn)).result();
        if (r instanceof OpResult.Error e) {
            throw new AssertionError("setup txn refused: " + e);
        }
        return zxid;
    }

    private long mk(String path) {
        return apply(new Txn.Create(path, new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0, -1));
    }

    private long set(String path, String data) {
        return apply(new Txn.SetData(path, data.getBytes(StandardCharsets.UTF_8), 1));
    }

    private long rm(String path) {
        return apply(new Txn.Delete(path));
    }

    @BeforeEach
    void sessions() {
        apply(new Txn.CreateSession(10_000));
    }

    private static List<String> paths(String... paths) {
        return List.of(paths);
    }

    private static Op.SetWatches setWatches(long relativeZxid, List<String> data, List<String> exist, List<String> child) {
        return new Op.SetWatches(relativeZxid, data, exist, child, List.of(), List.of());
    }

    private List<WatchedEvent> run(long session, Op.SetWatches s) {
        WatchRequests.Rearmed r = WatchRequests.setWatches(watches, tree, session, s);
        assertInstanceOf(OpResult.Done.class, r.result());
        return r.events();
    }

    private static WatchedEvent event(EventType type, String path) {
        return new WatchedEvent(type, path, WatchRequests.NO_ZXID);
    }

    /** The sessions an event on a path reaches now (and consumes their one-shot watches). */
    private List<Long> reached(EventType type, String path) {
        List<Long> ids = new ArrayList<>();
        for (WatchManager.Delivery d : watches.trigger(new WatchedEvent(type, path, zxid + 1))) {
            ids.add(d.sessionId());
        }
        return ids;
    }

    @Test
    void dataWatchOnAMissingNodeFiresNodeDeleted() {
        List<WatchedEvent> events = run(S1, setWatches(zxid, paths("/gone"), paths(), paths()));
        assertEquals(List.of(event(EventType.NodeDeleted, "/gone")), events);
        assertFalse(watches.contains("/gone", S1, WatchKind.DATA), "a fired watch is not set again");
    }

    @Test
    void dataWatchOnANodeChangedAfterRelativeZxidFiresNodeDataChanged() {
        mk("/a");
        long seen = zxid;
        set("/a", "new");
        assertEquals(List.of(event(EventType.NodeDataChanged, "/a")),
                run(S1, setWatches(seen, paths("/a"), paths(), paths())));
        assertFalse(watches.contains("/a", S1, WatchKind.DATA));
    }

    @Test
    void dataWatchOnAnUnchangedNodeIsSetAgainAndFiresOnTheNextChange() {
        long mzxid = mk("/a");
        assertEquals(List.of(), run(S1, setWatches(mzxid, paths("/a"), paths(), paths())),
                "mzxid equal to relativeZxid is not a change the client missed");
        assertTrue(watches.contains("/a", S1, WatchKind.DATA));
        assertEquals(List.of(S1), reached(EventType.NodeDataChanged, "/a"));
        assertEquals(List.of(), reached(EventType.NodeDataChanged, "/a"), "one-shot, as any data watch");
    }

    @Test
    void existWatchOnAPresentNodeFiresNodeCreatedWhateverItsZxid() {
        mk("/a");
        assertEquals(List.of(event(EventType.NodeCreated, "/a")),
                run(S1, setWatches(zxid + 100, paths(), paths("/a"), paths())));
        assertFalse(watches.contains("/a", S1, WatchKind.EXISTS));
    }

    @Test
    void existWatchOnAMissingNodeIsSetAndFiresWhenTheNodeIsCreated() {
        assertEquals(List.of(), run(S1, setWatches(zxid, paths(), paths("/later"), paths())));
        assertTrue(watches.contains("/later", S1, WatchKind.EXISTS));
        assertEquals(List.of(S1), reached(EventType.NodeCreated, "/later"));
    }

    @Test
    void childWatchFiresNodeDeletedForAMissingNodeAndNodeChildrenChangedAfterRelativeZxid() {
        mk("/p");
        long seen = zxid;
        mk("/p/c");
        assertEquals(List.of(event(EventType.NodeDeleted, "/gone"), event(EventType.NodeChildrenChanged, "/p")),
                run(S1, setWatches(seen, paths(), paths(), paths("/gone", "/p"))));
        assertFalse(watches.contains("/p", S1, WatchKind.CHILD));
    }

    @Test
    void childWatchComparesPzxidNotMzxid() {
        mk("/p");
        mk("/p/c");
        long seen = zxid;
        set("/p", "data changes leave pzxid alone");
        assertEquals(List.of(), run(S1, setWatches(seen, paths(), paths(), paths("/p"))));
        assertTrue(watches.contains("/p", S1, WatchKind.CHILD));
        rm("/p/c");
        assertEquals(List.of(S1), reached(EventType.NodeChildrenChanged, "/p"));
    }

    @Test
    void eventsComeInZooKeepersOrderDataThenExistThenChild() {
        mk("/e");
        List<WatchedEvent> events = run(S1, setWatches(zxid,
                paths("/d1", "/d2"), paths("/e"), paths("/c1")));
        assertEquals(List.of(event(EventType.NodeDeleted, "/d1"), event(EventType.NodeDeleted, "/d2"),
                event(EventType.NodeCreated, "/e"), event(EventType.NodeDeleted, "/c1")), events);
    }

    @Test
    void persistentAndRecursiveWatchesAreSetWithoutAnyEvent() {
        mk("/p");
        long seen = zxid;
        set("/p", "changed");
        List<WatchedEvent> events = run(S1, new Op.SetWatches(seen - 1, List.of(), List.of(), List.of(),
                paths("/p", "/missing"), paths("/r")));
        assertEquals(List.of(), events);
        assertTrue(watches.contains("/p", S1, WatchKind.PERSISTENT));
        assertTrue(watches.contains("/missing", S1, WatchKind.PERSISTENT));
        assertTrue(watches.contains("/r", S1, WatchKind.PERSISTENT_RECURSIVE));
        assertEquals(List.of(S1), reached(EventType.NodeDataChanged, "/p"));
        assertEquals(List.of(S1), reached(EventType.NodeDataChanged, "/p"), "persistent: still there");
        assertEquals(List.of(S1), reached(EventType.NodeCreated, "/r/deep/x"));
    }

    @Test
    void settingAWatchTheSessionStillHoldsAddsNoDuplicate() {
        mk("/a");
        mk("/p");
        watches.add("/a", S1, WatchKind.DATA);
        watches.add("/p", S1, WatchKind.PERSISTENT);
        watches.add("/p", S1, WatchKind.PERSISTENT_RECURSIVE);
        int before = watches.watchCount();
        run(S1, new Op.SetWatches(zxid, paths("/a"), List.of(), List.of(), paths("/p"), paths("/p")));
        assertEquals(before, watches.watchCount());
        assertEquals(List.of(S1), reached(EventType.NodeDataChanged, "/a"), "one delivery per change");
    }

    @Test
    void aWatchTheSessionStillHoldsFiresNoSecondEvent() {
        mk("/a");
        mk("/p");
        // The session re-read both after the changes it missed (which its old watches reported):
        // it holds fresh watches, although its relativeZxid is older than the nodes' zxids.
        long stale = 1;
        watches.add("/a", S1, WatchKind.DATA);
        watches.add("/p", S1, WatchKind.CHILD);
        assertEquals(List.of(), run(S1, setWatches(stale, paths("/a"), paths(), paths("/p"))));
        assertTrue(watches.contains("/a", S1, WatchKind.DATA));
        assertTrue(watches.contains("/p", S1, WatchKind.CHILD));
        assertEquals(List.of(S1), reached(EventType.NodeDataChanged, "/a"));
    }

    @Test
    void aDataWatchSetByThisRequestDoesNotHideAnExistWatchOnTheSamePath() {
        // ZooKeeper keeps data and exist watches in one table; the exist list still fires NodeCreated.
        long mzxid = mk("/a");
        assertEquals(List.of(event(EventType.NodeCreated, "/a")),
                run(S1, setWatches(mzxid, paths("/a"), paths("/a"), paths())));
        assertTrue(watches.contains("/a", S1, WatchKind.DATA));
    }

    @Test
    void eventsGoToTheRequestingSessionOnlyAndConsumeNoOtherWatch() {
        mk("/a");
        long seen = zxid;
        set("/a", "new");
        watches.add("/a", S2, WatchKind.DATA);
        assertEquals(List.of(event(EventType.NodeDataChanged, "/a")),
                run(S1, setWatches(seen, paths("/a"), paths(), paths())));
        assertTrue(watches.contains("/a", S2, WatchKind.DATA), "another session's watch is untouched");
        assertEquals(List.of(S2), reached(EventType.NodeDataChanged, "/a"));
    }

    @Test
    void withoutASessionNothingIsSet() {
        WatchRequests.Rearmed r = WatchRequests.setWatches(watches, tree, 0,
                setWatches(zxid, paths("/gone"), paths("/x"), paths()));
        assertEquals(ErrorCode.BAD_ARGUMENTS, assertInstanceOf(OpResult.Error.class, r.result()).code());
        assertEquals(List.of(), r.events());
        assertEquals(0, watches.watchCount());
    }

    @Test
    void missingListsAndNullPathsAreSkipped() {
        List<WatchedEvent> events = run(S1, new Op.SetWatches(zxid, null, Arrays.asList("/x", null), null, null, null));
        assertEquals(List.of(), events);
        assertTrue(watches.contains("/x", S1, WatchKind.EXISTS));
        assertEquals(1, watches.watchCount());
    }

    @Test
    void afterDropWatchesAChangeReachesNoOneAndTheReArmingReportsItOnce() {
        mk("/a");
        long seen = zxid;
        watches.add("/a", S1, WatchKind.DATA);
        watches.add("/a", S1, WatchKind.PERSISTENT_RECURSIVE);
        watches.add("/a", S2, WatchKind.DATA);
        assertInstanceOf(OpResult.Done.class, WatchRequests.dropWatches(watches, S1));
        assertEquals(0, watches.watchCount(S1));
        // A change between the reconnect and the re-arming reaches the other session only.
        set("/a", "1");
        assertEquals(List.of(S2), reached(EventType.NodeDataChanged, "/a"));
        // The re-arming reports it, once.
        List<WatchedEvent> events = run(S1, new Op.SetWatches(seen, paths("/a"), paths(), paths(), List.of(),
                paths("/a")));
        assertEquals(List.of(event(EventType.NodeDataChanged, "/a")), events);
        assertTrue(watches.contains("/a", S1, WatchKind.PERSISTENT_RECURSIVE));
        assertInstanceOf(OpResult.Error.class, WatchRequests.dropWatches(watches, 0));
    }
}
