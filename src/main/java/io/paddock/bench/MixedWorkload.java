package io.paddock.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.function.Supplier;

/**
 * Reads and writes of the same keys, {@code readRatio} of them reads: getData as bare bytes
 * ({@code ?raw}), as the read workload sends it, and setData with any version, as the write
 * workload sends it. Which request comes next is the {@link OpSchedule}'s, as over ZooKeeper's protocol.
 */
final class MixedWorkload implements HttpWorkload {

    private final BenchKeys keys;
    private final double readRatio;

    MixedWorkload(BenchKeys keys, double readRatio) {
        this.keys = keys;
        this.readRatio = readRatio;
    }

    @Override
    public String name() {
        return WorkloadKind.MIXED.optionName();
    }

    @Override
    public void prepare() throws BenchException, InterruptedException {
        keys.prepare();
    }

    @Override
    public Supplier<HttpRequest> requests(int client, int clients) {
        URI[] znodes = keys.urisOf(client);
        byte[] value = keys.value();
        HttpRequest[] reads = new HttpRequest[znodes.length];
        for (int k = 0; k < znodes.length; k++) {
            reads[k] = BenchHttp.getData(znodes[k]);
        }
        OpSchedule schedule = new OpSchedule(client, clients, znodes.length, readRatio);
        return () -> {
            schedule.advance();
            return schedule.isRead() ? reads[schedule.key()] : BenchHttp.setData(znodes[schedule.key()], value);
        };
    }

    @Override
    public void cleanup() throws BenchException {
        keys.cleanup();
    }
}
