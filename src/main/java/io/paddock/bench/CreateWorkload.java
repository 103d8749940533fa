package io.paddock.bench;

import java.net.http.HttpRequest;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * 100% writes as creates: every measured request creates a new persistent znode of
 * {@code valueSize} bytes under the parent, named {@code c} and a number taken once over every
 * client and run, the data as bare bytes. The znodes go with the parent at the end.
 */
final class CreateWorkload implements HttpWorkload {

    private final BenchKeys keys;
    private final AtomicLong made = new AtomicLong();

    /** @param keys the parent and the servers; it holds no keys */
    CreateWorkload(BenchKeys keys) {
        this.keys = keys;
    }

    @Override
    public String name() {
        return WorkloadKind.CREATE.optionName();
    }

    @Override
    public void prepare() throws BenchException, InterruptedException {
        keys.prepare();
    }

    /** Client c creates on its server, each request a name no other request has. */
    @Override
    public Supplier<HttpRequest> requests(int client, int clients) {
        BenchHttp server = keys.serverOf(client);
        byte[] value = keys.value();
        String prefix = keys.parent() + "/";
        return () -> BenchHttp.create(server.znodeUri(prefix + BenchKeys.name('c', made.getAndIncrement(),
                keys.keySize())), value);
    }

    /** As {@link #requests}: only the name is written anew for each request, between parts made once. */
    @Override
    public HttpPipeClient.Requests wireRequests(int client, int clients) {
        BenchHttp server = keys.serverOf(client);
        byte[] value = keys.value();
        byte[] before = server.createHeadBefore(keys.parent());
        byte[] after = server.createHeadAfter(value.length);
        return out -> out.append(before)
                .appendAscii(BenchKeys.name('c', made.getAndIncrement(), keys.keySize()))
                .append(after)
                .append(value);
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
