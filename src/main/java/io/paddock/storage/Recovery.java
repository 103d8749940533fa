package io.paddock.storage;

import io.paddock.tree.DataTree;
import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the tree at start-up, as ZooKeeper's FileTxnSnapLog.restore does: the newest valid
 * snapshot, then every logged record after its start zxid, replayed ({@link DataTree#replay})
 * up to the zxid its fuzzy walk ended at and applied after that. Missing records are an error
 * naming the snapshot and the log segment, never a silent hole. A record must {@link #follows
 * follow} the one before it (the snapshot's start zxid for the first, 0 without a snapshot):
 * the next zxid, or the first (counter 1) of a later epoch, since every leader numbers its
 * proposals from 1 and a follower receives them in order. The log must reach the snapshot's end
 * zxid; and it must pass through the start zxid of every newer snapshot that was skipped as
 * damaged, since the history is known to have reached it (a hole that ends at an epoch boundary
 * would otherwise go unseen).
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
        return recover(dir, log, Long.MAX_VALUE, p -> true);
    }

    /**
     * True when a log record with zxid {@code next} may come right after {@code previous} (a
     * record's zxid, a snapshot's start zxid, or 0 for the empty tree): it is the next zxid, or
     * the first of a later epoch.
     */
    public static boolean follows(long previous, long next) {
        return next == previous + 1 || ((next >>> 32) > (previous >>> 32) && (next & 0xffffffffL) == 1);
    }

    /**
     * As {@link #recover(Path, TxnLog)}, as if the log ended at {@code maxZxid} and {@code dir}
     * held only the snapshots {@code usable} accepts. It reads only, so a caller can learn what
     * start-up will recover once the files it is about to remove are gone (see {@link Truncation}).
     */
    static Recovered recover(Path dir, TxnLog log, long maxZxid, Predicate<Path> usable) throws IOException {
        long startedNanos = System.nanoTime();
        Optional<SnapshotFiles.Loaded> loaded = SnapshotFiles.loadNewestValid(dir, usable);
        DataTree tree = loaded.isPresent() ? loaded.get().tree() : new DataTree();
        long startZxid = loaded.isPresent() ? loaded.get().startZxid() : 0;
        long endZxid = loaded.isPresent() ? loaded.get().endZxid() : 0;
        String from = loaded.isPresent() ? "snapshot " + loaded.get().file()
                : "no snapshot (" + skipped(dir, usable) + ")";
        // Newer snapshots skipped as damaged, oldest first: the log must pass through their start zxids.
        List<Path> damaged = new ArrayList<>();
        for (Path p : SnapshotFiles.list(dir)) {
            if (usable.test(p) && SnapshotFiles.startZxidOf(p) > startZxid) {
                damaged.add(0, p);
            }
        }
        int nextDamaged = 0;
        int replayed = 0;
        int applied = 0;
        long last = startZxid;
        try (TxnIterator records = log.read(startZxid)) {
            while (records.hasNext()) {
                TxnRecord r = records.next();
                if (r.zxid() > maxZxid) {
                    break;
                }
                if (replayed + applied == 0 && !follows(startZxid, r.zxid())) {
                    throw new IOException("Records are missing: recovering from " + from + " needs the log from zxid 0x"
                            + Long.toHexString(startZxid + 1) + ", but its first record after that is 0x"
                            + Long.toHexString(r.zxid()) + " in " + segmentOf(log, r.zxid()));
                }
                if (replayed + applied > 0 && !follows(last, r.zxid())) {
                    throw new IOException("Records are missing: zxids 0x" + Long.toHexString(last + 1) + " to 0x"
                            + Long.toHexString(r.zxid() - 1) + " are not in the log, which jumps from 0x"
                            + Long.toHexString(last) + " to 0x" + Long.toHexString(r.zxid()) + " in "
                            + segmentOf(log, r.zxid()) + " (a segment deleted or lost?)");
                }
                while (nextDamaged < damaged.size() && SnapshotFiles.startZxidOf(damaged.get(nextDamaged)) <= r.zxid()) {
                    long at = SnapshotFiles.startZxidOf(damaged.get(nextDamaged));
                    if (at != r.zxid()) {
                        throw passedOver(damaged.get(nextDamaged), from, "jumps from 0x" + Long.toHexString(last)
                                + " to 0x" + Long.toHexString(r.zxid()) + " in " + segmentOf(log, r.zxid()));
                    }
                    nextDamaged++;
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
        if (nextDamaged < damaged.size()) {
            throw passedOver(damaged.get(nextDamaged), from, "ends at 0x" + Long.toHexString(last));
        }
        logger.info("Recovered zxid 0x{} from {} (start 0x{}, end 0x{}): {} log records replayed over it and {} applied, in {} ms",
                Long.toHexString(tree.lastZxid()), from, Long.toHexString(startZxid), Long.toHexString(endZxid),
                replayed, applied, (System.nanoTime() - startedNanos) / 1_000_000);
        return new Recovered(tree, startZxid, replayed + applied);
    }

    private static IOException passedOver(Path damaged, String from, String how) {
        return new IOException("Records are missing: the damaged snapshot " + damaged + " shows that the history reached"
                + " zxid 0x" + Long.toHexString(SnapshotFiles.startZxidOf(damaged)) + ", but the log read from " + from
                + " " + how + " without it");
    }

    private static String skipped(Path dir, Predicate<Path> usable) {
        int invalid = (int) SnapshotFiles.list(dir).stream().filter(usable).count();
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
