package io.paddock.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * ZAB's two epochs, each in a file of the data directory named as ZooKeeper names it and holding
 * its decimal text as ZooKeeper writes it: {@code acceptedEpoch}, the newest epoch this server
 * has promised to follow (NEWEPOCH/ACKEPOCH), and {@code currentEpoch}, the newest whose leader's
 * history it has accepted (NEWLEADER). A server must not forget either across a crash, so a
 * write goes to a temporary file, is forced, renamed over the old one and the directory forced
 * (ZooKeeper's AtomicFileWritingIdiom does the same but for the directory).
 *
 * <p>acceptedEpoch is never below currentEpoch. {@link #write} keeps that true on disk at every
 * instant by writing acceptedEpoch first, and refuses to lower either value, which ZAB never
 * asks for: a lower epoch written by mistake would let this server accept an old leader again.
 */
public final class EpochFiles {

    public static final String ACCEPTED_EPOCH = "acceptedEpoch";
    public static final String CURRENT_EPOCH = "currentEpoch";
    private static final String TMP_SUFFIX = ".tmp";

    public record Epochs(long accepted, long current) {
    }

    private EpochFiles() {
    }

    /**
     * Both epochs; a missing file counts as 0 (a server that never took part in an ensemble).
     * A file that does not hold a non-negative decimal number is an IOException naming the file
     * and quoting its content, as is acceptedEpoch below currentEpoch.
     */
    public static Epochs read(Path dir) throws IOException {
        long accepted = readOne(dir.resolve(ACCEPTED_EPOCH));
        long current = readOne(dir.resolve(CURRENT_EPOCH));
        if (accepted < current) {
            throw new IOException(dir.resolve(ACCEPTED_EPOCH) + " holds " + accepted + ", below " + current + " in "
                    + dir.resolve(CURRENT_EPOCH) + ": acceptedEpoch is never below currentEpoch");
        }
        return new Epochs(accepted, current);
    }

    /**
     * As {@link #read(Path)}, with ZooKeeper's rules at start-up (QuorumPeer.loadDataBase) for a
     * server whose data ends at {@code lastZxid}: a missing file counts as that zxid's epoch (the
     * data is older than the epoch files), and a currentEpoch below it is an error, since the
     * server would hold records of an epoch it never accepted. ZooKeeper also writes the epoch it
     * assumed for a missing file; here the caller persists epochs when ZAB asks for them.
     */
    public static Epochs read(Path dir, long lastZxid) throws IOException {
        long epochOfZxid = lastZxid >>> 32;
        Path acceptedFile = dir.resolve(ACCEPTED_EPOCH);
        Path currentFile = dir.resolve(CURRENT_EPOCH);
        long current = Files.exists(currentFile) ? readOne(currentFile) : epochOfZxid;
        if (current < epochOfZxid) {
            throw new IOException(currentFile + " holds " + current + ", older than the epoch " + epochOfZxid
                    + " of the last zxid 0x" + Long.toHexString(lastZxid));
        }
        long accepted = Files.exists(acceptedFile) ? readOne(acceptedFile) : epochOfZxid;
        if (accepted < current) {
            throw new IOException(acceptedFile + " holds " + accepted + ", below " + current + " in " + currentFile
                    + ": acceptedEpoch is never below currentEpoch");
        }
        return new Epochs(accepted, current);
    }

    /**
     * Makes both epochs durable, acceptedEpoch first; a file that already holds its value is not
     * rewritten. Throws IllegalArgumentException, writing nothing, for {@code current > accepted}
     * or for a value below what its file holds.
     */
    public static void write(Path dir, long accepted, long current) throws IOException {
        if (current < 0 || current > accepted) {
            throw new IllegalArgumentException("epochs must satisfy 0 <= currentEpoch <= acceptedEpoch, not currentEpoch "
                    + current + " and acceptedEpoch " + accepted);
        }
        Epochs onDisk = read(dir);
        if (accepted < onDisk.accepted() || current < onDisk.current()) {
            throw new IllegalArgumentException("refusing to lower the epochs in " + dir + " from acceptedEpoch "
                    + onDisk.accepted() + ", currentEpoch " + onDisk.current() + " to " + accepted + ", " + current);
        }
        if (accepted != onDisk.accepted() || !Files.exists(dir.resolve(ACCEPTED_EPOCH))) {
            writeOne(dir, ACCEPTED_EPOCH, accepted);
        }
        if (current != onDisk.current() || !Files.exists(dir.resolve(CURRENT_EPOCH))) {
            writeOne(dir, CURRENT_EPOCH, current);
        }
    }

    private static long readOne(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return 0;
        }
        // ZooKeeper writes the bare number; a trailing newline from an editor is forgiven.
        String number = text.strip();
        if (!number.isEmpty() && number.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Long.parseLong(number);
            } catch (NumberFormatException e) {
                // too large for a long: reported below
            }
        }
        throw new IOException(file + " does not hold an epoch (a non-negative decimal number): \""
                + (text.length() > 64 ? text.substring(0, 64) + "..." : text) + "\"");
    }

    private static void writeOne(Path dir, String name, long value) throws IOException {
        Path tmp = dir.resolve(name + TMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        SnapshotFiles.forceDirectory(dir);
    }
}
