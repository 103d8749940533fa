package io.paddock.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The znodes a keyed workload works on: {@code keys} znodes of {@code valueSize} bytes under one
 * parent, created through the first server before any run (in multis, not measured) and deleted
 * at the end. Their URLs are made once for every server, as clients share the machine with the
 * servers and their per-request work is kept small; client i uses server {@code i % servers}.
 */
final class BenchKeys {

    /** How long every server gets to show the keys after they were created through the first one. */
    static final Duration VISIBLE_DEADLINE = Duration.ofSeconds(30);

    private final List<BenchHttp> servers;
    private final String parent;
    private final int keys;
    private final int keySize;
    private final byte[] value;
    /** [server][key]: the znode URLs as each server serves them. */
    private final URI[][] uris;
    /** Set once the parent exists, cleared once it is gone: clean-up may be asked for twice (a shutdown hook and the normal end). */
    private boolean parentExists;

    BenchKeys(List<BenchHttp> servers, String parent, int keys, int valueSize) {
        this(servers, parent, keys, valueSize, BenchOptions.DEFAULT_KEY_SIZE);
    }

    /** @param keys how many keys to make, 0 for none (the parent alone) */
    BenchKeys(List<BenchHttp> servers, String parent, int keys, int valueSize, int keySize) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server to send requests to");
        }
        this.servers = List.copyOf(servers);
        this.parent = parent;
        this.keys = keys;
        this.keySize = keySize;
        this.value = valueBytes(valueSize);
        this.uris = new URI[servers.size()][keys];
        for (int s = 0; s < servers.size(); s++) {
            for (int k = 0; k < keys; k++) {
                uris[s][k] = servers.get(s).znodeUri(keyPath(k));
            }
        }
    }

    /**
     * The data every key gets, of {@code valueSize} bytes, the same whatever the protocol. The
     * content does not matter to the server; a fixed seed keeps runs comparable byte for byte.
     */
    static byte[] valueBytes(int valueSize) {
        byte[] value = new byte[valueSize];
        new SplittableRandom(valueSize).nextBytes(value);
        return value;
    }

    /** Key names of one width, so that every request has the same size: k0000000, k0000001, ... */
    static String keyName(int index) {
        return keyName(index, BenchOptions.DEFAULT_KEY_SIZE);
    }

    /** The name of key {@code index}: {@code k} and the index in {@code keySize - 1} digits. */
    static String keyName(long index, int keySize) {
        return name('k', index, keySize);
    }

    /**
     * A name of {@code keySize} bytes: the letter, then {@code index} in decimal padded with zeros;
     * an index too large for the width makes a longer name, still one of its own.
     */
    static String name(char letter, long index, int keySize) {
        String digits = Long.toString(index);
        StringBuilder name = new StringBuilder(Math.max(keySize, digits.length() + 1)).append(letter);
        for (int pad = keySize - 1 - digits.length(); pad > 0; pad--) {
            name.append('0');
        }
        return name.append(digits).toString();
    }

    /** How many names of {@code keySize} bytes there are for one letter: 10^(keySize - 1), at most Long.MAX_VALUE. */
    static long nameCapacity(int keySize) {
        long capacity = 1;
        for (int digit = 1; digit < keySize; digit++) {
            if (capacity > Long.MAX_VALUE / 10) {
                return Long.MAX_VALUE;
            }
            capacity *= 10;
        }
        return capacity;
    }

    String keyPath(int index) {
        return parent + "/" + keyName(index, keySize);
    }

    String parent() {
        return parent;
    }

    int keySize() {
        return keySize;
    }

    List<BenchHttp> servers() {
        return servers;
    }

    /** The server that client {@code client} talks to. */
    BenchHttp serverOf(int client) {
        return servers.get(client % servers.size());
    }

    int keys() {
        return keys;
    }

    byte[] value() {
        return value;
    }

    /** The keys' URLs on the server that client {@code client} talks to. */
    URI[] urisOf(int client) {
        return uris[client % uris.length];
    }

    /**
     * Creates the parent and the keys through the first server, then waits until every other
     * server shows the last key: a follower may apply a commit a little after the server that
     * answered, and a read of a key it does not have yet would count as an error. Transactions
     * apply in zxid order, so the last key there means all of them are.
     */
    void prepare() throws BenchException, InterruptedException {
        BenchHttp first = servers.get(0);
        first.create(parent, new byte[0]);
        synchronized (this) {
            parentExists = true;
        }
        List<String> paths = new ArrayList<>(keys);
        for (int k = 0; k < keys; k++) {
            paths.add(keyPath(k));
        }
        if (keys > 0) {
            first.createAll(paths, value);
        }
        String last = keys > 0 ? keyPath(keys - 1) : parent;
        for (BenchHttp server : servers.subList(1, servers.size())) {
            server.awaitExists(last, VISIBLE_DEADLINE);
        }
    }

    synchronized void cleanup() throws BenchException {
        if (parentExists) {
            servers.get(0).deleteRecursive(parent);
            parentExists = false;
        }
    }
}
