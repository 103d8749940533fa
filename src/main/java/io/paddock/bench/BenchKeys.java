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
    private final byte[] value;
    /** [server][key]: the znode URLs as each server serves them. */
    private final URI[][] uris;
    /** Set once the parent exists, cleared once it is gone: clean-up may be asked for twice (a shutdown hook and the normal end). */
    private boolean parentExists;

    BenchKeys(List<BenchHttp> servers, String parent, int keys, int valueSize) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server to send requests to");
        }
        this.servers = List.copyOf(servers);
        this.parent = parent;
        this.keys = keys;
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
        return String.format("k%07d", index);
    }

    String keyPath(int index) {
        return parent + "/" + keyName(index);
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
        first.createAll(paths, value);
        String last = keyPath(keys - 1);
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
