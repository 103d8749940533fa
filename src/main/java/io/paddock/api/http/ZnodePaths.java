package io.paddock.api.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * From the URL to the znode path: {@code /v1/znodes/a/b} is {@code /a/b}, {@code /v1/znodes} and
 * {@code /v1/znodes/} are {@code /}. Each segment is percent-decoded on its own and nothing else is
 * changed: a trailing slash or an empty segment reaches the server, which judges validity as
 * ZooKeeper's PathUtils does (a sequential create of "/a/" is legal).
 */
final class ZnodePaths {

    private ZnodePaths() {
    }

    /**
     * The znode path for what follows the endpoint's prefix in the URL path (as akka-http renders
     * it, percent-encoded): "" or "/…".
     *
     * @throws ApiException 400 for bad percent-encoding, or a segment that decodes to contain "/"
     */
    static String fromUrl(String rest) {
        if (rest.isEmpty() || rest.equals("/")) {
            return "/";
        }
        if (rest.indexOf('%') < 0) {
            return rest; // nothing to decode: each segment is itself, and none can hold a "/"
        }
        // rest starts with "/": split keeps empty segments (and a trailing one) so nothing is lost.
        String[] segments = rest.substring(1).split("/", -1);
        StringBuilder path = new StringBuilder(rest.length());
        for (String segment : segments) {
            String name = decodeSegment(segment);
            if (name.indexOf('/') >= 0) {
                throw ApiException.badInput(null, "a path segment may not contain an encoded '/': \""
                        + ApiException.clip(segment) + "\"");
            }
            path.append('/').append(name);
        }
        return path.toString();
    }

    /**
     * What follows {@code prefix} in a raw request target ("/v1/znodes/a/./b?x" or the absolute
     * form "http://host/v1/znodes/a"), still percent-encoded: "" or "/…".
     *
     * @throws ApiException 400 when the target's path does not begin with the prefix as sent
     *                      (dot segments or encoded characters before the znode path)
     */
    static String rawRest(String target, String prefix) {
        String path = target;
        int scheme = path.indexOf("://");
        if (scheme >= 0 && !path.startsWith("/")) {
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        int end = path.length();
        int query = path.indexOf('?');
        int fragment = path.indexOf('#');
        if (query >= 0) {
            end = query;
        }
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        path = path.substring(0, end);
        if (!path.startsWith(prefix) || (path.length() > prefix.length() && path.charAt(prefix.length()) != '/')) {
            throw ApiException.badInput(null, "the URL path must begin with " + prefix + " as written, not \""
                    + ApiException.clip(path) + "\"");
        }
        return path.substring(prefix.length());
    }

    /** Percent-decodes one URL path segment as UTF-8 ('+' stays '+', as in paths it should). */
    static String decodeSegment(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                int hi = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
                int lo = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw ApiException.badInput(null, "bad percent-encoding in path segment \""
                            + ApiException.clip(segment) + "\"");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                // Copy the run up to the next '%' whole, so surrogate pairs stay together.
                int end = segment.indexOf('%', i);
                end = end < 0 ? segment.length() : end;
                byte[] b = segment.substring(i, end).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                i = end - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badInput(null, "path segment \"" + ApiException.clip(segment)
                    + "\" is not percent-encoded UTF-8");
        }
    }

    /** The parent of a path ("/" for a child of the root); null for "/" itself. */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        if (path.equals("/") || slash < 0) {
            return null;
        }
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /** The proper ancestors of a path below the root, outermost first: /a/b/c → [/a, /a/b]. */
    static List<String> ancestors(String path) {
        List<String> out = new ArrayList<>();
        for (String p = parent(path); p != null && !p.equals("/"); p = parent(p)) {
            out.add(0, p);
        }
        return out;
    }
}
