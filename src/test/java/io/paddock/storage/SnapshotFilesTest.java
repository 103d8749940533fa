package io.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.DataTree;
import io.paddock.tree.FuzzySnapshotTest;
import io.paddock.tree.SnapshotCursor;
import io.paddock.tree.SnapshotNode;
import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFilesTest {

    @TempDir
    Path dir;

    @Test
    void aSnapshotReadsBackAsTheSameTree() throws IOException {
        DataTree live = new DataTree();
        new FuzzySnapshotTest.Workload(3, live).run(600);
        Path file = writeQuietly(live);

        SnapshotFiles.Loaded loaded = SnapshotFiles.load(file);
        assertEquals(live.lastZxid(), loaded.startZxid());
        assertEquals(live.lastZxid(), loaded.endZxid());
        assertEquals(live.digest(), loaded.tree().digest());
        assertEquals(live.sessions(), loaded.tree().sessions());
        assertEquals(live.lastZxid(), loaded.tree().lastZxid());
    }

    @Test
    void aFuzzySnapshotFileReplayedToItsEndZxidGivesTheLiveTree() throws IOException {
        Random rnd = new Random(11);
        DataTree live = new DataTree();
        FuzzySnapshotTest.Workload w = new FuzzySnapshotTest.Workload(11, live);
        w.run(500);
        SnapshotCursor cursor = live.snapshotCursor();
        List<TxnRecord> log = new ArrayList<>();
        Path file;
        try (SnapshotWriter writer = SnapshotWriter.create(dir, cursor.startZxid(), cursor.sessions())) {
            List<SnapshotNode> slice = new ArrayList<>();
            boolean more;
            do {
                slice.clear();
                more = cursor.next(1 + rnd.nextInt(5), slice::add);
                for (SnapshotNode n : slice) {
                    writer.write(n);
                }
                log.addAll(w.run(rnd.nextInt(4)));
            } while (more);
            file = writer.finish(live.lastZxid());
        }
        log.addAll(w.run(40));

        SnapshotFiles.Loaded loaded = SnapshotFiles.load(file);
        assertTrue(loaded.endZxid() > loaded.startZxid(), "the walk overlapped no writes");
        DataTree rebuilt = loaded.tree();
        for (TxnRecord r : log) {
            if (r.zxid() <= loaded.endZxid()) {
                rebuilt.replay(r);
            } else {
                rebuilt.apply(r);
            }
        }
        assertEquals(live.digest(), rebuilt.digest());
    }

    @Test
    void finishRenamesTheTemporaryFileToTheStartZxidsName() throws IOException {
        DataTree live = new DataTree();
        SnapshotCursor cursor = live.snapshotCursor();
        try (SnapshotWriter writer = SnapshotWriter.create(dir, 0xabcL, cursor.sessions())) {
            cursor.next(Integer.MAX_VALUE, node -> write(writer, node));
            assertEquals(List.of("snapshot.0000000000000abc.tmp"), names());
            Path file = writer.finish(0xabcL);
            assertEquals(dir.resolve("snapshot.0000000000000abc"), file);
        }
        assertEquals(List.of("snapshot.0000000000000abc"), names());
    }

    @Test
    void closingAnUnfinishedSnapshotDeletesItsTemporaryFile() throws IOException {
        SnapshotWriter writer = SnapshotWriter.create(dir, 5, Map.of());
        writer.write(root());
        writer.close();
        assertEquals(List.of(), names());
    }

    @Test
    void finishRefusesAnEndZxidBeforeTheStart() throws IOException {
        try (SnapshotWriter writer = SnapshotWriter.create(dir, 5, Map.of())) {
            assertThrows(IllegalArgumentException.class, () -> writer.finish(4));
        }
    }

    @Test
    void everyFlippedByteIsDetected() throws IOException {
        Path file = writeQuietly(smallTree());
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            Files.write(file, bad);
            int at = i;
            assertThrows(IOException.class, () -> SnapshotFiles.load(file), () -> "flipped byte " + at);
        }
    }

    @Test
    void everyTruncationIsDetected() throws IOException {
        Path file = writeQuietly(smallTree());
        byte[] good = Files.readAllBytes(file);
        for (int n = 0; n < good.length; n++) {
            Files.write(file, java.util.Arrays.copyOf(good, n));
            int at = n;
            IOException e = assertThrows(IOException.class, () -> SnapshotFiles.load(file), () -> "cut to " + at);
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    @Test
    void aWellFramedSnapshotOfAnImpossibleTreeIsRefusedNamingTheFile() throws IOException {
        Path file;
        try (SnapshotWriter writer = SnapshotWriter.create(dir, 1, Map.of())) {
            writer.write(root());
            writer.write(node("/orphan/child"));
            file = writer.finish(1);
        }
        IOException e = assertThrows(IOException.class, () -> SnapshotFiles.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("/orphan/child"), e.getMessage());
    }

    @Test
    void loadNewestValidSkipsADamagedNewerSnapshotAndLeavesItInPlace() throws IOException {
        DataTree tree = smallTree();
        Path older = writeQuietly(tree);
        new FuzzySnapshotTest.Workload(5, tree).run(20);
        Path newer = writeQuietly(tree);
        byte[] bytes = Files.readAllBytes(newer);
        bytes[bytes.length / 2] ^= 1;
        Files.write(newer, bytes);

        Optional<SnapshotFiles.Loaded> loaded = SnapshotFiles.loadNewestValid(dir);
        assertTrue(loaded.isPresent());
        assertEquals(older, loaded.get().file());
        assertTrue(Files.exists(newer), "a damaged snapshot is never deleted");
    }

    @Test
    void loadNewestValidFindsNothingInAnEmptyOrMissingDirectory() throws IOException {
        assertFalse(SnapshotFiles.loadNewestValid(dir).isPresent());
        assertFalse(SnapshotFiles.loadNewestValid(dir.resolve("absent")).isPresent());
    }

    @Test
    void listGivesFinishedSnapshotsNewestFirstAndNothingElse() throws IOException {
        for (String name : List.of("snapshot.0000000000000010", "snapshot.0000000000000100",
                "snapshot.0000000000000002", "snapshot.0000000000000200.tmp", "log.0000000000000001",
                "snapshot.12", "snapshot.0000000000000100.bak")) {
            Files.createFile(dir.resolve(name));
        }
        assertEquals(List.of(dir.resolve("snapshot.0000000000000100"), dir.resolve("snapshot.0000000000000010"),
                dir.resolve("snapshot.0000000000000002")), SnapshotFiles.list(dir));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static DataTree smallTree() {
        DataTree tree = new DataTree();
        new FuzzySnapshotTest.Workload(2, tree).run(30);
        return tree;
    }

    private Path writeQuietly(DataTree tree) throws IOException {
        SnapshotCursor cursor = tree.snapshotCursor();
        try (SnapshotWriter writer = SnapshotWriter.create(dir, cursor.startZxid(), cursor.sessions())) {
            assertFalse(cursor.next(Integer.MAX_VALUE, node -> write(writer, node)));
            return writer.finish(tree.lastZxid());
        }
    }

    private static void write(SnapshotWriter writer, SnapshotNode node) {
        try {
            writer.write(node);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static SnapshotNode root() {
        return node("/");
    }

    private static SnapshotNode node(String path) {
        return new SnapshotNode(path, new byte[] {1, 2}, Acl.OPEN_ACL_UNSAFE, 1, 1, 0, 0, 0, 0, 0, 1,
                CreateMode.PERSISTENT, 0, 0);
    }
}
