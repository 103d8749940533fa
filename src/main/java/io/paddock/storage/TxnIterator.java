package io.paddock.storage;

import io.paddock.tree.TxnRecord;
import java.io.IOException;

/**
 * Transaction records read back from the log, in zxid order. Reading checks every record again
 * (framing, CRC32C, decoding, increasing zxids) and throws {@link CorruptLogException} naming
 * the file and offset of one that fails.
 */
public interface TxnIterator extends AutoCloseable {

    boolean hasNext() throws IOException;

    /** The next record; {@link java.util.NoSuchElementException} when there is none. */
    TxnRecord next() throws IOException;

    @Override
    void close() throws IOException;
}
