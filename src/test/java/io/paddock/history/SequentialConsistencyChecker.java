package io.paddock.history;

import io.paddock.history.ConsistencyReport.Rule;
import io.paddock.history.ConsistencyReport.Violation;
import io.paddock.tree.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks ZooKeeper's guarantees for reads served by whichever server a session is on, which
 * are weaker than linearizability: the ensemble applies one total order of writes, identified
 * by zxid; each server's state is a prefix of it; a session's view only moves forward and
 * includes the session's own writes. The rules are in {@link Rule}; each is checked with what
 * the history reveals about zxids:
 *
 * <ul>
 *   <li><b>A write's zxid</b> is known from its ack (create's and setData's stat.mzxid), or
 *       learned from a read of its value (values are unique, so the value names the write and the
 *       read's mzxid is that write's zxid). Deletes never reveal theirs.</li>
 *   <li><b>A reply zxid</b> Z (the {@code Paddock-Zxid} header) is the answering server's last
 *       applied zxid: a read answered at Z saw exactly the writes with zxid ≤ Z. So a read of
 *       (value, mzxid m) means no write to the path has a zxid in (m, Z], and a NoNode read at Z
 *       means a delete falls between the last known write ≤ Z and Z.</li>
 *   <li><b>Real time orders writes</b>: ZooKeeper's writes are linearizable, so a write that
 *       completed before another was invoked has the smaller zxid. Where zxids are missing this
 *       still orders writes, which is enough for read-your-writes and monotonic reads.</li>
 * </ul>
 *
 * <p>Every rule only flags what no correct ensemble could produce: operations of unknown
 * outcome are assumed to have taken effect whenever that explains a read, and zxids a reply did
 * not carry are simply not used. Reads of unknown outcome are ignored.
 */
public final class SequentialConsistencyChecker {

    private SequentialConsistencyChecker() {
    }

    /** Checks {@code history} against every rule; the report lists each violation found. */
    public static ConsistencyReport check(History history) {
        return new Run(history).check();
    }

    /** What is known of one create or setData: its zxid and the version it made, if known. */
    private static final class Write {
        final Operation op;
        long zxid;
        /** The read that taught us {@link #zxid}, or null when the ack carried it. */
        Operation zxidSource;
        int version;
        Operation versionSource;

        Write(Operation op) {
            this.op = op;
            this.zxid = op.isAckedWrite() ? op.ackedZxid() : Result.NO_ZXID;
            if (op.result() instanceof Result.Created) {
                this.version = 0;
            } else if (op.result() instanceof Result.Written w) {
                this.version = w.newVersion();
            } else if (op.call() instanceof Call.Create && op.isIndeterminate()) {
                this.version = 0;
            } else {
                this.version = -1;
            }
        }
    }

    private static final class Run {
        private final History history;
        private final List<Violation> violations = new ArrayList<>();
        /** Every create and setData by op id. */
        private final Map<Integer, Write> writes = new HashMap<>();
        /** For each successful read, the write whose value it returned (when that write could have). */
        private final Map<Integer, Write> observed = new HashMap<>();

        Run(History history) {
            this.history = history;
        }

        ConsistencyReport check() {
            for (Map.Entry<String, List<Operation>> e : history.byPath().entrySet()) {
                resolveReads(e.getKey(), e.getValue());
            }
            checkOneWritePerZxid();
            checkWriteZxidsFollowRealTime();
            checkSessionZxidsNeverDecrease();
            for (Map.Entry<String, List<Operation>> e : history.byPath().entrySet()) {
                checkReadsAgainstReplyZxids(e.getKey(), e.getValue());
                checkSessionViews(e.getKey(), e.getValue());
            }
            return new ConsistencyReport(violations);
        }

        private void violation(Rule rule, String path, String message, Operation... ops) {
            violations.add(new Violation(rule, path, message, List.of(ops)));
        }

        private String zx(long zxid) {
            return Result.zxidText(zxid);
        }

        /** Ties every read to the write of its value, learning zxids and versions from it. */
        private void resolveReads(String path, List<Operation> ops) {
            Map<String, Operation> writerOfValue = new HashMap<>();
            for (Operation op : ops) {
                if (op.call().writtenValue() != null) {
                    writerOfValue.put(op.call().writtenValue(), op);
                    Write w = new Write(op);
                    writes.put(op.id(), w);
                    if (w.zxid != Result.NO_ZXID && op.replyZxid() != Result.NO_ZXID && w.zxid > op.replyZxid()) {
                        violation(Rule.WRITE_ZXID_NOT_AFTER_REPLY, path, "write zxid " + zx(w.zxid)
                                + " is after the reply zxid " + zx(op.replyZxid()), op);
                    }
                }
            }
            for (Operation r : ops) {
                if (!(r.result() instanceof Result.Read read)) {
                    continue;
                }
                if (read.mzxid() != Result.NO_ZXID && r.replyZxid() != Result.NO_ZXID && read.mzxid() > r.replyZxid()) {
                    violation(Rule.READ_MZXID_NOT_AFTER_REPLY, path, "mzxid " + zx(read.mzxid())
                            + " is after the reply zxid " + zx(r.replyZxid()), r);
                }
                Operation writer = writerOfValue.get(read.value());
                if (writer == null) {
                    violation(Rule.READ_VALUE_WAS_WRITTEN, path, "no write to " + path + " wrote \""
                            + read.value() + "\"", r);
                    continue;
                }
                if (!writer.mayHaveTakenEffect()) {
                    violation(Rule.READ_VALUE_WAS_WRITTEN, path, "\"" + read.value() + "\" was written only by #"
                            + writer.id() + ", which failed with " + writer.result(), r, writer);
                    continue;
                }
                if (writer.invokeNanos() > r.completeNanos()) {
                    violation(Rule.READ_NOT_FROM_FUTURE, path, "returned \"" + read.value()
                            + "\" before its write was invoked", r, writer);
                    continue;
                }
                Write w = writes.get(writer.id());
                observed.put(r.id(), w);
                learnVersion(path, r, read, w);
                learnZxid(path, r, read, w);
            }
        }

        private void learnVersion(String path, Operation r, Result.Read read, Write w) {
            if (w.version == -1) {
                w.version = read.version();
                w.versionSource = r;
            } else if (w.version != read.version()) {
                String source = w.versionSource == null ? "the write made version " + w.version
                        : "#" + w.versionSource.id() + " read version " + w.version + " of it";
                violation(Rule.READ_STAT_MATCHES_WRITE, path, "read version " + read.version() + " of \""
                        + read.value() + "\" but " + source, sourceList(r, w.op, w.versionSource));
            }
        }

        private void learnZxid(String path, Operation r, Result.Read read, Write w) {
            if (read.mzxid() == Result.NO_ZXID) {
                return;
            }
            if (w.zxid == Result.NO_ZXID) {
                w.zxid = read.mzxid();
                w.zxidSource = r;
            } else if (w.zxid != read.mzxid()) {
                String source = w.zxidSource == null ? "the write's ack says " + zx(w.zxid)
                        : "#" + w.zxidSource.id() + " read mzxid " + zx(w.zxid);
                violation(Rule.READ_STAT_MATCHES_WRITE, path, "read mzxid " + zx(read.mzxid()) + " for \""
                        + read.value() + "\" but " + source, sourceList(r, w.op, w.zxidSource));
            }
        }

        private static Operation[] sourceList(Operation r, Operation writer, Operation source) {
            return source == null ? new Operation[] {r, writer} : new Operation[] {r, writer, source};
        }

        /** Writes whose zxid is known, by zxid (deterministic: paths and ops are iterated in order). */
        private List<Write> writesWithZxid(String pathOrNull) {
            List<Write> out = new ArrayList<>();
            for (Map.Entry<String, List<Operation>> e : history.byPath().entrySet()) {
                if (pathOrNull != null && !pathOrNull.equals(e.getKey())) {
                    continue;
                }
                for (Operation op : e.getValue()) {
                    Write w = writes.get(op.id());
                    if (w != null && w.zxid != Result.NO_ZXID) {
                        out.add(w);
                    }
                }
            }
            out.sort(Comparator.comparingLong((Write w) -> w.zxid).thenComparingInt(w -> w.op.id()));
            return out;
        }

        private void checkOneWritePerZxid() {
            List<Write> all = writesWithZxid(null);
            for (int i = 1; i < all.size(); i++) {
                Write a = all.get(i - 1);
                Write b = all.get(i);
                if (a.zxid == b.zxid) {
                    violation(Rule.ONE_WRITE_PER_ZXID, null, "two writes have zxid " + zx(a.zxid), a.op, b.op);
                }
            }
        }

        /** Sweeps writes by invocation, keeping the largest zxid among those already completed. */
        private void checkWriteZxidsFollowRealTime() {
            List<Write> byInvoke = new ArrayList<>(writesWithZxid(null));
            byInvoke.sort(Comparator.comparing(w -> w.op, History.BY_INVOCATION));
            List<Write> byComplete = new ArrayList<>(byInvoke);
            byComplete.sort(Comparator.comparingLong((Write w) -> w.op.completeNanos())
                    .thenComparingInt(w -> w.op.id()));
            Write latest = null;
            int next = 0;
            for (Write b : byInvoke) {
                while (next < byComplete.size() && byComplete.get(next).op.completeNanos() < b.op.invokeNanos()) {
                    Write a = byComplete.get(next++);
                    if (latest == null || a.zxid > latest.zxid) {
                        latest = a;
                    }
                }
                if (latest != null && latest.zxid > b.zxid) {
                    violation(Rule.WRITE_ZXIDS_FOLLOW_REAL_TIME, b.op.path(), "zxid " + zx(b.zxid)
                            + " is below " + zx(latest.zxid) + " of #" + latest.op.id()
                            + ", which completed before it was invoked", b.op, latest.op);
                }
            }
        }

        /** Per session, the same sweep over reply zxids. */
        private void checkSessionZxidsNeverDecrease() {
            Map<Long, List<Operation>> bySession = new TreeMap<>();
            for (Operation op : history.operations()) {
                if (op.replyZxid() != Result.NO_ZXID) {
                    bySession.computeIfAbsent(op.session(), s -> new ArrayList<>()).add(op);
                }
            }
            for (List<Operation> ops : bySession.values()) {
                List<Operation> byInvoke = new ArrayList<>(ops);
                byInvoke.sort(History.BY_INVOCATION);
                List<Operation> byComplete = new ArrayList<>(ops);
                byComplete.sort(Comparator.comparingLong(Operation::completeNanos).thenComparingInt(Operation::id));
                Operation latest = null;
                int next = 0;
                for (Operation b : byInvoke) {
                    while (next < byComplete.size() && byComplete.get(next).completeNanos() < b.invokeNanos()) {
                        Operation a = byComplete.get(next++);
                        if (latest == null || a.replyZxid() > latest.replyZxid()) {
                            latest = a;
                        }
                    }
                    if (latest != null && latest.replyZxid() > b.replyZxid()) {
                        violation(Rule.SESSION_ZXIDS_NEVER_DECREASE, null, "session 0x" + Long.toHexString(b.session())
                                + " was answered at " + zx(b.replyZxid()) + " after an answer at "
                                + zx(latest.replyZxid()), b, latest);
                    }
                }
            }
        }

        /** A read answered at Z shows the state after every write with zxid ≤ Z and no later one. */
        private void checkReadsAgainstReplyZxids(String path, List<Operation> ops) {
            List<Write> known = writesWithZxid(path);
            long[] zxids = known.stream().mapToLong(w -> w.zxid).toArray();
            for (Operation r : ops) {
                long z = r.replyZxid();
                if (z == Result.NO_ZXID || r.call().isWrite()) {
                    continue;
                }
                if (r.result() instanceof Result.Read) {
                    Write seen = observed.get(r.id());
                    if (seen == null || seen.zxid == Result.NO_ZXID) {
                        continue;
                    }
                    int i = firstAbove(zxids, seen.zxid);
                    if (i < zxids.length && zxids[i] <= z) {
                        Write later = known.get(i);
                        violation(Rule.READ_SEES_WRITES_UP_TO_REPLY_ZXID, path, "answered at " + zx(z)
                                + " with the state of " + zx(seen.zxid) + ", missing #" + later.op.id()
                                + " at " + zx(later.zxid), r, seen.op, later.op);
                    }
                } else if (r.result() instanceof Result.Failed f && f.code() == ErrorCode.NO_NODE) {
                    int i = firstAbove(zxids, z) - 1;
                    if (i < 0) {
                        continue;
                    }
                    Write before = known.get(i);
                    if (!hasDeleteBetween(ops, before.op, r, before.zxid)) {
                        violation(Rule.NO_NODE_READ_HAS_A_DELETE, path, "answered NoNode at " + zx(z) + " but #"
                                + before.op.id() + " wrote it at " + zx(before.zxid)
                                + " and no delete can come between", r, before.op);
                    }
                }
            }
        }

        /** The index of the first zxid above {@code zxid} in a sorted array. */
        private static int firstAbove(long[] sorted, long zxid) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] <= zxid) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /**
         * Whether some delete of the path may have taken effect after {@code write} (whose zxid,
         * if known, is {@code writeZxid}) and before {@code read} was answered.
         */
        private static boolean hasDeleteBetween(List<Operation> ops, Operation write, Operation read, long writeZxid) {
            for (Operation d : ops) {
                if (d.call() instanceof Call.Delete && d.mayHaveTakenEffect() && !d.precedes(write)
                        && d.invokeNanos() < read.completeNanos()
                        && (writeZxid == Result.NO_ZXID || d.replyZxid() == Result.NO_ZXID
                            || d.replyZxid() > writeZxid)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether write {@code a} certainly comes before write {@code b} in the zxid order. */
        private boolean knownBefore(Operation a, Operation b) {
            if (a.id() == b.id()) {
                return false;
            }
            Write wa = writes.get(a.id());
            Write wb = writes.get(b.id());
            if (wa != null && wb != null && wa.zxid != Result.NO_ZXID && wb.zxid != Result.NO_ZXID) {
                return wa.zxid < wb.zxid;
            }
            return a.precedes(b);
        }

        /** A moment in one session's view of a path: a read to check, or a write entering the view. */
        private record ViewEvent(long time, boolean entersView, Operation op, Operation write) {
        }

        /**
         * Read-your-writes and monotonic reads, per session and path: the writes a session has
         * acked or seen are in its view ("floors"); a later read must not return a state known to
         * be older than any floor, nor NoNode unless a delete can come after the floor.
         */
        private void checkSessionViews(String path, List<Operation> ops) {
            Map<Long, List<ViewEvent>> bySession = new TreeMap<>();
            for (Operation op : ops) {
                List<ViewEvent> events = bySession.computeIfAbsent(op.session(), s -> new ArrayList<>());
                if (op.isAckedWrite()) {
                    events.add(new ViewEvent(op.completeNanos(), true, op, op));
                } else if (op.result() instanceof Result.Read) {
                    Write seen = observed.get(op.id());
                    if (seen != null) {
                        events.add(new ViewEvent(op.invokeNanos(), false, op, seen.op));
                        events.add(new ViewEvent(op.completeNanos(), true, op, seen.op));
                    }
                } else if (!op.call().isWrite() && op.result() instanceof Result.Failed) {
                    events.add(new ViewEvent(op.invokeNanos(), false, op, null));
                }
            }
            // At equal times a check comes first: only writes that entered the view strictly earlier count.
            Comparator<ViewEvent> order = Comparator.comparingLong(ViewEvent::time)
                    .thenComparing(ViewEvent::entersView).thenComparingInt(e -> e.op().id());
            for (List<ViewEvent> events : bySession.values()) {
                events.sort(order);
                List<ViewEvent> floors = new ArrayList<>();
                for (ViewEvent e : events) {
                    if (e.entersView()) {
                        addFloor(floors, e);
                    } else {
                        checkRead(path, ops, e, floors);
                    }
                }
            }
        }

        private void addFloor(List<ViewEvent> floors, ViewEvent e) {
            for (ViewEvent f : floors) {
                if (f.write().id() == e.write().id() || knownBefore(e.write(), f.write())) {
                    return;
                }
            }
            floors.removeIf(f -> knownBefore(f.write(), e.write()));
            floors.add(e);
        }

        private void checkRead(String path, List<Operation> ops, ViewEvent check, List<ViewEvent> floors) {
            Operation r = check.op();
            for (ViewEvent f : floors) {
                Operation floor = f.write();
                boolean ownWrite = f.op() == floor;
                Rule rule = ownWrite ? Rule.READ_YOUR_WRITES : Rule.MONOTONIC_READS;
                String why = ownWrite ? "after its own write #" + floor.id() + " completed"
                        : "after #" + f.op().id() + " saw #" + floor.id();
                if (check.write() != null) {
                    if (knownBefore(check.write(), floor)) {
                        violation(rule, path, "read the older write #" + check.write().id() + " " + why,
                                r, check.write(), floor);
                        return;
                    }
                } else if (!(floor.call() instanceof Call.Delete)
                        && !hasDeleteBetween(ops, floor, r, writes.get(floor.id()).zxid)) {
                    violation(rule, path, "answered NoNode " + why + ", and no delete can come between",
                            r, floor);
                    return;
                }
            }
        }
    }
}
