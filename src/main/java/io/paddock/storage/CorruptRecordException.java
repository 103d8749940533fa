package io.paddock.storage;

import java.io.IOException;

/** Bytes that do not decode as a transaction record; the message says what was wrong and where. */
public final class CorruptRecordException extends IOException {

    public CorruptRecordException(String message) {
        super(message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
