package io.paddock.api.http;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StatusRoutesTest extends ScriptedApiTest {

    @Test
    void statusAnswersTheServersStateWithAHexZxid() {
        HttpResponse<String> r = api.send("GET", "/v1/status", null);
        assertEquals(200, r.statusCode());
        assertEquals("{\"mode\":\"standalone\",\"serverId\":0,\"zxid\":\"0x10000002a\",\"nodeCount\":5,"
                + "\"sessionCount\":2,\"watchCount\":3,\"version\":\"0.1.0\"}\n", r.body());
    }

    @Test
    void healthAnswersOkWithoutAskingTheServer() {
        api.gateway.reset();
        api.gateway.fail(new IllegalStateException("busy"), true);
        HttpResponse<String> r = api.send("GET", "/health", null);
        assertEquals(200, r.statusCode());
        assertEquals("{\"status\":\"ok\"}\n", r.body());
        api.gateway.reset();
    }
}
