package io.paddock.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The server id of an ensemble member: the file {@code myid} in the data directory, holding the
 * id in decimal as in ZooKeeper ("1" and nothing else). ZooKeeper 3.9 reads its first line with
 * Long.parseLong and checks no range, while its admin guide asks for 1..255, and 1..254 once
 * extended types (TTL nodes) are on, which Paddock always serves; session ids carry the server
 * id in their high byte, where 0xff marks a TTL node's owner. So the id must be 1..254, the same
 * range the {@code server.N} lines allow. Whitespace around the number (a trailing newline) is
 * tolerated, and, as in ZooKeeper, only the first line counts.
 */
public final class MyId {

    public static final String FILE_NAME = "myid";
    public static final long MIN = 1;
    /** ZooKeeper's EphemeralType.MAX_EXTENDED_SERVER_ID. */
    public static final long MAX = 254;

    private MyId() {
    }

    /** The id in {@code dataDir/myid}; an IOException naming the file when it is missing or not an id. */
    public static long read(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " is missing: an ensemble member needs its server id there, the N of its"
                    + " server.N line (e.g. echo 1 > " + file + ")", e);
        }
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        String first = (newline < 0 ? stripped : stripped.substring(0, newline)).strip();
        long id;
        try {
            id = Long.parseLong(first);
        } catch (NumberFormatException e) {
            throw new IOException(file + " does not hold a server id (a decimal number): \"" + quote(text) + "\"");
        }
        if (id < MIN || id > MAX) {
            throw new IOException(file + " holds the server id " + id + ", outside " + MIN + ".." + MAX
                    + " (session ids carry it in their high byte, where 0xff marks TTL nodes)");
        }
        return id;
    }

    private static String quote(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
