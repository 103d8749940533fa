package io.paddock.api.http;

import io.paddock.tree.ErrorCode;

/**
 * A request the HTTP API refuses: the HTTP status, the ZooKeeper code the error body names, the
 * path it concerns (or null) and a message for the client. Thrown while reading a request, and
 * used for failures the server reports; {@link ApiErrors} turns it into the JSON error body.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How much of a client's bad value an error message repeats. */
    private static final int CLIP_CHARS = 80;

    private final int status;
    private final ErrorCode code;
    private final String path;

    ApiException(int status, ErrorCode code, String path, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.path = path;
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

    /** A client-supplied value shortened for an error message, so errors stay small. */
    static String clip(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= CLIP_CHARS ? value : value.substring(0, CLIP_CHARS) + "…";
    }
}
