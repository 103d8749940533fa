package io.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzy snapshots made exact by replay: a cursor walks the live tree in slices while random
 * transactions (as TxnPrep makes them) are applied between slices; restoring the walk's nodes,
 * replaying the records the walk overlapped and applying the rest must give the live tree.
 */
public class FuzzySnapshotTest {

    private static final int SEEDS = 150;

    @Test
    void restoreReplayThenApplyGivesTheLiveTreeForManySeeds() {
        int overlapped = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Run run = Run.of(seed);
            DataTree rebuilt = run.rebuild(true);
            assertSameTree(run.live, rebuilt, "seed " + seed);
            assertEquals(run.live.digest(), rebuilt.digest(), "seed " + seed);
            assertEquals(run.live.lastZxid(), rebuilt.lastZxid(), "seed " + seed);
            overlapped += run.endZxid - run.startZxid;
        }
        // The property means something only if the walks overlapped many transactions.
        assertTrue(overlapped > SEEDS * 20, "walks overlapped only " + overlapped + " records");
    }

    @Test
    void applyingTheOverlappedRecordsInsteadOfReplayingThemGivesAnotherTree() {
        int differ = 0;
        for (long seed = 1; seed <= 40; seed++) {
            Run run = Run.of(seed);
            if (run.rebuild(false).digest() != run.live.digest()) {
                differ++;
            }
        }
        assertTrue(differ >= 10, "apply over a fuzzy snapshot matched the live tree in " + (40 - differ) + " of 40 runs");
    }

    @Test
    void aSnapshotWalkedWithoutConcurrentWritesRestoresExactlyWithoutReplay() {
        DataTree live = new DataTree();
        Workload w = new Workload(99, live);
        w.run(400);
        SnapshotCursor cursor = live.snapshotCursor();
        List<SnapshotNode> nodes = new ArrayList<>();
        assertFalse(cursor.next(Integer.MAX_VALUE, nodes::add));
        DataTree restored = DataTree.restore(cursor.startZxid(), cursor.sessions(), nodes);
        assertEquals(live.nodeCount(), nodes.size());
        assertSameTree(live, restored, "quiet walk");
        assertEquals(live.digest(), restored.digest());
    }

    @Test
    void walkWritesParentsBeforeChildrenAndSkipsNodesDeletedBeforeItGetsThere() {
        DataTree live = new DataTree();
        Steps s = new Steps(live);
        s.apply(0, create("/a"));
        s.apply(0, create("/a/x"));
        s.apply(0, create("/a/zz"));
        s.apply(0, create("/b"));
        s.apply(0, create("/b/y"));
        s.apply(0, create("/c"));
        SnapshotCursor cursor = live.snapshotCursor();
        List<String> written = new ArrayList<>();
        assertTrue(cursor.next(3, n -> written.add(n.path())));
        assertEquals(List.of("/", "/a", "/a/x"), written);
        s.apply(0, new Txn.Delete("/b/y"));
        s.apply(0, new Txn.Delete("/b"));
        s.apply(0, create("/a/w"));   // behind the walk: not written, its create is replayed
        s.apply(0, create("/a/z"));   // ahead of the walk: written
        while (cursor.next(1, n -> written.add(n.path()))) {
            // one node per slice
        }
        assertEquals(List.of("/", "/a", "/a/x", "/a/z", "/a/zz", "/c", "/zookeeper", "/zookeeper/config",
                "/zookeeper/quota"), written);
    }

    @Test
    void anEphemeralClosedBeforeTheWalkReachesItIsWrittenSoReplayRaisesItsParentsPzxid() {
        DataTree live = new DataTree();
        Steps s = new Steps(live);
        s.apply(7, new Txn.CreateSession(5000));
        s.apply(0, create("/p"));
        s.apply(7, new Txn.Create("/p/e", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, 0, 1));
        SnapshotCursor cursor = live.snapshotCursor();
        List<SnapshotNode> nodes = new ArrayList<>();
        assertTrue(cursor.next(2, nodes::add)); // "/" and "/p", not yet "/p/e"
        s.apply(7, new Txn.CloseSession());     // deletes /p/e: /p's pzxid moves to this zxid
        long closeZxid = live.lastZxid();
        assertFalse(cursor.next(100, nodes::add));
        assertTrue(nodes.stream().anyMatch(n -> n.path().equals("/p/e")), "the closed ephemeral is written");

        DataTree rebuilt = DataTree.restore(cursor.startZxid(), cursor.sessions(), nodes);
        for (TxnRecord r : s.log) {
            if (r.zxid() > cursor.startZxid()) {
                rebuilt.replay(r);
            }
        }
        assertEquals(closeZxid, rebuilt.node("/p").pzxid());
        assertEquals(live.digest(), rebuilt.digest());
    }

    @Test
    void replayedCreateOfAnExistingNodeStillRaisesTheParentsCversionAndPzxid() {
        DataTree live = new DataTree();
        Steps s = new Steps(live);
        s.apply(0, create("/p"));
        s.apply(0, create("/p/a"));
        SnapshotCursor cursor = live.snapshotCursor();
        List<SnapshotNode> nodes = new ArrayList<>();
        assertTrue(cursor.next(2, nodes::add));  // "/" and "/p" with cversion 1
        s.apply(0, new Txn.Create("/p/c", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0, 2));
        assertFalse(cursor.next(100, nodes::add)); // "/p/c" among them
        DataTree rebuilt = DataTree.restore(cursor.startZxid(), cursor.sessions(), nodes);
        ApplyResult r = rebuilt.replay(s.log.get(s.log.size() - 1));
        assertEquals(ErrorCode.NODE_EXISTS, ((OpResult.Error) r.result()).code());
        assertEquals(2, rebuilt.node("/p").persistedCversion());
        assertEquals(live.lastZxid(), rebuilt.node("/p").pzxid());
        assertEquals(live.digest(), rebuilt.digest());
    }

    @Test
    void replayedDeleteOfAMissingNodeStillRaisesTheParentsPzxid() {
        DataTree live = new DataTree();
        Steps s = new Steps(live);
        s.apply(0, create("/p"));
        s.apply(0, create("/p/c"));
        SnapshotCursor cursor = live.snapshotCursor();
        List<SnapshotNode> nodes = new ArrayList<>();
        assertTrue(cursor.next(2, nodes::add));
        s.apply(0, new Txn.Delete("/p/c"));
        assertFalse(cursor.next(100, nodes::add));
        DataTree rebuilt = DataTree.restore(cursor.startZxid(), cursor.sessions(), nodes);
        rebuilt.replay(s.log.get(s.log.size() - 1));
        assertEquals(live.lastZxid(), rebuilt.node("/p").pzxid());
        assertEquals(live.digest(), rebuilt.digest());
    }

    @Test
    void aNewCursorSupersedesTheOldOne() {
        DataTree live = new DataTree();
        SnapshotCursor old = live.snapshotCursor();
        SnapshotCursor current = live.snapshotCursor();
        assertThrows(IllegalStateException.class, () -> old.next(10, n -> { }));
        assertFalse(current.next(100, n -> { }));
    }

    @Test
    void cursorKeepsTheStartZxidAndSessionTableOfItsMaking() {
        DataTree live = new DataTree();
        Steps s = new Steps(live);
        s.apply(5, new Txn.CreateSession(3000));
        SnapshotCursor cursor = live.snapshotCursor();
        long start = live.lastZxid();
        s.apply(6, new Txn.CreateSession(4000));
        assertEquals(start, cursor.startZxid());
        assertEquals(Map.of(5L, 3000), cursor.sessions());
    }

    @Test
    void restoreRefusesANodeBeforeItsParent() {
        List<SnapshotNode> nodes = walk(new DataTree());
        List<SnapshotNode> bad = new ArrayList<>(nodes);
        bad.add(node("/x/y"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataTree.restore(0, Map.of(), bad));
        assertTrue(e.getMessage().contains("/x/y"), e.getMessage());
    }

    @Test
    void restoreRefusesAPathTwice() {
        List<SnapshotNode> bad = new ArrayList<>(walk(new DataTree()));
        bad.add(node("/x"));
        bad.add(node("/x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataTree.restore(0, Map.of(), bad));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void restoreRefusesASnapshotWithoutTheSystemNodes() {
        assertThrows(IllegalArgumentException.class, () -> DataTree.restore(0, Map.of(), List.of(node("/"))));
    }

    @Test
    void restoreRebuildsTheEphemeralContainerAndTtlIndexes() {
        DataTree live = new DataTree();
        Steps s = new Steps(live);
        s.apply(9, new Txn.CreateSession(3000));
        s.apply(0, new Txn.Create("/c", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.CONTAINER, 0, 1));
        s.apply(0, new Txn.Create("/c/k", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0, 1));
        s.apply(0, new Txn.Delete("/c/k"));
        s.apply(0, new Txn.Create("/t", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 10, 2));
        s.apply(9, new Txn.Create("/e", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, 0, 3));
        DataTree restored = DataTree.restore(live.lastZxid(), live.sessions(), walk(live));
        assertEquals(live.ephemerals(9), restored.ephemerals(9));
        assertEquals(List.of("/c", "/t"), restored.reapCandidates(Long.MAX_VALUE / 2));
        assertEquals(live.reapCandidates(Long.MAX_VALUE / 2), restored.reapCandidates(Long.MAX_VALUE / 2));
        s.apply(9, new Txn.CloseSession());
        restored.apply(s.log.get(s.log.size() - 1));
        assertEquals(live.digest(), restored.digest());
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static Txn create(String path) {
        return new Txn.Create(path, path.getBytes(StandardCharsets.UTF_8), Acl.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT, 0, -1);
    }

    private static SnapshotNode node(String path) {
        return new SnapshotNode(path, new byte[0], Acl.OPEN_ACL_UNSAFE, 1, 1, 0, 0, 0, 0, 0, 1,
                CreateMode.PERSISTENT, 0, 0);
    }

    private static List<SnapshotNode> walk(DataTree tree) {
        List<SnapshotNode> nodes = new ArrayList<>();
        tree.snapshotCursor().next(Integer.MAX_VALUE, nodes::add);
        return nodes;
    }

    /** Applies hand-written records with increasing zxids and keeps them. */
    private static final class Steps {
        final DataTree tree;
        final List<TxnRecord> log = new ArrayList<>();

        Steps(DataTree tree) {
            this.tree = tree;
        }

        void apply(long session, Txn txn) {
            TxnRecord r = new TxnRecord(tree.lastZxid() + 1, session, 0, 1000 + tree.lastZxid(), txn);
            log.add(r);
            ApplyResult result = tree.apply(r);
            assertFalse(result.result() instanceof OpResult.Error, () -> "refused: " + txn + " " + result);
        }
    }

    /** One seeded run: a warm-up, a walk in random slices with writes between, more writes. */
    private static final class Run {
        final DataTree live = new DataTree();
        final List<TxnRecord> log = new ArrayList<>();
        final List<SnapshotNode> nodes = new ArrayList<>();
        long startZxid;
        long endZxid;
        Map<Long, Integer> sessions;

        static Run of(long seed) {
            Run run = new Run();
            Random rnd = new Random(seed);
            Workload w = new Workload(seed * 31 + 7, run.live);
            run.log.addAll(w.run(100 + rnd.nextInt(400)));
            SnapshotCursor cursor = run.live.snapshotCursor();
            run.startZxid = cursor.startZxid();
            run.sessions = cursor.sessions();
            int maxSlice = 1 + rnd.nextInt(8);
            int maxWrites = 1 + rnd.nextInt(6);
            while (cursor.next(1 + rnd.nextInt(maxSlice), run.nodes::add)) {
                run.log.addAll(w.run(rnd.nextInt(maxWrites + 1)));
            }
            // The snapshot is finished a little later: records applied meanwhile are replayed too.
            run.log.addAll(w.run(rnd.nextInt(3)));
            run.endZxid = run.live.lastZxid();
            run.log.addAll(w.run(rnd.nextInt(50)));
            return run;
        }

        DataTree rebuild(boolean replay) {
            DataTree t = DataTree.restore(startZxid, sessions, nodes);
            for (TxnRecord r : log) {
                if (r.zxid() <= startZxid) {
                    continue;
                }
                if (r.zxid() <= endZxid && replay) {
                    t.replay(r);
                } else {
                    t.apply(r);
                }
            }
            return t;
        }
    }

    static void assertSameTree(DataTree a, DataTree b, String what) {
        assertEquals(a.sessions(), b.sessions(), what);
        for (long s : a.sessions().keySet()) {
            assertEquals(a.ephemerals(s), b.ephemerals(s), what + " ephemerals of " + s);
        }
        int seen = 0;
        for (String path : allPaths(a)) {
            ZNode x = a.node(path);
            ZNode y = b.node(path);
            assertNotNull(y, what + ": missing " + path);
            assertEquals(x.stat(), y.stat(), what + ": " + path);
            assertArrayEquals(x.data(), y.data(), what + ": " + path);
            assertEquals(x.acl(), y.acl(), what + ": " + path);
            assertEquals(x.mode(), y.mode(), what + ": " + path);
            assertEquals(x.ttlMs(), y.ttlMs(), what + ": " + path);
            assertEquals(x.persistedCversion(), y.persistedCversion(), what + ": " + path);
            assertEquals(x.children(), y.children(), what + ": " + path);
            seen++;
        }
        assertEquals(seen, b.nodeCount(), what + ": extra nodes");
        assertEquals(a.reapCandidates(Long.MAX_VALUE / 2), b.reapCandidates(Long.MAX_VALUE / 2), what);
        assertNotEquals(0, seen);
    }

    static List<String> allPaths(DataTree t) {
        List<String> out = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add("/");
        while (!todo.isEmpty()) {
            String p = todo.poll();
            out.add(p);
            for (String c : t.node(p).children()) {
                todo.add(PathUtils.child(p, c));
            }
        }
        return out;
    }

    /**
     * Random writes as clients would send them, prepared by {@link TxnPrep} against the live tree
     * and applied at once. Few names, so paths are deleted and created again (under other
     * sessions, with other modes) while a walk is under way; sessions open and close with
     * ephemerals; containers and TTL nodes get reaped. Public for the storage tests.
     */
    public static final class Workload {
        private static final String[] NAMES = {"a", "b", "c", "d"};
        private static final List<Acl> OTHER_ACL = List.of(new Acl(Perms.ALL, Id.ANYONE),
                new Acl(Perms.READ, new Id("digest", "bob:hash")));

        private final Random rnd;
        private final DataTree tree;
        private final TxnPrep prep;
        private final List<Long> sessions = new ArrayList<>();
        private long nextSession = 0x10;
        private long timeMs = 1_700_000_000_000L;

        public Workload(long seed, DataTree tree) {
            this.rnd = new Random(seed);
            this.tree = tree;
            this.prep = new TxnPrep(tree, 1 << 20, null);
            sessions.addAll(tree.sessions().keySet());
            for (long s : sessions) {
                nextSession = Math.max(nextSession, s + 1);
            }
        }

        /** Prepares and applies {@code count} records; returns them. */
        public List<TxnRecord> run(int count) {
            List<TxnRecord> out = new ArrayList<>(count);
            while (out.size() < count) {
                TxnRecord r = next();
                if (r != null) {
                    tree.apply(r);
                    prep.applied(r.zxid());
                    out.add(r);
                }
            }
            return out;
        }

        private TxnRecord next() {
            long zxid = tree.lastZxid() + 1;
            timeMs += rnd.nextInt(40);
            int dice = rnd.nextInt(100);
            if (dice < 6 || sessions.isEmpty()) {
                long id = nextSession++;
                sessions.add(id);
                return prep.prepareCreateSession(zxid, id, timeMs, 4000).record();
            }
            if (dice < 11) {
                long id = sessions.remove(rnd.nextInt(sessions.size()));
                return prep.prepareCloseSession(zxid, id, timeMs).record();
            }
            long session = rnd.nextInt(4) == 0 ? 0 : sessions.get(rnd.nextInt(sessions.size()));
            return prep.prepare(zxid, session, rnd.nextInt(100), timeMs, List.of(), op()).record();
        }

        private Op op() {
            int dice = rnd.nextInt(100);
            String any = anyPath();
            if (dice < 40) {
                return createUnder(any);
            } else if (dice < 55) {
                return new Op.Delete(any, -1);
            } else if (dice < 59) {
                return new Op.DeleteAll(any);
            } else if (dice < 72) {
                return new Op.SetData(any, bytes(), -1);
            } else if (dice < 78) {
                return new Op.SetAcl(any, rnd.nextBoolean() ? OTHER_ACL : Acl.OPEN_ACL_UNSAFE, -1);
            } else if (dice < 82) {
                timeMs += rnd.nextInt(3000);
                return new Op.Reap(any);
            }
            List<Op> ops = new ArrayList<>();
            int n = 1 + rnd.nextInt(4);
            String base = any;
            for (int i = 0; i < n; i++) {
                int d = rnd.nextInt(5);
                if (d == 0) {
                    Op.Create c = createUnder(base);
                    ops.add(c);
                    base = c.mode().isSequential() ? base : c.path();
                } else if (d == 1) {
                    ops.add(new Op.Delete(anyPath(), -1));
                } else if (d == 2) {
                    ops.add(new Op.SetData(rnd.nextBoolean() ? base : anyPath(), bytes(), -1));
                } else if (d == 3) {
                    ops.add(new Op.Check(base, -1));
                } else {
                    ops.add(new Op.Delete(base, -1));
                }
            }
            return new Op.Multi(ops);
        }

        private Op.Create createUnder(String parent) {
            CreateMode mode = CreateMode.values()[rnd.nextInt(CreateMode.values().length)];
            String name = NAMES[rnd.nextInt(NAMES.length)];
            String path = mode.isSequential() ? PathUtils.child(parent, name + "-") : PathUtils.child(parent, name);
            return new Op.Create(path, bytes(), Acl.OPEN_ACL_UNSAFE, mode, mode.isTtl() ? 1 + rnd.nextInt(2000) : 0);
        }

        private String anyPath() {
            // Mostly shallow: the root and its children are where paths come and go most.
            List<String> paths = allPaths(tree);
            String p = paths.get(rnd.nextInt(paths.size()));
            return p.startsWith("/zookeeper") && rnd.nextInt(4) != 0 ? "/" : p;
        }

        private byte[] bytes() {
            byte[] b = new byte[rnd.nextInt(6)];
            rnd.nextBytes(b);
            return b;
        }
    }
}
