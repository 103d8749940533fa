package io.paddock.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A transaction log that cannot be trusted: a bad record or header that is not a torn tail
 * (see {@link TxnLog}). It names the file and the byte offset where the trouble starts, so an
 * operator can inspect it; the log is never repaired by dropping records silently.
 */
public final class CorruptLogException extends IOException {

    private final Path file;
    private final long offset;

    public CorruptLogException(Path file, long offset, String problem) {
        this(file, offset, problem, null);
    }

    public CorruptLogException(Path file, long offset, String problem, Throwable cause) {
        super(file + " at offset " + offset + ": " + problem, cause);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    /** The byte offset in {@link #file()} of the bad header or record. */
    public long offset() {
        return offset;
    }
}
