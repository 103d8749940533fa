package io.paddock.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.OpResult;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static io.paddock.api.http.ApiClient.assertError;
import static io.paddock.api.http.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Refusals made before a request reaches the server say so ("retrySafe":true), so that a client may
 * send even a write again to another server; every other refusal leaves the field out.
 */
class RetrySafeRefusalsTest extends ScriptedApiTest {

    /** One request of every endpoint that serves a client's session or znodes: method, URL, body. */
    static final List<String[]> CLIENT_REQUESTS = List.of(
            new String[]{"POST", "/v1/sessions", "{\"timeoutMs\":5000}"},
            new String[]{"POST", "/v1/sessions/0x5/heartbeat", null},
            new String[]{"DELETE", "/v1/sessions/0x5", null},
            new String[]{"POST", "/v1/sessions/0x5/auth", "{\"scheme\":\"digest\",\"auth\":\"a:b\"}"},
            new String[]{"GET", "/v1/sessions/0x5/whoami", null},
            new String[]{"POST", "/v1/sessions/0x5/watches", "{\"relativeZxid\":\"0x1\",\"data\":[\"/a\"]}"},
            new String[]{"GET", "/v1/sessions/0x5/events", null},
            new String[]{"POST", "/v1/znodes/a", "{}"},
            new String[]{"GET", "/v1/znodes/a", null},
            new String[]{"PUT", "/v1/znodes/a", "{\"data\":\"\"}"},
            new String[]{"DELETE", "/v1/znodes/a", null},
            new String[]{"GET", "/v1/stat/a", null},
            new String[]{"GET", "/v1/children/a", null},
            new String[]{"GET", "/v1/acl/a", null},
            new String[]{"PUT", "/v1/acl/a", "{\"acl\":[]}"},
            new String[]{"POST", "/v1/sync/a", null},
            new String[]{"POST", "/v1/multi", "{\"ops\":[{\"op\":\"delete\",\"path\":\"/a\"}]}"},
            new String[]{"POST", "/v1/watches/a", "{\"mode\":\"PERSISTENT\"}"},
            new String[]{"DELETE", "/v1/watches/a", null},
            new String[]{"GET", "/v1/ephemerals", null});

    private static HttpResponse<String> send(String[] request, String... headers) {
        String[] withSession = java.util.Arrays.copyOf(headers, headers.length + 2);
        withSession[headers.length] = "Paddock-Session";
        withSession[headers.length + 1] = "0x5";
        return api.send(request[0], request[1], request[2], withSession);
    }

    @Test
    void whileNotServingEveryClientRequestIsRefusedRetrySafeWithoutReachingTheServer() {
        gw.serving(false);
        for (String[] request : CLIENT_REQUESTS) {
            HttpResponse<String> r = send(request);
            JsonNode body = assertError(r, 503, "ConnectionLoss", "not serving clients now");
            assertTrue(body.path("message").asText().contains("try another server"), r.body());
            assertEquals(true, body.path("retrySafe").asBoolean(false), request[0] + " " + request[1] + ": " + r.body());
        }
        assertTrue(gw.calls().isEmpty(), gw.calls().toString());
    }

    @Test
    void theSameRequestsReachTheServerWhenItServesAgain() {
        gw.serving(false);
        assertEquals(503, api.send("GET", "/v1/znodes/a", null).statusCode());
        gw.serving(true);
        gw.answer(op -> new OpResult.Error(ErrorCode.NO_NODE, "/a", "no node"));
        assertError(api.send("GET", "/v1/znodes/a", null), 404, "NoNode", "no node");
        assertEquals(1, gw.calls().size());
    }

    @Test
    void statusAndHealthAnswerWhileNotServing() {
        gw.serving(false);
        assertEquals(200, api.send("GET", "/health", null).statusCode());
        HttpResponse<String> status = api.send("GET", "/v1/status", null);
        assertEquals(200, status.statusCode(), status.body());
        assertEquals("standalone", json(status).get("mode").asText());
    }

    @Test
    void anUnknownEndpointIsStill404WhileNotServing() {
        gw.serving(false);
        assertError(api.send("GET", "/v1/nothing-here", null), 404, "BadArguments", "");
    }

    @Test
    void aServerBehindWhatTheClientHasSeenRefusesRetrySafeOnEveryClientEndpoint() {
        String ahead = "0x" + Long.toHexString(ScriptedGateway.ZXID + 1);
        for (String[] request : CLIENT_REQUESTS) {
            HttpResponse<String> r = send(request, "Paddock-Zxid", ahead);
            JsonNode body = assertError(r, 503, "ConnectionLoss", ahead);
            assertEquals(true, body.path("retrySafe").asBoolean(false), request[0] + " " + request[1] + ": " + r.body());
        }
        assertTrue(gw.calls().isEmpty(), gw.calls().toString());
    }

    @Test
    void refusalsAfterTheServerHadTheRequestAreNotMarkedRetrySafe() {
        // The server's own ConnectionLoss: the write may have been proposed before the leader went.
        gw.answer(op -> new OpResult.Error(ErrorCode.CONNECTION_LOSS, null, "lost the leader"));
        JsonNode lost = assertError(api.send("POST", "/v1/znodes/a", "{}"), 503, "ConnectionLoss", "leader");
        assertFalse(lost.has("retrySafe"), lost.toString());
        gw.reset();
        gw.fail(new java.util.concurrent.TimeoutException("ask timed out"), false);
        JsonNode timedOut = assertError(api.send("POST", "/v1/znodes/a", "{}"), 503, "OperationTimeout", "");
        assertFalse(timedOut.has("retrySafe"), timedOut.toString());
        gw.reset();
        JsonNode bad = assertError(api.send("POST", "/v1/znodes/a", "{\"mode\":\"NEVER\"}"), 400, "BadArguments", "");
        assertFalse(bad.has("retrySafe"), bad.toString());
    }
}
