package io.paddock.api.http;

import io.paddock.tree.ErrorCode;

/**
 * A request the HTTP API refuses: the HTTP status, the ZooKeeper code the error body names, the
 * path it concerns (or null) and a message for the client. Thrown while reading a request, and
 * used for failures the server reports; {@link ApiErrors} turns it into the JSON error body.
 * A retry-safe refusal is one made before the request reached the server, so it cannot have
 * taken effect: a client may send even a non-idempotent write again, to another server.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How much of a client's bad value an error message repeats. */
    private static final int CLIP_CHARS = 80;

    private final int status;
    private final ErrorCode code;
    private final String path;
    private final boolean retrySafe;

    ApiException(int status, ErrorCode code, String path, String message) {
        this(status, code, path, message, false);
    }

    private ApiException(int status, ErrorCode code, String path, String message, boolean retrySafe) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.path = path;
        this.retrySafe = retrySafe;
    }

    /**
     * 503 ConnectionLoss for a request this front end refuses without handing it to the server
     * (this server does not serve clients now, or is behind what the client has seen): the client
     * should try another server, and may, since the request did nothing.
     */
    static ApiException retrySafe(String message) {
        return new ApiException(503, ErrorCode.CONNECTION_LOSS, null, message, true);
    }

    /** 400 BadArguments: the request itself is wrong. */
    static ApiException badInput(String path, String message) {
        return new ApiException(400, ErrorCode.BAD_ARGUMENTS, path, message);
    }

    /** 413: a body or znode data over the limit. */
    static ApiException tooLarge(String path, String message) {
        return new ApiException(413, ErrorCode.BAD_ARGUMENTS, path, message);
    }

    int status() {
        return status;
    }

    ErrorCode code() {
        return code;
    }

    String path() {
        return path;
    }

    /** Whether the request never reached the server (see {@link #retrySafe(String)}). */
    boolean retrySafe() {
        return retrySafe;
    }

    /** A client-supplied value shortened for an error message, so errors stay small. */
    static String clip(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= CLIP_CHARS ? value : value.substring(0, CLIP_CHARS) + "…";
    }
}
