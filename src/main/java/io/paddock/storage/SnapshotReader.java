package io.paddock.storage;

import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.Id;
import io.paddock.tree.SnapshotNode;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * Reads a snapshot in the format {@link SnapshotWriter} describes, one node at a time, so a
 * million nodes never sit in memory twice. Every length is checked against what is left, so a
 * damaged file ends in an IOException naming the file and the offset, never in a huge
 * allocation; the node count and the CRC32C are checked once the last node has been read, so a
 * caller must not trust what it read before {@link #next()} has answered null.
 */
public final class SnapshotReader implements AutoCloseable {

    /** A node holds at most one transaction's path, data and ACL, and a log record is at most 64 MB. */
    static final int MAX_NODE_BYTES = 80 * 1024 * 1024;
    private static final int HEADER_BYTES = 4 + 4 + 8;
    private static final int TRAILER_BYTES = 4 + 8 + 8 + 4;
    private static final int STREAM_BUFFER_BYTES = 256 * 1024;

    private final Path file;
    /** What error messages name: the file, or where bytes received came from. */
    private final String source;
    /** The snapshot itself when read from memory; null for a file. */
    private final byte[] bytes;
    private final long checkedBytes;
    private final CRC32C crc = new CRC32C();
    /** The checksummed bytes, read through {@link #buffer} (plain array reads: no lock per byte). */
    private final InputStream in;
    private final byte[] buffer = new byte[STREAM_BUFFER_BYTES];
    private int bufferPos;
    private int bufferEnd;
    private final List<List<Acl>> acls = new ArrayList<>();
    private long startZxid;
    private Map<Long, Integer> sessions;
    private long offset;
    private byte[] body = new byte[4096];
    private long nodeCount;
    private long endZxid = -1;

    private SnapshotReader(Path file, String source, byte[] bytes, long size) throws IOException {
        this.file = file;
        this.source = source;
        this.bytes = bytes;
        this.checkedBytes = size - 4;
        InputStream raw = new Limited(bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file),
                checkedBytes);
        this.in = new CheckedInputStream(raw, crc);
    }

    /** Opens a snapshot and reads its header and session table. */
    public static SnapshotReader open(Path file) throws IOException {
        long size = Files.size(file);
        return start(new SnapshotReader(file, file.toString(), null, checkSize(file.toString(), size)));
    }

    /**
     * Reads a snapshot held in memory (one received from a leader), checked exactly as a file
     * is; {@code source} names it in error messages. {@link #file()} is null.
     */
    public static SnapshotReader open(byte[] snapshot, String source) throws IOException {
        return start(new SnapshotReader(null, source, snapshot, checkSize(source, snapshot.length)));
    }

    private static long checkSize(String source, long size) throws IOException {
        if (size < HEADER_BYTES + 4 + TRAILER_BYTES) {
            throw new IOException(source + ": " + size + " bytes, too short for a snapshot");
        }
        return size;
    }

    private static SnapshotReader start(SnapshotReader r) throws IOException {
        try {
            r.readHeader();
            return r;
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    private void readHeader() throws IOException {
        int magic = readInt();
        if (magic != SnapshotWriter.MAGIC) {
            throw corrupt(0, "not a Paddock snapshot (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int version = readInt();
        if (version != SnapshotWriter.VERSION) {
            throw corrupt(4, "unknown snapshot format version " + version);
        }
        startZxid = readLong();
        long at = offset;
        int count = readInt();
        if (count < 0 || (long) count * 12 > checkedBytes - offset) {
            throw corrupt(at, "session count " + count + " out of range");
        }
        TreeMap<Long, Integer> table = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            table.put(readLong(), readInt());
        }
        sessions = Collections.unmodifiableMap(table);
    }

    /** The file read; null for a snapshot read from memory. */
    public Path file() {
        return file;
    }

    public long startZxid() {
        return startZxid;
    }

    /**
     * The node count the trailer claims, read ahead without checking it: a hint for sizing the
     * tree, 0 when it is out of range for the file's size. {@link #nodeCount()} is the checked one.
     */
    public int expectedNodes() throws IOException {
        long at = checkedBytes - 8 - 8;
        long claimed;
        if (bytes != null) {
            claimed = ByteBuffer.wrap(bytes).getLong((int) at);
        } else {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate(8);
                while (b.hasRemaining()) {
                    if (ch.read(b, at + b.position()) < 0) {
                        return 0;
                    }
                }
                claimed = b.flip().getLong();
            }
        }
        // Every node takes more than 64 bytes of the file (its fixed fields alone do).
        return claimed < 0 || claimed > checkedBytes / 64 ? 0 : (int) claimed;
    }

    /** The session table at the start zxid, in id order. */
    public Map<Long, Integer> sessions() {
        return sessions;
    }

    /**
     * The next node, or null after the last one, once the trailer's node count and checksum have
     * been checked.
     */
    public SnapshotNode next() throws IOException {
        if (endZxid >= 0) {
            return null;
        }
        long at = offset;
        int length = readInt();
        if (length == SnapshotWriter.END) {
            readTrailer();
            return null;
        }
        if (length < 1 || length > MAX_NODE_BYTES || length > checkedBytes - offset) {
            throw corrupt(at, "node length " + length + " out of range");
        }
        if (body.length < length) {
            body = new byte[Math.max(length, body.length * 2)];
        }
        readFully(body, length);
        SnapshotNode node = new Body(at, length).node();
        nodeCount++;
        return node;
    }

    /** The zxid the snapshot's walk ended at; valid once {@link #next()} has answered null. */
    public long endZxid() {
        if (endZxid < 0) {
            throw new IllegalStateException("the nodes have not all been read");
        }
        return endZxid;
    }

    /** The number of nodes; valid once {@link #next()} has answered null. */
    public long nodeCount() {
        endZxid();
        return nodeCount;
    }

    private void readTrailer() throws IOException {
        long at = offset;
        long count = readLong();
        long end = readLong();
        if (bufferPos < bufferEnd || in.read() != -1) {
            throw corrupt(offset, "bytes after the trailer");
        }
        int expected = bytes != null ? ByteBuffer.wrap(bytes, (int) checkedBytes, 4).getInt() : storedChecksum();
        if ((int) crc.getValue() != expected) {
            throw corrupt(checkedBytes, "checksum mismatch: the file says 0x" + Integer.toHexString(expected)
                    + ", its bytes give 0x" + Integer.toHexString((int) crc.getValue()));
        }
        if (count != nodeCount) {
            throw corrupt(at, "the trailer counts " + count + " nodes, the file holds " + nodeCount);
        }
        if (end < startZxid) {
            throw corrupt(at, "endZxid 0x" + Long.toHexString(end) + " is before startZxid 0x" + Long.toHexString(startZxid));
        }
        endZxid = end;
    }

    /** The file's last four bytes, which the checksum over the rest of it must equal. */
    private int storedChecksum() throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4);
            while (b.hasRemaining()) {
                if (ch.read(b, checkedBytes + b.position()) < 0) {
                    throw corrupt(checkedBytes, "the checksum is cut short");
                }
            }
            return b.flip().getInt();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private IOException corrupt(long at, String problem) {
        return new IOException(source + " at offset " + at + ": " + problem);
    }

    private int readInt() throws IOException {
        buffered(4);
        byte[] b = buffer;
        int p = bufferPos;
        int v = (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff);
        bufferPos = p + 4;
        offset += 4;
        return v;
    }

    private long readLong() throws IOException {
        long high = readInt();
        return high << 32 | (readInt() & 0xffffffffL);
    }

    private void readFully(byte[] b, int n) throws IOException {
        int done = 0;
        while (done < n) {
            if (bufferPos == bufferEnd && !refill()) {
                throw corrupt(offset, "cut short");
            }
            int k = Math.min(n - done, bufferEnd - bufferPos);
            System.arraycopy(buffer, bufferPos, b, done, k);
            bufferPos += k;
            done += k;
            offset += k;
        }
    }

    /** Makes at least {@code n} (at most the buffer's size) bytes available in the buffer. */
    private void buffered(int n) throws IOException {
        while (bufferEnd - bufferPos < n) {
            if (!refill()) {
                throw corrupt(offset, "cut short");
            }
        }
    }

    /** Reads more into the buffer, keeping what is unread; false at the end of the input. */
    private boolean refill() throws IOException {
        if (bufferPos > 0) {
            System.arraycopy(buffer, bufferPos, buffer, 0, bufferEnd - bufferPos);
            bufferEnd -= bufferPos;
            bufferPos = 0;
        }
        int read = in.read(buffer, bufferEnd, buffer.length - bufferEnd);
        if (read <= 0) {
            return false;
        }
        bufferEnd += read;
        return true;
    }

    /** Decodes one node's bytes, each length checked against what is left of them. */
    private final class Body {
        private final long start;
        private final int end;
        private int p;

        Body(long start, int length) {
            this.start = start;
            this.end = length;
        }

        SnapshotNode node() throws IOException {
            String path = string();
            byte[] data = bytes();
            List<Acl> acl = acl();
            long czxid = longAt();
            long mzxid = longAt();
            long ctime = longAt();
            long mtime = longAt();
            long pzxid = longAt();
            int version = intAt();
            int cversion = intAt();
            int aversion = intAt();
            need(1);
            int flag = body[p++];
            long owner = longAt();
            if (p != end) {
                throw corrupt(start, "node " + path + " has " + (end - p) + " bytes left over");
            }
            CreateMode mode = CreateMode.fromFlag(flag);
            if (mode == null || mode.isSequential()) {
                throw corrupt(start, "node " + path + " has an unknown mode " + flag);
            }
            return new SnapshotNode(path, data, acl, czxid, mzxid, ctime, mtime, version, cversion, aversion,
                    pzxid, mode, mode.isTtl() ? owner : 0, mode.isEphemeral() ? owner : 0);
        }

        private List<Acl> acl() throws IOException {
            int ref = intAt();
            if (ref != SnapshotWriter.NEW_ACL) {
                if (ref < 0 || ref >= acls.size()) {
                    throw corrupt(start, "ACL reference " + ref + " out of range");
                }
                return acls.get(ref);
            }
            int count = intAt();
            if (count < 0 || count > (end - p) / 12) {
                throw corrupt(start, "ACL count " + count + " out of range");
            }
            List<Acl> list = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int perms = intAt();
                list.add(new Acl(perms, new Id(string(), string())));
            }
            List<Acl> acl = List.copyOf(list);
            acls.add(acl);
            return acl;
        }

        private void need(int n) throws IOException {
            if (n < 0 || n > end - p) {
                throw corrupt(start, "a field runs past the end of its node");
            }
        }

        private int intAt() throws IOException {
            need(4);
            int v = (body[p] & 0xff) << 24 | (body[p + 1] & 0xff) << 16 | (body[p + 2] & 0xff) << 8 | (body[p + 3] & 0xff);
            p += 4;
            return v;
        }

        private long longAt() throws IOException {
            return (long) intAt() << 32 | (intAt() & 0xffffffffL);
        }

        private byte[] bytes() throws IOException {
            int n = intAt();
            need(n);
            byte[] b = Arrays.copyOfRange(body, p, p + n);
            p += n;
            return b;
        }

        private String string() throws IOException {
            int n = intAt();
            need(n);
            String s = new String(body, p, n, StandardCharsets.UTF_8);
            p += n;
            return s;
        }
    }

    /** Ends the stream after {@code limit} bytes: the checksum covers everything but itself. */
    private static final class Limited extends FilterInputStream {
        private long left;

        Limited(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(Math.min(n, left));
            left -= s;
            return s;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), left);
        }
    }
}
