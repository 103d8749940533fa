package io.paddock.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.OpResult;
import io.paddock.tree.TreeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.Base64;

import static io.paddock.api.http.ApiClient.assertError;
import static io.paddock.api.http.ZnodeRoutesTest.STAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad input gets a 4xx JSON error naming the problem, and the server goes on. */
class BadInputTest extends ScriptedApiTest {

    @BeforeEach
    void answerCreated() {
        gw.answer(op -> new OpResult.Created("/a", STAT));
    }

    /** Jackson's own wording must not reach clients. */
    private static void assertNoJacksonText(HttpResponse<String> r) {
        assertFalse(r.body().contains("Unexpected") || r.body().contains("jackson") || r.body().contains("Exception")
                || r.body().contains("token"), r.body());
    }

    @Test
    void malformedJsonIs400WithWhereItBroke() {
        HttpResponse<String> r = api.send("POST", "/v1/znodes/a", "{\"data\": ");
        assertError(r, 400, "BadArguments", "not valid JSON at line 1");
        assertNoJacksonText(r);
        r = api.send("POST", "/v1/znodes/a", "{\"mode\":\"EPHEMERAL\"} trailing");
        assertError(r, 400, "BadArguments", "not valid JSON");
        assertNoJacksonText(r);
        assertError(api.send("POST", "/v1/znodes/a", "{\"mode\":\"PERSISTENT\",\"mode\":\"EPHEMERAL\"}"), 400,
                "BadArguments", "not valid JSON");
        assertTrue(gw.calls().isEmpty());
    }

    @Test
    void aBodyThatIsNotAnObjectIs400() {
        assertError(api.send("POST", "/v1/znodes/a", "[1,2]"), 400, "BadArguments", "must be a JSON object");
        assertError(api.send("POST", "/v1/znodes/a", "\"text\""), 400, "BadArguments", "must be a JSON object");
    }

    @Test
    void wrongTypesNameTheFieldAndTheExpectedType() {
        assertError(api.send("POST", "/v1/znodes/a", "{\"data\":5}"), 400, "BadArguments",
                "field \"data\" must be a string");
        assertError(api.send("PUT", "/v1/znodes/a", "{\"version\":\"3\"}"), 400, "BadArguments",
                "field \"version\" must be an integer");
        assertError(api.send("PUT", "/v1/znodes/a", "{\"version\":1.5}"), 400, "BadArguments", "\"version\"");
        assertError(api.send("PUT", "/v1/znodes/a", "{\"version\":99999999999}"), 400, "BadArguments", "\"version\"");
        assertError(api.send("PUT", "/v1/znodes/a", "{\"version\":-2}"), 400, "BadArguments", "version");
        assertError(api.send("POST", "/v1/znodes/a", "{\"acl\":\"open\"}"), 400, "BadArguments",
                "field \"acl\" must be an array");
        assertError(api.send("POST", "/v1/znodes/a", "{\"acl\":[{\"scheme\":\"world\",\"id\":\"anyone\",\"perms\":\"rwx\"}]}"),
                400, "BadArguments", "acl[0].perms");
        assertError(api.send("POST", "/v1/znodes/a", "{\"acl\":[{\"scheme\":\"world\",\"id\":\"anyone\",\"perms\":64}]}"),
                400, "BadArguments", "acl[0].perms");
        assertError(api.send("POST", "/v1/znodes/a", "{\"acl\":[{\"scheme\":\"world\",\"perms\":\"r\"}]}"),
                400, "BadArguments", "acl[0].id");
        assertError(api.send("POST", "/v1/znodes/a", "{\"ttlMs\":\"soon\",\"mode\":\"PERSISTENT_WITH_TTL\"}"),
                400, "BadArguments", "\"ttlMs\"");
        assertTrue(gw.calls().isEmpty());
    }

    @Test
    void unknownFieldsAreNamed() {
        assertError(api.send("POST", "/v1/znodes/a", "{\"dta\":\"\"}"), 400, "BadArguments", "unknown field \"dta\"");
        assertError(api.send("PUT", "/v1/znodes/a", "{\"data\":\"\",\"mode\":\"EPHEMERAL\"}"), 400, "BadArguments",
                "unknown field \"mode\"");
        assertTrue(gw.calls().isEmpty());
    }

    @Test
    void badBase64Is400() {
        assertError(api.send("POST", "/v1/znodes/a", "{\"data\":\"not base64!\"}"), 400, "BadArguments", "base64");
        assertError(api.send("PUT", "/v1/znodes/a", "{\"data\":\"QQ=QQ\"}"), 400, "BadArguments", "base64");
        assertTrue(gw.calls().isEmpty());
    }

    @Test
    void unknownModesAreRefusedWithTheListOfModes() {
        assertError(api.send("POST", "/v1/znodes/a", "{\"mode\":\"EPHEMERAL_ISH\"}"), 400, "BadArguments",
                "PERSISTENT_SEQUENTIAL_WITH_TTL");
        assertError(api.sendBytes("POST", "/v1/znodes/a?mode=nope", new byte[1], "Content-Type",
                "application/octet-stream"), 400, "BadArguments", "?mode=");
        assertTrue(gw.calls().isEmpty());
    }

    @Test
    void badQueryParametersAre400() {
        assertError(api.send("DELETE", "/v1/znodes/a?version=x", null), 400, "BadArguments", "\"version\"");
        assertError(api.send("GET", "/v1/znodes/a?watch=yes", null, "Paddock-Session", "0x1"), 400, "BadArguments",
                "\"watch\"");
        assertError(api.send("POST", "/v1/znodes/a?parents=1", "{}"), 400, "BadArguments", "\"parents\"");
        assertTrue(gw.calls().isEmpty());
    }

    @Test
    void dataOverMaxDataBytesIs413InJsonAndBare() {
        byte[] tooBig = new byte[ApiClient.MAX_DATA_BYTES + 1];
        assertError(api.send("POST", "/v1/znodes/a", "{\"data\":\"" + Base64.getEncoder().encodeToString(tooBig) + "\"}"),
                413, "BadArguments", "maxDataBytes");
        assertError(api.sendBytes("PUT", "/v1/znodes/a", tooBig, "Content-Type", "application/octet-stream"),
                413, "BadArguments", "maxDataBytes");
        assertTrue(gw.calls().isEmpty());
        byte[] fits = new byte[ApiClient.MAX_DATA_BYTES];
        assertEquals(201, api.send("POST", "/v1/znodes/a",
                "{\"data\":\"" + Base64.getEncoder().encodeToString(fits) + "\"}").statusCode());
    }

    @Test
    void aHugeBodyIs413() {
        byte[] huge = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'a');
        HttpResponse<String> r = api.sendBytes("POST", "/v1/znodes/a", huge, "Content-Type", "application/json");
        assertError(r, 413, "BadArguments", "limit");
        r = api.sendBytes("POST", "/v1/sessions", huge, "Content-Type", "application/json");
        assertError(r, 413, "BadArguments", "limit");
        assertTrue(gw.calls().isEmpty());
    }

    @Test
    void aClientStillSendingAHugeBodyReadsItsWhole413() throws Exception {
        int length = 8 * 1024 * 1024;
        try (Socket s = new Socket("127.0.0.1", api.port())) {
            s.setSoTimeout(15_000);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /v1/znodes/a HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    byte[] chunk = new byte[64 * 1024];
                    for (int n = 0; n < length; n += chunk.length) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(reply.startsWith("HTTP/1.1 413 "), reply);
            assertTrue(reply.contains("\"BadArguments\""), reply);
            // The server read and dropped the rest of the body: no reset met the client's writes.
            sent.get(15, TimeUnit.SECONDS);
        }
        assertTrue(gw.calls().isEmpty());
    }

    @Test
    void malformedSessionHeadersAre400NamingTheHeader() {
        assertError(api.send("GET", "/v1/znodes/a", null, "Paddock-Session", "abc"), 400, "BadArguments",
                "Paddock-Session");
        assertError(api.send("GET", "/v1/znodes/a", null, "Paddock-Session", "0x0"), 400, "BadArguments",
                "Paddock-Session");
        assertTrue(gw.calls().isEmpty());
    }

    @Test
    void aSessionTheServerDoesNotKnowIs410() {
        gw.answer(op -> new OpResult.Error(ErrorCode.SESSION_EXPIRED, null, "session 0x77 expired"));
        assertError(api.send("GET", "/v1/znodes/a", null, "Paddock-Session", "0x77"), 410, "SessionExpired", "0x77");
    }

    @Test
    void unknownEndpointsAndMethodsGetJsonErrors() {
        assertError(api.send("GET", "/v1/nothing-here", null), 404, "BadArguments", "");
        assertError(api.send("GET", "/v2/znodes/a", null), 404, "BadArguments", "");
        HttpResponse<String> r = api.send("PATCH", "/v1/znodes/a", "{}");
        assertError(r, 405, "BadArguments", "");
        assertEquals("POST, GET, PUT, DELETE", r.headers().firstValue("Allow").orElse(""), r.headers().map().toString());
        r = api.send("PUT", "/v1/stat/a", "{}");
        assertError(r, 405, "BadArguments", "GET");
        assertEquals("GET", r.headers().firstValue("Allow").orElse(""));
        assertError(api.send("GET", "/v1/znodesX/a", null), 404, "BadArguments", "");
    }

    @Test
    void aMalformedRequestLineGetsAJsonError() throws Exception {
        for (String request : new String[]{
                "GET /v1/znodes/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "GET /v1/znodes/a\u0001 HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "GET /v1/znodes/a HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n",
                // A space in the target leaves "b HTTP/1.1" as the protocol: 505.
                "GET /v1/znodes/a b HTTP/1.1\r\nHost: localhost\r\n\r\n"}) {
            String response = api.rawRequest(request);
            assertTrue(response.startsWith("HTTP/1.1 400") || response.startsWith("HTTP/1.1 505"), response);
            assertTrue(response.contains("Content-Type: application/json"), response);
            assertTrue(response.contains("\"error\":\"BadArguments\""), response);
        }
    }

    @Test
    void whenTheServerCannotServeTheAnswerIs503() {
        gw.fail(new IllegalStateException("actor gone"), false);
        assertError(api.send("GET", "/v1/znodes/a", null), 503, "ConnectionLoss", "cannot serve");
        gw.fail(new IllegalStateException("actor gone"), true);
        assertError(api.send("GET", "/v1/znodes/a", null), 503, "ConnectionLoss", "cannot serve");
        assertError(api.send("GET", "/v1/status", null), 503, "ConnectionLoss", "cannot serve");
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIs503OperationTimeout() {
        gw.fail(new akka.pattern.AskTimeoutException("ask timed out"), false);
        assertError(api.send("PUT", "/v1/znodes/a", "{}"), 503, "OperationTimeout", "may or may not");
    }

    @Test
    void aFailedStageCarryingATreeExceptionKeepsItsCode() {
        gw.fail(new TreeException(ErrorCode.OPERATION_TIMEOUT, "/a", "timed out"), false);
        assertError(api.send("GET", "/v1/znodes/a", null), 503, "OperationTimeout", "timed out");
        gw.fail(new TreeException(ErrorCode.UNIMPLEMENTED, null, "not here"), false);
        assertError(api.send("GET", "/v1/znodes/a", null), 501, "Unimplemented", "not here");
    }

    @Test
    void aResultOfTheWrongKindIs500WithoutDetails() {
        gw.answer(op -> new OpResult.Count(3));
        JsonNode body = assertError(api.send("GET", "/v1/znodes/a", null), 500, "SystemError", "internal");
        assertFalse(body.toString().contains("Count"), body.toString());
    }

    @Test
    void theServerGoesOnServingAfterBadInput() throws Exception {
        for (int i = 0; i < 5; i++) {
            api.send("POST", "/v1/znodes/a", "{{{{");
            api.sendBytes("POST", "/v1/znodes/a", new byte[512 * 1024], "Content-Type", "application/json");
            api.rawRequest("GET /v1/znodes/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        }
        gw.answer(op -> new OpResult.Created("/fine", STAT));
        HttpResponse<String> r = api.send("POST", "/v1/znodes/fine", "{}");
        assertEquals(201, r.statusCode(), r.body());
    }
}
