package io.paddock.bench;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the clients of a run do. A workload prepares the znodes it needs before any run (not
 * measured), gives each client its own endless sequence of requests, and removes what it
 * made at the end. One workload serves every run of an invocation (each --clients value).
 */
interface Workload {

    /** The name in the results, as {@code --workload} spells it. */
    String name();

    /** Creates what the runs need; nothing here is measured. */
    void prepare() throws BenchException, InterruptedException;

    /**
     * The requests of client {@code client} (from 0) of {@code clients}, in the order it sends
     * them. Called once per client per run; the supplier is used on that client's thread only.
     */
    Supplier<HttpRequest> requests(int client, int clients);

    /** Removes everything {@link #prepare()} made; safe to call again, and after a prepare that failed part-way. */
    void cleanup() throws BenchException;

    /** The client workload an invocation asked for, its requests spread over {@code servers} (one per URL). */
    static Workload of(BenchOptions options, List<BenchHttp> servers, String parent) {
        return switch (options.workload()) {
            case WRITE -> new WriteWorkload(new BenchKeys(servers, parent, options.keys(), options.valueSize()));
            case READ -> new ReadWorkload(new BenchKeys(servers, parent, options.keys(), options.valueSize()));
            case FAILOVER -> throw new IllegalArgumentException("failover has no clients; FailoverBench runs it");
        };
    }
}
