package io.paddock.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * 100% writes: {@code keys} znodes are created under the parent first (in multis, not
 * measured), then every measured request is a setData of {@code valueSize} bytes on one of
 * them, with any version so that clients sharing a key never conflict.
 */
final class WriteWorkload implements Workload {

    private final BenchHttp http;
    private final String parent;
    private final int keys;
    private final byte[] value;
    /** The keys' URLs, made once in prepare(): clients share the machine with the server, so their per-request work is kept small. */
    private URI[] keyUris = new URI[0];
    /** Set once the parent exists, cleared once it is gone: clean-up may be asked for twice (a shutdown hook and the normal end). */
    private boolean parentExists;

    WriteWorkload(BenchHttp http, String parent, int keys, int valueSize) {
        this.http = http;
        this.parent = parent;
        this.keys = keys;
        // The content does not matter to the server; a fixed seed keeps runs comparable byte for byte.
        this.value = new byte[valueSize];
        new SplittableRandom(valueSize).nextBytes(value);
    }

    /** Key names of one width, so that every request has the same size: k0000000, k0000001, ... */
    static String keyName(int index) {
        return String.format("k%07d", index);
    }

    String keyPath(int index) {
        return parent + "/" + keyName(index);
    }

    @Override
    public String name() {
        return WorkloadKind.WRITE.optionName();
    }

    @Override
    public void prepare() throws BenchException {
        http.create(parent, new byte[0]);
        synchronized (this) {
            parentExists = true;
        }
        List<String> paths = new ArrayList<>(keys);
        URI[] uris = new URI[keys];
        for (int i = 0; i < keys; i++) {
            paths.add(keyPath(i));
            uris[i] = http.znodeUri(paths.get(i));
        }
        http.createAll(paths, value);
        keyUris = uris;
    }

    /**
     * Client c writes keys c, c + clients, c + 2·clients, ... (modulo keys): clients start on
     * different keys and, while there are more keys than clients, never write the same one.
     */
    @Override
    public Supplier<HttpRequest> requests(int client, int clients) {
        return new Supplier<>() {
            private long next = client;

            @Override
            public HttpRequest get() {
                URI uri = keyUris[(int) (next % keys)];
                next += clients;
                return BenchHttp.setData(uri, value);
            }
        };
    }

    @Override
    public synchronized void cleanup() throws BenchException {
        if (parentExists) {
            http.deleteRecursive(parent);
            parentExists = false;
        }
    }
}
