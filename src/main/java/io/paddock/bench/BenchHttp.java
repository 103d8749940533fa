package io.paddock.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The HTTP API calls (docs/http-api.md) the driver makes around the measured requests: set-up,
 * clean-up and a look at the server. Also builds the requests clients send, so every URL the
 * driver uses is made in one place.
 */
final class BenchHttp {

    /** Long enough for a slow fsync under load, short enough that a hung server ends the run. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Creates per multi: the ops of one multi share one request body, which the server bounds at
     * the base64 of maxDataBytes plus 64 KiB, so a batch also stops at {@link #MULTI_BATCH_BYTES}.
     */
    static final int MULTI_BATCH_OPS = 500;
    static final int MULTI_BATCH_BYTES = 256 << 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OCTET_STREAM = "application/octet-stream";
    static final String SESSION_HEADER = "Paddock-Session";

    private final URI base;
    private final HttpClient client;

    BenchHttp(URI base) {
        this.base = base;
        this.client = newClient();
    }

    /**
     * One HTTP/1.1 client: the driver gives each benchmark client its own, so each keeps its own
     * connection. Answers are completed on the client's selector thread instead of being handed to
     * a pool (every callback here only queues or records): one thread wake-up less per request
     * halved the client's latency on a 2-CPU machine and leaves more CPU to the server measured.
     */
    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .executor(Runnable::run)
                .build();
    }

    URI base() {
        return base;
    }

    /** The URL of a znode, {@code path} absolute; bench paths are plain ASCII names, so nothing needs escaping. */
    URI znodeUri(String path) {
        return URI.create(base + "/v1/znodes" + path);
    }

    /** setData with any version, the data as bare bytes (as ZooKeeper clients send it, no base64 on either side). */
    static HttpRequest setData(URI znode, byte[] data) {
        return HttpRequest.newBuilder(znode)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", OCTET_STREAM)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data))
                .build();
    }

    /** getData as bare bytes ({@code ?raw}): the data is the body, the Stat a header. */
    static HttpRequest getData(URI znode) {
        return HttpRequest.newBuilder(URI.create(znode + "?raw"))
                .timeout(REQUEST_TIMEOUT)
                .GET()
                .build();
    }

    /** create of a persistent znode with the data as bare bytes (no base64 on either side). */
    static HttpRequest create(URI znode, byte[] data) {
        return HttpRequest.newBuilder(znode)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", OCTET_STREAM)
                .POST(HttpRequest.BodyPublishers.ofByteArray(data))
                .build();
    }

    /** The head of {@link #setData} as {@link HttpPipeClient} writes it, the data to follow. */
    static byte[] setDataHead(URI znode, int dataLength) {
        return HttpWire.head("PUT", znode, OCTET_STREAM, dataLength);
    }

    /** {@link #getData} as {@link HttpPipeClient} writes it. */
    static byte[] getDataHead(URI znode) {
        return HttpWire.head("GET", URI.create(znode + "?raw"), null, 0);
    }

    /**
     * {@link #create} of {@code parent/name} as {@link HttpPipeClient} writes it, in two parts
     * around the name: this one ends with the parent's URL path and a slash.
     */
    byte[] createHeadBefore(String parent) {
        return HttpWire.ascii("POST " + HttpWire.target(znodeUri(parent + "/")));
    }

    /** The part of the head of a create after the znode's name, the data of {@code dataLength} bytes to follow. */
    byte[] createHeadAfter(int dataLength) {
        return HttpWire.ascii(HttpWire.headTail(base, OCTET_STREAM, dataLength));
    }

    /** create of an ephemeral znode of {@code session}, the data as bare bytes. */
    static HttpRequest createEphemeral(URI znode, byte[] data, String session) {
        return HttpRequest.newBuilder(URI.create(znode + "?mode=EPHEMERAL"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", OCTET_STREAM)
                .header(SESSION_HEADER, session)
                .POST(HttpRequest.BodyPublishers.ofByteArray(data))
                .build();
    }

    /** POST /v1/sessions with the timeout ZooKeeper clients of the driver ask for. */
    HttpRequest openSession() {
        return HttpRequest.newBuilder(URI.create(base + "/v1/sessions"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"timeoutMs\":" + ZkWire.SESSION_TIMEOUT_MS + "}"))
                .build();
    }

    /** DELETE /v1/sessions/{id}: the session ends, its ephemerals go. */
    HttpRequest closeSession(String session) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/sessions/" + session))
                .timeout(REQUEST_TIMEOUT)
                .DELETE()
                .build();
    }

    /** GET /v1/sessions/{id}/events: the session's Server-Sent Events; no timeout, as the stream stays open. */
    HttpRequest events(String session) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/sessions/" + session + "/events"))
                .header("Accept", "text/event-stream")
                .GET()
                .build();
    }

    /** getData as bare bytes leaving a one-shot data watch for {@code session}. */
    static HttpRequest watchData(URI znode, String session) {
        return HttpRequest.newBuilder(URI.create(znode + "?raw&watch=true"))
                .timeout(REQUEST_TIMEOUT)
                .header(SESSION_HEADER, session)
                .GET()
                .build();
    }

    /** The session id in the answer to {@link #openSession()}, as the API writes it ("0x..."). */
    static String sessionIdOf(String body) throws IOException {
        JsonNode id = JSON.readTree(body).path("sessionId");
        if (!id.isTextual()) {
            throw new IOException("no sessionId in the answer to POST /v1/sessions: " + body);
        }
        return id.asText();
    }

    /**
     * Waits until this server has the znode: polls {@code GET /v1/stat} (200 or 404) until it
     * answers 200 or the deadline passes.
     */
    void awaitExists(String path, Duration deadline) throws BenchException, InterruptedException {
        URI stat = URI.create(base + "/v1/stat" + path);
        long end = System.nanoTime() + deadline.toNanos();
        int lastStatus = 0;
        while (System.nanoTime() < end) {
            try {
                lastStatus = client.send(HttpRequest.newBuilder(stat).timeout(REQUEST_TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                throw new BenchException("GET " + stat + " failed: " + e, e);
            }
            if (lastStatus == 200) {
                return;
            }
            if (lastStatus != 404) {
                throw new BenchException("GET " + stat + " answered HTTP " + lastStatus);
            }
            Thread.sleep(20); // polling a condition with a deadline
        }
        throw new BenchException(base + " does not show " + path + " within " + deadline.toSeconds()
                + " s of its creation (last answer HTTP " + lastStatus + ")");
    }

    /** GET /v1/status: what the server says it is, for the header of the output. */
    JsonNode status() throws BenchException {
        return call("GET", base + "/v1/status", null, 200);
    }

    /** Creates one persistent znode with {@code data}. */
    void create(String path, byte[] data) throws BenchException {
        ObjectNode body = JSON.createObjectNode();
        body.put("data", Base64.getEncoder().encodeToString(data));
        call("POST", znodeUri(path).toString(), body.toString(), 201);
    }

    /** Creates persistent znodes, each with {@code data}, in as few multis as the body limit allows. */
    void createAll(List<String> paths, byte[] data) throws BenchException {
        String encoded = Base64.getEncoder().encodeToString(data);
        int perBatch = Math.max(1, Math.min(MULTI_BATCH_OPS, MULTI_BATCH_BYTES / Math.max(1, data.length)));
        for (int from = 0; from < paths.size(); from += perBatch) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode ops = body.putArray("ops");
            for (String path : paths.subList(from, Math.min(paths.size(), from + perBatch))) {
                ops.addObject().put("op", "create").put("path", path).put("data", encoded);
            }
            call("POST", base + "/v1/multi", body.toString(), 200);
        }
    }

    /** Deletes a znode and everything under it, in one transaction. */
    void deleteRecursive(String path) throws BenchException {
        call("DELETE", znodeUri(path) + "?recursive=true", null, 204);
    }

    private JsonNode call(String method, String url, String jsonBody, int expectedStatus) throws BenchException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT);
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new BenchException("nothing answers at " + base + ". Is the server running?", e);
        } catch (HttpTimeoutException e) {
            throw new BenchException(method + " " + url + ": no answer within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new BenchException(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException(method + " " + url + " was interrupted", e);
        }
        if (response.statusCode() != expectedStatus) {
            throw new BenchException(method + " " + url + " answered HTTP " + response.statusCode() + ": "
                    + response.body());
        }
        if (response.body().isEmpty()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new BenchException(method + " " + url + " answered something that is not JSON: " + response.body(), e);
        }
    }
}
