package io.paddock.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A workload over the HTTP API. Each client with a connection of its own is an
 * {@link HttpPipeClient} writing the bytes {@link #wireRequests} gives it (a {@link BenchClient}
 * over the JDK's HttpClient for https); clients that share connections are BenchClients sending
 * {@link #requests}. Both give the same requests in the same order.
 */
interface HttpWorkload extends Workload {

    /** The server that client {@code client} (from 0) talks to. */
    BenchHttp serverOf(int client);

    /**
     * The requests of {@link #requests}, as the bytes the lean client writes: the same method,
     * target, headers that matter and body, in the same order. Called once per client per run;
     * used on that client's thread only.
     */
    HttpPipeClient.Requests wireRequests(int client, int clients);

    /**
     * The requests of client {@code client} (from 0) of {@code clients}, in the order it sends
     * them. Called once per client per run; the supplier is used on that client's thread only.
     */
    Supplier<HttpRequest> requests(int client, int clients);

    /**
     * A client with a connection of its own, open before it runs, its {@code outstanding}
     * requests pipelined on it; over https, a JDK HttpClient of its own (which opens up to
     * {@code outstanding} connections, as it does not pipeline), connecting on the first request.
     */
    @Override
    default BenchRun.Client newClient(int client, int clients, int outstanding) throws BenchException {
        URI server = serverOf(client).base();
        if (HttpWire.plain(server)) {
            return new HttpPipeClient(server, wireRequests(client, clients), outstanding);
        }
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
