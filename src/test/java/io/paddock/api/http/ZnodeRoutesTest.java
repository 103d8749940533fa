package io.paddock.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Id;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import io.paddock.tree.Perms;
import io.paddock.tree.Stat;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.paddock.api.http.ApiClient.assertError;
import static io.paddock.api.http.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZnodeRoutesTest extends ScriptedApiTest {

    static final Stat STAT = new Stat(0x100000002L, 0x100000003L, 1000, 2000, 1, 2, 0, 0xCAFE00000001L, 3, 0,
            0x100000004L);
    static final String SESSION = "0xcafe00000001";

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    // ---- create ----------------------------------------------------------------------------

    @Test
    void createMapsJsonBodyToCreateOpAndAnswers201WithActualPath() {
        gw.answer(op -> new OpResult.Created("/app/job-0000000007", STAT));
        HttpResponse<String> r = api.send("POST", "/v1/znodes/app/job-",
                "{\"data\":\"" + b64("hi") + "\",\"mode\":\"persistent_sequential\","
                        + "\"acl\":[{\"scheme\":\"digest\",\"id\":\"u:x\",\"perms\":\"rw\"},"
                        + "{\"scheme\":\"world\",\"id\":\"anyone\",\"perms\":1}]}",
                "Content-Type", "application/json");
        assertEquals(201, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals("/app/job-0000000007", body.get("path").asText());
        assertEquals("/v1/znodes/app/job-0000000007", r.headers().firstValue("Location").orElse(""));
        Op.Create op = assertInstanceOf(Op.Create.class, gw.onlyOp());
        assertEquals("/app/job-", op.path());
        assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), op.data());
        assertEquals(CreateMode.PERSISTENT_SEQUENTIAL, op.mode());
        assertEquals(List.of(new Acl(Perms.READ | Perms.WRITE, new Id("digest", "u:x")),
                new Acl(Perms.READ, Id.ANYONE)), op.acl());
        assertEquals(0, op.ttlMs());
    }

    @Test
    void aClientThatHasSeenMoreThanThisServerAppliedIsRefusedNotShownThePast() {
        gw.answer(op -> new OpResult.Data(new byte[0], STAT));
        String applied = "0x" + Long.toHexString(ScriptedGateway.ZXID);
        String ahead = "0x" + Long.toHexString(ScriptedGateway.ZXID + 1);
        HttpResponse<String> refused = api.send("GET", "/v1/znodes/a", null, "Paddock-Zxid", ahead);
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("ConnectionLoss") && refused.body().contains(applied)
                && refused.body().contains(ahead), refused.body());
        assertEquals(200, api.send("GET", "/v1/znodes/a", null, "Paddock-Zxid", applied).statusCode());
        assertEquals(400, api.send("GET", "/v1/znodes/a", null, "Paddock-Zxid", "soon").statusCode());
    }

    @Test
    void everyAnswerCarriesTheServersZxidAsZooKeepersReplyHeaderDoes() {
        gw.answer(op -> new OpResult.Created("/a", STAT));
        HttpResponse<String> created = api.send("POST", "/v1/znodes/a", "{}", "Content-Type", "application/json");
        assertEquals("0x" + Long.toHexString(ScriptedGateway.ZXID), created.headers().firstValue("Paddock-Zxid").orElse(""));
        gw.answer(op -> new OpResult.Error(ErrorCode.NO_NODE, "/b", "no node"));
        HttpResponse<String> missing = api.send("GET", "/v1/znodes/b", null);
        assertEquals(404, missing.statusCode());
        assertEquals("0x" + Long.toHexString(ScriptedGateway.ZXID), missing.headers().firstValue("Paddock-Zxid").orElse(""));
    }

    @Test
    void statJsonHasZooKeepersFieldsWithHexZxidsAndSessionIds() {
        gw.answer(op -> new OpResult.Created("/a", STAT));
        JsonNode stat = json(api.send("POST", "/v1/znodes/a", "{}")).get("stat");
        List<String> names = new ArrayList<>();
        stat.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("czxid", "mzxid", "ctime", "mtime", "version", "cversion", "aversion",
                "ephemeralOwner", "dataLength", "numChildren", "pzxid"), names);
        assertEquals("0x100000002", stat.get("czxid").asText());
        assertEquals("0x100000003", stat.get("mzxid").asText());
        assertEquals("0x100000004", stat.get("pzxid").asText());
        assertEquals("0xcafe00000001", stat.get("ephemeralOwner").asText());
        assertTrue(stat.get("ctime").isNumber() && stat.get("version").isInt() && stat.get("dataLength").isInt());
        assertEquals(2000, stat.get("mtime").asLong());
    }

    @Test
    void createWithoutBodyIsPersistentEmptyWithTheOpenAcl() {
        gw.answer(op -> new OpResult.Created("/a", STAT));
        assertEquals(201, api.send("POST", "/v1/znodes/a", null).statusCode());
        Op.Create op = (Op.Create) gw.onlyOp();
        assertEquals(CreateMode.PERSISTENT, op.mode());
        assertEquals(0, op.data().length);
        assertEquals(Acl.OPEN_ACL_UNSAFE, op.acl());
        assertEquals(io.paddock.server.ServerGateway.NO_SESSION, gw.lastCall().sessionId());
    }

    @Test
    void createWithOctetStreamBodyCarriesBareDataAndTakesModeAndTtlFromTheQuery() {
        gw.answer(op -> new OpResult.Created("/t", STAT));
        byte[] data = {0, 1, 2, (byte) 0xff};
        HttpResponse<String> r = api.sendBytes("POST", "/v1/znodes/t?mode=PERSISTENT_WITH_TTL&ttlMs=5000", data,
                "Content-Type", "application/octet-stream");
        assertEquals(201, r.statusCode(), r.body());
        Op.Create op = (Op.Create) gw.onlyOp();
        assertArrayEquals(data, op.data());
        assertEquals(CreateMode.PERSISTENT_WITH_TTL, op.mode());
        assertEquals(5000, op.ttlMs());
    }

    @Test
    void ttlModesNeedAPositiveTtlAndOtherModesRefuseOne() {
        assertError(api.send("POST", "/v1/znodes/t", "{\"mode\":\"PERSISTENT_WITH_TTL\"}"), 400, "BadArguments", "ttlMs");
        assertError(api.send("POST", "/v1/znodes/t", "{\"mode\":\"PERSISTENT_WITH_TTL\",\"ttlMs\":0}"), 400,
                "BadArguments", "ttlMs");
        assertError(api.send("POST", "/v1/znodes/t", "{\"ttlMs\":10}"), 400, "BadArguments", "TTL modes");
        assertTrue(gw.ops().isEmpty());
    }

    @Test
    void ephemeralCreateNeedsTheSessionHeader() {
        assertError(api.send("POST", "/v1/znodes/e", "{\"mode\":\"EPHEMERAL\"}"), 400, "BadArguments",
                "Paddock-Session");
        assertTrue(gw.ops().isEmpty());
        gw.answer(op -> new OpResult.Created("/e", STAT));
        assertEquals(201, api.send("POST", "/v1/znodes/e", "{\"mode\":\"EPHEMERAL\"}",
                "Paddock-Session", SESSION).statusCode());
        assertEquals(0xcafe00000001L, gw.lastCall().sessionId());
    }

    @Test
    void sessionHeaderAcceptsHexAndDecimal() {
        gw.answer(op -> new OpResult.Created("/e", STAT));
        api.send("POST", "/v1/znodes/e", "{\"mode\":\"EPHEMERAL\"}", "Paddock-Session", "0xCAFE00000001");
        assertEquals(0xcafe00000001L, gw.lastCall().sessionId());
        api.send("POST", "/v1/znodes/e", "{\"mode\":\"EPHEMERAL\"}", "Paddock-Session",
                Long.toString(0xcafe00000001L));
        assertEquals(0xcafe00000001L, gw.lastCall().sessionId());
    }

    @Test
    void parentsCreatesTheMissingAncestorsAndTheNodeInOneMulti() {
        gw.answer(op -> {
            if (op instanceof Op.Exists e) {
                return e.path().equals("/a") ? new OpResult.StatResult(STAT)
                        : new OpResult.Error(ErrorCode.NO_NODE, e.path(), null);
            }
            Op.Multi m = (Op.Multi) op;
            return new OpResult.Multi(List.of(new OpResult.Created("/a/b", STAT),
                    new OpResult.Created("/a/b/c", STAT)));
        });
        HttpResponse<String> r = api.send("POST", "/v1/znodes/a/b/c?parents=true",
                "{\"data\":\"" + b64("x") + "\"}");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("/a/b/c", json(r).get("path").asText());
        Op.Multi multi = (Op.Multi) gw.ops().get(gw.ops().size() - 1);
        assertEquals(2, multi.ops().size());
        Op.Create parent = (Op.Create) multi.ops().get(0);
        assertEquals("/a/b", parent.path());
        assertEquals(CreateMode.PERSISTENT, parent.mode());
        assertEquals(0, parent.data().length);
        Op.Create node = (Op.Create) multi.ops().get(1);
        assertEquals("/a/b/c", node.path());
        assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), node.data());
    }

    @Test
    void parentsWithEveryAncestorPresentIsAPlainCreate() {
        gw.answer(op -> op instanceof Op.Exists ? new OpResult.StatResult(STAT) : new OpResult.Created("/a/b", STAT));
        assertEquals(201, api.send("POST", "/v1/znodes/a/b?parents=true", "{}").statusCode());
        assertInstanceOf(Op.Create.class, gw.ops().get(gw.ops().size() - 1));
    }

    @Test
    void parentsRetriesOnceWhenAnotherClientCreatesAnAncestorMeanwhile() {
        AtomicInteger multis = new AtomicInteger();
        gw.answer(op -> {
            if (op instanceof Op.Exists e) {
                // The first round finds /a missing; by the second round someone has created it.
                return multis.get() == 0 ? new OpResult.Error(ErrorCode.NO_NODE, e.path(), null)
                        : new OpResult.StatResult(STAT);
            }
            if (op instanceof Op.Multi) {
                multis.incrementAndGet();
                return new OpResult.Multi(List.of(new OpResult.Error(ErrorCode.NODE_EXISTS, null, null),
                        new OpResult.Error(ErrorCode.RUNTIME_INCONSISTENCY, null, null)));
            }
            return new OpResult.Created("/a/b", STAT);
        });
        HttpResponse<String> r = api.send("POST", "/v1/znodes/a/b?parents=true", "{}");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(1, multis.get());
        assertInstanceOf(Op.Create.class, gw.ops().get(gw.ops().size() - 1));
    }

    @Test
    void parentsReportsTheNodesOwnNodeExistsWithoutRetrying() {
        AtomicInteger multis = new AtomicInteger();
        gw.answer(op -> {
            if (op instanceof Op.Exists e) {
                return new OpResult.Error(ErrorCode.NO_NODE, e.path(), null);
            }
            multis.incrementAndGet();
            return new OpResult.Multi(List.of(new OpResult.Error(ErrorCode.OK, null, null),
                    new OpResult.Error(ErrorCode.NODE_EXISTS, null, null)));
        });
        JsonNode body = assertError(api.send("POST", "/v1/znodes/a/b?parents=true", "{}"), 409, "NodeExists", "");
        assertEquals("/a/b", body.get("path").asText());
        assertEquals(1, multis.get());
    }

    // ---- read ------------------------------------------------------------------------------

    @Test
    void getAnswersPathBase64DataAndStat() {
        gw.answer(op -> new OpResult.Data("hello".getBytes(StandardCharsets.UTF_8), STAT));
        HttpResponse<String> r = api.send("GET", "/v1/znodes/a/b", null);
        assertEquals(200, r.statusCode());
        JsonNode body = json(r);
        assertEquals("/a/b", body.get("path").asText());
        assertEquals(b64("hello"), body.get("data").asText());
        assertEquals("0x100000002", body.get("stat").get("czxid").asText());
        assertEquals(new Op.GetData("/a/b", false), gw.onlyOp());
    }

    @Test
    void getWithWatchNeedsASessionAndLeavesTheWatchForIt() {
        assertError(api.send("GET", "/v1/znodes/a?watch=true", null), 400, "BadArguments", "Paddock-Session");
        assertTrue(gw.ops().isEmpty());
        gw.answer(op -> new OpResult.Data(new byte[0], STAT));
        assertEquals(200, api.send("GET", "/v1/znodes/a?watch=true", null, "Paddock-Session", SESSION).statusCode());
        assertEquals(new Op.GetData("/a", true), gw.onlyOp());
        assertEquals(0xcafe00000001L, gw.lastCall().sessionId());
    }

    @Test
    void rawGetAnswersBareBytesWithTheStatInAHeader() {
        byte[] data = {(byte) 0xde, (byte) 0xad, 0, 7};
        gw.answer(op -> new OpResult.Data(data, STAT));
        HttpResponse<byte[]> r = api.getBytes("/v1/znodes/bin?raw");
        assertEquals(200, r.statusCode());
        assertArrayEquals(data, r.body());
        assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElse(""));
        String stat = r.headers().firstValue("Paddock-Stat").orElseThrow();
        assertFalse(stat.contains("\n"));
        assertTrue(stat.contains("\"mzxid\":\"0x100000003\""), stat);
    }

    @Test
    void missingNodeIs404NoNodeWithThePath() {
        gw.answer(op -> new OpResult.Error(ErrorCode.NO_NODE, "/nope", null));
        JsonNode body = assertError(api.send("GET", "/v1/znodes/nope", null), 404, "NoNode", "");
        assertEquals(-101, body.get("code").asInt());
        assertEquals("/nope", body.get("path").asText());
    }

    // ---- setData, delete ---------------------------------------------------------------------

    @Test
    void putMapsToSetDataWithItsVersion() {
        gw.answer(op -> new OpResult.StatResult(STAT));
        HttpResponse<String> r = api.send("PUT", "/v1/znodes/a", "{\"data\":\"" + b64("v2") + "\",\"version\":3}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("0x100000003", json(r).get("stat").get("mzxid").asText());
        Op.SetData op = (Op.SetData) gw.onlyOp();
        assertEquals("/a", op.path());
        assertEquals(3, op.version());
        assertArrayEquals("v2".getBytes(StandardCharsets.UTF_8), op.data());
    }

    @Test
    void putWithOctetStreamTakesTheVersionFromTheQuery() {
        gw.answer(op -> new OpResult.StatResult(STAT));
        api.sendBytes("PUT", "/v1/znodes/a?version=7", new byte[]{9}, "Content-Type", "application/octet-stream");
        Op.SetData op = (Op.SetData) gw.onlyOp();
        assertEquals(7, op.version());
        assertArrayEquals(new byte[]{9}, op.data());
    }

    @Test
    void putWithoutVersionMatchesAnyAndDifferingVersionsAreRefused() {
        gw.answer(op -> new OpResult.StatResult(STAT));
        api.send("PUT", "/v1/znodes/a", "{}");
        assertEquals(-1, ((Op.SetData) gw.onlyOp()).version());
        assertError(api.send("PUT", "/v1/znodes/a?version=2", "{\"version\":3}"), 400, "BadArguments", "differ");
    }

    @Test
    void badVersionIs409() {
        gw.answer(op -> new OpResult.Error(ErrorCode.BAD_VERSION, "/a", null));
        assertError(api.send("PUT", "/v1/znodes/a", "{\"version\":1}"), 409, "BadVersion", "");
    }

    @Test
    void deleteMapsTheVersionAndAnswers204() {
        gw.answer(op -> new OpResult.Deleted());
        HttpResponse<String> r = api.send("DELETE", "/v1/znodes/a/b?version=4", null);
        assertEquals(204, r.statusCode());
        assertEquals(new Op.Delete("/a/b", 4), gw.onlyOp());
    }

    @Test
    void recursiveDeleteIsOneDeleteAll() {
        gw.answer(op -> new OpResult.Deleted());
        assertEquals(204, api.send("DELETE", "/v1/znodes/a?recursive=true", null).statusCode());
        assertEquals(new Op.DeleteAll("/a"), gw.onlyOp());
        assertError(api.send("DELETE", "/v1/znodes/a?recursive=true&version=1", null), 400, "BadArguments",
                "recursive");
    }

    @Test
    void notEmptyIs409() {
        gw.answer(op -> new OpResult.Error(ErrorCode.NOT_EMPTY, "/a", null));
        assertError(api.send("DELETE", "/v1/znodes/a", null), 409, "NotEmpty", "");
    }

    // ---- stat, children, acl, sync ---------------------------------------------------------

    @Test
    void statAnswersTheStatOr404() {
        gw.answer(op -> new OpResult.StatResult(STAT));
        HttpResponse<String> r = api.send("GET", "/v1/stat/a?watch=true", null, "Paddock-Session", SESSION);
        assertEquals(200, r.statusCode());
        assertEquals(3, json(r).get("stat").get("dataLength").asInt());
        assertEquals(new Op.Exists("/a", true), gw.onlyOp());
        gw.answer(op -> new OpResult.StatResult(null));
        assertError(api.send("GET", "/v1/stat/gone", null), 404, "NoNode", "");
        gw.answer(op -> new OpResult.Error(ErrorCode.NO_NODE, "/gone", null));
        assertError(api.send("GET", "/v1/stat/gone", null), 404, "NoNode", "");
    }

    @Test
    void childrenListsNamesAndStatAndWatches() {
        gw.answer(op -> new OpResult.Children(List.of("x", "y"), STAT));
        HttpResponse<String> r = api.send("GET", "/v1/children/a?watch=true", null, "Paddock-Session", SESSION);
        JsonNode body = json(r);
        assertEquals("/a", body.get("path").asText());
        assertEquals("[\"x\",\"y\"]", body.get("children").toString());
        assertTrue(body.has("stat"));
        assertEquals(new Op.GetChildren("/a", true), gw.onlyOp());
    }

    @Test
    void recursiveChildrenListsDescendantPaths() {
        gw.answer(op -> new OpResult.Paths(List.of("/a/x", "/a/x/y")));
        JsonNode body = json(api.send("GET", "/v1/children/a?recursive=true", null));
        assertEquals("[\"/a/x\",\"/a/x/y\"]", body.get("children").toString());
        assertEquals(new Op.ListRecursive("/a"), gw.onlyOp());
    }

    @Test
    void aclIsReadAndSetWithLetters() {
        gw.answer(op -> new OpResult.AclList(List.of(new Acl(Perms.ALL, Id.ANYONE)), STAT));
        JsonNode acl = json(api.send("GET", "/v1/acl/a", null)).get("acl");
        assertEquals("[{\"scheme\":\"world\",\"id\":\"anyone\",\"perms\":\"cdrwa\"}]", acl.toString());
        gw.reset();
        gw.answer(op -> new OpResult.StatResult(STAT));
        assertEquals(200, api.send("PUT", "/v1/acl/a",
                "{\"acl\":[{\"scheme\":\"ip\",\"id\":\"10.0.0.0/8\",\"perms\":\"r\"}],\"version\":2}").statusCode());
        assertEquals(new Op.SetAcl("/a", List.of(new Acl(Perms.READ, new Id("ip", "10.0.0.0/8"))), 2), gw.onlyOp());
    }

    @Test
    void syncAnswersThePath() {
        gw.answer(op -> new OpResult.Synced("/a"));
        HttpResponse<String> r = api.send("POST", "/v1/sync/a", null);
        assertEquals(200, r.statusCode());
        assertEquals("/a", json(r).get("path").asText());
        assertEquals(new Op.Sync("/a"), gw.onlyOp());
    }

    // ---- paths and callers -----------------------------------------------------------------

    @Test
    void znodesWithoutAPathIsTheRoot() {
        gw.answer(op -> new OpResult.Data(new byte[0], STAT));
        api.send("GET", "/v1/znodes", null);
        api.send("GET", "/v1/znodes/", null);
        assertEquals(List.of(new Op.GetData("/", false), new Op.GetData("/", false)), gw.ops());
    }

    @Test
    void theRouteKeepsTrailingSlashesAndEmptySegmentsForTheServerToJudge() {
        gw.answer(op -> new OpResult.Created("/a/0000000001", STAT));
        api.send("POST", "/v1/znodes/a/", "{\"mode\":\"PERSISTENT_SEQUENTIAL\"}");
        assertEquals("/a/", ((Op.Create) gw.onlyOp()).path());
        gw.reset();
        gw.answer(op -> new OpResult.Error(ErrorCode.BAD_ARGUMENTS, "/a//b", "empty segment"));
        assertError(api.send("GET", "/v1/znodes/a//b", null), 400, "BadArguments", "empty segment");
        assertEquals(new Op.GetData("/a//b", false), gw.onlyOp());
    }

    @Test
    void segmentsArePercentDecodedOneByOne() {
        gw.answer(op -> new OpResult.Data(new byte[0], STAT));
        api.send("GET", "/v1/znodes/a%20b/%C3%A9t%C3%A9/c+d", null);
        assertEquals(new Op.GetData("/a b/été/c+d", false), gw.onlyOp());
        gw.reset();
        assertError(api.send("GET", "/v1/znodes/a%2Fb", null), 400, "BadArguments", "'/'");
        assertTrue(gw.ops().isEmpty());
    }

    @Test
    void dotSegmentsReachTheServerAsSentInsteadOfBeingResolved() throws Exception {
        gw.answer(op -> new OpResult.Error(ErrorCode.BAD_ARGUMENTS, op.path(), "relative path"));
        String response = api.rawRequest("DELETE /v1/znodes/a/..?recursive=true HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertEquals(new Op.DeleteAll("/a/.."), gw.onlyOp());
        gw.reset();
        gw.answer(op -> new OpResult.Error(ErrorCode.BAD_ARGUMENTS, op.path(), "relative path"));
        api.rawRequest("GET /v1/children/a/./b HTTP/1.1\r\nHost: x\r\n\r\n");
        String absolute = api.rawRequest("GET http://localhost/v1/znodes/c/%2E%2E HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertTrue(absolute.startsWith("HTTP/1.1 400"), absolute);
        assertEquals(List.of(new Op.GetChildren("/a/./b", false), new Op.GetData("/c/..", false)), gw.ops());
    }

    @Test
    void dotSegmentsBeforeTheZnodePathAreRefused() throws Exception {
        String response = api.rawRequest("GET /v1/x/../znodes/a HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertTrue(response.contains("must begin with /v1/znodes"), response);
        assertTrue(gw.ops().isEmpty());
    }

    @Test
    void parentsRetriesOnAnAncestorsNodeExistsGivenAsOneError() {
        AtomicInteger multis = new AtomicInteger();
        gw.answer(op -> {
            if (op instanceof Op.Exists e) {
                return multis.get() == 0 ? new OpResult.Error(ErrorCode.NO_NODE, e.path(), null)
                        : new OpResult.StatResult(STAT);
            }
            if (op instanceof Op.Multi) {
                multis.incrementAndGet();
                return new OpResult.Error(ErrorCode.NODE_EXISTS, "/a", null);
            }
            return new OpResult.Created("/a/b", STAT);
        });
        assertEquals(201, api.send("POST", "/v1/znodes/a/b?parents=true", "{}").statusCode());
        assertEquals(1, multis.get());
    }

    @Test
    void aLongerFirstSegmentIsNotTheZnodesEndpoint() {
        assertError(api.send("GET", "/v1/znodesx/a", null), 404, "BadArguments", "");
        assertTrue(gw.ops().isEmpty());
    }

    @Test
    void theClientAddressIsTheConnectionsNotXForwardedFor() {
        gw.answer(op -> new OpResult.Data(new byte[0], STAT));
        api.send("GET", "/v1/znodes/a", null, "X-Forwarded-For", "10.9.9.9", "X-Real-Ip", "10.8.8.8");
        assertEquals("127.0.0.1", gw.lastCall().clientAddress());
    }
}
