package io.paddock.jmh;

import io.paddock.tree.Acl;
import io.paddock.tree.ApplyResult;
import io.paddock.tree.CreateMode;
import io.paddock.tree.DataTree;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import io.paddock.tree.Prepared;
import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Writes to the tree: create, setData and delete of 100-byte znodes under a parent with 10,000
 * children. The {@code prepareAndApply…} benchmarks do what a standalone TreeActor does per write
 * apart from logging (TxnPrep.prepare, DataTree.apply, TxnPrep.applied); the {@code apply…} ones
 * apply records built by hand, equal to prep's (the setup checks that both paths give the same
 * tree digest), which is the whole cost of a commit on a follower and of log replay.
 * A create-delete pair keeps the tree's size steady; its score is per transaction.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TreeApplyBenchmark {

    static final String PARENT = "/bench";
    static final int SIBLINGS = 10_000;
    static final int DATA_BYTES = 100;
    static final String SCRATCH = PARENT + "/scratch";

    private TreeDriver driver;
    private byte[] data;
    private String[] paths;
    private int next;

    // The hand-built records' state: the next zxid, node versions and the parent's cversion.
    private DataTree applyTree;
    private long applyZxid;
    private int[] versions;
    private int parentCversion;

    @Setup
    public void setup() {
        data = TreeDriver.data(DATA_BYTES);
        paths = new String[SIBLINGS];
        for (int i = 0; i < SIBLINGS; i++) {
            paths[i] = String.format("%s/k%07d", PARENT, i);
        }
        driver = fixture();
        applyTree = fixture().tree();
        applyZxid = applyTree.lastZxid() + 1;
        versions = new int[SIBLINGS];
        parentCversion = applyTree.node(PARENT).persistedCversion();

        TreeDriver.require(driver.tree().nodeCount() == SIBLINGS + 5,
                "tree holds " + driver.tree().nodeCount() + " nodes, expected " + (SIBLINGS + 5));
        TreeDriver.require(driver.tree().node(PARENT).numChildren() == SIBLINGS, "parent has " + SIBLINGS + " children");
        // Prep's records and the hand-built ones must make the same tree, or apply… measures something else.
        for (int i = 0; i < 3; i++) {
            next = i;
            check(prepareAndApplySetData(), OpResult.StatResult.class);
            next = i;
            check(applySetData(), OpResult.StatResult.class);
            createDeleteBoth();
        }
        TreeDriver.require(driver.tree().digest() == applyTree.digest(), "prep-built and hand-built records give equal trees");
        TreeDriver.require(driver.tree().node(paths[0]).version() == 1, "setData moved the version");
        TreeDriver.require(driver.tree().nodeCount() == SIBLINGS + 5, "create-delete keeps the node count");
        next = 0;
    }

    private void createDeleteBoth() {
        ApplyResult[] out = new ApplyResult[2];
        prepareAndApplyPair(out);
        check(out[0], OpResult.Created.class);
        check(out[1], OpResult.Deleted.class);
        applyPair(out);
        check(out[0], OpResult.Created.class);
        check(out[1], OpResult.Deleted.class);
    }

    private static void check(ApplyResult r, Class<? extends OpResult> expected) {
        TreeDriver.require(expected.isInstance(r.result()), "expected " + expected.getSimpleName() + ", got " + r.result());
        TreeDriver.require(!r.events().isEmpty(), "an applied write yields watch events");
    }

    private TreeDriver fixture() {
        TreeDriver d = new TreeDriver(new DataTree());
        d.create(PARENT, new byte[0]);
        for (String p : paths) {
            d.create(p, data);
        }
        return d;
    }

    private int nextIndex() {
        int i = next;
        next = i + 1 == SIBLINGS ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public ApplyResult prepareAndApplySetData() {
        Prepared p = driver.prepare(new Op.SetData(paths[nextIndex()], data, -1));
        return driver.apply(p);
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public void prepareAndApplyCreateDelete(Blackhole bh) {
        ApplyResult[] out = new ApplyResult[2];
        prepareAndApplyPair(out);
        bh.consume(out[0]);
        bh.consume(out[1]);
    }

    private void prepareAndApplyPair(ApplyResult[] out) {
        out[0] = driver.apply(driver.prepare(new Op.Create(SCRATCH, data, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0)));
        out[1] = driver.apply(driver.prepare(new Op.Delete(SCRATCH, -1)));
    }

    @Benchmark
    public ApplyResult applySetData() {
        int i = nextIndex();
        TxnRecord r = new TxnRecord(applyZxid++, 0, 1, TreeDriver.TIME_MS, new Txn.SetData(paths[i], data, ++versions[i]));
        return applyTree.apply(r);
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public void applyCreateDelete(Blackhole bh) {
        ApplyResult[] out = new ApplyResult[2];
        applyPair(out);
        bh.consume(out[0]);
        bh.consume(out[1]);
    }

    private void applyPair(ApplyResult[] out) {
        out[0] = applyTree.apply(new TxnRecord(applyZxid++, 0, 1, TreeDriver.TIME_MS,
                new Txn.Create(SCRATCH, data, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0, ++parentCversion)));
        out[1] = applyTree.apply(new TxnRecord(applyZxid++, 0, 1, TreeDriver.TIME_MS, new Txn.Delete(SCRATCH)));
    }
}
