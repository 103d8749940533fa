package io.paddock.server;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.paddock.storage.EpochFiles;
import io.paddock.storage.SnapshotTransfer;
import io.paddock.storage.Truncation;
import io.paddock.storage.TxnLog;
import io.paddock.tree.DataTree;
import io.paddock.tree.TxnRecord;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Makes transaction records durable, with group commit: records are appended as they arrive and
 * one flush (write, then a single force) covers every record that queued up meanwhile, after
 * which the owner (the tree, or the peer) hears {@link Persisted} with the last zxid covered. It
 * runs on a dispatcher of its own (it blocks in write and force).
 *
 * <p>The other disk work ZAB asks for runs here too, so that it keeps its place among the
 * appends: {@link Truncate} (TRUNC), {@link Install} (SNAP) and {@link PersistEpochs}. Each first
 * flushes the appends before it, reporting them {@link Persisted}, then does its work and reports
 * it; so the owner hears of all disk work in the order it asked for it.
 *
 * <p>On an I/O error (a full disk, a failing device) the records not yet durable are cut off the
 * log again and the owner hears {@link Failed}: it answers those writes with an error, so nothing
 * is ever acknowledged that the log does not hold. Records are stamped with the owner's
 * generation, which a failure ends: records of an ended generation that were still queued are
 * dropped, so the log never has a gap. The next generation's records try the disk again, so
 * writes resume once space is back. A failed truncation, install or epoch write ends the
 * generation the same way; after a failed truncation or install the log is closed and opened
 * again from disk before the next command, since only the disk knows how far it got.
 */
public final class LogWriter extends AbstractBehavior<LogWriter.Command> {

    public sealed interface Command {
    }

    public record Append(long generation, TxnRecord record) implements Command {
    }

    /** Start a new log segment at the next append (a snapshot has started). */
    public enum Roll implements Command {
        INSTANCE
    }

    /**
     * Delete the snapshots and log segments that the newest {@code retainCount} snapshots no
     * longer need. Done here because this actor owns the log's segment list.
     */
    public record Purge(int retainCount) implements Command {
    }

    /**
     * ZAB's TRUNC: drop every transaction after {@code zxid} from the data directory and rebuild
     * the tree there ({@link Truncation}); answered by {@link Truncated} or {@link Failed}.
     */
    public record Truncate(long zxid) implements Command {
    }

    /**
     * ZAB's SNAP: make {@code snapshot} (an exact snapshot at {@code zxid}, from the leader) the
     * whole durable state ({@link SnapshotTransfer#install}); answered by {@link Installed} or
     * {@link Failed}.
     */
    public record Install(long zxid, byte[] snapshot) implements Command {
    }

    /** Make both epochs durable ({@link EpochFiles#write}); answered by {@link EpochsPersisted} or {@link Failed}. */
    public record PersistEpochs(long acceptedEpoch, long currentEpoch) implements Command {
    }

    /**
     * From now on, tell {@code owner} every {@link Event}. An ensemble member's peer actor takes
     * the log over from the tree actor that spawned it: the peer asks for all the member's disk
     * work, and hearing of it first-hand saves a hop on every write's way to its ACK.
     */
    public record ReportTo(ActorRef<Event> owner) implements Command {
    }

    /** What the log writer tells its owner. */
    public sealed interface Event extends TreeActor.Command {
    }

    /** Every record up to {@code zxid} of this generation is durable. */
    public record Persisted(long generation, long zxid) implements Event {
    }

    /**
     * Records of this generation after the last Persisted were not written, and the command that
     * failed (an append, a truncation, an install, an epoch write) was not carried out whole.
     */
    public record Failed(long generation, String reason) implements Event {
    }

    /** The data directory holds nothing after {@code zxid}, durably; {@code tree} is the tree at it, now the owner's. */
    public record Truncated(long zxid, DataTree tree) implements Event {
    }

    /** The snapshot at {@code zxid} is the whole durable state; {@code tree} is its tree, now the owner's. */
    public record Installed(long zxid, DataTree tree) implements Event {
    }

    public record EpochsPersisted(long acceptedEpoch, long currentEpoch) implements Event {
    }

    private enum Flush implements Command {
        INSTANCE
    }

    /**
     * A segment is rolled at every snapshot, as in ZooKeeper; this bound only keeps one segment
     * from growing without end when snapshots fail.
     */
    static final long SEGMENT_SIZE_BYTES = 1L << 30;

    public static TxnLog.Options options(PaddockConfig.Storage storage) {
        return new TxnLog.Options(storage.preAllocSizeBytes(), storage.forceSync(), SEGMENT_SIZE_BYTES);
    }

    /**
     * @param log   the open log of {@code dataDir}; this actor owns it from now on and closes it when stopped
     * @param owner hears every {@link Event}; a TreeActor passes {@code getContext().getSelf().narrow()}
     */
    public static Behavior<Command> create(Path dataDir, TxnLog log, TxnLog.Options options, ActorRef<Event> owner) {
        return Behaviors.setup(ctx -> new LogWriter(ctx, dataDir, log, options, owner));
    }

    private final Path dataDir;
    private final TxnLog.Options options;
    private ActorRef<Event> owner;
    /** Null while the log could not be reopened after a failure. */
    private TxnLog log;
    private long generation;
    private long lastAppendedZxid;
    /** The last zxid reported durable: what a reopened log must not go beyond. */
    private long lastPersistedZxid;
    /** Records were appended since the last flush. */
    private boolean unflushed;
    private boolean flushQueued;

    private LogWriter(ActorContext<Command> ctx, Path dataDir, TxnLog log, TxnLog.Options options,
                      ActorRef<Event> owner) {
        super(ctx);
        this.dataDir = dataDir;
        this.log = log;
        this.options = options;
        this.owner = owner;
        this.lastPersistedZxid = log.lastZxid();
        this.lastAppendedZxid = lastPersistedZxid;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Append.class, this::onAppend)
                .onMessageEquals(Flush.INSTANCE, this::onFlush)
                .onMessageEquals(Roll.INSTANCE, this::onRoll)
                .onMessage(Purge.class, this::onPurge)
                .onMessage(Truncate.class, this::onTruncate)
                .onMessage(Install.class, this::onInstall)
                .onMessage(PersistEpochs.class, this::onPersistEpochs)
                .onMessage(ReportTo.class, r -> {
                    owner = r.owner();
                    return this;
                })
                .onSignal(PostStop.class, s -> onStop())
                .build();
    }

    private Behavior<Command> onAppend(Append a) {
        if (a.generation() < generation) {
            return this; // queued before a failure the owner has not heard of yet
        }
        generation = a.generation();
        try {
            reopenIfClosed();
            log.append(a.record());
            lastAppendedZxid = a.record().zxid();
            unflushed = true;
        } catch (IOException | RuntimeException e) {
            fail(e);
            return this;
        }
        if (!flushQueued) {
            // Behind every append already in the mailbox: they all share this flush.
            flushQueued = true;
            getContext().getSelf().tell(Flush.INSTANCE);
        }
        return this;
    }

    private Behavior<Command> onFlush() {
        flushQueued = false;
        flushAppended();
        return this;
    }

    /** Flushes the records appended since the last flush and reports them; false if that failed. */
    private boolean flushAppended() {
        if (log == null || !unflushed) {
            return true;
        }
        try {
            log.flush();
            unflushed = false;
            lastPersistedZxid = lastAppendedZxid;
            owner.tell(new Persisted(generation, lastAppendedZxid));
            return true;
        } catch (IOException | RuntimeException e) {
            fail(e);
            return false;
        }
    }

    private void fail(Exception e) {
        String reason = "the transaction log cannot be written (" + e.getMessage() + ")";
        getContext().getLog().error("{}: refusing the writes not yet durable", reason, e);
        discardAndReport(reason);
    }

    /** Cuts the records not yet durable off the log, tells the owner, and ends the generation. */
    private void discardAndReport(String reason) {
        try {
            if (log != null) {
                log.discardUnflushed();
            }
        } catch (IOException | RuntimeException again) {
            getContext().getLog().error("Cannot cut the log back to its last durable record; reopening it later", again);
            closeQuietly();
        }
        unflushed = false;
        lastAppendedZxid = lastPersistedZxid;
        owner.tell(new Failed(generation, reason));
        generation++;
    }

    private void reopenIfClosed() throws IOException {
        if (log == null) {
            log = TxnLog.open(dataDir, options);
            // Records written but never acknowledged may be back if cutting them off failed.
            log.truncateAfter(lastPersistedZxid);
            getContext().getLog().info("The transaction log is writable again");
        }
    }

    private Behavior<Command> onTruncate(Truncate t) {
        if (!flushAppended()) {
            return this;
        }
        try {
            reopenIfClosed();
            DataTree tree = Truncation.truncate(dataDir, log, t.zxid());
            afterRewrite(t.zxid());
            owner.tell(new Truncated(t.zxid(), tree));
        } catch (IOException | RuntimeException e) {
            rewriteFailed("the data directory cannot be truncated to zxid 0x" + Long.toHexString(t.zxid()), e);
        }
        return this;
    }

    private Behavior<Command> onInstall(Install i) {
        if (!flushAppended()) {
            return this;
        }
        try {
            reopenIfClosed();
            DataTree tree = SnapshotTransfer.install(dataDir, log, i.zxid(), i.snapshot());
            afterRewrite(i.zxid());
            owner.tell(new Installed(i.zxid(), tree));
        } catch (IOException | RuntimeException e) {
            rewriteFailed("the snapshot at zxid 0x" + Long.toHexString(i.zxid()) + " cannot be installed", e);
        }
        return this;
    }

    /** The durable history now ends at {@code zxid}: a reopened log is cut back to it, not to what went before. */
    private void afterRewrite(long zxid) {
        lastPersistedZxid = zxid;
        lastAppendedZxid = zxid;
    }

    /**
     * A truncation or install failed part way, or was refused: the log's view of its files may no
     * longer match them, so it is closed and the next command opens it from disk.
     */
    private void rewriteFailed(String what, Exception e) {
        String reason = what + " (" + e.getMessage() + ")";
        getContext().getLog().error("{}", reason, e);
        closeQuietly();
        discardAndReport(reason);
    }

    private Behavior<Command> onPersistEpochs(PersistEpochs p) {
        if (!flushAppended()) {
            return this;
        }
        try {
            EpochFiles.write(dataDir, p.acceptedEpoch(), p.currentEpoch());
            owner.tell(new EpochsPersisted(p.acceptedEpoch(), p.currentEpoch()));
        } catch (IOException | RuntimeException e) {
            String reason = "the epochs (accepted " + p.acceptedEpoch() + ", current " + p.currentEpoch()
                    + ") cannot be written (" + e.getMessage() + ")";
            getContext().getLog().error("{}", reason, e);
            discardAndReport(reason);
        }
        return this;
    }

    private Behavior<Command> onRoll() {
        if (log != null) {
            try {
                log.roll();
            } catch (IOException e) {
                fail(e);
            }
        }
        return this;
    }

    private Behavior<Command> onPurge(Purge p) {
        if (log == null) {
            return this;
        }
        try {
            for (Path deleted : io.paddock.storage.Purge.run(dataDir, log, p.retainCount())) {
                getContext().getLog().info("Purged {}", deleted.getFileName());
            }
        } catch (IOException e) {
            getContext().getLog().warn("Purging old snapshots and logs failed; trying again after the next snapshot", e);
        }
        return this;
    }

    private Behavior<Command> onStop() {
        closeQuietly();
        return this;
    }

    private void closeQuietly() {
        if (log == null) {
            return;
        }
        try {
            log.close();
        } catch (IOException e) {
            getContext().getLog().warn("Closing the transaction log failed", e);
        }
        log = null;
    }
}
