package io.paddock.storage;

import io.paddock.tree.DataTree;
import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the tree at start-up, as ZooKeeper's FileTxnSnapLog.restore does: the newest valid
 * snapshot, then every logged record after its start zxid, replayed ({@link DataTree#replay})
 * up to the zxid its fuzzy walk ended at and applied after that. Missing records are an error
 * naming the snapshot and the log segment, never a silent hole: the log must continue right
 * after the snapshot's start zxid (or, without a snapshot, from zxid 1), must reach the
 * snapshot's end zxid, and within one epoch (the high 32 bits) must go on without a jump.
 */
public final class Recovery {

    private static final Logger logger = LoggerFactory.getLogger(Recovery.class);

    /**
     * @param snapshotZxid the start zxid of the snapshot used, 0 without one
     * @param replayed     the log records replayed or applied over it
     */
    public record Recovered(DataTree tree, long snapshotZxid, int replayed) {
    }

    private Recovery() {
    }

    /** The tree from {@code dir}'s newest valid snapshot and {@code log}, which must already be open. */
    public static Recovered recover(Path dir, TxnLog log) throws IOException {
        long startedNanos = System.nanoTime();
        Optional<SnapshotFiles.Loaded> loaded = SnapshotFiles.loadNewestValid(dir);
        DataTree tree = loaded.isPresent() ? loaded.get().tree() : new DataTree();
        long startZxid = loaded.isPresent() ? loaded.get().startZxid() : 0;
        long endZxid = loaded.isPresent() ? loaded.get().endZxid() : 0;
        String from = loaded.isPresent() ? "snapshot " + loaded.get().file()
                : "no snapshot (" + skipped(dir) + ")";
        int replayed = 0;
        int applied = 0;
        long last = startZxid;
        try (TxnIterator records = log.read(startZxid)) {
            while (records.hasNext()) {
                TxnRecord r = records.next();
                if (replayed + applied == 0 && r.zxid() != startZxid + 1) {
                    throw new IOException("Records are missing: recovering from " + from + " needs the log from zxid 0x"
                            + Long.toHexString(startZxid + 1) + ", but its first record after that is 0x"
                            + Long.toHexString(r.zxid()) + " in " + segmentOf(log, r.zxid()));
                }
                if (replayed + applied > 0 && r.zxid() != last + 1 && (r.zxid() >>> 32) == (last >>> 32)) {
                    throw new IOException("Records are missing: zxids 0x" + Long.toHexString(last + 1) + " to 0x"
                            + Long.toHexString(r.zxid() - 1) + " are not in the log, which jumps from 0x"
                            + Long.toHexString(last) + " to 0x" + Long.toHexString(r.zxid()) + " in "
                            + segmentOf(log, r.zxid()) + " (a segment deleted or lost?)");
                }
                if (r.zxid() <= endZxid) {
                    tree.replay(r);
                    replayed++;
                } else {
                    tree.apply(r);
                    applied++;
                }
                last = r.zxid();
            }
        }
        if (last < endZxid) {
            throw new IOException("Records are missing: " + from + " was taken while zxids 0x"
                    + Long.toHexString(startZxid + 1) + " to 0x" + Long.toHexString(endZxid)
                    + " were applied and needs them all replayed, but the log ends at 0x" + Long.toHexString(last)
                    + (log.segments().isEmpty() ? " (no log segments)" : " in " + segmentOf(log, last)));
        }
        logger.info("Recovered zxid 0x{} from {} (start 0x{}, end 0x{}): {} log records replayed over it and {} applied, in {} ms",
                Long.toHexString(tree.lastZxid()), from, Long.toHexString(startZxid), Long.toHexString(endZxid),
                replayed, applied, (System.nanoTime() - startedNanos) / 1_000_000);
        return new Recovered(tree, startZxid, replayed + applied);
    }

    private static String skipped(Path dir) {
        int invalid = SnapshotFiles.list(dir).size();
        return invalid == 0 ? "none in " + dir : invalid + " in " + dir + " skipped as invalid";
    }

    /** The segment that holds {@code zxid}: the last one starting at or before it. */
    private static String segmentOf(TxnLog log, long zxid) {
        List<TxnLog.Segment> segments = log.segments();
        TxnLog.Segment holder = null;
        for (TxnLog.Segment s : segments) {
            if (s.firstZxid() <= zxid) {
                holder = s;
            }
        }
        return holder == null ? "the log" : "segment " + holder.file();
    }
}
