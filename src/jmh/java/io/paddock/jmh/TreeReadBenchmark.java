package io.paddock.jmh;

import io.paddock.tree.DataTree;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Id;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import io.paddock.tree.Reads;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reads from a tree of about 100,000 znodes of 100 bytes, answered as TreeActor answers them
 * ({@link Reads#read}: lookup by path, ACL check, Stat, result), without watches. Paths are
 * visited in a fixed shuffled order, so lookups do not stay in one cache line. The path strings
 * are reused, so their hash codes are cached; a request decoded from the wire hashes its path once more.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TreeReadBenchmark {

    static final int DATA_BYTES = 100;
    static final int SPREAD_DIRS = 100;
    static final int SPREAD_LEAVES = 890;
    static final int MIN_NODES = 100_000;
    private static final List<Id> NO_IDS = List.of();

    /** The tree, shared by every benchmark of a fork: reads change nothing. */
    @State(Scope.Benchmark)
    public static class Tree {
        DataTree tree;
        String[] leaves;
        /** A missing sibling of each leaf. */
        String[] missing;

        @Setup
        public void setup() {
            TreeDriver d = new TreeDriver(new DataTree());
            byte[] data = TreeDriver.data(DATA_BYTES);
            List<String> all = new ArrayList<>();
            for (int size : new int[] {1_000, 10_000}) {
                String parent = "/c" + size;
                d.create(parent, new byte[0]);
                for (int i = 0; i < size; i++) {
                    String p = String.format("%s/k%07d", parent, i);
                    d.create(p, data);
                    all.add(p);
                }
            }
            d.create("/spread", new byte[0]);
            for (int dir = 0; dir < SPREAD_DIRS; dir++) {
                String parent = String.format("/spread/d%03d", dir);
                d.create(parent, new byte[0]);
                for (int i = 0; i < SPREAD_LEAVES; i++) {
                    String p = String.format("%s/k%07d", parent, i);
                    d.create(p, data);
                    all.add(p);
                }
            }
            // A fixed seed: the same visiting order in every run.
            Collections.shuffle(all, new Random(42));
            tree = d.tree();
            leaves = all.toArray(new String[0]);
            missing = new String[leaves.length];
            for (int i = 0; i < leaves.length; i++) {
                missing[i] = leaves[i] + "x";
                TreeDriver.require(tree.node(missing[i]) == null, missing[i] + " is missing");
            }
            TreeDriver.require(tree.nodeCount() >= MIN_NODES, "tree holds " + tree.nodeCount() + " nodes, expected >= " + MIN_NODES);
            for (String p : leaves) {
                TreeDriver.require(tree.node(p) != null, p + " exists");
            }
        }
    }

    /** A cursor over the shuffled leaves, one per thread. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        int next(Tree t) {
            int i = next;
            next = i + 1 == t.leaves.length ? 0 : i + 1;
            return i;
        }

        @Setup
        public void check(Tree t) {
            OpResult r = Reads.read(t.tree, 0, NO_IDS, new Op.GetData(t.leaves[0], false), null);
            TreeDriver.require(r instanceof OpResult.Data d && d.data().length == DATA_BYTES, "getData answers 100 bytes: " + r);
            r = Reads.read(t.tree, 0, NO_IDS, new Op.Exists(t.leaves[1], false), null);
            TreeDriver.require(r instanceof OpResult.StatResult, "exists answers a Stat: " + r);
            r = Reads.read(t.tree, 0, NO_IDS, new Op.Exists(t.missing[2], false), null);
            TreeDriver.require(r instanceof OpResult.Error e && e.code() == ErrorCode.NO_NODE, "a missing node is NoNode: " + r);
        }
    }

    /** The parent whose children are listed. */
    @State(Scope.Thread)
    public static class Parent {
        @Param({"1000", "10000"})
        int children;
        String path;

        @Setup
        public void setup(Tree t) {
            path = "/c" + children;
            OpResult r = Reads.read(t.tree, 0, NO_IDS, new Op.GetChildren(path, false), null);
            TreeDriver.require(r instanceof OpResult.Children c && c.children().size() == children,
                    path + " lists " + children + " children");
        }
    }

    @Benchmark
    public OpResult getData(Tree t, Cursor c) {
        return Reads.read(t.tree, 0, NO_IDS, new Op.GetData(t.leaves[c.next(t)], false), null);
    }

    @Benchmark
    public OpResult exists(Tree t, Cursor c) {
        return Reads.read(t.tree, 0, NO_IDS, new Op.Exists(t.leaves[c.next(t)], false), null);
    }

    /** exists on a node that is not there (the lock recipes' watch on their predecessor): NoNode. */
    @Benchmark
    public OpResult existsMissing(Tree t, Cursor c) {
        return Reads.read(t.tree, 0, NO_IDS, new Op.Exists(t.missing[c.next(t)], false), null);
    }

    @Benchmark
    public OpResult getChildren(Tree t, Parent p) {
        return Reads.read(t.tree, 0, NO_IDS, new Op.GetChildren(p.path, false), null);
    }
}
