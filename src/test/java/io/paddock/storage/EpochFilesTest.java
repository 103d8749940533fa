package io.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpochFilesTest {

    @TempDir
    Path dir;

    private String content(String name) throws IOException {
        return Files.readString(dir.resolve(name), StandardCharsets.US_ASCII);
    }

    @Test
    void missingFilesReadAsEpochZero() throws IOException {
        assertEquals(new EpochFiles.Epochs(0, 0), EpochFiles.read(dir));
    }

    @Test
    void epochsAreWrittenAsZooKeeperWritesThemAndReadBack() throws IOException {
        EpochFiles.write(dir, 5, 4);
        assertEquals("5", content("acceptedEpoch"));
        assertEquals("4", content("currentEpoch"));
        assertEquals(new EpochFiles.Epochs(5, 4), EpochFiles.read(dir));
        EpochFiles.write(dir, 5, 5);
        assertEquals(new EpochFiles.Epochs(5, 5), EpochFiles.read(dir));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void whitespaceAroundTheNumberIsTolerated() throws IOException {
        Files.writeString(dir.resolve("acceptedEpoch"), " 12\n");
        Files.writeString(dir.resolve("currentEpoch"), "7\r\n");
        assertEquals(new EpochFiles.Epochs(12, 7), EpochFiles.read(dir));
    }

    @Test
    void aFileThatDoesNotParseIsAnErrorNamingTheFileAndItsContent() throws IOException {
        for (String bad : new String[] {"abc", "", "-3", "1 2", "99999999999999999999", "0x10"}) {
            Files.writeString(dir.resolve("currentEpoch"), bad);
            IOException e = assertThrows(IOException.class, () -> EpochFiles.read(dir), bad);
            assertTrue(e.getMessage().contains(dir.resolve("currentEpoch").toString())
                    && e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        }
    }

    @Test
    void acceptedEpochBelowCurrentEpochOnDiskIsAnError() throws IOException {
        Files.writeString(dir.resolve("acceptedEpoch"), "2");
        Files.writeString(dir.resolve("currentEpoch"), "3");
        IOException e = assertThrows(IOException.class, () -> EpochFiles.read(dir));
        assertTrue(e.getMessage().contains("acceptedEpoch"), e.getMessage());
    }

    @Test
    void aCurrentEpochAboveTheAcceptedOneIsRefusedAndNothingIsWritten() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> EpochFiles.write(dir, 3, 4));
        assertFalse(Files.exists(dir.resolve("acceptedEpoch")));
        assertFalse(Files.exists(dir.resolve("currentEpoch")));
    }

    @Test
    void anEpochIsNeverLoweredOnDisk() throws IOException {
        EpochFiles.write(dir, 6, 5);
        assertThrows(IllegalArgumentException.class, () -> EpochFiles.write(dir, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> EpochFiles.write(dir, 6, 4));
        assertEquals(new EpochFiles.Epochs(6, 5), EpochFiles.read(dir));
    }

    @Test
    void acceptedEpochIsWrittenFirstSoAFailureInBetweenKeepsItAboveCurrentEpoch() throws IOException {
        EpochFiles.write(dir, 1, 1);
        Files.createDirectory(dir.resolve("currentEpoch.tmp")); // writing currentEpoch will fail
        assertThrows(IOException.class, () -> EpochFiles.write(dir, 2, 2));
        assertEquals(new EpochFiles.Epochs(2, 1), EpochFiles.read(dir));
    }

    @Test
    void anEpochThatDidNotChangeIsNotRewritten() throws IOException {
        EpochFiles.write(dir, 1, 1);
        Object currentFile = Files.readAttributes(dir.resolve("currentEpoch"), BasicFileAttributes.class).fileKey();
        EpochFiles.write(dir, 2, 1);
        assertEquals("2", content("acceptedEpoch"));
        assertEquals(currentFile, Files.readAttributes(dir.resolve("currentEpoch"), BasicFileAttributes.class).fileKey());
    }

    @Test
    void atStartUpAMissingFileTakesTheEpochOfTheLastZxid() throws IOException {
        long lastZxid = (4L << 32) | 17;
        assertEquals(new EpochFiles.Epochs(4, 4), EpochFiles.read(dir, lastZxid));
        EpochFiles.write(dir, 6, 5);
        assertEquals(new EpochFiles.Epochs(6, 5), EpochFiles.read(dir, lastZxid));
    }

    @Test
    void atStartUpACurrentEpochBelowTheLastZxidsEpochIsAnError() throws IOException {
        EpochFiles.write(dir, 3, 3);
        IOException e = assertThrows(IOException.class, () -> EpochFiles.read(dir, (4L << 32) | 1));
        assertTrue(e.getMessage().contains("currentEpoch") && e.getMessage().contains("0x400000001"), e.getMessage());
    }
}
