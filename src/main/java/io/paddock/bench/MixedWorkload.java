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

    /** As {@link #requests}, from the same schedule: each key's read and write head made once. */
    @Override
    public HttpPipeClient.Requests wireRequests(int client, int clients) {
        URI[] znodes = keys.urisOf(client);
        byte[] value = keys.value();
        byte[][] reads = new byte[znodes.length][];
        byte[][] writes = new byte[znodes.length][];
        for (int k = 0; k < znodes.length; k++) {
            reads[k] = BenchHttp.getDataHead(znodes[k]);
            writes[k] = BenchHttp.setDataHead(znodes[k], value.length);
        }
        OpSchedule schedule = new OpSchedule(client, clients, znodes.length, readRatio);
        return out -> {
            schedule.advance();
            if (schedule.isRead()) {
                out.append(reads[schedule.key()]);
            } else {
                out.append(writes[schedule.key()]).append(value);
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
