package io.paddock.storage;

import io.paddock.tree.TxnRecord;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads one log segment (format in {@link TxnLog}) through a window buffer with positional
 * reads: its header, one frame at a time, and what lies after the records, which is how a torn
 * tail is told from corruption. It only reads; it never decides what a bad frame means.
 */
final class SegmentReader implements Closeable {

    enum Kind {
        /** A whole record: length in range, CRC32C right, decodable. */
        RECORD,
        /** No record here: the end of the file or a zero length (preallocated space). */
        END,
        /** A frame that is short, out of range, fails its CRC or does not decode. */
        BAD
    }

    /** What lies at {@code offset}; {@code end} is just past a RECORD's frame. */
    record Frame(Kind kind, long offset, long end, TxnRecord record, String problem) {
    }

    enum HeaderState {
        VALID,
        /** A prefix of the expected header, then nothing but zeros: the file was created, never written. */
        TORN,
        BAD
    }

    record Header(HeaderState state, String problem) {
    }

    private static final int WINDOW_BYTES = 64 * 1024;
    private static final byte[] ZEROS = new byte[WINDOW_BYTES];

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final CRC32C crc = new CRC32C();
    private byte[] window = new byte[WINDOW_BYTES];
    private long windowStart;
    private int windowLength;

    private SegmentReader(Path file, FileChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.size = size;
    }

    static SegmentReader open(ChannelFactory channels, Path file) throws IOException {
        FileChannel channel = channels.open(file, StandardOpenOption.READ);
        try {
            return new SegmentReader(file, channel, channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The file's size when it was opened: everything read lies below it. */
    long size() {
        return size;
    }

    Header header(long firstZxid) throws IOException {
        byte[] expected = TxnLog.header(firstZxid);
        int n = (int) Math.min(size, TxnLog.HEADER_BYTES);
        int at = n == 0 ? 0 : ensure(0, n);
        int same = 0;
        while (same < n && window[at + same] == expected[same]) {
            same++;
        }
        if (same == TxnLog.HEADER_BYTES) {
            return new Header(HeaderState.VALID, null);
        }
        boolean zerosAfter = Arrays.mismatch(window, at + same, at + n, ZEROS, 0, n - same) < 0
                && firstNonZero(n, size) < 0;
        if (zerosAfter) {
            return new Header(HeaderState.TORN, size < TxnLog.HEADER_BYTES
                    ? "the file holds " + size + " of the header's " + TxnLog.HEADER_BYTES + " bytes"
                    : "the header is only partly written");
        }
        return new Header(HeaderState.BAD, badHeader(at, n, firstZxid));
    }

    private String badHeader(int at, int n, long firstZxid) {
        if (n < TxnLog.HEADER_BYTES) {
            return "the file is shorter (" + n + " bytes) than a segment header";
        }
        int magic = intAt(at);
        int version = intAt(at + 4);
        long zxid = ((long) intAt(at + 8) << 32) | (intAt(at + 12) & 0xffffffffL);
        if (magic != TxnLog.MAGIC) {
            return String.format("not a Paddock log segment (magic 0x%08x, expected 0x%08x \"PDKL\")", magic, TxnLog.MAGIC);
        }
        if (version != TxnLog.VERSION) {
            return "format version " + version + ", but this server reads version " + TxnLog.VERSION;
        }
        return String.format("the header says the first zxid is 0x%x, the file name 0x%x", zxid, firstZxid);
    }

    /** The frame at {@code pos}, reading nothing at or beyond {@code limit}. */
    Frame read(long pos, long limit) throws IOException {
        long left = limit - pos;
        if (left == 0) {
            return new Frame(Kind.END, pos, pos, null, null);
        }
        if (left < 4) {
            return bad(pos, "short read: " + left + " bytes where a record's length belongs");
        }
        int at = ensure(pos, (int) Math.min(left, TxnLog.FRAME_HEADER_BYTES));
        int length = intAt(at);
        if (length == 0) {
            return new Frame(Kind.END, pos, pos, null, null);
        }
        if (length < TxnCodec.MIN_BYTES || length > TxnLog.MAX_RECORD_BYTES) {
            return bad(pos, "record length " + length + " out of range " + TxnCodec.MIN_BYTES + ".."
                    + TxnLog.MAX_RECORD_BYTES);
        }
        if (left < TxnLog.FRAME_HEADER_BYTES + (long) length) {
            return bad(pos, "short read: a record of " + length + " bytes, but only "
                    + Math.max(0, left - TxnLog.FRAME_HEADER_BYTES) + " bytes follow its frame header");
        }
        at = ensure(pos, TxnLog.FRAME_HEADER_BYTES + length);
        int body = at + TxnLog.FRAME_HEADER_BYTES;
        crc.reset();
        crc.update(window, body, length);
        int stored = intAt(at + 4);
        if ((int) crc.getValue() != stored) {
            return bad(pos, String.format("CRC32C mismatch (stored 0x%08x, computed 0x%08x)", stored,
                    (int) crc.getValue()));
        }
        try {
            TxnRecord record = TxnCodec.decode(window, body, length);
            return new Frame(Kind.RECORD, pos, pos + TxnLog.FRAME_HEADER_BYTES + length, record, null);
        } catch (CorruptRecordException e) {
            return bad(pos, "undecodable record: " + e.getMessage());
        }
    }

    private static Frame bad(long pos, String problem) {
        return new Frame(Kind.BAD, pos, pos, null, problem);
    }

    /** The offset of the first non-zero byte in [from, limit), or -1. */
    long firstNonZero(long from, long limit) throws IOException {
        long pos = from;
        while (pos < limit) {
            int n = (int) Math.min(WINDOW_BYTES, limit - pos);
            int at = ensure(pos, n);
            int m = Arrays.mismatch(window, at, at + n, ZEROS, 0, n);
            if (m >= 0) {
                return pos + m;
            }
            pos += n;
        }
        return -1;
    }

    /**
     * The offset of the first whole, valid record at or after {@code from} whose zxid is above
     * {@code aboveZxid}, trying every byte offset that is not inside a run of zeros; -1 if none.
     */
    long findRecordAfter(long from, long limit, long aboveZxid) throws IOException {
        long pos = from;
        int smallest = TxnLog.FRAME_HEADER_BYTES + TxnCodec.MIN_BYTES;
        while (limit - pos >= smallest) {
            long nonZero = firstNonZero(pos, limit);
            if (nonZero < 0) {
                return -1;
            }
            // A frame's length is big-endian: its first non-zero byte may be its last.
            pos = Math.max(pos, nonZero - 3);
            if (limit - pos >= smallest && plausible(pos, limit, aboveZxid)) {
                Frame f = read(pos, limit);
                if (f.kind() == Kind.RECORD && f.record().zxid() > aboveZxid) {
                    return pos;
                }
            }
            pos++;
        }
        return -1;
    }

    /** Cheap checks before a CRC, so that scanning garbage stays fast. */
    private boolean plausible(long pos, long limit, long aboveZxid) throws IOException {
        int at = ensure(pos, TxnLog.FRAME_HEADER_BYTES + TxnCodec.MIN_BYTES);
        int length = intAt(at);
        if (length < TxnCodec.MIN_BYTES || length > TxnLog.MAX_RECORD_BYTES
                || length > limit - pos - TxnLog.FRAME_HEADER_BYTES) {
            return false;
        }
        int zxidAt = at + TxnLog.FRAME_HEADER_BYTES;
        long zxid = ((long) intAt(zxidAt) << 32) | (intAt(zxidAt + 4) & 0xffffffffL);
        byte kind = window[zxidAt + TxnCodec.HEADER_BYTES];
        return zxid > aboveZxid && kind >= 1 && kind <= 9;
    }

    private int intAt(int at) {
        return ((window[at] & 0xff) << 24) | ((window[at + 1] & 0xff) << 16) | ((window[at + 2] & 0xff) << 8)
                | (window[at + 3] & 0xff);
    }

    /** Makes [pos, pos + n) readable in the window (pos + n must not pass the size) and returns its index there. */
    private int ensure(long pos, int n) throws IOException {
        if (pos >= windowStart && pos + n <= windowStart + windowLength) {
            return (int) (pos - windowStart);
        }
        if (n > window.length) {
            window = new byte[Math.max(n, 2 * window.length)];
        }
        int length = (int) Math.min(window.length, size - pos);
        ByteBuffer into = ByteBuffer.wrap(window, 0, length);
        while (into.hasRemaining()) {
            if (channel.read(into, pos + into.position()) < 0) {
                windowLength = 0;
                throw new EOFException(file + " shrank below " + (pos + into.position()) + " bytes while being read");
            }
        }
        windowStart = pos;
        windowLength = length;
        return 0;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
