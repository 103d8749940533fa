package io.paddock.server;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.paddock.storage.SnapshotWriter;
import io.paddock.tree.SnapshotNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the snapshot the tree actor walks in slices: the tree hands over a slice of nodes, this
 * actor writes it on its own thread and asks for the next, so the tree keeps serving between
 * slices and never queues more than one slice here. When the snapshot is complete, old snapshots
 * and logs are purged.
 */
public final class SnapshotTaker extends AbstractBehavior<SnapshotTaker.Command> {

    public sealed interface Command {
    }

    public record Begin(long startZxid, Map<Long, Integer> sessions) implements Command {
    }

    public record Nodes(List<SnapshotNode> nodes) implements Command {
    }

    public record Finish(long endZxid) implements Command {
    }

    /** Told to the tree: the slice was written, send the next (or stop: {@code ok} false). */
    public record SliceWritten(boolean ok) implements TreeActor.Command {
    }

    /** Told to the tree: the snapshot is on disk, or was abandoned. */
    public record Done(boolean ok) implements TreeActor.Command {
    }

    public static Behavior<Command> create(Path dataDir, int retainCount, boolean purge,
                                           ActorRef<TreeActor.Command> tree, ActorRef<LogWriter.Command> logWriter) {
        return Behaviors.setup(ctx -> new SnapshotTaker(ctx, dataDir, retainCount, purge, tree, logWriter));
    }

    private final Path dataDir;
    private final int retainCount;
    private final boolean purge;
    private final ActorRef<TreeActor.Command> tree;
    private final ActorRef<LogWriter.Command> logWriter;
    private SnapshotWriter writer;
    private long startedNanos;

    private SnapshotTaker(ActorContext<Command> ctx, Path dataDir, int retainCount, boolean purge,
                          ActorRef<TreeActor.Command> tree, ActorRef<LogWriter.Command> logWriter) {
        super(ctx);
        this.dataDir = dataDir;
        this.retainCount = retainCount;
        this.purge = purge;
        this.tree = tree;
        this.logWriter = logWriter;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Begin.class, this::onBegin)
                .onMessage(Nodes.class, this::onNodes)
                .onMessage(Finish.class, this::onFinish)
                .onSignal(PostStop.class, s -> {
                    abandon();
                    return this;
                })
                .build();
    }

    private Behavior<Command> onBegin(Begin b) {
        abandon();
        startedNanos = System.nanoTime();
        try {
            writer = SnapshotWriter.create(dataDir, b.startZxid(), b.sessions());
            getContext().getLog().info("Taking a snapshot from zxid 0x{}", Long.toHexString(b.startZxid()));
            tree.tell(new SliceWritten(true));
        } catch (IOException e) {
            getContext().getLog().error("Cannot start a snapshot; the log keeps every transaction meanwhile", e);
            tree.tell(new SliceWritten(false));
        }
        return this;
    }

    private Behavior<Command> onNodes(Nodes n) {
        if (writer == null) {
            tree.tell(new SliceWritten(false));
            return this;
        }
        try {
            for (SnapshotNode node : n.nodes()) {
                writer.write(node);
            }
            tree.tell(new SliceWritten(true));
        } catch (IOException e) {
            getContext().getLog().error("Writing the snapshot failed; the log keeps every transaction meanwhile", e);
            abandon();
            tree.tell(new SliceWritten(false));
        }
        return this;
    }

    private Behavior<Command> onFinish(Finish f) {
        if (writer == null) {
            tree.tell(new Done(false));
            return this;
        }
        try {
            Path file = writer.finish(f.endZxid());
            writer = null;
            getContext().getLog().info("Snapshot {} written in {} ms", file.getFileName(),
                    (System.nanoTime() - startedNanos) / 1_000_000);
            tree.tell(new Done(true));
            if (purge) {
                logWriter.tell(new LogWriter.Purge(retainCount));
            }
        } catch (IOException e) {
            getContext().getLog().error("Finishing the snapshot failed; the log keeps every transaction meanwhile", e);
            abandon();
            tree.tell(new Done(false));
        }
        return this;
    }

    private void abandon() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}
