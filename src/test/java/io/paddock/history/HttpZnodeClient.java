package io.paddock.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paddock.tree.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * One client of Paddock's HTTP API that records each call it makes in a {@link HistoryRecorder}:
 * create, unconditional setData, and local reads of one server. Anything but a clear answer (no
 * answer, a timeout, a 5xx) is recorded as an unknown outcome, as Jepsen records it.
 */
public final class HttpZnodeClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HistoryRecorder recorder;
    private final long session;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** @param session the process id in the history: one client, one sequence of calls */
    public HttpZnodeClient(HistoryRecorder recorder, long session, int httpPort) {
        this.recorder = recorder;
        this.session = session;
        this.base = "http://127.0.0.1:" + httpPort;
    }

    /** Each call returns whether a clear answer came (false: the outcome is unknown). */
    public boolean create(String path, String value) throws InterruptedException {
        HistoryRecorder.Pending p = recorder.invoke(session, Call.create(path, value));
        return answer(p, "POST", path, body(value), 201, n -> Result.created(zxid(n.path("stat").path("mzxid"))));
    }

    public boolean setData(String path, String value) throws InterruptedException {
        HistoryRecorder.Pending p = recorder.invoke(session, Call.setData(path, value, Call.ANY_VERSION));
        return answer(p, "PUT", path, body(value), 200,
                n -> Result.written(n.path("stat").path("version").asInt(), zxid(n.path("stat").path("mzxid"))));
    }

    public boolean read(String path) throws InterruptedException {
        HistoryRecorder.Pending p = recorder.invoke(session, Call.read(path));
        return answer(p, "GET", path, null, 200, n -> Result.read(
                new String(Base64.getDecoder().decode(n.path("data").asText()), StandardCharsets.UTF_8),
                n.path("stat").path("version").asInt(), zxid(n.path("stat").path("mzxid"))));
    }

    private interface Parse {
        Result result(JsonNode body);
    }

    private boolean answer(HistoryRecorder.Pending p, String method, String path, String body, int okStatus, Parse parse)
            throws InterruptedException {
        HttpResponse<String> r;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v1/znodes" + path))
                    .timeout(Duration.ofSeconds(10))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            p.unknown();
            return false;
        }
        long replyZxid = r.headers().firstValue("Paddock-Zxid").map(HttpZnodeClient::parseZxid).orElse(Result.NO_ZXID);
        JsonNode json;
        try {
            json = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            p.unknown();
            return false;
        }
        if (r.statusCode() == okStatus) {
            p.ok(parse.result(json), replyZxid);
            return true;
        }
        switch (json.path("error").asText("")) {
            case "NoNode" -> p.fail(ErrorCode.NO_NODE, replyZxid);
            case "NodeExists" -> p.fail(ErrorCode.NODE_EXISTS, replyZxid);
            case "BadVersion" -> p.fail(ErrorCode.BAD_VERSION, replyZxid);
            default -> {
                p.unknown();
                return false;
            }
        }
        return true;
    }

    private static String body(String value) {
        return "{\"data\":\"" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "\"}";
    }

    private static long zxid(JsonNode hex) {
        return parseZxid(hex.asText());
    }

    private static long parseZxid(String hex) {
        return Long.parseUnsignedLong(hex.startsWith("0x") ? hex.substring(2) : hex, 16);
    }
}
