package io.paddock.storage;

import io.paddock.tree.DataTree;
import io.paddock.tree.SnapshotNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshots of a data directory: {@code snapshot.<start zxid, 16 hex digits>}, written by
 * {@link SnapshotWriter}. Loading takes the newest one that is whole: a snapshot whose checksum
 * or structure is bad is skipped with a WARN naming it, and left in place for an operator to
 * look at (never deleted here); recovery then needs the log from an older snapshot on, and
 * says so if it is gone.
 */
public final class SnapshotFiles {

    private static final Logger logger = LoggerFactory.getLogger(SnapshotFiles.class);

    static final String PREFIX = "snapshot.";
    static final String TMP_SUFFIX = ".tmp";
    /** The trailer ends with endZxid long, crc int: endZxid starts this many bytes before the end. */
    private static final int TRAILER_END_ZXID_FROM_END = 8 + 4;
    private static final Pattern NAME = Pattern.compile("snapshot\\.([0-9a-f]{16})(\\.tmp)?");
    /** Windows cannot open a directory as a channel; elsewhere a renamed file's new name needs it forced. */
    private static final boolean FORCE_DIRECTORY =
            !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    /** A snapshot loaded and checked: the tree it restores (exact once the log is replayed to endZxid). */
    public record Loaded(Path file, long startZxid, long endZxid, DataTree tree) {
    }

    private SnapshotFiles() {
    }

    /** The file name of the snapshot starting at {@code startZxid}. */
    public static String name(long startZxid) {
        return String.format("snapshot.%016x", startZxid);
    }

    /** The start zxid a snapshot file's name carries, finished or temporary; -1 for another name. */
    public static long startZxidOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseUnsignedLong(m.group(1), 16) : -1;
    }

    /** True for a snapshot's temporary name, {@code snapshot.<zxid>.tmp}. */
    public static boolean isTemporary(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() && m.group(2) != null;
    }

    /** The finished snapshots in {@code dir}, newest first; none when {@code dir} does not exist. */
    public static List<Path> list(Path dir) {
        List<Path> found = new ArrayList<>();
        for (Path p : listAll(dir)) {
            if (!isTemporary(p)) {
                found.add(p);
            }
        }
        return found;
    }

    /** Every snapshot file in {@code dir}, temporary ones included, newest first. */
    static List<Path> listAll(Path dir) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path p : files) {
                if (startZxidOf(p) >= 0 && Files.isRegularFile(p)) {
                    found.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the snapshots in " + dir, e);
        }
        found.sort(Comparator.comparingLong(SnapshotFiles::startZxidOf).reversed()
                .thenComparing(p -> p.getFileName().toString()));
        return found;
    }

    /**
     * The newest snapshot in {@code dir} that reads back whole, restored; empty when there is
     * none. Each one skipped is logged at WARN with the reason.
     */
    public static Optional<Loaded> loadNewestValid(Path dir) throws IOException {
        return loadNewestValid(dir, p -> true);
    }

    /** As {@link #loadNewestValid(Path)}, among the snapshots {@code usable} accepts only. */
    public static Optional<Loaded> loadNewestValid(Path dir, Predicate<Path> usable) throws IOException {
        for (Path file : list(dir)) {
            if (!usable.test(file)) {
                continue;
            }
            try {
                return Optional.of(load(file));
            } catch (IOException e) {
                String why = String.valueOf(e.getMessage());
                logger.warn("Skipping an unusable snapshot, trying an older one: {}",
                        why.contains(file.toString()) ? why : file + ": " + why);
            }
        }
        return Optional.empty();
    }

    /**
     * Reads one snapshot and restores its tree. Throws an IOException naming the file when it
     * cannot be read, is damaged (checksum, framing) or holds an impossible tree.
     */
    public static Loaded load(Path file) throws IOException {
        try (SnapshotReader reader = SnapshotReader.open(file)) {
            DataTree tree = restore(reader, file.toString());
            return new Loaded(file, reader.startZxid(), reader.endZxid(), tree);
        }
    }

    /**
     * The tree of every node {@code reader} has left, read to the end, so that the checksum
     * has been checked. Throws an IOException naming {@code source} as {@link #load} does.
     */
    static DataTree restore(SnapshotReader reader, String source) throws IOException {
        try {
            return DataTree.restore(reader.startZxid(), reader.sessions(), reader.expectedNodes(), () -> nodes(reader));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (IllegalArgumentException e) {
            // Damage can look like a bad tree before the checksum is reached: prefer that diagnosis.
            drain(reader);
            throw new IOException(source + ": not a valid tree: " + e.getMessage(), e);
        }
    }

    /**
     * The end zxid a finished snapshot's trailer records, read without checking the file: what
     * the file claims, for deciding which snapshots a truncation must set aside. -1 when the
     * file is too short to hold a trailer.
     */
    static long endZxidOf(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < TRAILER_END_ZXID_FROM_END) {
                return -1;
            }
            ByteBuffer b = ByteBuffer.allocate(8);
            while (b.hasRemaining()) {
                if (ch.read(b, size - TRAILER_END_ZXID_FROM_END + b.position()) < 0) {
                    return -1;
                }
            }
            return b.flip().getLong();
        }
    }

    private static void drain(SnapshotReader reader) throws IOException {
        while (reader.next() != null) {
            // reading on checks the framing and, at the end, the checksum
        }
    }

    /** The reader's nodes; an I/O error surfaces as UncheckedIOException, unwrapped by {@link #load}. */
    private static Iterator<SnapshotNode> nodes(SnapshotReader reader) {
        return new Iterator<>() {
            private SnapshotNode next = advance();

            private SnapshotNode advance() {
                try {
                    return reader.next();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public SnapshotNode next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                SnapshotNode n = next;
                next = advance();
                return n;
            }
        };
    }

    /**
     * Forces {@code dir}, so that a file just created or renamed in it keeps its name after a
     * crash. Some file systems refuse to sync a directory (EINVAL); that alone is ignored.
     */
    public static void forceDirectory(Path dir) throws IOException {
        if (!FORCE_DIRECTORY) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!"Invalid argument".equals(e.getMessage())) {
                throw e;
            }
            logger.debug("The file system of {} cannot force a directory", dir);
        }
    }
}
