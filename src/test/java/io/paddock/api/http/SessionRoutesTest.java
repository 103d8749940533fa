package io.paddock.api.http;

import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;
import io.paddock.server.SessionEvent;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.EventType;
import io.paddock.tree.Id;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import io.paddock.tree.TreeException;
import io.paddock.tree.WatchedEvent;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.paddock.api.http.ApiClient.assertError;
import static io.paddock.api.http.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionRoutesTest extends ScriptedApiTest {

    @Test
    void createSessionAnswers201WithHexIdAndTheNegotiatedTimeout() {
        HttpResponse<String> r = api.send("POST", "/v1/sessions", "{\"timeoutMs\":5000}");
        assertEquals(201, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals("0xcafe00000001", body.get("sessionId").asText());
        assertEquals(12000, body.get("timeoutMs").asInt());
        assertEquals("/v1/sessions/0xcafe00000001", r.headers().firstValue("Location").orElse(""));
        assertEquals("5000", gw.lastCall().detail());
    }

    @Test
    void createSessionWithoutABodyAsksForTheDefaultTimeout() {
        assertEquals(201, api.send("POST", "/v1/sessions", null).statusCode());
        assertEquals(Integer.toString(SessionRoutes.DEFAULT_TIMEOUT_MS), gw.lastCall().detail());
    }

    @Test
    void createSessionRefusesATimeoutThatIsNotAPositiveInteger() {
        assertError(api.send("POST", "/v1/sessions", "{\"timeoutMs\":\"5s\"}"), 400, "BadArguments", "timeoutMs");
        assertError(api.send("POST", "/v1/sessions", "{\"timeoutMs\":0}"), 400, "BadArguments", "timeoutMs");
        assertError(api.send("POST", "/v1/sessions", "{\"timeoutMs\":1e20}"), 400, "BadArguments", "timeoutMs");
        assertTrue(gw.calls().isEmpty());
    }

    @Test
    void createSessionWhenTheServerCannotTakeWritesIs503() {
        gw.fail(new IllegalStateException("no quorum"), false);
        assertError(api.send("POST", "/v1/sessions", "{}"), 503, "ConnectionLoss", "cannot serve");
    }

    @Test
    void heartbeatAnswers200ForTheSessionInTheUrl() {
        HttpResponse<String> r = api.send("POST", "/v1/sessions/0xcafe00000001/heartbeat", null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("0xcafe00000001", json(r).get("sessionId").asText());
        assertEquals(new ScriptedGateway.Call("heartbeat", 0xcafe00000001L, null, null, null), gw.lastCall());
    }

    @Test
    void anUnknownSessionIs410() {
        gw.sessionAnswer(m -> new OpResult.Error(ErrorCode.SESSION_EXPIRED, null, "session 0x99 is unknown"));
        assertError(api.send("POST", "/v1/sessions/0x99/heartbeat", null), 410, "SessionExpired", "0x99");
        assertError(api.send("DELETE", "/v1/sessions/0x99", null), 410, "SessionExpired", "");
    }

    @Test
    void closeSessionAnswers204AndTakesADecimalIdToo() {
        HttpResponse<String> r = api.send("DELETE", "/v1/sessions/" + 0xcafe00000001L, null);
        assertEquals(204, r.statusCode());
        assertEquals(new ScriptedGateway.Call("closeSession", 0xcafe00000001L, null, null, null), gw.lastCall());
    }

    @Test
    void authAddsTheIdentityToTheSession() {
        HttpResponse<String> r = api.send("POST", "/v1/sessions/0x5/auth", "{\"scheme\":\"digest\",\"auth\":\"bob:pw\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(new ScriptedGateway.Call("addAuth", 5, null, null, "digest:bob:pw"), gw.lastCall());
    }

    @Test
    void authWithAnUnknownSchemeIs400AuthFailed() {
        gw.sessionAnswer(m -> new OpResult.Error(ErrorCode.AUTH_FAILED, null, "no scheme kerb"));
        assertError(api.send("POST", "/v1/sessions/0x5/auth", "{\"scheme\":\"kerb\",\"auth\":\"x\"}"), 400,
                "AuthFailed", "kerb");
    }

    @Test
    void authNeedsSchemeAndAuth() {
        assertError(api.send("POST", "/v1/sessions/0x5/auth", "{\"scheme\":\"digest\"}"), 400, "BadArguments",
                "\"auth\"");
        assertError(api.send("POST", "/v1/sessions/0x5/auth", "{\"auth\":\"a:b\"}"), 400, "BadArguments",
                "\"scheme\"");
        assertTrue(gw.calls().isEmpty());
    }

    @Test
    void aMalformedSessionIdInTheUrlIs400() {
        assertError(api.send("POST", "/v1/sessions/zzz/heartbeat", null), 400, "BadArguments", "session id");
        assertError(api.send("POST", "/v1/sessions/0x/heartbeat", null), 400, "BadArguments", "session id");
        assertError(api.send("POST", "/v1/sessions/0x0/heartbeat", null), 400, "BadArguments", "session id");
        assertError(api.send("GET", "/v1/sessions/0x12345678901234567/events", null), 400, "BadArguments",
                "session id");
        assertTrue(gw.calls().isEmpty());
    }

    // ---- setWatches and whoAmI ---------------------------------------------------------------

    @Test
    void setWatchesSubmitsEveryListForTheSessionInTheUrlAndAnswersItsId() {
        HttpResponse<String> r = api.send("POST", "/v1/sessions/0x5/watches", "{\"relativeZxid\":\"0x1a\","
                + "\"data\":[\"/d1\",\"/d2\"],\"exist\":[\"/e\"],\"child\":[\"/\"],\"persistent\":[\"/p\"],"
                + "\"persistentRecursive\":[\"/r\",\"/r/s\"]}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"sessionId\":\"0x5\"}\n", r.body());
        assertEquals("0x" + Long.toHexString(ScriptedGateway.ZXID), r.headers().firstValue("Paddock-Zxid").orElse(""));
        assertEquals(new Op.SetWatches(0x1a, List.of("/d1", "/d2"), List.of("/e"), List.of("/"), List.of("/p"),
                List.of("/r", "/r/s")), gw.onlyOp());
        assertEquals(5, gw.lastCall().sessionId());
        assertEquals("127.0.0.1", gw.lastCall().clientAddress());
    }

    @Test
    void setWatchesListsAreOptionalAndRelativeZxidMayBeDecimalOrANumber() {
        assertEquals(200, api.send("POST", "/v1/sessions/0x5/watches", "{\"relativeZxid\":\"26\"}").statusCode());
        assertEquals(new Op.SetWatches(26, List.of(), List.of(), List.of(), List.of(), List.of()), gw.lastCall().op());
        assertEquals(200, api.send("POST", "/v1/sessions/0x5/watches",
                "{\"relativeZxid\":0,\"data\":null,\"child\":[]}").statusCode());
        assertEquals(new Op.SetWatches(0, List.of(), List.of(), List.of(), List.of(), List.of()), gw.lastCall().op());
    }

    @Test
    void setWatchesRefusesAMalformedBodyNamingTheFieldBeforeAskingTheServer() {
        String url = "/v1/sessions/0x5/watches";
        assertError(api.send("POST", url, "{}"), 400, "BadArguments", "missing field \"relativeZxid\"");
        assertError(api.send("POST", url, null), 400, "BadArguments", "relativeZxid");
        assertError(api.send("POST", url, "{\"relativeZxid\":\"yesterday\"}"), 400, "BadArguments", "relativeZxid");
        assertError(api.send("POST", url, "{\"relativeZxid\":1.5}"), 400, "BadArguments", "relativeZxid");
        assertError(api.send("POST", url, "{\"relativeZxid\":\"-1\"}"), 400, "BadArguments", "negative");
        assertError(api.send("POST", url, "{\"relativeZxid\":\"0x1\",\"watches\":[]}"), 400, "BadArguments",
                "unknown field \"watches\"");
        assertError(api.send("POST", url, "{\"relativeZxid\":\"0x1\",\"data\":\"/a\"}"), 400, "BadArguments",
                "\"data\" must be an array");
        assertError(api.send("POST", url, "{\"relativeZxid\":\"0x1\",\"exist\":[\"/a\",7]}"), 400, "BadArguments",
                "\"exist[1]\" must be a znode path");
        JsonNode bad = assertError(api.send("POST", url, "{\"relativeZxid\":\"0x1\",\"child\":[\"/a//b\"]}"), 400,
                "BadArguments", "\"child[0]\"");
        assertEquals("/a//b", bad.get("path").asText());
        assertError(api.send("POST", url, "{\"relativeZxid\":\"0x1\",\"persistentRecursive\":[\"a\"]}"), 400,
                "BadArguments", "\"persistentRecursive[0]\"");
        assertError(api.send("POST", url, "{\"relativeZxid\":\"0x1\""), 400, "BadArguments", "not valid JSON");
        assertError(api.send("POST", "/v1/sessions/0x0/watches", "{\"relativeZxid\":\"0x1\"}"), 400,
                "BadArguments", "session id");
        assertTrue(gw.calls().isEmpty(), gw.calls().toString());
    }

    @Test
    void setWatchesOfAnUnknownSessionIs410() {
        gw.answer(op -> new OpResult.Error(ErrorCode.SESSION_EXPIRED, null, "session 0x5 is expired or closed"));
        assertError(api.send("POST", "/v1/sessions/0x5/watches", "{\"relativeZxid\":\"0x1\"}"), 410,
                "SessionExpired", "0x5");
    }

    @Test
    void setWatchesFromAClientThatHasSeenMoreThanThisServerAppliedIsRefusedRetrySafe() {
        String ahead = "0x" + Long.toHexString(ScriptedGateway.ZXID + 1);
        JsonNode body = assertError(api.send("POST", "/v1/sessions/0x5/watches", "{\"relativeZxid\":\"" + ahead + "\"}"),
                503, "ConnectionLoss", ahead);
        assertTrue(body.path("retrySafe").asBoolean(false), body.toString());
        assertTrue(gw.calls().isEmpty());
        String applied = "0x" + Long.toHexString(ScriptedGateway.ZXID);
        assertEquals(200, api.send("POST", "/v1/sessions/0x5/watches", "{\"relativeZxid\":\"" + applied + "\"}")
                .statusCode());
    }

    @Test
    void whoAmIListsTheSessionsIdentitiesInTheServersOrderWithDigestsByUserName() {
        gw.answer(op -> new OpResult.Identities(List.of(new Id("ip", "127.0.0.1"),
                new Id("digest", "alice:X/NSthzMyQVjC3SY5lZAT1fkFuY="), new Id("digest", "bob:abc="))));
        HttpResponse<String> r = api.send("GET", "/v1/sessions/0x5/whoami", null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"identities\":[{\"scheme\":\"ip\",\"id\":\"127.0.0.1\"},{\"scheme\":\"digest\",\"id\":\"alice\"},"
                + "{\"scheme\":\"digest\",\"id\":\"bob\"}]}\n", r.body());
        assertEquals(new ScriptedGateway.Call("submit", 5, new Op.WhoAmI(), "127.0.0.1", null), gw.lastCall());
        assertTrue(r.headers().firstValue("Paddock-Zxid").isPresent());
    }

    @Test
    void whoAmIOfAnUnknownSessionIs410() {
        gw.answer(op -> new OpResult.Error(ErrorCode.SESSION_EXPIRED, null, "session 0x5 is expired or closed"));
        assertError(api.send("GET", "/v1/sessions/0x5/whoami", null), 410, "SessionExpired", "0x5");
        assertError(api.send("POST", "/v1/sessions/0x5/whoami", null), 405, "BadArguments", "");
    }

    // ---- events ------------------------------------------------------------------------------

    /** One SSE event as parsed from the stream: its fields by name. */
    static List<Map<String, String>> parseSse(String text) {
        List<Map<String, String>> events = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                if (!current.isEmpty()) {
                    events.add(current);
                    current = new LinkedHashMap<>();
                }
            } else if (!line.startsWith(":")) {
                int colon = line.indexOf(':');
                String value = line.substring(colon + 1);
                current.put(line.substring(0, colon), value.startsWith(" ") ? value.substring(1) : value);
            }
        }
        return events;
    }

    private String readStream(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = api.http().sendAsync(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .get(20, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(""));
        return r.body();
    }

    @Test
    void eventsStreamWatchNotificationsNamedByTypeWithHexIdsAndEndAfterTheSessionEvent() throws Exception {
        gw.events((id, last) -> CompletableFuture.completedFuture(Source.from(List.<SessionEvent>of(
                        new SessionEvent.Watch(new WatchedEvent(EventType.NodeCreated, "/a", 0x105)),
                        new SessionEvent.Watch(new WatchedEvent(EventType.NodeDataChanged, "/a", 0x106)),
                        new SessionEvent.Resync(0x109),
                        new SessionEvent.State("Closed", 0x10a),
                        new SessionEvent.Watch(new WatchedEvent(EventType.NodeDeleted, "/late", 0x10b))))
                // Never completes by itself: only the Session event may end the stream.
                .concat(Source.maybe().mapMaterializedValue(m -> akka.NotUsed.getInstance()).map(x -> (SessionEvent) x))));
        List<Map<String, String>> events = parseSse(readStream("/v1/sessions/0x7/events"));
        assertEquals(4, events.size(), events.toString());
        assertEquals(Map.of("event", "NodeCreated", "id", "0x105",
                "data", "{\"type\":\"NodeCreated\",\"path\":\"/a\",\"zxid\":\"0x105\"}"), events.get(0));
        assertEquals("NodeDataChanged", events.get(1).get("event"));
        assertEquals(Map.of("event", "Resync", "id", "0x109", "data", "{\"type\":\"Resync\",\"zxid\":\"0x109\"}"),
                events.get(2));
        assertEquals(Map.of("event", "Session", "id", "0x10a",
                "data", "{\"type\":\"None\",\"state\":\"Closed\",\"zxid\":\"0x10a\"}"), events.get(3));
        assertEquals(new ScriptedGateway.Call("events", 7, null, null, "none"), gw.lastCall());
    }

    @Test
    void lastEventIdIsPassedOnAsTheZxidToResumeAfter() throws Exception {
        readStream("/v1/sessions/0x7/events", "Last-Event-ID", "0x105");
        assertEquals(Long.toString(0x105), gw.lastCall().detail());
        readStream("/v1/sessions/0x7/events", "Last-Event-ID", "262");
        assertEquals("262", gw.lastCall().detail());
        assertError(api.send("GET", "/v1/sessions/0x7/events", null, "Last-Event-ID", "yesterday"), 400,
                "BadArguments", "Last-Event-ID");
    }

    @Test
    void eventsOfAnUnknownSessionAre410JsonBeforeAnyStream() {
        gw.events((id, last) -> CompletableFuture.failedFuture(
                new TreeException(ErrorCode.SESSION_EXPIRED, null, "session 0x7 is unknown")));
        HttpResponse<String> r = api.send("GET", "/v1/sessions/0x7/events", null);
        assertError(r, 410, "SessionExpired", "0x7");
    }

    @Test
    void eventsWhenTheServerFailsAre503() {
        gw.events((id, last) -> CompletableFuture.failedFuture(new RuntimeException("ask timeout")));
        assertError(api.send("GET", "/v1/sessions/0x7/events", null), 503, "ConnectionLoss", "");
    }
}
