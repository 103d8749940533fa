package io.paddock.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Autopurge (ZooKeeper's PurgeTxnLog): keeps the newest {@code retainCount} snapshots and every
 * log segment that one of them still needs, and deletes the rest. The rules:
 * <ul>
 * <li>finished snapshots beyond the newest {@code retainCount} go;
 * <li>a log segment goes only when the next segment starts at or below the oldest kept
 *     snapshot's start zxid + 1, so that it holds no record that snapshot replays; the newest
 *     segment never goes, nor any segment while no snapshot exists;
 * <li>a temporary snapshot ({@code .tmp}, left by a crash or an abandoned write) goes when a
 *     finished snapshot at the same or a newer zxid exists; a newer one may still be being
 *     written, and goes at a later purge.
 * </ul>
 * Files whose names are not a snapshot's are never touched.
 */
public final class Purge {

    private Purge() {
    }

    /**
     * What to delete, snapshots first (newest first), then segments (oldest first).
     *
     * @param snapshots snapshot files, finished and temporary, in any order
     * @param segments  the log's segments, in any order
     */
    public static List<Path> plan(List<Path> snapshots, List<TxnLog.Segment> segments, int retainCount) {
        if (retainCount < 1) {
            throw new IllegalArgumentException("retainCount must be at least 1: " + retainCount);
        }
        List<Path> finished = new ArrayList<>();
        List<Path> temporary = new ArrayList<>();
        for (Path p : snapshots) {
            if (SnapshotFiles.startZxidOf(p) >= 0) {
                (SnapshotFiles.isTemporary(p) ? temporary : finished).add(p);
            }
        }
        Comparator<Path> newestFirst = Comparator.comparingLong(SnapshotFiles::startZxidOf).reversed();
        finished.sort(newestFirst);
        temporary.sort(newestFirst);

        List<Path> delete = new ArrayList<>();
        if (finished.size() > retainCount) {
            delete.addAll(finished.subList(retainCount, finished.size()));
        }
        long newest = finished.isEmpty() ? -1 : SnapshotFiles.startZxidOf(finished.get(0));
        for (Path p : temporary) {
            if (SnapshotFiles.startZxidOf(p) <= newest) {
                delete.add(p);
            }
        }
        if (!finished.isEmpty()) {
            long oldestKept = SnapshotFiles.startZxidOf(finished.get(Math.min(retainCount, finished.size()) - 1));
            List<TxnLog.Segment> ordered = new ArrayList<>(segments);
            ordered.sort(Comparator.comparingLong(TxnLog.Segment::firstZxid));
            // Segment i holds zxids below segment i+1's first: none of them is above oldestKept when
            // that first zxid is at most oldestKept + 1.
            for (int i = 0; i + 1 < ordered.size(); i++) {
                if (ordered.get(i + 1).firstZxid() <= oldestKept + 1) {
                    delete.add(ordered.get(i).file());
                }
            }
        }
        return delete;
    }

    /** Applies {@link #plan} to {@code dir} and {@code log}; returns what it deleted. */
    public static List<Path> run(Path dir, TxnLog log, int retainCount) throws IOException {
        List<Path> snapshots;
        try {
            snapshots = SnapshotFiles.listAll(dir);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<Path> deleted = new ArrayList<>();
        for (Path p : plan(snapshots, log.segments(), retainCount)) {
            if (Files.deleteIfExists(p)) {
                deleted.add(p);
            }
        }
        return deleted;
    }
}
