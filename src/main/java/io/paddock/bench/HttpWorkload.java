package io.paddock.bench;

import java.net.http.HttpRequest;
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
}
