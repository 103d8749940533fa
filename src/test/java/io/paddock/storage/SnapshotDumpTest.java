package io.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.DataTree;
import io.paddock.tree.SnapshotCursor;
import io.paddock.tree.SnapshotNode;
import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotDumpTest {

    private static final long T = 1_700_000_000_000L; // 2023-11-14T22:13:20Z

    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private List<String> printed() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** A small tree (a session, a persistent node with data, an ephemeral, a TTL node), snapshotted. */
    private Path snapshot() throws IOException {
        DataTree tree = new DataTree();
        tree.apply(new TxnRecord(1, 0xabc, 1, T + 1, new Txn.CreateSession(30_000)));
        tree.apply(new TxnRecord(2, 0xabc, 2, T + 2, new Txn.Create("/app", "hello".getBytes(StandardCharsets.UTF_8),
                Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0, 1)));
        tree.apply(new TxnRecord(3, 0xabc, 3, T + 3, new Txn.Create("/app/e", null, Acl.READ_ACL_UNSAFE,
                CreateMode.EPHEMERAL, 0, 1)));
        tree.apply(new TxnRecord(4, 0xabc, 4, T + 4, new Txn.Create("/app/t", new byte[0], Acl.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_WITH_TTL, 60_000, 2)));
        tree.apply(new TxnRecord(5, 0xabc, 5, T + 5, new Txn.SetData("/app", "hello!".getBytes(StandardCharsets.UTF_8),
                1)));
        SnapshotCursor cursor = tree.snapshotCursor();
        List<SnapshotNode> nodes = new ArrayList<>();
        cursor.next(Integer.MAX_VALUE, nodes::add);
        try (SnapshotWriter writer = SnapshotWriter.create(dir, cursor.startZxid(), cursor.sessions())) {
            for (SnapshotNode n : nodes) {
                writer.write(n);
            }
            return writer.finish(tree.lastZxid());
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0xff);
        }
    }

    /** The lines of one node's block, from its path to the line before the next "----". */
    private static List<String> block(List<String> lines, String path) {
        int at = lines.indexOf(path);
        assertTrue(at > 0 && lines.get(at - 1).equals("----"), "no block for " + path + " in\n" + String.join("\n", lines));
        int end = at + 1;
        while (end < lines.size() && !lines.get(end).equals("----")) {
            end++;
        }
        return lines.subList(at, end);
    }

    @Test
    void headerListsStartZxidAndSessionsWithTimeouts() throws IOException {
        Path file = snapshot();

        assertEquals(0, SnapshotDump.run(new String[] {file.toString()}, out, out));

        List<String> lines = printed();
        assertEquals(List.of(
                "Paddock snapshot snapshot.0000000000000005: format version 1, " + Files.size(file) + " bytes",
                "Start zxid: 0x5",
                "Session Details (sid, timeout) count=1:",
                "0x00000000000abc, 30000",
                "ZNode Details:"), lines.subList(0, 5));
    }

    @Test
    void everyNodeShowsStatFieldsAsSnapshotFormatterPrintsThemWithModeAndAcl() throws IOException {
        assertEquals(0, SnapshotDump.dump(snapshot(), false, out));

        List<String> lines = printed();
        assertEquals(List.of(
                "/app",
                "  cZxid = 0x00000000000002",
                "  ctime = 2023-11-14T22:13:20.002Z",
                "  mZxid = 0x00000000000005",
                "  mtime = 2023-11-14T22:13:20.005Z",
                "  pZxid = 0x00000000000004",
                "  cversion = 2",
                "  dataVersion = 1",
                "  aclVersion = 0",
                "  ephemeralOwner = 0x00000000000000",
                "  mode = PERSISTENT",
                "  acl = [world:anyone:cdrwa]",
                "  dataLength = 6"), block(lines, "/app"));
        assertEquals("  ephemeralOwner = 0x00000000000abc", block(lines, "/app/e").get(9));
        assertEquals("  acl = [world:anyone:r]", block(lines, "/app/e").get(11));
        assertEquals("  mode = PERSISTENT_WITH_TTL, ttl = 60000 ms", block(lines, "/app/t").get(10));
        assertTrue(lines.indexOf("/") < lines.indexOf("/app"), "parents come first");
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("  data = ")), "data only with --data");
    }

    @Test
    void trailerGivesNodeCountEndZxidAndChecksumOk() throws IOException {
        assertEquals(0, SnapshotDump.dump(snapshot(), false, out));

        List<String> lines = printed();
        int nodes = (int) lines.stream().filter(l -> l.startsWith("/")).count();
        assertEquals(List.of("----", "Node count: " + nodes, "End zxid: 0x5", "Checksum: OK (CRC32C)"),
                lines.subList(lines.size() - 4, lines.size()));
    }

    @Test
    void dataIsPrintedInBase64OnlyWithTheDataOption() throws IOException {
        Path file = snapshot();

        assertEquals(0, SnapshotDump.run(new String[] {file.toString(), "--data"}, out, out));

        List<String> app = block(printed(), "/app");
        assertEquals("  data = aGVsbG8h", app.get(app.size() - 1));
    }

    @Test
    void aFlippedByteGivesCorruptWithTheChecksumProblemAndExitsOne() throws IOException {
        Path file = snapshot();
        byte[] content = Files.readAllBytes(file);
        int at = indexOf(content, "hello!".getBytes(StandardCharsets.UTF_8));
        flipByte(file, at + 1); // inside /app's data: the framing still reads, the checksum does not

        assertEquals(1, SnapshotDump.run(new String[] {file.toString()}, out, out));

        List<String> lines = printed();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("CORRUPT at offset " + (content.length - 4) + ": checksum mismatch"), last);
        assertFalse(lines.contains("Checksum: OK (CRC32C)"));
        assertTrue(lines.contains("/app"), "the nodes before the damage are printed");
    }

    @Test
    void aCutShortSnapshotIsCorruptAndExitsOne() throws IOException {
        Path file = snapshot();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - 30);
        }

        assertEquals(1, SnapshotDump.dump(file, false, out));

        String last = printed().get(printed().size() - 1);
        assertTrue(last.startsWith("CORRUPT"), last);
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, SnapshotDump.run(new String[0], out, out));
        assertEquals(2, SnapshotDump.run(new String[] {"--data"}, out, out));
        assertEquals(2, SnapshotDump.run(new String[] {dir.resolve("missing").toString()}, out, out));
        assertEquals(2, SnapshotDump.run(new String[] {"a", "b"}, out, out));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
