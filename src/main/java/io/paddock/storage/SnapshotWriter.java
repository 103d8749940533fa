package io.paddock.storage;

import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.SnapshotNode;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one snapshot: {@code snapshot.<startZxid, 16 hex digits>.tmp}, then on {@link #finish}
 * forced, renamed to {@code snapshot.<startZxid>} and the directory forced, so a snapshot file
 * under its final name is always whole. The nodes come from a fuzzy walk
 * ({@link io.paddock.tree.SnapshotCursor}); the trailer records the zxid the walk ended at, up to
 * which recovery replays the log over it. The format, all numbers big-endian:
 * <pre>
 * Snapshot:  Header Sessions Node* End Trailer
 * Header:    magic int ("PDKS" = 0x50444b53), version int (1), startZxid long
 * Sessions:  count int, (sessionId long, timeoutMs int) * count
 * Node:      length int (1..{@value SnapshotReader#MAX_NODE_BYTES}), then that many bytes:
 *            path Str, data Bytes, AclRef, czxid long, mzxid long, ctime long, mtime long,
 *            pzxid long, version int, cversion int (persisted), aversion int,
 *            mode byte (CreateMode flag: 0, 1, 4 or 5), owner long (the session of an
 *            EPHEMERAL node, the TTL in ms of a TTL node, else 0)
 * AclRef:    index int: an ACL list written earlier in this file (0, 1, ... in order of first
 *            use), or -1: a new list follows, count int, (perms int, scheme Str, id Str) * count
 * End:       length int -1
 * Trailer:   nodeCount long, endZxid long, crc int (CRC32C of every byte before it)
 * Str:       length int, UTF-8 bytes          Bytes: length int, bytes
 * </pre>
 * Most nodes share a handful of ACLs, hence the references. Writes go through one reused
 * encoding buffer and a 256 KB buffered stream; the checksum is computed as the bytes leave it.
 * {@link #encode} gives the same bytes in memory for an exact snapshot, which a leader sends a
 * learner (ZAB's SNAP). Not thread-safe: one writer thread.
 */
public final class SnapshotWriter implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(SnapshotWriter.class);

    static final int MAGIC = 0x50444b53;
    static final int VERSION = 1;
    static final int END = -1;
    static final int NEW_ACL = -1;
    private static final int STREAM_BUFFER_BYTES = 256 * 1024;

    private final Path dir;
    private final Path tmp;
    private final Path target;
    private final long startZxid;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private final OutputStream out;
    private final HashMap<List<Acl>, Integer> aclIndex = new HashMap<>();
    /** The node being encoded; grows to the largest node, then is reused. */
    private byte[] buf = new byte[4096];
    private int pos;
    private long nodeCount;
    private boolean finished;
    private boolean closed;

    /** A writer to a file ({@code channel} and {@code tmp} set) or to memory (both null). */
    private SnapshotWriter(Path dir, long startZxid, FileChannel channel, Path tmp, OutputStream sink) {
        this.dir = dir;
        this.tmp = tmp;
        this.target = dir == null ? null : dir.resolve(SnapshotFiles.name(startZxid));
        this.startZxid = startZxid;
        this.channel = channel;
        this.out = new BufferedOutputStream(new CheckedOutputStream(sink, crc), STREAM_BUFFER_BYTES);
    }

    /** Starts {@code snapshot.<startZxid>.tmp} in {@code dir} (replacing a leftover one) with the header and sessions. */
    public static SnapshotWriter create(Path dir, long startZxid, Map<Long, Integer> sessions) throws IOException {
        Path tmp = dir.resolve(SnapshotFiles.name(startZxid) + SnapshotFiles.TMP_SUFFIX);
        FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        SnapshotWriter w = new SnapshotWriter(dir, startZxid, channel, tmp, Channels.newOutputStream(channel));
        try {
            w.header(sessions);
            return w;
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
    }

    /**
     * An exact snapshot of a tree at {@code zxid} (start and end zxid both {@code zxid}) in
     * memory: byte for byte the file {@link #finish} would write, for sending to a learner
     * (ZAB's SNAP). {@code nodes} come parents first. A snapshot cannot exceed what one array
     * holds (2 GB): IOException beyond that.
     */
    public static byte[] encode(long zxid, Map<Long, Integer> sessions, Iterator<SnapshotNode> nodes) throws IOException {
        BoundedBytes bytes = new BoundedBytes();
        SnapshotWriter w = new SnapshotWriter(null, zxid, null, null, bytes);
        try {
            w.header(sessions);
            while (nodes.hasNext()) {
                w.write(nodes.next());
            }
            w.trailer(zxid);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return bytes.toByteArray();
    }

    private void header(Map<Long, Integer> sessions) throws IOException {
        putInt(MAGIC);
        putInt(VERSION);
        putLong(startZxid);
        putInt(sessions.size());
        for (Map.Entry<Long, Integer> s : sessions.entrySet()) {
            putLong(s.getKey());
            putInt(s.getValue());
        }
        emit();
    }

    /** Appends one node; parents must come before their children. */
    public void write(SnapshotNode node) throws IOException {
        checkWritable();
        if (node.mode().isSequential()) {
            throw new IllegalArgumentException("node " + node.path() + " has the mode " + node.mode() + ", not a base mode");
        }
        pos = 4; // the length goes in front once known
        putString(node.path());
        putBytes(node.data());
        Integer ref = aclIndex.get(node.acl());
        if (ref != null) {
            putInt(ref);
        } else {
            aclIndex.put(node.acl(), aclIndex.size());
            putInt(NEW_ACL);
            putInt(node.acl().size());
            for (Acl a : node.acl()) {
                putInt(a.perms());
                putString(a.id().scheme());
                putString(a.id().id());
            }
        }
        putLong(node.czxid());
        putLong(node.mzxid());
        putLong(node.ctime());
        putLong(node.mtime());
        putLong(node.pzxid());
        putInt(node.version());
        putInt(node.cversion());
        putInt(node.aversion());
        CreateMode mode = node.mode();
        buf[pos++] = (byte) mode.flag();
        putLong(mode.isTtl() ? node.ttlMs() : mode.isEphemeral() ? node.ephemeralOwner() : 0);
        int length = pos - 4;
        if (length > SnapshotReader.MAX_NODE_BYTES) {
            throw new IOException("node " + node.path() + " takes " + length + " bytes, more than a snapshot allows");
        }
        int end = pos;
        pos = 0;
        putInt(length);
        pos = end;
        emit();
        nodeCount++;
    }

    /**
     * Ends the snapshot: the trailer, a force, the rename to {@code snapshot.<startZxid>} and a
     * force of the directory. {@code endZxid} is the tree's last zxid once the walk was done.
     *
     * @return the snapshot file
     */
    public Path finish(long endZxid) throws IOException {
        checkWritable();
        if (endZxid < startZxid) {
            throw new IllegalArgumentException("endZxid 0x" + Long.toHexString(endZxid)
                    + " is before startZxid 0x" + Long.toHexString(startZxid));
        }
        if (channel == null) {
            throw new IllegalStateException("an in-memory snapshot has no file to finish");
        }
        trailer(endZxid);
        channel.force(true);
        channel.close();
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        finished = true;
        SnapshotFiles.forceDirectory(dir);
        return target;
    }

    /** End, node count, end zxid, then the checksum of every byte before it; all of it leaves the buffer. */
    private void trailer(long endZxid) throws IOException {
        pos = 0;
        putInt(END);
        putLong(nodeCount);
        putLong(endZxid);
        emit();
        out.flush();
        putInt((int) crc.getValue());
        emit();
        out.flush();
    }

    /** Abandons an unfinished snapshot: its temporary file is deleted. Nothing after {@link #finish}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (finished) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            logger.warn("Closing the unfinished snapshot {} failed", tmp, e);
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            logger.warn("Cannot delete the unfinished snapshot {}; purging deletes it later", tmp, e);
        }
    }

    private void checkWritable() {
        if (finished || closed) {
            throw new IllegalStateException("snapshot " + (target == null ? "in memory" : target.getFileName()) + " is "
                    + (finished ? "finished" : "closed"));
        }
    }

    /** Memory that refuses to grow past what one array can hold, rather than failing with an OutOfMemoryError. */
    private static final class BoundedBytes extends ByteArrayOutputStream {
        private static final int MAX_BYTES = Integer.MAX_VALUE - 16;

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if ((long) count + len > MAX_BYTES) {
                throw new UncheckedIOException(new IOException("a snapshot in memory is limited to " + MAX_BYTES
                        + " bytes"));
            }
            super.write(b, off, len);
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }

    // ---- encoding into buf -------------------------------------------------------------------

    private void emit() throws IOException {
        out.write(buf, 0, pos);
        pos = 0;
    }

    private void room(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    private void putInt(int v) {
        room(4);
        buf[pos] = (byte) (v >>> 24);
        buf[pos + 1] = (byte) (v >>> 16);
        buf[pos + 2] = (byte) (v >>> 8);
        buf[pos + 3] = (byte) v;
        pos += 4;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    private void putBytes(byte[] b) {
        putInt(b.length);
        room(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    private void putString(String s) {
        putBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
