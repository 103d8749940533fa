package io.paddock.server;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.paddock.storage.TxnLog;
import io.paddock.tree.TxnRecord;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Makes transaction records durable, with group commit: records are appended as they arrive and
 * one flush (write, then a single force) covers every record that queued up meanwhile, after
 * which the tree hears {@link Persisted} with the last zxid covered. It runs on a dispatcher of
 * its own (it blocks in write and force).
 *
 * <p>On an I/O error (a full disk, a failing device) the records not yet durable are cut off the
 * log again and the tree hears {@link Failed}: it answers those writes with an error, so nothing
 * is ever acknowledged that the log does not hold. Records are stamped with the tree's
 * generation, which a failure ends: records of an ended generation that were still queued are
 * dropped, so the log never has a gap. The next generation's records try the disk again, so
 * writes resume once space is back.
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

    /** Told to the tree: every record up to {@code zxid} of this generation is durable. */
    public record Persisted(long generation, long zxid) implements TreeActor.Command {
    }

    /** Told to the tree: records of this generation after the last Persisted were not written. */
    public record Failed(long generation, String reason) implements TreeActor.Command {
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

    public static Behavior<Command> create(Path dataDir, TxnLog log, TxnLog.Options options,
                                           ActorRef<TreeActor.Command> tree) {
        return Behaviors.setup(ctx -> new LogWriter(ctx, dataDir, log, options, tree));
    }

    private final Path dataDir;
    private final TxnLog.Options options;
    private final ActorRef<TreeActor.Command> tree;
    /** Null while the log could not be reopened after a failure. */
    private TxnLog log;
    private long generation;
    private long lastAppendedZxid;
    /** The last zxid reported durable: what a reopened log must not go beyond. */
    private long lastPersistedZxid;
    private boolean flushQueued;

    private LogWriter(ActorContext<Command> ctx, Path dataDir, TxnLog log, TxnLog.Options options,
                      ActorRef<TreeActor.Command> tree) {
        super(ctx);
        this.dataDir = dataDir;
        this.log = log;
        this.options = options;
        this.tree = tree;
        this.lastPersistedZxid = log.lastZxid();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Append.class, this::onAppend)
                .onMessageEquals(Flush.INSTANCE, this::onFlush)
                .onMessageEquals(Roll.INSTANCE, this::onRoll)
                .onMessage(Purge.class, this::onPurge)
                .onSignal(PostStop.class, s -> onStop())
                .build();
    }

    private Behavior<Command> onAppend(Append a) {
        if (a.generation() < generation) {
            return this; // queued before a failure the tree has not heard of yet
        }
        generation = a.generation();
        try {
            if (log == null) {
                log = TxnLog.open(dataDir, options);
                // Records written but never acknowledged may be back if cutting them off failed.
                log.truncateAfter(lastPersistedZxid);
                getContext().getLog().info("The transaction log is writable again");
            }
            log.append(a.record());
            lastAppendedZxid = a.record().zxid();
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
        if (log == null) {
            return this;
        }
        try {
            log.flush();
            lastPersistedZxid = lastAppendedZxid;
            tree.tell(new Persisted(generation, lastAppendedZxid));
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
        return this;
    }

    private void fail(Exception e) {
        String reason = "the transaction log cannot be written (" + e.getMessage() + ")";
        getContext().getLog().error("{}: refusing the writes not yet durable", reason, e);
        try {
            if (log != null) {
                log.discardUnflushed();
            }
        } catch (IOException | RuntimeException again) {
            getContext().getLog().error("Cannot cut the log back to its last durable record; reopening it later", again);
            closeQuietly();
        }
        tree.tell(new Failed(generation, reason));
        generation++;
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
