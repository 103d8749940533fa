package io.paddock.storage;

import io.paddock.tree.SnapshotNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * {@code paddock snapdump <snapshot> [--data]}: a snapshot in readable form, as ZooKeeper's
 * SnapshotFormatter prints one: the header (start zxid, the session table with timeouts), every
 * node in file order (parents first) with the Stat fields under SnapshotFormatter's names and
 * hex format, its mode and ACL (and its data in base64 with {@code --data}), then the trailer
 * (node count, end zxid, checksum). Nodes are printed as they are read, so a damaged file
 * shows everything before the damage, then {@code CORRUPT at offset N: problem}, exit status 1;
 * nothing printed is trustworthy until the checksum line says OK.
 *
 * <p>Unlike SnapshotFormatter, times are ISO-8601 UTC rather than the local {@code Date}
 * format, so the same file dumps the same everywhere; {@code dataLength} is printed with or
 * without {@code --data}.
 */
public final class SnapshotDump {

    static final int OK = 0;
    static final int BAD = 1;
    static final int USAGE = 2;

    private SnapshotDump() {
    }

    /** The command: a snapshot file and an optional {@code --data}. 0 whole, 1 damaged or unreadable, 2 bad usage. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String file = null;
        boolean withData = false;
        for (String a : args) {
            if (a.equals("--data") || a.equals("-d")) {
                withData = true;
            } else if (file == null && !a.startsWith("-")) {
                file = a;
            } else {
                file = null;
                break;
            }
        }
        if (file == null) {
            err.println("Usage: paddock snapdump <snapshot file> [--data]   (a dataDir/snapshot.<zxid> file;"
                    + " --data: each node's data in base64)");
            return USAGE;
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            err.println("paddock snapdump: " + path + " is not a file");
            return USAGE;
        }
        try {
            return dump(path, withData, out);
        } catch (IOException e) {
            out.flush();
            err.println("paddock snapdump: cannot read " + path + ": " + e.getMessage());
            return BAD;
        }
    }

    /**
     * Prints {@code file}; 0 when it reads back whole (checksum and node count right), 1 when it
     * is damaged (printed last, with the offset). IOException: the file could not be opened or read.
     */
    public static int dump(Path file, boolean withData, PrintStream out) throws IOException {
        String name = file.getFileName().toString();
        long nodes = 0;
        try (SnapshotReader reader = SnapshotReader.open(file)) {
            out.println("Paddock snapshot " + name + ": format version " + SnapshotWriter.VERSION + ", "
                    + Files.size(file) + " bytes");
            out.println("Start zxid: 0x" + Long.toHexString(reader.startZxid()));
            out.println("Session Details (sid, timeout) count=" + reader.sessions().size() + ":");
            for (Map.Entry<Long, Integer> s : reader.sessions().entrySet()) {
                out.println(String.format("%#016x, %d", s.getKey(), s.getValue()));
            }
            out.println("ZNode Details:");
            SnapshotNode node;
            while ((node = reader.next()) != null) {
                print(node, withData, out);
                nodes++;
            }
            out.println("----");
            out.println("Node count: " + reader.nodeCount());
            long start = reader.startZxid();
            long end = reader.endZxid();
            out.println("End zxid: 0x" + Long.toHexString(end) + (end == start ? ""
                    : " (writes overlapped the walk: start-up replays the log from 0x" + Long.toHexString(start + 1)
                            + " to 0x" + Long.toHexString(end) + " over it)"));
            out.println("Checksum: OK (CRC32C)");
            return OK;
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw e;
        } catch (IOException e) {
            out.println("----");
            out.println(corrupt(file, e) + " (after " + nodes + " nodes)");
            return BAD;
        }
    }

    private static void print(SnapshotNode n, boolean withData, PrintStream out) {
        out.println("----");
        out.println(LogDump.text(n.path()));
        hex(out, "cZxid", n.czxid());
        out.println("  ctime = " + time(n.ctime()));
        hex(out, "mZxid", n.mzxid());
        out.println("  mtime = " + time(n.mtime()));
        hex(out, "pZxid", n.pzxid());
        out.println("  cversion = " + n.cversion());
        out.println("  dataVersion = " + n.version());
        out.println("  aclVersion = " + n.aversion());
        hex(out, "ephemeralOwner", n.ephemeralOwner());
        out.println("  mode = " + n.mode() + (n.mode().isTtl() ? ", ttl = " + n.ttlMs() + " ms" : ""));
        out.println("  acl = " + LogDump.acl(n.acl()));
        out.println("  dataLength = " + (n.data() == null ? 0 : n.data().length));
        if (withData) {
            out.println("  data = " + (n.data() == null ? "" : Base64.getEncoder().encodeToString(n.data())));
        }
    }

    /** SnapshotFormatter's {@code %#016x}: "0x" and at least 14 hex digits. */
    private static void hex(PrintStream out, String field, long value) {
        out.println(String.format("  %s = %#016x", field, value));
    }

    private static String time(long ms) {
        return LogDump.TIME.format(Instant.ofEpochMilli(ms));
    }

    /**
     * {@code CORRUPT at offset N: problem} from the reader's message, which starts with the file
     * name; {@code CORRUPT: problem} when it names no offset.
     */
    static String corrupt(Path file, IOException e) {
        String message = String.valueOf(e.getMessage());
        String prefix = file.toString();
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length());
            if (message.startsWith(": ")) {
                message = message.substring(2);
            } else if (message.startsWith(" ")) {
                message = message.substring(1);
            }
        }
        return "CORRUPT" + (message.startsWith("at offset ") ? " " : ": ") + message;
    }
}
