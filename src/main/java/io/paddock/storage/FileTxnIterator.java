package io.paddock.storage;

import io.paddock.storage.SegmentReader.Frame;
import io.paddock.storage.SegmentReader.HeaderState;
import io.paddock.storage.SegmentReader.Kind;
import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads the records above a zxid from a fixed list of segment extents, fixed when
 * {@link TxnLog#read} was called: records flushed later are not seen. Every record is checked
 * again, since the files may have changed on disk since start-up.
 */
final class FileTxnIterator implements TxnIterator {

    /** The durable part of one segment: its records lie in [header, end). */
    record Extent(Path file, long firstZxid, long end) {
    }

    private final ChannelFactory channels;
    private final List<Extent> extents;
    private final long afterZxid;
    private int index;
    private Extent current;
    private SegmentReader reader;
    private long pos;
    private long lastZxid = Long.MIN_VALUE;
    private TxnRecord next;
    private boolean closed;

    FileTxnIterator(ChannelFactory channels, List<Extent> extents, long afterZxid) {
        this.channels = channels;
        this.extents = List.copyOf(extents);
        this.afterZxid = afterZxid;
    }

    @Override
    public boolean hasNext() throws IOException {
        if (closed) {
            throw new IllegalStateException("iterator closed");
        }
        while (next == null) {
            if (reader == null && !openNext()) {
                return false;
            }
            if (pos >= current.end()) {
                closeReader();
                continue;
            }
            Frame f = reader.read(pos, current.end());
            if (f.kind() != Kind.RECORD) {
                throw new CorruptLogException(current.file(), pos, f.kind() == Kind.END
                        ? "the records end before offset " + current.end() + ", where they ended when written"
                        : f.problem());
            }
            long zxid = f.record().zxid();
            if (zxid <= lastZxid) {
                throw new CorruptLogException(current.file(), pos, String.format(
                        "zxid 0x%x does not follow the previous record's 0x%x", zxid, lastZxid));
            }
            lastZxid = zxid;
            pos = f.end();
            if (zxid > afterZxid) {
                next = f.record();
            }
        }
        return true;
    }

    private boolean openNext() throws IOException {
        if (index == extents.size()) {
            return false;
        }
        current = extents.get(index++);
        reader = SegmentReader.open(channels, current.file());
        SegmentReader.Header header = reader.header(current.firstZxid());
        if (header.state() != HeaderState.VALID) {
            throw new CorruptLogException(current.file(), 0, header.problem());
        }
        if (reader.size() < current.end()) {
            throw new CorruptLogException(current.file(), reader.size(), "the file ends before its records, which end at "
                    + current.end());
        }
        pos = TxnLog.HEADER_BYTES;
        return true;
    }

    @Override
    public TxnRecord next() throws IOException {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        TxnRecord r = next;
        next = null;
        return r;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        closeReader();
    }

    private void closeReader() throws IOException {
        SegmentReader r = reader;
        reader = null;
        if (r != null) {
            r.close();
        }
    }
}
