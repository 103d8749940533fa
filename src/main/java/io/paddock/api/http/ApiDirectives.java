package io.paddock.api.http;

import akka.dispatch.OnComplete;
import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.RemoteAddress;
import akka.http.javadsl.model.headers.RawRequestURI;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.stream.Materializer;
import io.paddock.server.Reply;
import io.paddock.server.ServerGateway;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.OpResult;
import io.paddock.tree.TreeException;
import scala.compat.java8.FutureConverters;
import scala.concurrent.ExecutionContextExecutor;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The request plumbing every route of the API shares: who is calling (session header, client
 * address), the znode path in the URL, bounded request bodies, query flags, and answering with a
 * stage whose every failure becomes the JSON error body.
 */
abstract class ApiDirectives extends AllDirectives {

    static final String SESSION_HEADER = "Paddock-Session";
    static final String ZXID_HEADER = "Paddock-Zxid";
    private static final String SESSION_HEADER_LOWER = SESSION_HEADER.toLowerCase(Locale.ROOT);
    private static final String ZXID_HEADER_LOWER = ZXID_HEADER.toLowerCase(Locale.ROOT);
    private static final PaddockHeader.Name ZXID_HEADER_NAME = PaddockHeader.Name.of(ZXID_HEADER);

    /** How long a client may take to send a request body. */
    private static final long BODY_TIMEOUT_MS = 20_000;

    /** The limit for bodies that carry no znode data (sessions, auth, watches). */
    static final long SMALL_BODY_BYTES = 64 * 1024;

    /** Room for the JSON around base64 data: field names, mode, ACL entries. */
    private static final long JSON_SLACK_BYTES = 64 * 1024;

    /**
     * Runs a callback on the thread that completed the future (see {@link #whenDone}), queueing
     * the callbacks it runs meanwhile rather than nesting them (Scala's parasitic context).
     */
    static final ExecutionContextExecutor SAME_THREAD =
            scala.concurrent.ExecutionContext.parasitic$.MODULE$;

    protected final ServerGateway gateway;
    protected final int maxDataBytes;

    ApiDirectives(ServerGateway gateway, int maxDataBytes) {
        this.gateway = gateway;
        this.maxDataBytes = maxDataBytes;
    }

    /**
     * Who a request acts for: its session ({@link ServerGateway#NO_SESSION} without the header)
     * and the client's IP address, the identity ip ACLs check.
     */
    record Caller(long sessionId, String address) {
        boolean hasSession() {
            return sessionId != ServerGateway.NO_SESSION;
        }

        /** The session, or 400 naming the header when the request needs one and has none. */
        long requireSession(String what) {
            if (!hasSession()) {
                throw ApiException.badInput(null, what + " needs the " + SESSION_HEADER + " header");
            }
            return sessionId;
        }
    }

    /** A request body read whole, within its limit. */
    record Body(boolean octetStream, byte[] bytes) {
    }

    /**
     * The caller of this request, once {@link #serving} lets it through. The address is the
     * connection's remote address, not X-Forwarded-For as akka-http's extractClientIP prefers: a
     * header any client can write must not satisfy an ip ACL.
     */
    Route caller(Function<Caller, Route> inner) {
        return extractRequest(request -> inner.apply(callerOf(request)));
    }

    /** The caller of a request (see {@link #caller}), or the refusal {@link #checkServing} throws. */
    Caller callerOf(HttpRequest request) {
        return callerOf(request, clientAddressOf(request));
    }

    /** The caller of a request from {@code clientAddress}, or the refusal {@link #checkServing} throws. */
    Caller callerOf(HttpRequest request, String clientAddress) {
        checkServing(request);
        String session = headerValue(request, SESSION_HEADER_LOWER);
        long sessionId = session == null ? ServerGateway.NO_SESSION
                : HexIds.parseSessionId(session, "the " + SESSION_HEADER + " header");
        return new Caller(sessionId, clientAddress);
    }

    /**
     * The value of a request's header by its name in lower case, or null. akka-http's
     * getHeader(String) lower-cases the name it is given on every call; each header keeps its
     * own lower-case name, so this compares without making one.
     */
    static String headerValue(HttpRequest request, String lowercaseName) {
        for (HttpHeader h : request.getHeaders()) {
            if (h.is(lowercaseName)) {
                return h.value();
            }
        }
        return null;
    }

    /** The client's IP address (see {@link #caller}), "" when the connection does not say. */
    Route clientAddress(Function<String, Route> inner) {
        return extractRequest(request -> inner.apply(clientAddressOf(request)));
    }

    private static String clientAddressOf(HttpRequest request) {
        return request.getAttribute(AttributeKeys.remoteAddress).map(ApiDirectives::address).orElse("");
    }

    /** Lets a request through only when this server can serve this client now (see {@link #checkServing}). */
    Route serving(Supplier<Route> inner) {
        return extractRequest(request -> {
            checkServing(request);
            return inner.get();
        });
    }

    /**
     * Refuses a request unless this server can serve this client now: it serves clients at all
     * ({@link ServerGateway#serving()}: in an ensemble, only in sync with a leader), and it has
     * applied whatever the client says it has seen. Otherwise 503, retry-safe: nothing was handed
     * to the server, and the client should go to another one, as a ZooKeeper client does when a
     * server without a quorum drops its connection.
     */
    void checkServing(HttpRequest request) {
        if (!gateway.serving()) {
            throw ApiException.retrySafe("this server is not serving clients now (it is not in sync with a"
                    + " leader); try another server");
        }
        String seen = headerValue(request, ZXID_HEADER_LOWER);
        if (seen != null) {
            refuseIfBehind(HexIds.parse(seen, "the " + ZXID_HEADER + " header"));
        }
    }

    /**
     * A client sends the last zxid it has seen ({@value #ZXID_HEADER}, as answers carry it) when
     * it moves to another server of an ensemble; a server that has not applied that much yet would
     * show it the past, so it refuses (503, retry-safe), as ZooKeeper refuses such a reconnect.
     */
    void refuseIfBehind(long seenZxid) {
        long applied = gateway.appliedZxid();
        if (Long.compareUnsigned(seenZxid, applied) > 0) {
            throw ApiException.retrySafe("this server has applied transactions up to "
                    + HexIds.hex(applied) + " only, behind the " + HexIds.hex(seenZxid)
                    + " this client has seen; try another server or try again shortly");
        }
    }

    private static String address(RemoteAddress remote) {
        return remote.getAddress().map(InetAddress::getHostAddress).orElse("");
    }

    /**
     * The znode path that follows {@code prefix} (the URL path the enclosing directives matched,
     * e.g. "/v1/watches"). A prefix match that ends inside a segment ("/v1/watchesX") is not this
     * endpoint and is rejected. See {@link #znodePathOf}.
     */
    Route znodePath(String prefix, Function<String, Route> inner) {
        return extractUnmatchedPath(rest -> {
            if (!rest.isEmpty() && !rest.startsWith("/")) {
                return reject();
            }
            return extractRequest(request -> inner.apply(znodePathOf(request, prefix, rest)));
        });
    }

    /**
     * The znode path that follows {@code prefix} in a request's URL. akka-http removes "." and
     * ".." segments while parsing a URL, so the path is taken from the request as the client sent
     * it (the Raw-Request-URI header, which {@link HttpApi#bind} turns on) and the server judges
     * those segments as ZooKeeper does: {@code DELETE /v1/znodes/a/..?recursive=true} must never
     * mean the root. {@code parsedRest} is what follows the prefix in the parsed URL, for a
     * request without that header. The header's target is read as the field it is: its
     * {@code value()} renders it again, which cost more than the rest of the path's handling.
     */
    static String znodePathOf(HttpRequest request, String prefix, String parsedRest) {
        return znodePathOf(rawTargetOf(request), prefix, parsedRest);
    }

    /** As {@link #znodePathOf(HttpRequest, String, String)}, given the request's raw target (or null). */
    static String znodePathOf(String rawTarget, String prefix, String parsedRest) {
        return ZnodePaths.fromUrl(rawTarget != null ? ZnodePaths.rawRest(rawTarget, prefix) : parsedRest);
    }

    /** The request target as the client sent it (the Raw-Request-URI header), or null without it. */
    static String rawTargetOf(HttpRequest request) {
        Optional<RawRequestURI> raw = request.getHeader(RawRequestURI.class);
        return raw.isPresent() ? raw.get().uri() : null;
    }

    /** The body limit for requests that carry znode data: base64 of maxDataBytes plus JSON. */
    long dataBodyLimit() {
        return ((maxDataBytes + 2L) / 3) * 4 + JSON_SLACK_BYTES;
    }

    /**
     * Reads the body whole, at most {@code limitBytes} (413 beyond), then answers with the handler.
     * The route's own size limit replaces akka-http's global max-content-length.
     */
    Route body(long limitBytes, Function<Body, CompletionStage<HttpResponse>> handler) {
        return extractRequest(request -> extractMaterializer(mat ->
                respond(() -> readBody(request, limitBytes, mat).thenCompose(handler::apply))));
    }

    /** A request's body read whole, at most {@code limitBytes}: 413 beyond, 400 or 408 if it breaks off or lags. */
    static CompletionStage<Body> readBody(HttpRequest request, long limitBytes, Materializer mat) {
        HttpEntity entity = request.entity();
        // A declared length over the limit is refused before reading anything.
        if (entity.getContentLengthOption().orElse(0) > limitBytes) {
            throw tooLargeBody(limitBytes);
        }
        boolean octetStream = isOctetStream(entity);
        if (entity instanceof HttpEntity.Strict strict) {
            // The usual case, a body that came in whole with its head: no stage to wait on.
            return CompletableFuture.completedFuture(bodyOf(strict, octetStream, limitBytes));
        }
        CompletableFuture<Body> out = new CompletableFuture<>();
        whenDone(entity.withSizeLimit(limitBytes).toStrict(BODY_TIMEOUT_MS, mat), (strict, failure) -> {
            if (failure != null) {
                out.completeExceptionally(failure);
                return;
            }
            try {
                out.complete(bodyOf(strict, octetStream, limitBytes));
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    private static Body bodyOf(HttpEntity.Strict strict, boolean octetStream, long limitBytes) {
        byte[] bytes = strict.getData().toArray();
        if (bytes.length > limitBytes) {
            throw tooLargeBody(limitBytes);
        }
        return new Body(octetStream, bytes);
    }

    /**
     * Runs {@code action} when {@code stage} completes, on the thread that completes it. Akka's
     * Java API hands out stages (scala-java8-compat's CF) that turn every non-async continuation
     * into an async one on the common ForkJoinPool; with 2 CPUs that pool has parallelism 1, and
     * CompletableFuture then starts a new thread for every task: two threads per HTTP request,
     * the most of the server's CPU under load. Going through the Scala future underneath avoids
     * that; {@code action} must be short and never block, as it may run on an actor's thread.
     */
    static <T> void whenDone(CompletionStage<T> stage, BiConsumer<? super T, ? super Throwable> action) {
        FutureConverters.toScala(stage).onComplete(new OnComplete<T>() {
            @Override
            public void onComplete(Throwable failure, T value) {
                action.accept(value, failure);
            }
        }, SAME_THREAD);
    }

    static ApiException tooLargeBody(long limitBytes) {
        return ApiException.tooLarge(null, "the request body is over the limit of " + limitBytes + " bytes");
    }

    private static boolean isOctetStream(HttpEntity entity) {
        return entity.getContentType().mediaType().equals(MediaTypes.APPLICATION_OCTET_STREAM);
    }

    /**
     * Completes with the response the work produces; a refusal thrown while building it or a
     * failed stage becomes the JSON error response.
     */
    Route respond(Supplier<CompletionStage<HttpResponse>> work) {
        return completeWithFuture(answering(work));
    }

    /** The response the work produces, or the JSON error for a refusal it throws or a stage that fails. */
    static CompletionStage<HttpResponse> answering(Supplier<CompletionStage<HttpResponse>> work) {
        CompletionStage<HttpResponse> stage;
        try {
            stage = work.get();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ApiErrors.fromThrowable(e));
        }
        return stage.exceptionally(ApiErrors::fromThrowable);
    }

    /**
     * A call to the server whose failure (the stage failing, or the call throwing) means the
     * server cannot serve it now: 503, or the status of the TreeException it failed with.
     */
    static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> request) {
        CompletionStage<T> stage;
        try {
            stage = request.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(serverFailure(e));
        }
        // The gateway's stages are plain futures (see ServerGateway): this runs where they complete.
        return stage.handle((value, failure) -> {
            if (failure != null) {
                throw serverFailure(failure);
            }
            return value;
        });
    }

    static ApiException serverFailure(Throwable t) {
        Throwable c = ApiErrors.unwrap(t);
        if (c instanceof ApiException e) {
            return e;
        }
        if (c instanceof TreeException e) {
            return new ApiException(ApiErrors.statusFor(e.code()), e.code(), e.path(),
                    ApiErrors.messageOf(e.code(), e.path(), e.getMessage()));
        }
        if (c instanceof TimeoutException) {
            // An ask that timed out: the request may or may not have taken effect.
            return new ApiException(503, ErrorCode.OPERATION_TIMEOUT, null,
                    "the server did not answer in time; the request may or may not have taken effect");
        }
        return new ApiException(503, ErrorCode.CONNECTION_LOSS, null,
                "the server cannot serve this request now (" + c.getClass().getSimpleName() + ")");
    }

    /**
     * The response for a server's reply: the JSON error for a refusal, else {@code ok} of the
     * expected result. Any other result is a fault (500).
     */
    static <T extends OpResult> HttpResponse answer(Reply reply, Class<T> expected, String path,
                                                    Function<T, HttpResponse> ok) {
        OpResult result = reply.result();
        if (result instanceof OpResult.Error e) {
            return withZxid(ApiErrors.of(e, path), reply);
        }
        if (expected.isInstance(result)) {
            return withZxid(ok.apply(expected.cast(result)), reply);
        }
        throw new IllegalStateException("the server answered " + (result == null ? "null" : result.getClass().getSimpleName())
                + " where " + expected.getSimpleName() + " was expected");
    }

    /**
     * The {@value #ZXID_HEADER} header, ZooKeeper's reply-header zxid: the write's own zxid, or
     * for a read the last transaction the answering server had applied. A client that carries it
     * to another server can tell whether that server has caught up with what it has seen.
     */
    private static HttpResponse withZxid(HttpResponse response, Reply reply) {
        return response.addHeader(new PaddockHeader(ZXID_HEADER_NAME, HexIds.hex(reply.zxid())));
    }

    // ---- query parameters ----------------------------------------------------------------

    /** A boolean flag: absent is false; "?raw" alone or "=true" is true; "=false" is false. */
    static boolean flag(Map<String, String> query, String name) {
        String v = query.get(name);
        if (v == null) {
            return false;
        }
        return switch (v) {
            case "", "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badInput(null, "query parameter \"" + name + "\" must be true or false, not \""
                    + ApiException.clip(v) + "\"");
        };
    }

    static OptionalInt intParam(Map<String, String> query, String name) {
        String v = query.get(name);
        if (v == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(v));
        } catch (NumberFormatException e) {
            throw ApiException.badInput(null, "query parameter \"" + name + "\" must be an integer, not \""
                    + ApiException.clip(v) + "\"");
        }
    }

    static OptionalLong longParam(Map<String, String> query, String name) {
        String v = query.get(name);
        if (v == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw ApiException.badInput(null, "query parameter \"" + name + "\" must be an integer, not \""
                    + ApiException.clip(v) + "\"");
        }
    }

    static HttpResponse noContent() {
        return HttpResponse.create().withStatus(204);
    }
}
