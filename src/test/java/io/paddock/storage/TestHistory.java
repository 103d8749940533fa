package io.paddock.storage;

import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.DataTree;
import io.paddock.tree.FuzzySnapshotTest;
import io.paddock.tree.Op;
import io.paddock.tree.SnapshotCursor;
import io.paddock.tree.SnapshotNode;
import io.paddock.tree.TxnPrep;
import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic history of transaction records across ZAB epochs, applied to a tree as it
 * grows, with the records kept so that any prefix can be rebuilt or forked into a diverging
 * history. For storage tests of truncation and snapshot installs.
 */
final class TestHistory {

    final DataTree tree = new DataTree();
    final List<TxnRecord> records = new ArrayList<>();
    private final FuzzySnapshotTest.Workload workload;

    TestHistory(long seed) {
        this.workload = new FuzzySnapshotTest.Workload(seed, tree);
    }

    private TestHistory(long seed, List<TxnRecord> prefix) {
        for (TxnRecord r : prefix) {
            tree.apply(r);
            records.add(r);
        }
        this.workload = new FuzzySnapshotTest.Workload(seed, tree);
    }

    /** {@code n} more records in the current epoch. */
    List<TxnRecord> run(int n) {
        List<TxnRecord> out = workload.run(n);
        records.addAll(out);
        return out;
    }

    /** The first record of {@code epoch}, at zxid (epoch, 1): a node /epoch-N created. */
    TxnRecord newEpoch(long epoch) {
        long zxid = (epoch << 32) | 1;
        TxnRecord r = new TxnPrep(tree, 1 << 20, null).prepare(zxid, 0, 0, 1_800_000_000_000L + epoch, List.of(),
                new Op.Create("/epoch-" + epoch, new byte[] {(byte) epoch}, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0))
                .record();
        tree.apply(r);
        records.add(r);
        return r;
    }

    long lastZxid() {
        return tree.lastZxid();
    }

    /** A history that shares this one's records up to {@code zxid}, then goes its own way. */
    TestHistory fork(long zxid, long seed) {
        return new TestHistory(seed, upTo(zxid));
    }

    List<TxnRecord> upTo(long zxid) {
        return records.stream().filter(r -> r.zxid() <= zxid).toList();
    }

    /** The digest of the tree after the records up to {@code zxid}. */
    long digestAt(long zxid) {
        DataTree t = new DataTree();
        for (TxnRecord r : upTo(zxid)) {
            t.apply(r);
        }
        return t.digest();
    }

    static void log(TxnLog log, List<TxnRecord> records) throws IOException {
        for (TxnRecord r : records) {
            log.append(r);
        }
        log.flush();
    }

    /** An exact snapshot of the tree as it is, written as the snapshot taker writes one. */
    Path quietSnapshot(Path dir) throws IOException {
        SnapshotCursor cursor = tree.snapshotCursor();
        List<SnapshotNode> nodes = new ArrayList<>();
        cursor.next(Integer.MAX_VALUE, nodes::add);
        return write(dir, cursor, nodes, tree.lastZxid());
    }

    /**
     * A fuzzy snapshot: the walk starts now, {@code during} records are applied and logged while
     * it goes on, and it ends at the tree's last zxid after them.
     */
    Path fuzzySnapshot(Path dir, TxnLog log, int during) throws IOException {
        SnapshotCursor cursor = tree.snapshotCursor();
        List<SnapshotNode> nodes = new ArrayList<>();
        cursor.next(3, nodes::add);
        log(log, run(during));
        cursor.next(Integer.MAX_VALUE, nodes::add);
        return write(dir, cursor, nodes, tree.lastZxid());
    }

    private static Path write(Path dir, SnapshotCursor cursor, List<SnapshotNode> nodes, long end) throws IOException {
        try (SnapshotWriter writer = SnapshotWriter.create(dir, cursor.startZxid(), cursor.sessions())) {
            for (SnapshotNode n : nodes) {
                writer.write(n);
            }
            return writer.finish(end);
        }
    }
}
