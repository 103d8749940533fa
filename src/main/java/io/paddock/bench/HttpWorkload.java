package io.paddock.bench;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** A workload over the HTTP API: each client is a {@link BenchClient} sending the requests this gives it. */
interface HttpWorkload extends Workload {

    /**
     * The requests of client {@code client} (from 0) of {@code clients}, in the order it sends
     * them. Called once per client per run; the supplier is used on that client's thread only.
     */
    Supplier<HttpRequest> requests(int client, int clients);

    /** A client with its own HTTP/1.1 client (and so its own connections); nothing is sent before it runs. */
    @Override
    default BenchRun.Client newClient(int client, int clients, int outstanding) {
        return new BenchClient(BenchHttp.newClient(), requests(client, clients), outstanding);
    }

    /**
     * With fewer connections than clients: {@code connections} HTTP clients, each kept to one
     * request at a time so that it holds one connection (HTTP/1.1 has no multiplexing), client i
     * queueing its requests on connection i mod n. A request's latency includes its wait for the
     * connection, as a logical client sharing a connection waits.
     */
    @Override
    default void newClients(int clients, int connections, int outstanding, List<BenchRun.Client> into)
            throws BenchException {
        if (connections >= clients) {
            Workload.super.newClients(clients, connections, outstanding, into);
            return;
        }
        List<BenchClient.Connection> shared = new ArrayList<>(connections);
        for (int c = 0; c < connections; c++) {
            shared.add(new BenchClient.Connection(BenchHttp.newClient()));
        }
        for (int i = 0; i < clients; i++) {
            into.add(new BenchClient(shared.get(i % connections), requests(i, clients), outstanding));
        }
    }
}
