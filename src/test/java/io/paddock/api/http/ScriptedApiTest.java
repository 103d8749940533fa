package io.paddock.api.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Route tests against the HTTP API bound on a free port in front of a {@link ScriptedGateway}. */
abstract class ScriptedApiTest {

    static ApiClient api;
    ScriptedGateway gw;

    @BeforeAll
    static void startApi() throws Exception {
        api = new ApiClient();
    }

    @AfterAll
    static void stopApi() throws Exception {
        api.close();
    }

    @BeforeEach
    void resetGateway() {
        gw = api.gateway;
        gw.reset();
    }
}
