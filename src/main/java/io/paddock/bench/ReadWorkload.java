package io.paddock.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.function.Supplier;

/**
 * 100% reads: every measured request is a getData of one of the keys, answered as bare bytes
 * ({@code ?raw}) as a ZooKeeper client receives them, so no base64 or JSON is measured. Each
 * server answers reads from its own tree, as ZooKeeper's followers do, so reads spread over an
 * ensemble's servers involve no leader.
 */
final class ReadWorkload implements HttpWorkload {

    private final BenchKeys keys;

    ReadWorkload(BenchKeys keys) {
        this.keys = keys;
    }

    @Override
    public String name() {
        return WorkloadKind.READ.optionName();
    }

    @Override
    public void prepare() throws BenchException, InterruptedException {
        keys.prepare();
    }

    /** Client c reads keys c, c + clients, c + 2·clients, ... (modulo keys) on its server, as the write workload writes them. */
    @Override
    public Supplier<HttpRequest> requests(int client, int clients) {
        URI[] znodes = keys.urisOf(client);
        HttpRequest[] reads = new HttpRequest[znodes.length];
        for (int k = 0; k < znodes.length; k++) {
            // HttpRequest is immutable: built once per key, not per request.
            reads[k] = BenchHttp.getData(znodes[k]);
        }
        return new Supplier<>() {
            private long next = client;

            @Override
            public HttpRequest get() {
                HttpRequest request = reads[(int) (next % reads.length)];
                next += clients;
                return request;
            }
        };
    }

    /** As {@link #requests}: each key's request made once. */
    @Override
    public HttpPipeClient.Requests wireRequests(int client, int clients) {
        URI[] znodes = keys.urisOf(client);
        byte[][] reads = new byte[znodes.length][];
        for (int k = 0; k < znodes.length; k++) {
            reads[k] = BenchHttp.getDataHead(znodes[k]);
        }
        return new HttpPipeClient.Requests() {
            private long next = client;

            @Override
            public void appendNext(HttpWire.Out out) {
                out.append(reads[(int) (next % reads.length)]);
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
