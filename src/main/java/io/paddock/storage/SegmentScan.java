package io.paddock.storage;

import io.paddock.storage.SegmentReader.Frame;
import io.paddock.storage.SegmentReader.Kind;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Checks one segment at start-up and decides, by the rules in {@link TxnLog}, whether it is
 * whole, ends in a torn tail, holds no record, or is corrupt (thrown as
 * {@link CorruptLogException}). Only the last segment may be torn or empty: every earlier one
 * was complete and forced before the next was created.
 */
final class SegmentScan {

    enum Outcome {
        /** Records up to {@code recordsEnd}, then nothing or zeros. */
        WHOLE,
        /** Records up to {@code recordsEnd}, then a torn record that nothing valid follows. */
        TORN,
        /** No complete record at all (a torn header, or a header and nothing valid after it). */
        EMPTY
    }

    /**
     * @param recordsEnd where the valid records end (where a torn tail is cut)
     * @param lastZxid   the zxid of the last valid record, or the previous segment's when none
     * @param records    how many valid records the segment holds
     * @param problem    why the tail was torn or the segment empty; null when whole
     */
    record Result(Outcome outcome, long recordsEnd, long lastZxid, long records, String problem) {
    }

    private SegmentScan() {
    }

    /**
     * @param previousZxid the last zxid of the segments before this one (0 when none): this
     *                     segment's zxids must all be above it
     * @param last         whether this is the newest segment, the only one that may be torn
     */
    static Result scan(SegmentReader reader, Path file, long firstZxid, long previousZxid, boolean last)
            throws IOException {
        long size = reader.size();
        SegmentReader.Header header = reader.header(firstZxid);
        switch (header.state()) {
            case VALID:
                break;
            case TORN:
                if (last) {
                    return new Result(Outcome.EMPTY, 0, previousZxid, 0, header.problem());
                }
                throw new CorruptLogException(file, 0, header.problem() + ", in a segment that is not the last");
            default:
                throw new CorruptLogException(file, 0, header.problem());
        }
        long pos = TxnLog.HEADER_BYTES;
        long lastZxid = previousZxid;
        long records = 0;
        Frame frame;
        while ((frame = reader.read(pos, size)).kind() == Kind.RECORD) {
            long zxid = frame.record().zxid();
            if (records == 0 && zxid != firstZxid) {
                throw new CorruptLogException(file, pos, String.format(
                        "the first record has zxid 0x%x, but the segment is named for 0x%x", zxid, firstZxid));
            }
            if (zxid <= lastZxid) {
                throw new CorruptLogException(file, pos, String.format(
                        "zxid 0x%x does not follow the previous record's 0x%x", zxid, lastZxid));
            }
            lastZxid = zxid;
            records++;
            pos = frame.end();
        }
        String problem;
        if (frame.kind() == Kind.END) {
            long nonZero = reader.firstNonZero(pos, size);
            if (nonZero < 0) {
                if (records > 0) {
                    return new Result(Outcome.WHOLE, pos, lastZxid, records, null);
                }
                if (!last) {
                    throw new CorruptLogException(file, pos, "no record, in a segment that is not the last");
                }
                return new Result(Outcome.EMPTY, pos, lastZxid, 0, "a header and no record");
            }
            problem = "the records end, but a non-zero byte follows at offset " + nonZero;
        } else {
            problem = frame.problem();
        }
        if (!last) {
            throw new CorruptLogException(file, pos, problem + ", in a segment that is not the last");
        }
        long valid = reader.findRecordAfter(pos + 1, size, lastZxid);
        if (valid >= 0) {
            throw new CorruptLogException(file, pos, problem + ", but a valid record follows at offset " + valid);
        }
        return new Result(records == 0 ? Outcome.EMPTY : Outcome.TORN, pos, lastZxid, records, problem);
    }
}
