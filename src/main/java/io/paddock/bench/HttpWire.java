package io.paddock.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * HTTP/1.1 requests as the lean driver writes them ({@link HttpPipeClient}): the request line and
 * headers made once per key as bytes, the body (the same for every request) appended as it is,
 * into a buffer reused for every request. Only the headers the API needs are sent: Host (HTTP/1.1
 * requires it), Content-Type and Content-Length where there is a body.
 */
final class HttpWire {

    private HttpWire() {
    }

    /** Whether the lean client can speak to {@code server}: plain HTTP only; https stays with the JDK client. */
    static boolean plain(URI server) {
        return "http".equalsIgnoreCase(server.getScheme());
    }

    /** The request target of {@code uri}: its path and query as they are in the URL, without decoding. */
    static String target(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /**
     * The request line and headers of a request for {@code uri}, up to and including the blank
     * line; {@code contentType} null for a request without a body.
     */
    static byte[] head(String method, URI uri, String contentType, int contentLength) {
        return ascii(method + " " + target(uri) + headTail(uri, contentType, contentLength));
    }

    /** What follows the request target in the head of a request to {@code server}: " HTTP/1.1", the headers, the blank line. */
    static String headTail(URI server, String contentType, int contentLength) {
        StringBuilder sb = new StringBuilder(" HTTP/1.1\r\nHost: ").append(server.getRawAuthority()).append("\r\n");
        if (contentType != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\n")
                    .append("Content-Length: ").append(contentLength).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A growable byte buffer that requests are appended to and written from; used by one thread. */
    static final class Out {
        private byte[] bytes = new byte[4096];
        private int length;

        void clear() {
            length = 0;
        }

        int length() {
            return length;
        }

        Out append(byte[] b) {
            return append(b, 0, b.length);
        }

        Out append(byte[] b, int offset, int count) {
            ensure(count);
            System.arraycopy(b, offset, bytes, length, count);
            length += count;
            return this;
        }

        /** Appends a string of ASCII characters (names and numbers made by the driver). */
        Out appendAscii(CharSequence s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                bytes[length++] = (byte) s.charAt(i);
            }
            return this;
        }

        /** Everything appended since the last clear, as a copy (for tests and messages). */
        byte[] toByteArray() {
            return Arrays.copyOf(bytes, length);
        }

        /** Writes everything appended, whole: a blocking channel writes until done. */
        void writeTo(WritableByteChannel channel) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
