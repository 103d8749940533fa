package io.paddock.api.http;

import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.Allow;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.scaladsl.model.EntityStreamException;
import akka.http.scaladsl.model.EntityStreamSizeException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.OpResult;
import io.paddock.tree.TreeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * How every refusal becomes a response: the HTTP status for each ZooKeeper code, the JSON error
 * body {"error","code","path","message"} (plus {"retrySafe":true} when the request never reached
 * the server), and the rejection and exception handlers that keep akka-http's plain-text errors
 * and stack traces away from clients.
 */
final class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    /** The HTTP status for a ZooKeeper error code. */
    static int statusFor(ErrorCode code) {
        return switch (code) {
            case NO_NODE, NO_WATCHER -> 404;
            case NODE_EXISTS, BAD_VERSION, NOT_EMPTY, NO_CHILDREN_FOR_EPHEMERALS -> 409;
            case BAD_ARGUMENTS, INVALID_ACL, AUTH_FAILED -> 400;
            case NO_AUTH -> 403;
            // UnknownSession is the same situation as SessionExpired for an HTTP client.
            case SESSION_EXPIRED, UNKNOWN_SESSION -> 410;
            // The server is there but cannot serve this now: the client may retry.
            case CONNECTION_LOSS, OPERATION_TIMEOUT, REQUEST_TIMEOUT, NOT_READONLY, THROTTLED_OP -> 503;
            case UNIMPLEMENTED -> 501;
            default -> 500;
        };
    }

    static ObjectNode body(ErrorCode code, String path, String message) {
        ObjectNode n = JsonModel.object();
        n.put("error", code.codeName());
        n.put("code", code.intValue());
        if (path == null) {
            n.putNull("path");
        } else {
            n.put("path", path);
        }
        n.put("message", message == null ? code.codeName() : message);
        return n;
    }

    /**
     * The error body, marked {@code "retrySafe":true} when the request was refused before it reached
     * the server; the field is absent otherwise, since most refusals cannot promise that.
     */
    static ObjectNode body(ErrorCode code, String path, String message, boolean retrySafe) {
        ObjectNode n = body(code, path, message);
        if (retrySafe) {
            n.put("retrySafe", true);
        }
        return n;
    }

    static HttpResponse response(int status, ErrorCode code, String path, String message) {
        return JsonModel.response(status, body(code, path, message));
    }

    /** The response for a refusal the server answered with. */
    static HttpResponse of(OpResult.Error e, String requestPath) {
        String path = e.path() != null ? e.path() : requestPath;
        return response(statusFor(e.code()), e.code(), path, messageOf(e.code(), path, e.message()));
    }

    static HttpResponse of(ApiException e) {
        return JsonModel.response(e.status(), body(e.code(), e.path(), e.getMessage(), e.retrySafe()));
    }

    /** A message for a code when the server gave none. */
    static String messageOf(ErrorCode code, String path, String message) {
        if (message != null && !message.isEmpty()) {
            return message;
        }
        return path == null ? code.codeName() : code.codeName() + " for " + path;
    }

    /** The exception a stage failed with, without the wrappers CompletableFuture adds. */
    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * The response for a failure while serving a request. Failures of the server's own stages
     * arrive here already as {@link ApiException}s (see {@link ApiDirectives#call}); anything else
     * is a fault of this front end and answers 500 without details.
     */
    static HttpResponse fromThrowable(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof ApiException e) {
            return of(e);
        }
        if (c instanceof TreeException e) {
            return response(statusFor(e.code()), e.code(), e.path(), messageOf(e.code(), e.path(), e.getMessage()));
        }
        if (c instanceof EntityStreamSizeException e) {
            return of(ApiDirectives.tooLargeBody(e.limit()));
        }
        if (c instanceof EntityStreamException) {
            // The body broke off or could not be read; a slow body ends in a timeout here too.
            return response(400, ErrorCode.BAD_ARGUMENTS, null, "the request body could not be read whole");
        }
        if (c instanceof TimeoutException) {
            return response(408, ErrorCode.BAD_ARGUMENTS, null, "the request body did not arrive in time");
        }
        log.error("request failed in the HTTP API", c);
        return response(500, ErrorCode.SYSTEM_ERROR, null, "internal error in the HTTP API");
    }

    /** 405 for a method the endpoint does not take, with the Allow header, as the routes' rejection gives it. */
    static HttpResponse methodNotAllowed(List<HttpMethod> allowed) {
        String names = allowed.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
        return response(405, ErrorCode.BAD_ARGUMENTS, null, "HTTP method not allowed, supported methods: " + names)
                .addHeader(Allow.create(allowed.toArray(HttpMethod[]::new)));
    }

    static ExceptionHandler exceptionHandler() {
        return ExceptionHandler.newBuilder()
                .match(Throwable.class, t -> Directives.complete(fromThrowable(t)))
                .build();
    }

    /**
     * akka-http's own rejections (unknown endpoint, wrong method, …) keep their status, with the
     * JSON error body around akka-http's text, which names the problem without echoing internals.
     */
    static RejectionHandler rejectionHandler() {
        return RejectionHandler.defaultHandler().mapRejectionResponse(ApiErrors::asJson);
    }

    private static HttpResponse asJson(HttpResponse plain) {
        String text = plain.entity().isStrict()
                ? ((HttpEntity.Strict) plain.entity()).getData().decodeString(StandardCharsets.UTF_8)
                : plain.status().reason();
        int status = plain.status().intValue();
        return response(status, ErrorCode.BAD_ARGUMENTS, null, text.isBlank() ? plain.status().reason() : text)
                .withHeaders(plain.getHeaders());
    }
}
