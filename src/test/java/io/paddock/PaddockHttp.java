package io.paddock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A JSON client for one server process's HTTP API (docs/http-api.md), for tests that run the
 * real process. One per process: a restarted server gets a new client, so no request goes out
 * on a pooled connection to a server that is gone.
 */
final class PaddockHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    PaddockHttp(int port) {
        this.port = port;
    }

    int port() {
        return port;
    }

    /**
     * One request; a body is JSON; headers as name, value pairs. IOException means no answer
     * came: the outcome is unknown.
     */
    HttpResponse<String> send(String method, String path, String jsonBody, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body);
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** A request that must answer 2xx; its JSON body (null for 204). */
    JsonNode call(String method, String path, String jsonBody) throws IOException, InterruptedException {
        HttpResponse<String> r = send(method, path, jsonBody);
        if (r.statusCode() / 100 != 2) {
            fail(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? null : parse(r.body());
    }

    /** Polls /health until it answers 200 or the deadline passes; a server that exits fails at once. */
    void awaitHealthy(PaddockProcess server, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        String last = "no attempt";
        while (System.nanoTime() < end) {
            if (!server.process().isAlive()) {
                fail("the server exited (status " + server.process().exitValue() + ") before /health answered\n"
                        + server.transcript());
            }
            try {
                HttpResponse<String> r = send("GET", "/health", null);
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            // Polling: the listening line already says the API is bound, so this loop is short.
            server.process().waitFor(20, TimeUnit.MILLISECONDS);
        }
        fail("/health on port " + port + " did not answer 200 within " + deadline + " (last: " + last + ")\n"
                + server.transcript());
    }

    /**
     * Everything a client can see of the tree: the status line's zxid and counts, and every
     * znode's data, Stat and ACL by path (the root included). Read with no writes running;
     * the zxid read before and after must agree, or the image would mix two states.
     */
    TreeImage readTree() throws IOException, InterruptedException {
        JsonNode before = call("GET", "/v1/status", null);
        Map<String, JsonNode> nodes = new TreeMap<>();
        nodes.put("/", readNode("/"));
        for (JsonNode p : call("GET", "/v1/children/?recursive=true", null).path("children")) {
            nodes.put(p.asText(), readNode(p.asText()));
        }
        JsonNode after = call("GET", "/v1/status", null);
        assertEquals(before.path("zxid").asText(), after.path("zxid").asText(),
                "the zxid moved while the tree was read: something else is writing");
        return new TreeImage(after.path("zxid").asText(), after.path("nodeCount").asLong(),
                after.path("sessionCount").asLong(), nodes);
    }

    private JsonNode readNode(String path) throws IOException, InterruptedException {
        String suffix = path.equals("/") ? "/" : path;
        JsonNode node = call("GET", "/v1/znodes" + suffix, null);
        ObjectNode image = JSON.createObjectNode();
        image.set("data", node.path("data"));
        image.set("stat", node.path("stat"));
        image.set("acl", call("GET", "/v1/acl" + suffix, null).path("acl"));
        return image;
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    /** zxids travel as "0x…" strings. */
    static long zxid(JsonNode zxid) {
        String s = zxid.asText();
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    /** A whole tree as a client reads it; equal images mean equal trees. */
    record TreeImage(String zxid, long nodeCount, long sessionCount, Map<String, JsonNode> nodes) {
    }
}
