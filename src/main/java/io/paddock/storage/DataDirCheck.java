package io.paddock.storage;

import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code paddock verify <dataDir>}: judges a data directory the way start-up would, without
 * changing a byte of it (start-up truncates torn tails and deletes empty segments; this only
 * says it would). It prints one line per file:
 * <ul>
 * <li>each log segment, oldest first, checked by {@link SegmentScan} exactly as {@link TxnLog}
 *     recovery checks it (header, framing, CRC32C, decoding, zxid order within and across
 *     segments; only the newest may be torn): {@code OK}, {@code torn tail at offset N (would be
 *     truncated at start-up)}, {@code no whole record (would be removed at start-up)} or
 *     {@code CORRUPT at offset N: problem};
 * <li>each finished snapshot, oldest first, loaded as start-up loads one (checksum, framing,
 *     a valid tree): {@code OK} or {@code CORRUPT ...}; a temporary one is listed as ignored;
 * </ul>
 * then a {@code Chain:} line: whether the newest valid snapshot and the log after it leave no
 * hole, by {@link Recovery}'s rules (the log continues at the snapshot's start zxid + 1 and
 * reaches its end zxid) and one more: within an epoch (the zxid's high 32 bits) zxids are
 * consecutive, so a jump there means records are missing, such as a segment deleted by hand;
 * start-up would replay across that hole without noticing. A last {@code Result:} line sums up.
 *
 * <p>Exit status 0: start-up would succeed and lose nothing, possibly after cutting a torn tail
 * off the newest segment or removing an empty newest segment, which is what a crash mid-write
 * leaves and holds no acknowledged write. Exit status 1: anything else, including a damaged
 * snapshot that start-up would skip in favour of an older one: a finished snapshot was forced
 * before it got its name, so damage to it is never a crash's doing and an operator should know.
 */
public final class DataDirCheck {

    static final int OK = 0;
    static final int BAD = 1;

    private DataDirCheck() {
    }

    /** The command for a data directory already resolved: 0 clean, 1 not, and 1 when it cannot be read. */
    public static int run(Path dataDir, PrintStream out, PrintStream err) {
        try {
            return check(dataDir, out);
        } catch (IOException | UncheckedIOException e) {
            out.flush();
            Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
            err.println("paddock verify: cannot read " + dataDir + ": " + cause.getMessage());
            return BAD;
        }
    }

    /**
     * Checks {@code dataDir} and prints the lines described above; returns the exit status.
     * IOException: the directory cannot be listed or a file cannot be read at all.
     */
    public static int check(Path dataDir, PrintStream out) throws IOException {
        out.println("Checking " + dataDir + " (read-only: nothing is truncated, removed or repaired)");
        List<String> failures = new ArrayList<>();
        List<String> repairs = new ArrayList<>();
        LogState log = checkSegments(dataDir, out, failures, repairs);
        Snapshot newest = checkSnapshots(dataDir, out, failures);
        if (log.unreadable) {
            out.println("Chain: not checked: start-up would stop at the damaged log segment");
        } else {
            String gap = chain(newest, log.extents, out);
            if (gap != null) {
                failures.add(gap);
            }
        }
        if (failures.isEmpty()) {
            out.println("Result: OK: the directory would start cleanly"
                    + (repairs.isEmpty() ? "" : ", after start-up " + String.join(" and ", repairs)));
            return OK;
        }
        out.println("Result: FAILED: " + String.join("; ", failures));
        return BAD;
    }

    /** What the chain needs of a snapshot; the tree it loaded is not kept, to hold one tree at a time. */
    private record Snapshot(Path file, long startZxid, long endZxid) {
    }

    /** The readable part of the log, as recovery would leave it. */
    private static final class LogState {
        final List<FileTxnIterator.Extent> extents = new ArrayList<>();
        boolean unreadable;
    }

    private static LogState checkSegments(Path dir, PrintStream out, List<String> failures, List<String> repairs)
            throws IOException {
        LogState state = new LogState();
        List<TxnLog.Segment> segments = TxnLog.list(dir);
        long previousZxid = 0;
        for (int i = 0; i < segments.size(); i++) {
            TxnLog.Segment s = segments.get(i);
            String name = s.file().getFileName().toString();
            SegmentScan.Result r;
            try (SegmentReader reader = SegmentReader.open(ChannelFactory.DEFAULT, s.file())) {
                r = SegmentScan.scan(reader, s.file(), s.firstZxid(), previousZxid, i == segments.size() - 1);
            } catch (CorruptLogException e) {
                out.println(name + ": CORRUPT at offset " + e.offset() + ": " + problemOf(e));
                failures.add(name + " is corrupt at offset " + e.offset() + " (start-up would stop with an error)");
                state.unreadable = true;
                // Its last zxid is unknown; its first is a floor that keeps checking the order after it.
                previousZxid = Math.max(previousZxid, s.firstZxid());
                continue;
            }
            switch (r.outcome()) {
                case WHOLE -> out.println(name + ": OK, " + records(r, s.firstZxid()));
                case TORN -> {
                    out.println(name + ": torn tail at offset " + r.recordsEnd() + " (would be truncated at start-up): "
                            + r.problem() + "; " + records(r, s.firstZxid()) + " before it");
                    repairs.add("truncates the torn tail of " + name + " at offset " + r.recordsEnd());
                }
                case EMPTY -> {
                    out.println(name + ": no whole record (would be removed at start-up): " + r.problem());
                    repairs.add("removes " + name);
                }
                default -> throw new IllegalStateException(r.outcome().toString());
            }
            if (r.records() > 0) {
                state.extents.add(new FileTxnIterator.Extent(s.file(), s.firstZxid(), r.recordsEnd()));
            }
            previousZxid = r.lastZxid();
        }
        return state;
    }

    private static String records(SegmentScan.Result r, long firstZxid) {
        return r.records() + (r.records() == 1 ? " record" : " records") + ", zxid 0x" + Long.toHexString(firstZxid)
                + " to 0x" + Long.toHexString(r.lastZxid());
    }

    /** The problem a CorruptLogException names, without the file and offset it also carries. */
    private static String problemOf(CorruptLogException e) {
        String message = String.valueOf(e.getMessage());
        String prefix = e.file() + " at offset " + e.offset() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /** Prints every snapshot's line; returns the newest that loads, as start-up would pick it, or null. */
    private static Snapshot checkSnapshots(Path dir, PrintStream out, List<String> failures) {
        List<Path> files = new ArrayList<>(SnapshotFiles.listAll(dir));
        files.sort(Comparator.comparingLong(SnapshotFiles::startZxidOf)
                .thenComparing(p -> p.getFileName().toString()));
        Snapshot newest = null;
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (SnapshotFiles.isTemporary(file)) {
                out.println(name + ": unfinished snapshot (being written, or left by a crash): ignored at start-up,"
                        + " purging deletes it");
                continue;
            }
            try {
                SnapshotFiles.Loaded loaded = SnapshotFiles.load(file);
                int sessions = loaded.tree().sessions().size();
                out.println(name + ": OK, start zxid 0x" + Long.toHexString(loaded.startZxid()) + ", end zxid 0x"
                        + Long.toHexString(loaded.endZxid()) + ", " + loaded.tree().nodeCount() + " nodes, "
                        + sessions + (sessions == 1 ? " session" : " sessions"));
                newest = new Snapshot(file, loaded.startZxid(), loaded.endZxid());
            } catch (IOException e) {
                out.println(name + ": " + SnapshotDump.corrupt(file, e));
                failures.add(name + " is corrupt (start-up would skip it and use an older snapshot)");
            }
        }
        return newest;
    }

    /**
     * Prints the Chain line; returns the failure when the snapshot and the log after it leave a
     * hole, null when they do not.
     */
    private static String chain(Snapshot snapshot, List<FileTxnIterator.Extent> extents, PrintStream out)
            throws IOException {
        long start = snapshot == null ? 0 : snapshot.startZxid();
        long end = snapshot == null ? 0 : snapshot.endZxid();
        String from = snapshot == null ? "no snapshot" : snapshot.file().getFileName() + " (start zxid 0x"
                + Long.toHexString(start) + ", end zxid 0x" + Long.toHexString(end) + ")";
        // The segments recovery reads (TxnLog.read): from the one that can hold start + 1 on.
        int firstNeeded = 0;
        while (firstNeeded + 1 < extents.size() && extents.get(firstNeeded + 1).firstZxid() - 1 <= start) {
            firstNeeded++;
        }
        List<FileTxnIterator.Extent> needed = extents.subList(firstNeeded, extents.size());
        long first = -1;
        long last = start;
        long replayed = 0;
        String gap = null;
        try (TxnIterator records = new FileTxnIterator(ChannelFactory.DEFAULT, needed, start)) {
            while (records.hasNext() && gap == null) {
                TxnRecord r = records.next();
                if (first < 0) {
                    first = r.zxid();
                    if (!Recovery.follows(start, r.zxid())) {
                        gap = String.format("recovering from %s needs the log from zxid 0x%x, but its first record"
                                + " after that is 0x%x in %s", from, start + 1, r.zxid(), holder(needed, r.zxid()));
                    }
                } else if (!Recovery.follows(last, r.zxid())) {
                    String missing = (r.zxid() >>> 32) == (last >>> 32)
                            ? String.format("zxids 0x%x to 0x%x are missing", last + 1, r.zxid() - 1)
                            : "records are missing";
                    gap = String.format("%s: the log jumps from 0x%x to 0x%x in %s (start-up would refuse to replay"
                            + " across the hole)", missing, last, r.zxid(), holder(needed, r.zxid()));
                }
                last = r.zxid();
                replayed++;
            }
        }
        if (gap == null && last < end) {
            gap = String.format("%s was taken while zxids 0x%x to 0x%x were applied and needs them replayed,"
                    + " but the log ends at 0x%x", from, start + 1, end, last);
        }
        if (gap != null) {
            out.println("Chain: GAP: " + gap);
            return "the snapshot and the log leave a gap (records are missing)";
        }
        if (first < 0) {
            out.println("Chain: OK: " + from + " and no log record after it"
                    + (snapshot == null ? " (start-up begins with an empty tree)" : ""));
        } else {
            out.println("Chain: OK: " + from + ", then the log from 0x" + Long.toHexString(first) + " to 0x"
                    + Long.toHexString(last) + " (" + replayed + (replayed == 1 ? " record)" : " records)"));
        }
        return null;
    }

    /** The name of the segment that holds {@code zxid}: the last one starting at or before it. */
    private static String holder(List<FileTxnIterator.Extent> extents, long zxid) {
        String name = "the log";
        for (FileTxnIterator.Extent e : extents) {
            if (e.firstZxid() <= zxid) {
                name = e.file().getFileName().toString();
            }
        }
        return name;
    }
}
