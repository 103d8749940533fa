package io.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MyIdTest {

    @TempDir
    Path dir;

    private long readWith(String content) throws IOException {
        Files.writeString(dir.resolve("myid"), content);
        return MyId.read(dir);
    }

    private IOException failureWith(String content) throws IOException {
        Files.writeString(dir.resolve("myid"), content);
        IOException e = assertThrows(IOException.class, () -> MyId.read(dir), content);
        assertTrue(e.getMessage().contains(dir.resolve("myid").toString()), e.getMessage());
        return e;
    }

    @Test
    void theIdIsTheDecimalNumberInTheFileWhitespaceTolerated() throws IOException {
        assertEquals(1, readWith("1"));
        assertEquals(3, readWith("3\n"));
        assertEquals(42, readWith("  42 \r\n"));
        assertEquals(254, readWith("254"));
    }

    @Test
    void onlyTheFirstLineCountsAsInZooKeeper() throws IOException {
        assertEquals(7, readWith("7\nwritten by the installer\n"));
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        IOException e = assertThrows(IOException.class, () -> MyId.read(dir));
        assertTrue(e.getMessage().contains(dir.resolve("myid") + " is missing"), e.getMessage());
    }

    @Test
    void somethingElseThanANumberIsAnErrorQuotingIt() throws IOException {
        for (String bad : new String[] {"", "one", "1.5", "0x1", "1 2", "99999999999999999999"}) {
            IOException e = failureWith(bad);
            assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        }
    }

    @Test
    void idsOutsideOneTo254AreRefused() throws IOException {
        for (String bad : new String[] {"0", "-1", "255", "1000"}) {
            IOException e = failureWith(bad);
            assertTrue(e.getMessage().contains("1..254"), e.getMessage());
        }
    }
}
