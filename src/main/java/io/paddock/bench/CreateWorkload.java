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

    @Override
    public void cleanup() throws BenchException {
        keys.cleanup();
    }
}
