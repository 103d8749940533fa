package io.paddock.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import io.paddock.tree.WatchKind;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static io.paddock.api.http.ApiClient.assertError;
import static io.paddock.api.http.ApiClient.json;
import static io.paddock.api.http.ZnodeRoutesTest.SESSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchRoutesTest extends ScriptedApiTest {

    @Test
    void addWatchMapsBothPersistentModes() {
        HttpResponse<String> r = api.send("POST", "/v1/watches/cfg", "{\"mode\":\"PERSISTENT\"}", "Paddock-Session", SESSION);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"path\":\"/cfg\",\"mode\":\"PERSISTENT\"}\n", r.body());
        api.send("POST", "/v1/watches/", "{\"mode\":\"PERSISTENT_RECURSIVE\"}", "Paddock-Session", SESSION);
        assertEquals(List.of(new Op.AddWatch("/cfg", WatchKind.PERSISTENT),
                new Op.AddWatch("/", WatchKind.PERSISTENT_RECURSIVE)), gw.ops());
        assertEquals(0xcafe00000001L, gw.lastCall().sessionId());
    }

    @Test
    void addWatchNeedsASessionAndAPersistentMode() {
        assertError(api.send("POST", "/v1/watches/cfg", "{\"mode\":\"PERSISTENT\"}"), 400, "BadArguments",
                "Paddock-Session");
        assertError(api.send("POST", "/v1/watches/cfg", "{\"mode\":\"DATA\"}", "Paddock-Session", SESSION), 400,
                "BadArguments", "PERSISTENT_RECURSIVE");
        assertError(api.send("POST", "/v1/watches/cfg", "{}", "Paddock-Session", SESSION), 400, "BadArguments",
                "\"mode\"");
        assertTrue(gw.calls().isEmpty());
    }

    @Test
    void removeWatchesMapsEachTypeAsZooKeepersWatcherTypeDoes() {
        String[] types = {"data", "exists", "child", "persistent", "persistent_recursive", "any"};
        for (String t : types) {
            assertEquals(204, api.send("DELETE", "/v1/watches/w?type=" + t, null, "Paddock-Session", SESSION).statusCode());
        }
        assertEquals(204, api.send("DELETE", "/v1/watches/w", null, "Paddock-Session", SESSION).statusCode());
        List<WatchKind> all = List.of(WatchKind.values());
        assertEquals(List.of(
                new Op.RemoveWatches("/w", List.of(WatchKind.DATA, WatchKind.EXISTS)),
                new Op.RemoveWatches("/w", List.of(WatchKind.EXISTS)),
                new Op.RemoveWatches("/w", List.of(WatchKind.CHILD)),
                new Op.RemoveWatches("/w", List.of(WatchKind.PERSISTENT)),
                new Op.RemoveWatches("/w", List.of(WatchKind.PERSISTENT_RECURSIVE)),
                new Op.RemoveWatches("/w", all),
                new Op.RemoveWatches("/w", all)), gw.ops());
    }

    @Test
    void removingAWatchThatIsNotThereIs404NoWatcher() {
        gw.answer(op -> new OpResult.Error(ErrorCode.NO_WATCHER, "/w", null));
        JsonNode body = assertError(api.send("DELETE", "/v1/watches/w?type=child", null, "Paddock-Session", SESSION),
                404, "NoWatcher", "");
        assertEquals(-121, body.get("code").asInt());
    }

    @Test
    void removeWatchesRefusesUnknownTypesAndNeedsASession() {
        assertError(api.send("DELETE", "/v1/watches/w?type=sometimes", null, "Paddock-Session", SESSION), 400,
                "BadArguments", "persistent_recursive");
        assertError(api.send("DELETE", "/v1/watches/w", null), 400, "BadArguments", "Paddock-Session");
        assertTrue(gw.calls().isEmpty());
    }

    @Test
    void ephemeralsListsTheSessionsOwnUnderAnOptionalPrefix() {
        gw.answer(op -> new OpResult.Paths(List.of("/e/1", "/e/2")));
        HttpResponse<String> r = api.send("GET", "/v1/ephemerals?path=/e", null, "Paddock-Session", SESSION);
        assertEquals(200, r.statusCode());
        assertEquals("[\"/e/1\",\"/e/2\"]", json(r).get("ephemerals").toString());
        api.send("GET", "/v1/ephemerals", null, "Paddock-Session", SESSION);
        assertEquals(List.of(new Op.GetEphemerals("/e"), new Op.GetEphemerals("/")), gw.ops());
        assertEquals(0xcafe00000001L, gw.lastCall().sessionId());
        assertError(api.send("GET", "/v1/ephemerals", null), 400, "BadArguments", "Paddock-Session");
    }
}
