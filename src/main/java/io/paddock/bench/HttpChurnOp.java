package io.paddock.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * One cycle of the churn workload over the HTTP API: POST /v1/sessions, the create of an
 * ephemeral znode with the session's Paddock-Session header, DELETE /v1/sessions/{id}. The
 * client keeps its HTTP connection from cycle to cycle: over HTTP a session is not a connection.
 * A failed step counts under its HTTP status ("timeout", "io" when no answer came); a session
 * opened is closed even when its create failed. A server that refuses connections ends the client.
 */
final class HttpChurnOp implements LoopClient.Op {

    private final HttpClient http;
    private final BenchHttp server;
    private final LongFunction<String> paths;
    private final LongSupplier next;
    private final byte[] value;

    HttpChurnOp(HttpClient http, BenchHttp server, LongFunction<String> paths, LongSupplier next, byte[] value) {
        this.http = http;
        this.server = server;
        this.paths = paths;
        this.next = next;
        this.value = value;
    }

    @Override
    public void run(long n, ClientTally tally) throws OpFailure, InterruptedException {
        HttpResponse<String> opened = send(server.openSession(), 201);
        String session;
        try {
            session = BenchHttp.sessionIdOf(opened.body());
        } catch (IOException e) {
            throw new OpFailure("io", e.getMessage(), true);
        }
        URI znode = server.znodeUri(paths.apply(next.getAsLong()));
        try {
            send(BenchHttp.createEphemeral(znode, value, session), 201);
        } finally {
            send(server.closeSession(session), 204);
        }
    }

    private HttpResponse<String> send(HttpRequest request, int expected) throws OpFailure, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new OpFailure("io", request.method() + " " + request.uri() + ": " + e, true);
        } catch (HttpTimeoutException e) {
            throw new OpFailure("timeout", request.method() + " " + request.uri() + ": " + e, false);
        } catch (IOException e) {
            throw new OpFailure("io", request.method() + " " + request.uri() + ": " + e, false);
        }
        if (response.statusCode() != expected) {
            throw new OpFailure(Integer.toString(response.statusCode()), request.method() + " " + request.uri()
                    + " answered HTTP " + response.statusCode() + ": " + response.body(), false);
        }
        return response;
    }

    /** Nothing is held between cycles; the HTTP client's connections close when it is collected. */
    @Override
    public void close() {
    }
}
