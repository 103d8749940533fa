package io.paddock.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;

import static io.paddock.api.http.ApiClient.assertError;
import static io.paddock.api.http.ApiClient.json;
import static io.paddock.api.http.ZnodeRoutesTest.STAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultiRoutesTest extends ScriptedApiTest {

    static final String FOUR_OPS = "{\"ops\":["
            + "{\"op\":\"create\",\"path\":\"/m/a\",\"data\":\"" + Base64.getEncoder().encodeToString(new byte[]{1, 2})
            + "\",\"mode\":\"PERSISTENT_SEQUENTIAL\"},"
            + "{\"op\":\"setData\",\"path\":\"/m\",\"data\":\"\",\"version\":4},"
            + "{\"op\":\"delete\",\"path\":\"/m/old\"},"
            + "{\"op\":\"check\",\"path\":\"/m\",\"version\":5}]}";

    @Test
    void everyOpKindMapsIntoOneMulti() {
        gw.answer(op -> new OpResult.Multi(List.of(new OpResult.Created("/m/a0000000001", STAT),
                new OpResult.StatResult(STAT), new OpResult.Deleted(), new OpResult.Checked())));
        assertEquals(200, api.send("POST", "/v1/multi", FOUR_OPS).statusCode());
        Op.Multi multi = (Op.Multi) gw.onlyOp();
        assertEquals(4, multi.ops().size());
        Op.Create create = (Op.Create) multi.ops().get(0);
        assertEquals("/m/a", create.path());
        assertArrayEquals(new byte[]{1, 2}, create.data());
        assertEquals(CreateMode.PERSISTENT_SEQUENTIAL, create.mode());
        assertEquals(Acl.OPEN_ACL_UNSAFE, create.acl());
        Op.SetData set = (Op.SetData) multi.ops().get(1);
        assertEquals(4, set.version());
        assertEquals(0, set.data().length);
        assertEquals(new Op.Delete("/m/old", -1), multi.ops().get(2));
        assertEquals(new Op.Check("/m", 5), multi.ops().get(3));
    }

    @Test
    void successAnswersOneResultPerOp() {
        gw.answer(op -> new OpResult.Multi(List.of(new OpResult.Created("/m/a0000000001", STAT),
                new OpResult.StatResult(STAT), new OpResult.Deleted(), new OpResult.Checked())));
        JsonNode results = json(api.send("POST", "/v1/multi", FOUR_OPS)).get("results");
        assertEquals(4, results.size());
        assertEquals("create", results.get(0).get("op").asText());
        assertEquals("/m/a0000000001", results.get(0).get("path").asText());
        assertEquals("0x100000002", results.get(0).get("stat").get("czxid").asText());
        assertEquals("setData", results.get(1).get("op").asText());
        assertTrue(results.get(1).has("stat"));
        assertEquals("{\"op\":\"delete\"}", results.get(2).toString());
        assertEquals("{\"op\":\"check\"}", results.get(3).toString());
    }

    @Test
    void failureAnswersTheFailingOpsStatusWithItsIndexAndEveryOpsResult() {
        gw.answer(op -> new OpResult.Multi(List.of(
                new OpResult.Error(ErrorCode.OK, null, null),
                new OpResult.Error(ErrorCode.BAD_VERSION, null, null),
                new OpResult.Error(ErrorCode.RUNTIME_INCONSISTENCY, null, null),
                new OpResult.Error(ErrorCode.RUNTIME_INCONSISTENCY, null, null))));
        HttpResponse<String> r = api.send("POST", "/v1/multi", FOUR_OPS);
        JsonNode body = assertError(r, 409, "BadVersion", "");
        assertEquals(-103, body.get("code").asInt());
        assertEquals("/m", body.get("path").asText());
        assertEquals(1, body.get("index").asInt());
        assertEquals("[{\"error\":\"OK\",\"code\":0},{\"error\":\"BadVersion\",\"code\":-103},"
                + "{\"error\":\"RuntimeInconsistency\",\"code\":-2},{\"error\":\"RuntimeInconsistency\",\"code\":-2}]",
                body.get("results").toString());
    }

    @Test
    void aMultiRefusedAsAWholeAnswersThatErrorWithoutPerOpResults() {
        gw.answer(op -> new OpResult.Error(ErrorCode.BAD_ARGUMENTS, null, "a multi may not hold a multi"));
        JsonNode body = assertError(api.send("POST", "/v1/multi", FOUR_OPS), 400, "BadArguments",
                "a multi may not hold a multi");
        assertTrue(!body.has("index") && !body.has("results"), body.toString());
    }

    @Test
    void aNoNodeInsideAMultiIs404() {
        gw.answer(op -> new OpResult.Multi(List.of(new OpResult.Error(ErrorCode.NO_NODE, "/x", "no /x"))));
        JsonNode body = assertError(api.send("POST", "/v1/multi", "{\"ops\":[{\"op\":\"delete\",\"path\":\"/x\"}]}"),
                404, "NoNode", "no /x");
        assertEquals(0, body.get("index").asInt());
    }

    @Test
    void anEmptyMultiIsAnswered() {
        gw.answer(op -> new OpResult.Multi(List.of()));
        HttpResponse<String> r = api.send("POST", "/v1/multi", "{\"ops\":[]}");
        assertEquals(200, r.statusCode());
        assertEquals("{\"results\":[]}\n", r.body());
    }

    @Test
    void ephemeralCreatesInAMultiNeedASession() {
        assertError(api.send("POST", "/v1/multi",
                        "{\"ops\":[{\"op\":\"create\",\"path\":\"/e\",\"mode\":\"EPHEMERAL_SEQUENTIAL\"}]}"),
                400, "BadArguments", "Paddock-Session");
        assertTrue(gw.calls().isEmpty());
    }

    @Test
    void badOpsNameTheirIndexAndField() {
        assertError(api.send("POST", "/v1/multi", "{\"ops\":[{\"op\":\"check\",\"path\":\"/a\"},{\"op\":\"rename\"}]}"),
                400, "BadArguments", "ops[1].op");
        assertError(api.send("POST", "/v1/multi", "{\"ops\":[{\"op\":\"delete\",\"path\":\"/a\",\"mode\":\"EPHEMERAL\"}]}"),
                400, "BadArguments", "ops[0].mode");
        assertError(api.send("POST", "/v1/multi", "{\"ops\":[{\"op\":\"create\"}]}"), 400, "BadArguments",
                "ops[0].path");
        assertError(api.send("POST", "/v1/multi", "{\"ops\":[{\"op\":\"setData\",\"path\":\"/a\",\"version\":\"2\"}]}"),
                400, "BadArguments", "ops[0].version");
        assertError(api.send("POST", "/v1/multi", "{\"ops\":[{\"op\":\"create\",\"path\":\"/a\",\"mode\":\"SOMETIMES\"}]}"),
                400, "BadArguments", "ops[0].mode");
        assertError(api.send("POST", "/v1/multi", "{\"ops\":[7]}"), 400, "BadArguments", "ops[0]");
        assertError(api.send("POST", "/v1/multi", "{\"ops\":{}}"), 400, "BadArguments", "\"ops\"");
        assertError(api.send("POST", "/v1/multi", "{}"), 400, "BadArguments", "\"ops\"");
        assertTrue(gw.calls().isEmpty());
    }

    @Test
    void dataOverMaxDataBytesInAnyOpIs413() {
        String big = Base64.getEncoder().encodeToString(new byte[ApiClient.MAX_DATA_BYTES + 1]);
        assertError(api.send("POST", "/v1/multi", "{\"ops\":[{\"op\":\"check\",\"path\":\"/a\"},"
                + "{\"op\":\"setData\",\"path\":\"/a\",\"data\":\"" + big + "\"}]}"), 413, "BadArguments", "maxDataBytes");
        assertTrue(gw.calls().isEmpty());
    }
}
