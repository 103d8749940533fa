package io.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A seeded random history of valid transactions (as prep would emit them, plus some that prep
 * would refuse and failed multis) applied to one tree, then replayed into a fresh one: the two
 * trees must agree node for node and digest for digest, and so must their answers.
 */
class ReplayDeterminismTest {

    private static final int STEPS = 2000;
    private static final List<Acl> BOB_ONLY = List.of(new Acl(Perms.ALL, new Id("digest", "bob:hash")));

    @ParameterizedTest
    @ValueSource(longs = {1L, 42L, 20240601L})
    void replayingTheSameRecordsGivesTheSameTreeAndAnswers(long seed) {
        DataTree live = new DataTree();
        List<TxnRecord> log = new ArrayList<>();
        List<ApplyResult> answers = new ArrayList<>();
        History h = new History(seed, live);
        for (int i = 0; i < STEPS; i++) {
            TxnRecord r = h.next();
            log.add(r);
            answers.add(live.apply(r));
        }
        assertTrue(live.nodeCount() > 50, "history too thin to mean anything: " + live.nodeCount());

        DataTree replayed = new DataTree();
        for (int i = 0; i < log.size(); i++) {
            ApplyResult again = replayed.apply(log.get(i));
            assertEquals(answers.get(i).events(), again.events(), "events of record " + i);
            assertEquals(answers.get(i).result().getClass(), again.result().getClass(), "result of record " + i);
        }
        assertSameTree(live, replayed);
        assertEquals(live.digest(), replayed.digest());
        assertEquals(live.lastZxid(), replayed.lastZxid());
    }

    @ParameterizedTest
    @ValueSource(longs = {7L})
    void sameSeedGivesTheSameDigestAndAnotherSeedAnother(long seed) {
        long a = run(seed);
        long b = run(seed);
        long c = run(seed + 1);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    private static long run(long seed) {
        DataTree t = new DataTree();
        History h = new History(seed, t);
        for (int i = 0; i < STEPS; i++) {
            t.apply(h.next());
        }
        return t.digest();
    }

    private static void assertSameTree(DataTree a, DataTree b) {
        assertEquals(a.nodeCount(), b.nodeCount());
        assertEquals(a.sessions(), b.sessions());
        for (long s : a.sessions().keySet()) {
            assertEquals(a.ephemerals(s), b.ephemerals(s));
        }
        int seen = 0;
        for (String path : allPaths(a)) {
            ZNode x = a.node(path);
            ZNode y = b.node(path);
            assertNotNull(y, path);
            assertEquals(x.stat(), y.stat(), path);
            assertArrayEquals(x.data(), y.data(), path);
            assertEquals(x.acl(), y.acl(), path);
            assertEquals(x.mode(), y.mode(), path);
            assertEquals(x.ttlMs(), y.ttlMs(), path);
            assertEquals(x.persistedCversion(), y.persistedCversion(), path);
            assertEquals(x.children(), y.children(), path);
            seen++;
        }
        assertEquals(a.nodeCount(), seen);
        assertEquals(a.reapCandidates(Long.MAX_VALUE / 2), b.reapCandidates(Long.MAX_VALUE / 2));
    }

    private static List<String> allPaths(DataTree t) {
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

    /** Generates the next record from the live tree's state, as a prep with a seeded random would. */
    private static final class History {
        private final Random rnd;
        private final DataTree tree;
        private long zxid = 0x500000000L;
        private long timeMs = 1_700_000_000_000L;
        private long nextSession = 0x1000;

        History(long seed, DataTree tree) {
            this.rnd = new Random(seed);
            this.tree = tree;
        }

        TxnRecord next() {
            zxid++;
            timeMs += rnd.nextInt(50);
            List<Long> sessions = new ArrayList<>(tree.sessions().keySet());
            int dice = rnd.nextInt(100);
            if (dice < 4 || sessions.isEmpty()) {
                return rec(nextSession++, new Txn.CreateSession(1000 + rnd.nextInt(30_000)));
            }
            long session = sessions.get(rnd.nextInt(sessions.size()));
            if (dice < 6) {
                return rec(session, new Txn.CloseSession());
            }
            List<String> paths = allPaths(tree);
            String any = paths.get(rnd.nextInt(paths.size()));
            ZNode anyNode = tree.node(any);
            if (dice < 45) {
                return rec(session, createUnder(any));
            } else if (dice < 60) {
                String leaf = childless(paths);
                return leaf == null ? rec(session, createUnder("/")) : rec(session, new Txn.Delete(leaf));
            } else if (dice < 75) {
                byte[] data = new byte[rnd.nextInt(12)];
                rnd.nextBytes(data);
                return rec(session, new Txn.SetData(any, data, anyNode.version() + 1));
            } else if (dice < 80) {
                return rec(session, new Txn.SetAcl(any, rnd.nextBoolean() ? BOB_ONLY : Acl.OPEN_ACL_UNSAFE,
                        anyNode.aversion() + 1));
            } else if (dice < 90) {
                return rec(session, multi(any));
            } else if (dice < 94) {
                return rec(session, new Txn.Multi(List.of(new Txn.SetData(any, new byte[] {1}, 99),
                        new Txn.Error(ErrorCode.BAD_VERSION), new Txn.Error(ErrorCode.RUNTIME_INCONSISTENCY))));
            } else if (dice < 97) {
                return rec(session, new Txn.Error(ErrorCode.NO_NODE));
            }
            // something prep would have refused: must be refused identically on replay
            return rec(session, new Txn.Create("/no/such/parent", new byte[0], Acl.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT, 0, 1));
        }

        private TxnRecord rec(long session, Txn txn) {
            return new TxnRecord(zxid, session, rnd.nextInt(1000), timeMs, txn);
        }

        private Txn createUnder(String parentPath) {
            ZNode parent = tree.node(parentPath);
            if (parent.mode() == CreateMode.EPHEMERAL) {
                parentPath = "/";
                parent = tree.node("/");
            }
            CreateMode mode = CreateMode.values()[rnd.nextInt(CreateMode.values().length)];
            String name = "n" + rnd.nextInt(40);
            if (mode.isSequential()) {
                name = name + String.format(Locale.ROOT, "%010d", parent.persistedCversion());
            }
            String path = PathUtils.child(parentPath, name);
            if (tree.node(path) != null) {
                return new Txn.Error(ErrorCode.NODE_EXISTS);
            }
            byte[] data = new byte[rnd.nextInt(8)];
            rnd.nextBytes(data);
            long ttl = mode.isTtl() ? 1 + rnd.nextInt(5000) : 0;
            return new Txn.Create(path, data, Acl.OPEN_ACL_UNSAFE, mode, ttl, parent.persistedCversion() + 1);
        }

        private String childless(List<String> paths) {
            List<String> leaves = new ArrayList<>();
            for (String p : paths) {
                if (tree.node(p).numChildren() == 0 && !DataTree.isSpecialPath(p)) {
                    leaves.add(p);
                }
            }
            return leaves.isEmpty() ? null : leaves.get(rnd.nextInt(leaves.size()));
        }

        /** A multi whose entries depend on each other: create a subtree, touch it, maybe remove part. */
        private Txn multi(String anyPath) {
            String base = tree.node(anyPath).mode() == CreateMode.EPHEMERAL ? "/" : anyPath;
            String p = PathUtils.child(base, "m" + zxid);
            ZNode parent = tree.node(base);
            List<Txn> txns = new ArrayList<>();
            txns.add(new Txn.Create(p, new byte[] {2}, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0,
                    parent.persistedCversion() + 1));
            txns.add(new Txn.Create(PathUtils.child(p, "c"), new byte[0], Acl.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT, 0, 1));
            txns.add(new Txn.SetData(p, new byte[] {3}, 1));
            txns.add(new Txn.Check(p, 2));
            if (rnd.nextBoolean()) {
                txns.add(new Txn.Delete(PathUtils.child(p, "c")));
            }
            return new Txn.Multi(txns);
        }
    }
}
