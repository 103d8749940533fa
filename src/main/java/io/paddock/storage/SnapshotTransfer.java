package io.paddock.storage;

import io.paddock.tree.DataTree;
import io.paddock.tree.PathUtils;
import io.paddock.tree.SnapshotNode;
import io.paddock.tree.ZNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZAB's SNAP: a leader sends a learner its whole applied tree, and the learner makes it its whole
 * durable state. The bytes are a snapshot file as {@link SnapshotWriter} writes it, exact rather
 * than fuzzy (start and end zxid both the tree's last zxid), so the learner writes them to disk
 * unchanged and start-up reads them like any snapshot.
 *
 * <p>Installing takes these steps, in this order:
 * <ol>
 * <li><b>Check</b> the bytes, reading only: checksum, structure, the tree they restore, and that
 *     they are an exact snapshot at the zxid announced. Damaged bytes are refused with an
 *     IOException and nothing changes.
 * <li><b>Write</b> {@code snapshot.<zxid>.tmp} and force it. Recovery never reads a temporary
 *     name: a crash leaves the old state (and a file purging deletes later).
 * <li><b>Set aside</b> the snapshots that hold transactions after the zxid (those of a history
 *     that diverged from the leader's), then force the directory, as {@link Truncation} does:
 *     a crash still leaves the old state, since the log is whole.
 * <li><b>Truncate the log</b> after the zxid ({@link TxnLog#truncateAfter}); a crash meanwhile
 *     leaves a prefix of the old history, without holes.
 * <li><b>Commit</b>: rename to {@code snapshot.<zxid>} (replacing any file of that name), then
 *     force the directory. From here on it is the newest snapshot and the log holds nothing
 *     after it, so start-up recovers exactly the snapshot's tree: the new state.
 * <li><b>Roll</b> the log: the next record appended ({@code zxid + 1}, or the first of a later
 *     epoch) starts a new segment, which recovery reads right after the snapshot.
 * </ol>
 * The old log records (all at or below the zxid now) and older snapshots stay until purging
 * removes them; recovery never combines them with the new records, since it starts from the
 * newest snapshot, and should that one be damaged, {@link Recovery} refuses to read the log past
 * its zxid without passing through it.
 */
public final class SnapshotTransfer {

    private static final Logger logger = LoggerFactory.getLogger(SnapshotTransfer.class);

    private SnapshotTransfer() {
    }

    /**
     * The tree and its session table as an exact snapshot at {@code tree.lastZxid()}. Call it on
     * the thread that owns the tree: it walks every node while nothing may change it.
     */
    public static byte[] serialize(DataTree tree) throws IOException {
        return SnapshotWriter.encode(tree.lastZxid(), tree.sessions(), new Walk(tree));
    }

    /**
     * Makes {@code snapshot}, an exact snapshot at {@code zxid}, the whole durable state of
     * {@code dir}, and returns its tree. {@code log} is the open log of {@code dir}, flushed; it
     * stays open. See the class comment for the steps and what a crash leaves.
     *
     * @throws IOException damaged bytes (nothing changed), or a failed disk step
     */
    public static DataTree install(Path dir, TxnLog log, long zxid, byte[] snapshot) throws IOException {
        return install(dir, log, zxid, snapshot, DiskSteps.all());
    }

    static DataTree install(Path dir, TxnLog log, long zxid, byte[] snapshot, DiskSteps steps) throws IOException {
        log.checkFlushed();
        long startedNanos = System.nanoTime();
        DataTree tree = decode(zxid, snapshot);
        Path target = dir.resolve(SnapshotFiles.name(zxid));
        Path tmp = dir.resolve(SnapshotFiles.name(zxid) + SnapshotFiles.TMP_SUFFIX);
        steps.run(() -> writeForced(tmp, snapshot));
        List<Path> aside = Truncation.cannotServe(dir, zxid);
        Truncation.setAside(dir, aside, steps);
        long lastBefore = log.lastZxid();
        steps.run(() -> log.truncateAfter(zxid));
        steps.run(() -> {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            SnapshotFiles.forceDirectory(dir);
        });
        steps.run(log::roll);
        logger.info("Installed a snapshot at zxid 0x{} from the leader in {} ({} bytes, {} nodes) in {} ms; the log"
                + " ended at 0x{}{}", Long.toHexString(zxid), target, snapshot.length, tree.nodeCount(),
                (System.nanoTime() - startedNanos) / 1_000_000, Long.toHexString(lastBefore),
                aside.isEmpty() ? "" : "; snapshots of a diverged history set aside: " + aside);
        return tree;
    }

    /** The tree of a received snapshot, checked whole; an IOException for damaged or unexpected bytes. */
    static DataTree decode(long zxid, byte[] snapshot) throws IOException {
        String source = "the snapshot received for zxid 0x" + Long.toHexString(zxid);
        try (SnapshotReader reader = SnapshotReader.open(snapshot, source)) {
            DataTree tree = SnapshotFiles.restore(reader, source);
            if (reader.startZxid() != zxid || reader.endZxid() != zxid) {
                throw new IOException(source + ": it runs from zxid 0x" + Long.toHexString(reader.startZxid())
                        + " to 0x" + Long.toHexString(reader.endZxid()) + ", not exactly at 0x" + Long.toHexString(zxid));
            }
            return tree;
        } catch (IOException e) {
            throw new IOException("Refusing a snapshot from the leader, nothing was changed: " + e.getMessage(), e);
        }
    }

    private static void writeForced(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    /**
     * Every node of a tree that does not change meanwhile, depth first, parents before children,
     * children in name order: the order of {@link io.paddock.tree.SnapshotCursor}, without its
     * bookkeeping for a tree that changes between slices (and without superseding a fuzzy walk
     * the tree may have in progress).
     */
    private static final class Walk implements Iterator<SnapshotNode> {
        private final DataTree tree;
        private final ArrayDeque<String> todo = new ArrayDeque<>();

        Walk(DataTree tree) {
            this.tree = tree;
            todo.push(DataTree.ROOT);
        }

        @Override
        public boolean hasNext() {
            return !todo.isEmpty();
        }

        @Override
        public SnapshotNode next() {
            if (todo.isEmpty()) {
                throw new NoSuchElementException();
            }
            String path = todo.pop();
            ZNode n = tree.node(path);
            List<String> children = new ArrayList<>(n.children());
            for (int i = children.size() - 1; i >= 0; i--) {
                todo.push(PathUtils.child(path, children.get(i)));
            }
            return new SnapshotNode(path, n.data(), n.acl(), n.czxid(), n.mzxid(), n.ctime(), n.mtime(), n.version(),
                    n.persistedCversion(), n.aversion(), n.pzxid(), n.mode(), n.ttlMs(), n.ephemeralOwner());
        }
    }
}
