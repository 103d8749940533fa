package io.paddock.storage;

import static io.paddock.storage.TxnCodecTest.assertSameRecords;
import static io.paddock.storage.TxnLogTest.appendAll;
import static io.paddock.storage.TxnLogTest.frameOffsets;
import static io.paddock.storage.TxnLogTest.readAll;
import static io.paddock.storage.TxnLogTest.record;
import static io.paddock.storage.TxnLogTest.records;
import static io.paddock.storage.TxnLogTest.reopenAndReadAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk and failing devices, simulated by channels that throw on the Nth write or force. */
class TxnLogFaultTest {

    private static final TxnLog.Options OPTIONS = new TxnLog.Options(4096, true, 1L << 30);
    private static final String ENOSPC = "No space left on device";

    @TempDir
    Path dir;

    private final Disk disk = new Disk();

    private TxnLog open(TxnLog.Options options) throws IOException {
        return TxnLog.open(dir, options, disk);
    }

    @Test
    void flushedRecordsSurviveAFullDiskAndTheFailedOnesDoNot() throws IOException {
        try (TxnLog log = open(OPTIONS)) {
            appendAll(log, records(1, 5, "ok"));
            log.flush();
            disk.failWritesAfter(0);
            appendAll(log, records(6, 8, "lost"));
            IOException e = assertThrows(IOException.class, log::flush);
            assertEquals(ENOSPC, e.getMessage());
            assertThrows(IllegalStateException.class, () -> log.append(record(9, "lost")), "unusable until discarded");
            log.discardUnflushed();
            assertEquals(5, log.lastZxid());
            assertSameRecords(records(1, 5, "ok"), readAll(log, 0));

            // Still full: every attempt fails the same way and is discarded the same way.
            for (int attempt = 0; attempt < 3; attempt++) {
                log.append(record(6, "lost"));
                assertThrows(IOException.class, log::flush);
                log.discardUnflushed();
            }

            disk.heal();
            appendAll(log, records(6, 7, "retried"));
            log.flush();
            assertEquals(7, log.lastZxid());
        }
        List<TxnRecord> expected = new ArrayList<>(records(1, 5, "ok"));
        expected.addAll(records(6, 7, "retried"));
        assertSameRecords(expected, reopenAndReadAll(dir, OPTIONS));
    }

    @Test
    void partlyWrittenRecordsAreCutBackToTheLastFlushedOne() throws IOException {
        List<TxnRecord> flushed = records(1, 3, "ok");
        Path segment;
        try (TxnLog log = open(OPTIONS)) {
            appendAll(log, flushed);
            log.flush();
            segment = log.segments().get(0).file();
            disk.failWritesAfter(0); // the failing write lands half of its bytes first
            appendAll(log, records(4, 9, "lost"));
            assertThrows(IOException.class, log::flush);
            assertTrue(disk.partialBytes > 0);
            log.discardUnflushed();
            assertEquals(frameOffsets(flushed)[3], Files.size(segment), "nothing after the last flushed record");
        }
        assertSameRecords(flushed, reopenAndReadAll(dir, OPTIONS));
    }

    @Test
    void failedForceLosesNothingAcknowledgedAndKeepsNothingElse() throws IOException {
        List<TxnRecord> flushed = records(1, 3, "ok");
        try (TxnLog log = open(OPTIONS)) {
            appendAll(log, flushed);
            log.flush();
            disk.failOneForce();
            appendAll(log, records(4, 6, "lost")); // written to the file, then the force fails
            assertThrows(IOException.class, log::flush);
            assertEquals(3, log.lastZxid());
            log.discardUnflushed();
            disk.heal();
        }
        assertSameRecords(flushed, reopenAndReadAll(dir, OPTIONS));
    }

    @Test
    void failureWhileStartingASegmentDeletesIt() throws IOException {
        try (TxnLog log = open(OPTIONS)) {
            appendAll(log, records(1, 3, "ok"));
            log.flush();
            log.roll();
            disk.failWritesAfter(0);
            log.append(record(4, "lost"));
            assertTrue(Files.exists(dir.resolve(TxnLog.segmentName(4))));
            assertThrows(IOException.class, log::flush);
            log.discardUnflushed();
            assertFalse(Files.exists(dir.resolve(TxnLog.segmentName(4))));
            assertEquals(List.of(new TxnLog.Segment(dir.resolve(TxnLog.segmentName(1)), 1)), log.segments());
            disk.heal();
            log.append(record(4, "retried"));
            log.flush();
        }
        List<TxnRecord> expected = new ArrayList<>(records(1, 3, "ok"));
        expected.add(record(4, "retried"));
        assertSameRecords(expected, reopenAndReadAll(dir, OPTIONS));
    }

    @Test
    void failureWritingTheOldSegmentAtARollFailsTheAppend() throws IOException {
        try (TxnLog log = open(OPTIONS)) {
            appendAll(log, records(1, 2, "ok"));
            log.flush();
            log.append(record(3, "lost")); // buffered for segment 1
            log.roll();
            disk.failWritesAfter(0);
            IOException e = assertThrows(IOException.class, () -> log.append(record(4, "lost")));
            assertEquals(ENOSPC, e.getMessage());
            log.discardUnflushed();
            disk.heal();
            appendAll(log, records(3, 4, "retried"));
            log.flush();
        }
        List<TxnRecord> expected = new ArrayList<>(records(1, 2, "ok"));
        expected.addAll(records(3, 4, "retried"));
        assertSameRecords(expected, reopenAndReadAll(dir, OPTIONS));
    }

    @Test
    void failureAfterARollCutsBothSegmentsBack() throws IOException {
        try (TxnLog log = open(OPTIONS)) {
            appendAll(log, records(1, 2, "ok"));
            log.flush();
            log.append(record(3, "lost"));
            log.roll();
            log.append(record(4, "lost")); // segment 1 gets record 3 written and forced; segment 4 starts
            disk.failOneForce();
            assertThrows(IOException.class, log::flush);
            log.discardUnflushed();
            assertFalse(Files.exists(dir.resolve(TxnLog.segmentName(4))));
            assertEquals(frameOffsets(records(1, 2, "ok"))[2], Files.size(dir.resolve(TxnLog.segmentName(1))));
            disk.heal();
        }
        assertSameRecords(records(1, 2, "ok"), reopenAndReadAll(dir, OPTIONS));
    }

    @Test
    void failedWriteAheadOfALargeGroupFailsTheAppend() throws IOException {
        byte[] big = new byte[400 * 1024];
        List<TxnRecord> bigRecords = new ArrayList<>();
        for (long z = 1; z <= 6; z++) {
            bigRecords.add(new TxnRecord(z, 1, (int) z, z, new Txn.SetData("/big", big, (int) z)));
        }
        try (TxnLog log = open(OPTIONS)) {
            appendAll(log, bigRecords.subList(0, 3));
            log.flush();
            disk.failWritesAfter(1); // the chunk for the next batch is added; the batch itself fails
            log.append(bigRecords.get(3));
            log.append(bigRecords.get(4));
            assertThrows(IOException.class, () -> log.append(bigRecords.get(5)), "more than 1 MB buffered is written early");
            log.discardUnflushed();
            assertEquals(3, log.lastZxid());
            disk.heal();
        }
        List<TxnRecord> read = reopenAndReadAll(dir, OPTIONS);
        assertEquals(List.of(1L, 2L, 3L), read.stream().map(TxnRecord::zxid).toList());
    }

    @Test
    void whenCuttingBackFailsTooTheLogStaysUnusableUntilReopened() throws IOException {
        try (TxnLog log = open(OPTIONS)) {
            appendAll(log, records(1, 3, "ok"));
            log.flush();
            disk.failForcesAfter(0);
            disk.failTruncates = true;
            appendAll(log, records(4, 5, "unacknowledged"));
            assertThrows(IOException.class, log::flush);
            assertThrows(IOException.class, log::discardUnflushed);
            assertThrows(IllegalStateException.class, () -> log.append(record(6, "x")));
            assertThrows(IllegalStateException.class, log::flush);
        }
        disk.heal();
        try (TxnLog log = open(OPTIONS)) {
            // The unacknowledged records reached the file; the caller cuts back to what it acknowledged.
            assertEquals(5, log.lastZxid());
            log.truncateAfter(3);
            assertSameRecords(records(1, 3, "ok"), readAll(log, 0));
        }
        assertSameRecords(records(1, 3, "ok"), reopenAndReadAll(dir, OPTIONS));
    }

    @Test
    void groupCommitWritesOnceAndForcesOncePerFlush() throws IOException {
        try (TxnLog log = open(new TxnLog.Options(1 << 20, true, 1L << 30))) {
            appendAll(log, records(1, 100, "g"));
            assertEquals(0, disk.writes, "appends only buffer");
            log.flush();
            assertEquals(2, disk.writes, "the first chunk, then every record in one write");
            assertEquals(1, disk.forces);
            appendAll(log, records(101, 200, "g"));
            log.flush();
            assertEquals(3, disk.writes);
            assertEquals(2, disk.forces);
            log.flush();
            assertEquals(2, disk.forces, "nothing new, nothing forced");
        }
    }

    @Test
    void forceSyncOffNeverForcesAFlushOnlyARoll() throws IOException {
        try (TxnLog log = open(new TxnLog.Options(4096, false, 1L << 30))) {
            appendAll(log, records(1, 10, "n"));
            log.flush();
            assertEquals(0, disk.forces);
            log.roll();
            log.append(record(11, "n"));
            log.flush();
            assertEquals(1, disk.forces, "the rolled segment is forced, so that only the last can be torn");
        }
        assertSameRecords(records(1, 11, "n"), reopenAndReadAll(dir, OPTIONS));
    }

    /**
     * Hands out segment channels that count writes and forces and fail them on demand, like a full
     * disk. Volatile: a test thread turns faults on and off while a log writer's thread writes.
     */
    static final class Disk implements ChannelFactory {
        volatile int writes;
        volatile int forces;
        volatile long partialBytes;
        volatile boolean failTruncates;
        private volatile int failWritesFrom = Integer.MAX_VALUE;
        private volatile int failForcesFrom = Integer.MAX_VALUE;
        private volatile int failForcesTo = Integer.MAX_VALUE;

        /** The next {@code okWrites} writes succeed; every later one fails until {@link #heal}. */
        void failWritesAfter(int okWrites) {
            failWritesFrom = writes + okWrites + 1;
        }

        /** Every force fails from now on, until {@link #heal}. */
        void failForcesAfter(int okForces) {
            failForcesFrom = forces + okForces + 1;
            failForcesTo = Integer.MAX_VALUE;
        }

        /** The next force fails; the ones after it succeed (the device recovered). */
        void failOneForce() {
            failForcesFrom = forces + 1;
            failForcesTo = failForcesFrom;
        }

        void heal() {
            failWritesFrom = Integer.MAX_VALUE;
            failForcesFrom = Integer.MAX_VALUE;
            failTruncates = false;
        }

        @Override
        public FileChannel open(Path file, OpenOption... options) throws IOException {
            FileChannel real = FileChannel.open(file, options);
            return file.getFileName().toString().startsWith("log.") ? new FaultyChannel(real) : real;
        }

        private final class FaultyChannel extends FileChannel {
            private final FileChannel real;

            FaultyChannel(FileChannel real) {
                this.real = real;
            }

            /** A failing write lands half its bytes first, as a write that runs out of space part-way does. */
            private int write(ByteBuffer src, long position, boolean positional) throws IOException {
                writes++;
                if (writes >= failWritesFrom) {
                    int half = src.remaining() / 2;
                    if (half > 0) {
                        ByteBuffer part = src.duplicate();
                        part.limit(part.position() + half);
                        partialBytes += positional ? real.write(part, position) : real.write(part);
                    }
                    throw new IOException(ENOSPC);
                }
                return positional ? real.write(src, position) : real.write(src);
            }

            @Override
            public int write(ByteBuffer src) throws IOException {
                return write(src, -1, false);
            }

            @Override
            public int write(ByteBuffer src, long position) throws IOException {
                return write(src, position, true);
            }

            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
                long n = 0;
                for (int i = offset; i < offset + length; i++) {
                    n += write(srcs[i]);
                }
                return n;
            }

            @Override
            public void force(boolean metaData) throws IOException {
                forces++;
                if (forces >= failForcesFrom && forces <= failForcesTo) {
                    throw new IOException("Input/output error");
                }
                real.force(metaData);
            }

            @Override
            public FileChannel truncate(long size) throws IOException {
                if (failTruncates) {
                    throw new IOException("Input/output error");
                }
                real.truncate(size);
                return this;
            }

            @Override
            public int read(ByteBuffer dst) throws IOException {
                return real.read(dst);
            }

            @Override
            public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
                return real.read(dsts, offset, length);
            }

            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return real.read(dst, position);
            }

            @Override
            public long position() throws IOException {
                return real.position();
            }

            @Override
            public FileChannel position(long newPosition) throws IOException {
                real.position(newPosition);
                return this;
            }

            @Override
            public long size() throws IOException {
                return real.size();
            }

            @Override
            public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
                throw new UnsupportedOperationException("not used by the log");
            }

            @Override
            public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
                throw new UnsupportedOperationException("not used by the log");
            }

            @Override
            public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
                throw new UnsupportedOperationException("not used by the log");
            }

            @Override
            public FileLock lock(long position, long size, boolean shared) throws IOException {
                return real.lock(position, size, shared);
            }

            @Override
            public FileLock tryLock(long position, long size, boolean shared) throws IOException {
                return real.tryLock(position, size, shared);
            }

            @Override
            protected void implCloseChannel() throws IOException {
                real.close();
            }
        }
    }
}
