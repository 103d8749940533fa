package io.paddock.jmh;

import io.paddock.server.PaddockConfig;
import io.paddock.server.ServerGateway;
import io.paddock.tree.Acl;
import io.paddock.tree.ApplyResult;
import io.paddock.tree.CreateMode;
import io.paddock.tree.DataTree;
import io.paddock.tree.Op;
import io.paddock.tree.Prepared;
import io.paddock.tree.TxnPrep;
import java.util.List;

/**
 * Writes to a {@link DataTree} the way a standalone TreeActor does: {@link TxnPrep} prepares the
 * op against the tree plus the writes in flight and assigns the next zxid, then the record is
 * applied and prep is told it was (TreeActor does this once the log reports it durable).
 * The clock is fixed: a benchmark of the tree should not time the clock.
 */
final class TreeDriver {

    static final long TIME_MS = 1_767_225_600_000L;

    private final DataTree tree;
    private final TxnPrep prep;
    private long nextZxid;
    private int cxid;

    TreeDriver(DataTree tree) {
        this.tree = tree;
        this.prep = new TxnPrep(tree, PaddockConfig.DEFAULT_MAX_DATA_BYTES, null);
        this.nextZxid = tree.lastZxid() + 1;
    }

    DataTree tree() {
        return tree;
    }

    /** Prepares one write as a sessionless request, as TreeActor.onWrite does. */
    Prepared prepare(Op op) {
        Prepared p = prep.prepare(nextZxid, ServerGateway.NO_SESSION, ++cxid, TIME_MS, List.of(), op);
        if (p.record() != null) {
            nextZxid = p.record().zxid() + 1;
        }
        return p;
    }

    /** Applies a prepared record, as TreeActor.apply does. */
    ApplyResult apply(Prepared p) {
        ApplyResult applied = tree.apply(p.record());
        prep.applied(p.record().zxid());
        return applied;
    }

    /** Prepares and applies; for building fixtures, so a refused write is a bug in the fixture. */
    ApplyResult write(Op op) {
        Prepared p = prepare(op);
        if (p.refused()) {
            throw new IllegalStateException("fixture write refused: " + op + " -> " + p.error());
        }
        return apply(p);
    }

    ApplyResult create(String path, byte[] data) {
        return write(new Op.Create(path, data, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0));
    }

    /** Bytes 0..n-1 cycling, so data is not all zeros. */
    static byte[] data(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark setup check failed: " + what);
        }
    }
}
