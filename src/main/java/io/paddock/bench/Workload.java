package io.paddock.bench;

import java.util.List;

/**
 * What the clients of a run do. A workload prepares the znodes it needs before any run (not
 * measured), makes each client of a run (its connection or session open, so that the clock
 * starts on ready clients), and removes what it made at the end. One workload serves every run
 * of an invocation (each --clients value). The protocol is the workload's: {@link HttpWorkload}s
 * over the HTTP API, {@link ZkWorkload} over ZooKeeper's binary protocol.
 */
interface Workload {

    /** The name in the results, as {@code --workload} spells it. */
    String name();

    /** Creates what the runs need; nothing here is measured. */
    void prepare() throws BenchException, InterruptedException;

    /**
     * Client {@code client} (from 0) of a run of {@code clients}, ready to run with at most
     * {@code outstanding} requests in flight.
     *
     * @throws BenchException its server cannot be reached
     */
    BenchRun.Client newClient(int client, int clients, int outstanding) throws BenchException;

    /**
     * The {@code clients} clients of a run, sharing {@code connections} connections or sessions
     * (as many as clients: one each), added to {@code into} as they are made so that the caller
     * closes every one made even when a later one fails. By default client by client.
     */
    default void newClients(int clients, int connections, int outstanding, List<BenchRun.Client> into)
            throws BenchException {
        for (int i = 0; i < clients; i++) {
            into.add(newClient(i, clients, outstanding));
        }
    }

    /** Removes everything {@link #prepare()} made; safe to call again, and after a prepare that failed part-way. */
    void cleanup() throws BenchException;

    /** The HTTP workload an invocation asked for, its requests spread over {@code servers} (one per URL). */
    static Workload of(BenchOptions options, List<BenchHttp> servers, String parent) {
        if (options.workload() == WorkloadKind.FAILOVER) {
            throw new IllegalArgumentException("failover has no clients; FailoverBench runs it");
        }
        BenchKeys keys = new BenchKeys(servers, parent, options.keysUsed(),
                options.workload() == WorkloadKind.LOCK ? 0 : options.valueSize(), options.keySize());
        return switch (options.workload()) {
            case WRITE -> new WriteWorkload(keys);
            case READ -> new ReadWorkload(keys);
            case MIXED -> new MixedWorkload(keys, options.readRatio());
            case CREATE -> new CreateWorkload(keys);
            case CHURN, WATCH, LOCK -> new HttpSessionWorkload(options.workload(), keys);
            case FAILOVER -> throw new IllegalStateException("refused above");
        };
    }
}
