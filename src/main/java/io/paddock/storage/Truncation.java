package io.paddock.storage;

import io.paddock.tree.DataTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZAB's TRUNC: the data directory forgets every transaction after a zxid, and the tree is rebuilt
 * at exactly that zxid. Two kinds of file hold transactions after it: log records, and snapshots
 * whose start or end zxid lies above it (a fuzzy snapshot shows the effects of every record up to
 * its end zxid). ZooKeeper truncates the log only; a snapshot taken from the dropped records would
 * come back at the next start-up (ZOOKEEPER-1549). Here such snapshots are set aside: renamed to
 * {@code snapshot.<zxid>.truncated}, a name recovery and purging never read nor delete, and kept
 * for an operator who wants to see the history that was dropped.
 *
 * <p>The steps, in this order:
 * <ol>
 * <li><b>Plan</b>, reading only: which snapshots cannot serve a tree at or below the zxid, and
 *     the tree that {@link Recovery} rebuilds from the rest, with the log read up to the zxid.
 *     If that tree is not at exactly the zxid (the log ends before it, records it needs were
 *     purged, a segment is damaged), {@link SnapshotNeededException} is thrown and nothing has
 *     changed: only a full snapshot from the leader can help.
 * <li><b>Set aside</b> those snapshots, oldest first, then force the directory. Until the
 *     directory is forced, a crash may keep any of the renames or none; whichever snapshot is
 *     then newest, the log is still whole, so start-up recovers the old state.
 * <li><b>Truncate the log</b> ({@link TxnLog#truncateAfter}): later segments deleted newest
 *     first, the directory forced after each, then the segment holding the zxid cut and forced.
 *     A crash meanwhile leaves a prefix of the old history at least as long as the truncated
 *     one, which start-up recovers like the old state and the leader truncates again. After it
 *     the directory holds the truncated state.
 * </ol>
 * The tree the plan built is what start-up rebuilds from the files that remain (the same
 * snapshot, the same records), so it is returned without reading everything again.
 *
 * <p>Nothing may append to the log or write a snapshot meanwhile: the log must be flushed, and
 * the caller stops snapshots while it syncs with a leader.
 */
public final class Truncation {

    private static final Logger logger = LoggerFactory.getLogger(Truncation.class);

    /** Appended to the name of a snapshot that holds transactions a truncation dropped. */
    public static final String SET_ASIDE_SUFFIX = ".truncated";

    private Truncation() {
    }

    /**
     * Durably drops every transaction after {@code zxid} from {@code dir} and returns the tree at
     * exactly {@code zxid}. {@code log} is the open log of {@code dir}, flushed; it stays open and
     * its next append starts a new segment.
     *
     * @throws SnapshotNeededException when the files cannot rebuild the tree at {@code zxid}; nothing changed
     * @throws IOException             when a disk step failed; start-up recovers the directory as explained above
     */
    public static DataTree truncate(Path dir, TxnLog log, long zxid) throws IOException {
        return truncate(dir, log, zxid, DiskSteps.all());
    }

    static DataTree truncate(Path dir, TxnLog log, long zxid, DiskSteps steps) throws IOException {
        if (zxid < 0) {
            throw new IllegalArgumentException("zxid must not be negative: " + zxid);
        }
        log.checkFlushed();
        long startedNanos = System.nanoTime();
        List<Path> aside = cannotServe(dir, zxid);
        Recovery.Recovered planned;
        try {
            planned = Recovery.recover(dir, log, zxid, p -> !aside.contains(p));
        } catch (IOException e) {
            throw new SnapshotNeededException(zxid, "the snapshots at or below it and the log cannot rebuild the tree"
                    + " there (" + e.getMessage() + ")", e);
        }
        long reached = planned.tree().lastZxid();
        if (reached != zxid) {
            throw new SnapshotNeededException(zxid, "the snapshots at or below it and the log reach only 0x"
                    + Long.toHexString(reached) + " (the log ends at 0x" + Long.toHexString(log.lastZxid()) + ")", null);
        }
        long lastBefore = log.lastZxid();
        setAside(dir, aside, steps);
        steps.run(() -> log.truncateAfter(zxid));
        logger.info("Truncated {} to zxid 0x{} in {} ms: log records after it dropped (the log ended at 0x{}), {}",
                dir, Long.toHexString(zxid), (System.nanoTime() - startedNanos) / 1_000_000, Long.toHexString(lastBefore),
                aside.isEmpty() ? "no snapshot set aside" : "snapshots set aside: " + aside);
        return planned.tree();
    }

    /**
     * The finished snapshots of {@code dir} that hold effects of records after {@code zxid},
     * oldest first: a start zxid above it, or an end zxid (as the trailer claims) above it. A
     * snapshot too damaged to say stays: recovery skips it anyway.
     */
    static List<Path> cannotServe(Path dir, long zxid) throws IOException {
        List<Path> aside = new ArrayList<>();
        for (Path p : SnapshotFiles.list(dir)) {
            if (SnapshotFiles.startZxidOf(p) > zxid || endZxidOrUnknown(p) > zxid) {
                aside.add(0, p);
            }
        }
        return aside;
    }

    private static long endZxidOrUnknown(Path snapshot) {
        try {
            return SnapshotFiles.endZxidOf(snapshot);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Renames each of {@code snapshots} out of recovery's sight, then forces the directory: one step each. */
    static void setAside(Path dir, List<Path> snapshots, DiskSteps steps) throws IOException {
        for (Path p : snapshots) {
            steps.run(() -> Files.move(p, p.resolveSibling(p.getFileName() + SET_ASIDE_SUFFIX),
                    StandardCopyOption.ATOMIC_MOVE));
        }
        if (!snapshots.isEmpty()) {
            steps.run(() -> SnapshotFiles.forceDirectory(dir));
        }
    }
}
