package io.paddock.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.function.Supplier;

/**
 * 100% writes: every measured request is a setData of {@code valueSize} bytes on one of the
 * keys, with any version so that clients sharing a key never conflict.
 */
final class WriteWorkload implements HttpWorkload {

    private final BenchKeys keys;

    WriteWorkload(BenchKeys keys) {
        this.keys = keys;
    }

    @Override
    public String name() {
        return WorkloadKind.WRITE.optionName();
    }

    @Override
    public void prepare() throws BenchException, InterruptedException {
        keys.prepare();
    }

    /**
     * Client c writes keys c, c + clients, c + 2·clients, ... (modulo keys) on its server: clients
     * start on different keys and, while there are more keys than clients, never write the same one.
     */
    @Override
    public Supplier<HttpRequest> requests(int client, int clients) {
        URI[] uris = keys.urisOf(client);
        byte[] value = keys.value();
        return new Supplier<>() {
            private long next = client;

            @Override
            public HttpRequest get() {
                URI uri = uris[(int) (next % uris.length)];
                next += clients;
                return BenchHttp.setData(uri, value);
            }
        };
    }

    /** As {@link #requests}: the head of each key's setData made once, the value appended after it. */
    @Override
    public HttpPipeClient.Requests wireRequests(int client, int clients) {
        URI[] uris = keys.urisOf(client);
        byte[] value = keys.value();
        byte[][] heads = new byte[uris.length][];
        for (int k = 0; k < uris.length; k++) {
            heads[k] = BenchHttp.setDataHead(uris[k], value.length);
        }
        return new HttpPipeClient.Requests() {
            private long next = client;

            @Override
            public void appendNext(HttpWire.Out out) {
                out.append(heads[(int) (next % heads.length)]).append(value);
                next += clients;
            }
        };
    }

    @Override
    public BenchHttp serverOf(int client) {
        return keys.serverOf(client);
    }

    @Override
    public void cleanup() throws BenchException {
        keys.cleanup();
    }
}
