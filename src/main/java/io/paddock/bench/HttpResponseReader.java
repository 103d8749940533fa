package io.paddock.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads HTTP/1.1 responses off one connection, one after another, just enough to count them as
 * wrk does: the status line, the headers that frame the body (Content-Length, Transfer-Encoding:
 * chunked) or end the connection (Connection: close), and the body skipped, through one buffer
 * reused for every response. The body of an error (a status other than 2xx) is kept, clipped, as
 * it says what went wrong. Used by one thread.
 *
 * <p>Anything that is not HTTP/1.x fails the read with {@link MalformedResponse}, and a
 * connection that ends before a response is whole with an EOFException, so that neither is
 * mistaken for a slow answer and waited on.
 */
final class HttpResponseReader {

    /** The stream did not hold an HTTP response where one was due: the connection can carry no more. */
    static final class MalformedResponse extends IOException {
        MalformedResponse(String message) {
            super(message);
        }
    }

    /** The longest status or header line accepted, so that garbage without line ends fails instead of filling memory. */
    static final int MAX_LINE = 16 << 10;
    /** The most of an error's body kept for its message. */
    static final int KEPT_BODY = 4 << 10;
    private static final int BUFFER = 64 << 10;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER];
    private int pos;
    private int limit;

    private int status;
    private boolean closes;
    private final StringBuilder kept = new StringBuilder();
    private boolean keepBody;

    HttpResponseReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the next whole response (skipping interim 1xx ones) and returns its status.
     *
     * @throws MalformedResponse the bytes are not an HTTP/1.x response
     * @throws EOFException      the connection closed before the response was whole
     */
    int next() throws IOException {
        do {
            readHead();
        } while (status / 100 == 1 && status != 101);
        return status;
    }

    /** The status of the last response read. */
    int status() {
        return status;
    }

    /** Whether the connection ends after the last response (Connection: close, or a body that runs to the end). */
    boolean closes() {
        return closes;
    }

    /** The start of the last response's body if its status was not 2xx, else "". */
    String errorBody() {
        return keepBody ? kept.toString() : "";
    }

    private void readHead() throws IOException {
        int end = lineEnd("a status line");
        int stop = end > pos && buffer[end - 1] == '\r' ? end - 1 : end;
        status = parseStatus(buffer, pos, stop);
        closes = buffer[pos + 7] == '0'; // HTTP/1.0 closes unless it says keep-alive
        pos = end + 1;
        keepBody = status / 100 != 2;
        kept.setLength(0);
        long contentLength = -1;
        boolean chunked = false;
        while (true) {
            end = lineEnd("a header line");
            stop = end > pos && buffer[end - 1] == '\r' ? end - 1 : end;
            if (stop == pos) {
                pos = end + 1;
                break;
            }
            int colon = pos;
            while (colon < stop && buffer[colon] != ':') {
                colon++;
            }
            if (colon == pos || colon == stop) {
                throw new MalformedResponse("a header line without a name: " + text(pos, stop));
            }
            // Only the headers that frame the body are looked at; the rest are skipped unread.
            if (nameIs("content-length", pos, colon)) {
                contentLength = parseLength(value(colon + 1, stop));
            } else if (nameIs("transfer-encoding", pos, colon)) {
                chunked = value(colon + 1, stop).toLowerCase(Locale.ROOT).contains("chunked");
            } else if (nameIs("connection", pos, colon)) {
                String v = value(colon + 1, stop).toLowerCase(Locale.ROOT);
                if (v.contains("close")) {
                    closes = true;
                } else if (v.contains("keep-alive")) {
                    closes = false;
                }
            }
            pos = end + 1;
        }
        if (status / 100 == 1 || status == 204 || status == 304) {
            return; // no body, whatever the headers say
        }
        if (chunked) {
            readChunks();
        } else if (contentLength >= 0) {
            body(contentLength);
        } else {
            // Neither framing: the body is what comes until the server closes (RFC 9112 6.3).
            closes = true;
            consume(limit - pos);
            while (fill(false)) {
                consume(limit - pos);
            }
        }
    }

    private void readChunks() throws IOException {
        while (true) {
            String sizeLine = line();
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new MalformedResponse("a chunk size that is not hex: " + clip(sizeLine));
            }
            if (size < 0) {
                throw new MalformedResponse("a negative chunk size: " + clip(sizeLine));
            }
            if (size == 0) {
                while (!line().isEmpty()) {
                    // trailers, skipped
                }
                return;
            }
            body(size);
            if (!line().isEmpty()) {
                throw new MalformedResponse("a chunk not followed by CRLF");
            }
        }
    }

    /** Skips {@code n} bytes of body, keeping the start of an error's. */
    private void body(long n) throws IOException {
        while (n > 0) {
            if (pos == limit) {
                fill(true);
            }
            int take = (int) Math.min(n, limit - pos);
            consume(take);
            n -= take;
        }
    }

    private void consume(int n) {
        if (keepBody && kept.length() < KEPT_BODY) {
            int k = Math.min(n, KEPT_BODY - kept.length());
            kept.append(new String(buffer, pos, k, StandardCharsets.UTF_8));
        }
        pos += n;
    }

    /**
     * Makes sure a whole line starting at {@code pos} is in the buffer and returns the index of
     * its LF (a CR before it is the caller's to drop). A line longer than {@link #MAX_LINE} fails.
     */
    private int lineEnd(String what) throws IOException {
        int scannedFromPos = 0;
        while (true) {
            for (int i = pos + scannedFromPos; i < limit; i++) {
                if (buffer[i] == '\n') {
                    return i;
                }
            }
            scannedFromPos = limit - pos;
            if (scannedFromPos > MAX_LINE) {
                throw new MalformedResponse(what + " over " + MAX_LINE + " bytes: " + text(pos, limit));
            }
            fill(true);
        }
    }

    /** The next line without its line end, as text (chunk sizes and trailers). */
    private String line() throws IOException {
        int end = lineEnd("a chunk line");
        int stop = end > pos && buffer[end - 1] == '\r' ? end - 1 : end;
        String s = new String(buffer, pos, stop - pos, StandardCharsets.ISO_8859_1);
        pos = end + 1;
        return s;
    }

    /** Whether buffer[from, to) is {@code lower} in any case. */
    private boolean nameIs(String lower, int from, int to) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            int c = buffer[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String value(int from, int to) {
        return new String(buffer, from, to - from, StandardCharsets.ISO_8859_1).trim();
    }

    private String text(int from, int to) {
        return clip(new String(buffer, from, to - from, StandardCharsets.ISO_8859_1));
    }

    /** Reads more into the buffer (emptied first when all of it was used); false at the end of the stream when allowed. */
    private boolean fill(boolean required) throws IOException {
        if (pos == limit) {
            pos = 0;
            limit = 0;
        }
        if (limit == buffer.length) {
            // Unread bytes at the end (a line being gathered): move them to the front.
            System.arraycopy(buffer, pos, buffer, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            if (required) {
                throw new EOFException("the server closed the connection"
                        + (pos == limit ? "" : " in the middle of a response"));
            }
            return false;
        }
        limit += n;
        return true;
    }

    /** The status of a status line, buffer[from, to) without its line end. */
    static int parseStatus(byte[] b, int from, int to) throws MalformedResponse {
        // "HTTP/1.1 200 OK": the version, a space, three digits, then a space or the end.
        int n = to - from;
        boolean ok = n >= 12 && b[from + 8] == ' ' && (n == 12 || b[from + 12] == ' ');
        for (int i = 0; ok && i < 7; i++) {
            ok = b[from + i] == "HTTP/1.".charAt(i);
        }
        int code = 0;
        for (int i = 9; ok && i < 12; i++) {
            byte c = b[from + i];
            ok = c >= '0' && c <= '9';
            code = code * 10 + (c - '0');
        }
        if (!ok || code < 100) {
            throw new MalformedResponse("not an HTTP/1.x status line: "
                    + clip(new String(b, from, n, StandardCharsets.ISO_8859_1)));
        }
        return code;
    }

    private static long parseLength(String value) throws MalformedResponse {
        if (value.isEmpty() || value.length() > 18) {
            throw new MalformedResponse("a Content-Length that is not a number: " + clip(value));
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new MalformedResponse("a Content-Length that is not a number: " + clip(value));
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
