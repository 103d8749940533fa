package io.paddock.storage;

import io.paddock.storage.SegmentReader.Frame;
import io.paddock.storage.SegmentReader.Kind;
import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction log: append-only segment files in the data directory, each named
 * {@code log.<first zxid, 16 hex digits>}. The format (ZooKeeper's FileTxnLog, with a CRC32C
 * in front of each record and a length that ends the records); all numbers big-endian:
 * <pre>
 * Segment:    Header Record* End
 * Header:     magic int ("PDKL" = 0x50444b4c), version int (1), firstZxid long     16 bytes
 * Record:     length int, crc int, body
 *   length:   of body, {@link TxnCodec#MIN_BYTES}..{@value #MAX_RECORD_BYTES}
 *   crc:      CRC32C of body
 *   body:     {@link TxnCodec}: zxid long, sessionId long, cxid int, timeMs long, Txn
 * End:        end of file, or length 0 followed by zeros to the end of the file (ZeroPad)
 * </pre>
 * The first record's zxid is the segment's name and header's firstZxid; zxids strictly increase
 * within a segment and from one segment to the next.
 *
 * <p><b>Writing.</b> {@link #append} frames records into one reused buffer; {@link #flush}
 * writes them with as few write calls as it can, then forces the file once (group commit is
 * the caller's: many appends, one flush). A record is acknowledged only after the flush that
 * covers it returns. Segments grow in chunks of {@code preAllocSizeBytes}, added before a write
 * would reach the end of the file (as ZooKeeper's FilePadding does, by writing a zero byte at
 * the chunk's last offset, which leaves zeros before it), so a force rarely has to change the
 * file's size. A segment is rolled at the first append after it exceeds
 * {@code segmentSizeBytes}, or after {@link #roll}; rolling cuts the old segment's unused
 * preallocated zeros off and forces it (even without forceSync, so that only the newest segment
 * can ever be torn), and the next flush also forces the directory, which holds the new segment's
 * name. After {@link #open} the first append starts a new segment, as in ZooKeeper: a recovered
 * segment is never written again, so recovery cuts its preallocated zeros off too.
 *
 * <p><b>Recovery</b> ({@link #open}) reads every segment in zxid order and checks the header,
 * the framing, the CRC, that each record decodes, and that zxids increase across all of them.
 * <ul>
 * <li>In the <em>last</em> segment, a bad record (short, length out of range, CRC mismatch,
 *     undecodable), or non-zero bytes after the end of the records, that is followed by nothing
 *     that frames as a valid record with a larger zxid is a torn tail: a write cut short by a
 *     crash. The file is truncated at the bad record's offset, which drops every stale byte after
 *     it, with a WARN naming the file and the offset.
 * <li>If the last segment has no whole record (its header torn, or nothing valid after it), it
 *     was created just before a crash: it is deleted, with a WARN.
 * <li>Anything else is corruption and throws {@link CorruptLogException} naming the file and
 *     the offset: a bad header; a bad record in an earlier segment, or one in the last segment
 *     with a valid record after it; non-zero bytes after the records of an earlier segment;
 *     an earlier segment without records; a zxid that does not increase. Committed records are
 *     never dropped silently.
 * </ul>
 *
 * <p><b>Failures.</b> After an I/O error in {@link #append} or {@link #flush} (a full disk,
 * a failing device) the log accepts nothing until {@link #discardUnflushed} has cut every
 * segment back to the end of its last flushed record, so the log holds exactly what was
 * acknowledged; if that fails too, the caller closes the log and tries {@link #open} later.
 *
 * <p>Not thread-safe: one thread (the log writer) calls it. An iterator from {@link #read} may
 * be used between calls; it sees the records flushed when it was made.
 */
public final class TxnLog implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(TxnLog.class);

    static final int MAGIC = 0x50444b4c;
    static final int VERSION = 1;
    static final int HEADER_BYTES = 16;
    static final int FRAME_HEADER_BYTES = 8;
    /** Bounds what recovery reads for one record, so that a garbage length cannot allocate gigabytes. */
    static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;

    private static final int END_MARK_BYTES = 4;
    private static final int BUFFER_BYTES = 64 * 1024;
    /** Buffered records beyond this are written (not forced) before the flush, to bound memory. */
    private static final int WRITE_AHEAD_BYTES = 1024 * 1024;
    private static final Pattern SEGMENT_NAME = Pattern.compile("log\\.([0-9a-f]{16})");
    /** Windows cannot open a directory as a channel; everywhere else a new file's name needs it forced. */
    private static final boolean FORCE_DIRECTORY =
            !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    /**
     * @param preAllocSizeBytes segments grow in chunks of this many bytes
     * @param forceSync         force the log at every flush; off only for tests and benchmarks
     * @param segmentSizeBytes  a segment is rolled at the first append after it holds more than this
     */
    public record Options(long preAllocSizeBytes, boolean forceSync, long segmentSizeBytes) {
        public Options {
            if (preAllocSizeBytes <= 0) {
                throw new IllegalArgumentException("preAllocSizeBytes must be positive: " + preAllocSizeBytes);
            }
            if (segmentSizeBytes <= 0) {
                throw new IllegalArgumentException("segmentSizeBytes must be positive: " + segmentSizeBytes);
            }
        }
    }

    public record Segment(Path file, long firstZxid) {
    }

    /** One segment, how far it is written and how far a flush has acknowledged it. */
    private static final class SegmentState {
        final Path file;
        final long firstZxid;
        long durableEnd;
        long durableLastZxid;
        long writtenEnd;
        long writtenLastZxid;

        SegmentState(Path file, long firstZxid, long end, long lastZxid) {
            this.file = file;
            this.firstZxid = firstZxid;
            this.durableEnd = end;
            this.durableLastZxid = lastZxid;
            this.writtenEnd = end;
            this.writtenLastZxid = lastZxid;
        }

        boolean unflushed() {
            return writtenEnd != durableEnd;
        }

        void acknowledge() {
            durableEnd = writtenEnd;
            durableLastZxid = writtenLastZxid;
        }
    }

    private final Path dir;
    private final Options options;
    private final ChannelFactory channels;
    private final List<SegmentState> segments = new ArrayList<>();
    /** Rolled away from, written and forced, but not yet acknowledged by a flush. */
    private final List<SegmentState> rolled = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer zero = ByteBuffer.allocateDirect(1);
    /** Framed records not yet written; its first byte goes to {@code bufferStart} in the active segment. */
    private ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private long bufferStart;
    private long bufferedLastZxid;
    /** The segment appends go to (the last of {@code segments}); null until an append creates one. */
    private SegmentState active;
    private FileChannel activeChannel;
    private long activeSize;
    private long lastZxid;
    private long appendedZxid;
    private boolean rollRequested;
    private boolean directoryDirty;
    private boolean failed;
    private boolean closed;

    private TxnLog(Path dir, Options options, ChannelFactory channels) {
        this.dir = dir;
        this.options = options;
        this.channels = channels;
    }

    /**
     * Opens the log in {@code dir} (creating the directory if needed) and recovers it by the
     * rules above: a torn tail of the last segment is truncated with a WARN naming file and
     * offset; corruption anywhere else throws {@link CorruptLogException} naming file and offset.
     */
    public static TxnLog open(Path dir, Options options) throws IOException {
        return open(dir, options, ChannelFactory.DEFAULT);
    }

    /** As {@link #open(Path, Options)}, with the channels a test hands out. */
    static TxnLog open(Path dir, Options options, ChannelFactory channels) throws IOException {
        Files.createDirectories(dir);
        if (!options.forceSync()) {
            logger.warn("forceSync is off for the transaction log in {}: writes are acknowledged before they reach"
                    + " the disk, and acknowledged writes can be lost on a crash. Use it for tests and benchmarks"
                    + " only.", dir);
        }
        TxnLog log = new TxnLog(dir, options, channels);
        log.recover();
        return log;
    }

    private void recover() throws IOException {
        List<Segment> found = list(dir);
        long previousZxid = 0;
        boolean removed = false;
        for (int i = 0; i < found.size(); i++) {
            Segment s = found.get(i);
            SegmentScan.Result r;
            try (SegmentReader reader = SegmentReader.open(channels, s.file())) {
                r = SegmentScan.scan(reader, s.file(), s.firstZxid(), previousZxid, i == found.size() - 1);
            }
            switch (r.outcome()) {
                case WHOLE -> {
                    if (Files.size(s.file()) > r.recordsEnd()) {
                        // Never written again: its preallocated zeros would only be read at every start.
                        cut(s.file(), r.recordsEnd());
                    }
                    segments.add(new SegmentState(s.file(), s.firstZxid(), r.recordsEnd(), r.lastZxid()));
                }
                case TORN -> {
                    logger.warn("{}: torn record at offset {} ({}), cut short by a crash; truncating the log there,"
                            + " after the record with zxid 0x{}", s.file(), r.recordsEnd(), r.problem(),
                            Long.toHexString(r.lastZxid()));
                    cut(s.file(), r.recordsEnd());
                    segments.add(new SegmentState(s.file(), s.firstZxid(), r.recordsEnd(), r.lastZxid()));
                }
                case EMPTY -> {
                    logger.warn("{}: removing the last log segment, which holds no whole record ({}, at offset {}):"
                            + " it was created just before a crash", s.file(), r.problem(), r.recordsEnd());
                    Files.delete(s.file());
                    removed = true;
                }
                default -> throw new IllegalStateException(r.outcome().toString());
            }
            previousZxid = r.lastZxid();
        }
        if (removed) {
            forceDirectory();
        }
        lastZxid = previousZxid;
        appendedZxid = previousZxid;
    }

    /** The log segments in {@code dir}, oldest first (by the zxid in their names). */
    static List<Segment> list(Path dir) throws IOException {
        List<Segment> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = SEGMENT_NAME.matcher(f.getFileName().toString());
                if (m.matches()) {
                    found.add(new Segment(f, Long.parseUnsignedLong(m.group(1), 16)));
                }
            }
        }
        found.sort(Comparator.comparingLong(Segment::firstZxid));
        return found;
    }

    static String segmentName(long firstZxid) {
        return String.format("log.%016x", firstZxid);
    }

    static byte[] header(long firstZxid) {
        return ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(VERSION).putLong(firstZxid).array();
    }

    /** The zxid of the last flushed record; 0 when the log is empty. */
    public long lastZxid() {
        return lastZxid;
    }

    /**
     * Buffers a record; it is durable once a later {@link #flush} returns. Zxids must strictly
     * increase (IllegalArgumentException otherwise, and for a record larger than
     * {@value #MAX_RECORD_BYTES} bytes; the log is unchanged then).
     */
    public void append(TxnRecord r) throws IOException {
        checkUsable();
        if (r.zxid() <= appendedZxid) {
            throw new IllegalArgumentException(String.format("zxid 0x%x is not above the last appended 0x%x",
                    r.zxid(), appendedZxid));
        }
        byte[] body = TxnCodec.encode(r);
        if (body.length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a record of " + body.length + " bytes is larger than the log's limit of "
                    + MAX_RECORD_BYTES);
        }
        try {
            if (active == null || rollRequested || bufferStart + buffer.position() > options.segmentSizeBytes()) {
                startSegment(r.zxid());
            }
            int frame = FRAME_HEADER_BYTES + body.length;
            if (buffer.position() > 0 && buffer.position() + frame > WRITE_AHEAD_BYTES) {
                writeBuffer();
            }
            if (buffer.remaining() < frame) {
                ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(2 * buffer.capacity(), buffer.position() + frame));
                buffer.flip();
                buffer = bigger.put(buffer);
            }
            crc.reset();
            crc.update(body, 0, body.length);
            buffer.putInt(body.length).putInt((int) crc.getValue()).put(body);
            bufferedLastZxid = r.zxid();
            appendedZxid = r.zxid();
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /** Writes every appended record, then forces the segment once (when forceSync): they are durable after. */
    public void flush() throws IOException {
        checkUsable();
        try {
            writeBuffer();
            if (options.forceSync()) {
                if (active != null && active.unflushed()) {
                    activeChannel.force(false);
                }
                if (directoryDirty) {
                    forceDirectory();
                }
            }
            directoryDirty = false;
            for (SegmentState s : rolled) {
                s.acknowledge();
            }
            rolled.clear();
            if (active != null) {
                active.acknowledge();
            }
            lastZxid = appendedZxid;
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Drops every record appended since the last successful flush, from the buffer and from the
     * files: segments are truncated to the end of their last flushed record and segments created
     * since are deleted. The next append starts a new segment. Throws if the files cannot be cut
     * back; the log then stays unusable and should be closed and opened again later.
     */
    public void discardUnflushed() throws IOException {
        checkOpen();
        buffer.clear();
        bufferStart = 0;
        try {
            List<SegmentState> touched = new ArrayList<>(rolled);
            if (active != null) {
                touched.add(active);
            }
            // Its writes may have failed, or an interrupt closed it: cutting back uses fresh channels.
            closeActiveChannel(true);
            for (int i = touched.size() - 1; i >= 0; i--) {
                SegmentState s = touched.get(i);
                if (s.durableEnd == 0) {
                    Files.deleteIfExists(s.file);
                    segments.remove(s);
                    directoryDirty = true;
                } else {
                    cut(s.file, s.durableEnd);
                    s.writtenEnd = s.durableEnd;
                    s.writtenLastZxid = s.durableLastZxid;
                }
            }
            rolled.clear();
            if (directoryDirty) {
                forceDirectory();
                directoryDirty = false;
            }
            appendedZxid = lastZxid;
            failed = false;
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /** The next append starts a new segment (a snapshot has started, as in ZooKeeper). */
    public void roll() throws IOException {
        checkOpen();
        if (active != null) {
            rollRequested = true;
        }
    }

    /**
     * Records with zxid above {@code afterZxid}, in order, across segments, as flushed when this
     * is called. Segment files deleted by purging are forgotten, if they are the oldest.
     */
    public TxnIterator read(long afterZxid) throws IOException {
        checkOpen();
        List<FileTxnIterator.Extent> extents = extents();
        int from = 0;
        while (from + 1 < extents.size() && extents.get(from + 1).firstZxid() - 1 <= afterZxid) {
            from++;
        }
        return new FileTxnIterator(channels, extents.subList(from, extents.size()), afterZxid);
    }

    /**
     * The last {@code n} flushed records (fewer if the log holds fewer), oldest first: a
     * leader's window of history for DIFF. Segments are read newest first, each from its start
     * (records have no index), until {@code n} are found; every record read is checked as
     * {@link #read} checks it. A segment starts at every snapshot and every start-up, so this
     * reads about what recovery reads after the newest snapshot.
     */
    public List<TxnRecord> tail(int n) throws IOException {
        checkOpen();
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        List<FileTxnIterator.Extent> extents = extents();
        ArrayDeque<List<TxnRecord>> bySegment = new ArrayDeque<>(); // oldest segment first
        int found = 0;
        for (int i = extents.size() - 1; i >= 0 && found < n; i--) {
            // Only the segment's last (n - found) records are kept, in a ring.
            int wanted = n - found;
            ArrayDeque<TxnRecord> ring = new ArrayDeque<>(Math.min(wanted, 1024));
            try (TxnIterator records = new FileTxnIterator(channels, List.of(extents.get(i)), 0)) {
                while (records.hasNext()) {
                    if (ring.size() == wanted) {
                        ring.pollFirst();
                    }
                    ring.addLast(records.next());
                }
            }
            found += ring.size();
            bySegment.addFirst(new ArrayList<>(ring));
        }
        List<TxnRecord> out = new ArrayList<>(found);
        for (List<TxnRecord> segment : bySegment) {
            out.addAll(segment);
        }
        return out;
    }

    /** The durable extent of each segment, oldest first; segments purged from the directory are forgotten. */
    private List<FileTxnIterator.Extent> extents() throws IOException {
        List<FileTxnIterator.Extent> extents = new ArrayList<>();
        boolean keptOne = false;
        for (SegmentState s : List.copyOf(segments)) {
            if (vanished(s)) {
                if (keptOne) {
                    throw new CorruptLogException(s.file, 0, "the segment file is gone, but an older one remains");
                }
                segments.remove(s);
                continue;
            }
            keptOne = true;
            if (s.durableEnd > 0) {
                extents.add(new FileTxnIterator.Extent(s.file, s.firstZxid, s.durableEnd));
            }
        }
        return extents;
    }

    /**
     * Drops every record with a zxid above {@code zxid} (ZAB's TRUNC): later segments are
     * deleted, the one holding {@code zxid} is truncated after it, and the next append starts a
     * new segment. Everything appended must be flushed (or discarded) first.
     *
     * <p>Crash-safe: segments are deleted newest first, the directory forced after each, and
     * only then is the segment holding {@code zxid} cut (and forced). After a crash at any point
     * the log holds a prefix of what it held, at least up to {@code zxid}: never older records
     * without the newer ones in between, which could hide a hole at an epoch boundary.
     */
    public void truncateAfter(long zxid) throws IOException {
        checkFlushed();
        if (zxid >= lastZxid) {
            return;
        }
        try {
            closeActiveChannel(false);
            for (int i = segments.size() - 1; i >= 0; i--) {
                SegmentState s = segments.get(i);
                if (s.firstZxid > zxid) {
                    Files.deleteIfExists(s.file);
                    segments.remove(i);
                    forceDirectory();
                    continue;
                }
                if (s.durableLastZxid > zxid) {
                    cutAfter(s, zxid);
                }
                break;
            }
            lastZxid = segments.isEmpty() ? 0 : segments.get(segments.size() - 1).durableLastZxid;
            appendedZxid = lastZxid;
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /** Throws IllegalStateException unless the log is usable and holds no record appended since the last flush. */
    void checkFlushed() {
        checkUsable();
        if (buffer.position() > 0 || !rolled.isEmpty() || (active != null && active.unflushed())) {
            throw new IllegalStateException("records were appended since the last flush: flush or discard them first");
        }
    }

    /** The segment files, oldest first (those purged from the directory are forgotten). */
    public List<Segment> segments() {
        segments.removeIf(this::vanished);
        List<Segment> out = new ArrayList<>(segments.size());
        for (SegmentState s : segments) {
            out.add(new Segment(s.file, s.firstZxid));
        }
        return List.copyOf(out);
    }

    /** Releases the files. Records appended since the last flush are dropped if still buffered. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        buffer.clear();
        rolled.clear();
        closeActiveChannel(false);
    }

    private void startSegment(long firstZxid) throws IOException {
        if (active != null) {
            writeBuffer();
            activeChannel.truncate(active.writtenEnd); // its preallocated zeros are not needed any more
            // Forced whatever forceSync says: only the newest segment may ever be torn.
            activeChannel.force(false);
            if (active.unflushed()) {
                rolled.add(active);
            }
            closeActiveChannel(false);
        }
        rollRequested = false;
        Path file = dir.resolve(segmentName(firstZxid));
        FileChannel channel = channels.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        active = new SegmentState(file, firstZxid, 0, 0);
        activeChannel = channel;
        activeSize = 0;
        segments.add(active);
        directoryDirty = true;
        buffer.clear();
        bufferStart = 0;
        buffer.putInt(MAGIC).putInt(VERSION).putLong(firstZxid);
    }

    /** Writes the buffer to the active segment, first growing the file by whole chunks if it would reach its end. */
    private void writeBuffer() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        long end = bufferStart + buffer.position();
        if (end + END_MARK_BYTES > activeSize) {
            long chunk = options.preAllocSizeBytes();
            long size = (end + END_MARK_BYTES + chunk - 1) / chunk * chunk;
            zero.clear();
            while (zero.hasRemaining()) {
                activeChannel.write(zero, size - 1);
            }
            activeSize = size;
        }
        buffer.flip();
        long pos = bufferStart;
        while (buffer.hasRemaining()) {
            pos += activeChannel.write(buffer, pos);
        }
        buffer.clear();
        if (buffer.capacity() > WRITE_AHEAD_BYTES) {
            buffer = ByteBuffer.allocateDirect(BUFFER_BYTES); // one huge record passed: do not keep its buffer
        }
        bufferStart = end;
        active.writtenEnd = end;
        active.writtenLastZxid = bufferedLastZxid;
    }

    /** Truncates {@code s} after its last record with a zxid at most {@code zxid}. */
    private void cutAfter(SegmentState s, long zxid) throws IOException {
        long pos = HEADER_BYTES;
        long kept = 0;
        try (SegmentReader reader = SegmentReader.open(channels, s.file)) {
            while (pos < s.durableEnd) {
                Frame f = reader.read(pos, s.durableEnd);
                if (f.kind() != Kind.RECORD) {
                    throw new CorruptLogException(s.file, pos, f.kind() == Kind.END ? "the records end early" : f.problem());
                }
                if (f.record().zxid() > zxid) {
                    break;
                }
                kept = f.record().zxid();
                pos = f.end();
            }
        }
        cut(s.file, pos);
        s.durableEnd = pos;
        s.writtenEnd = pos;
        s.durableLastZxid = kept;
        s.writtenLastZxid = kept;
    }

    /** Truncates a file (dropping whatever lies after {@code end}) and forces it when forceSync. */
    private void cut(Path file, long end) throws IOException {
        try (FileChannel channel = channels.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(end);
            if (options.forceSync()) {
                channel.force(false);
            }
        }
    }

    /** Makes created and deleted segment names durable. */
    private void forceDirectory() throws IOException {
        if (!options.forceSync() || !FORCE_DIRECTORY) {
            return;
        }
        try (FileChannel channel = channels.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private void closeActiveChannel(boolean quietly) throws IOException {
        FileChannel channel = activeChannel;
        activeChannel = null;
        active = null;
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            if (!quietly) {
                throw e;
            }
            logger.warn("Closing {} failed; cutting it back all the same", dir, e);
        }
    }

    private boolean vanished(SegmentState s) {
        return s != active && !rolled.contains(s) && !Files.exists(s.file);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the transaction log in " + dir + " is closed");
        }
    }

    private void checkUsable() {
        checkOpen();
        if (failed) {
            throw new IllegalStateException("a write to the transaction log in " + dir
                    + " failed: discardUnflushed() or reopen it first");
        }
    }
}
