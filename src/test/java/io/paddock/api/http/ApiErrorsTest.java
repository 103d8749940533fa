package io.paddock.api.http;

import io.paddock.tree.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiErrorsTest {

    @Test
    void eachZooKeeperCodeHasItsHttpStatus() {
        Map<ErrorCode, Integer> expected = Map.ofEntries(
                Map.entry(ErrorCode.NO_NODE, 404), Map.entry(ErrorCode.NO_WATCHER, 404),
                Map.entry(ErrorCode.NODE_EXISTS, 409), Map.entry(ErrorCode.BAD_VERSION, 409),
                Map.entry(ErrorCode.NOT_EMPTY, 409), Map.entry(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, 409),
                Map.entry(ErrorCode.BAD_ARGUMENTS, 400), Map.entry(ErrorCode.INVALID_ACL, 400),
                Map.entry(ErrorCode.AUTH_FAILED, 400), Map.entry(ErrorCode.NO_AUTH, 403),
                Map.entry(ErrorCode.SESSION_EXPIRED, 410), Map.entry(ErrorCode.UNKNOWN_SESSION, 410),
                Map.entry(ErrorCode.CONNECTION_LOSS, 503), Map.entry(ErrorCode.OPERATION_TIMEOUT, 503),
                Map.entry(ErrorCode.UNIMPLEMENTED, 501), Map.entry(ErrorCode.SYSTEM_ERROR, 500),
                Map.entry(ErrorCode.RUNTIME_INCONSISTENCY, 500), Map.entry(ErrorCode.MARSHALLING_ERROR, 500));
        expected.forEach((code, status) -> assertEquals(status, ApiErrors.statusFor(code), code.name()));
    }

    @Test
    void theErrorBodyNamesCodeNumberPathAndMessage() {
        assertEquals("{\"error\":\"NoAuth\",\"code\":-102,\"path\":\"/x\",\"message\":\"not allowed\"}",
                ApiErrors.body(ErrorCode.NO_AUTH, "/x", "not allowed").toString());
        assertEquals("{\"error\":\"NotEmpty\",\"code\":-111,\"path\":null,\"message\":\"NotEmpty\"}",
                ApiErrors.body(ErrorCode.NOT_EMPTY, null, null).toString());
    }

    @Test
    void onlyARefusalMadeBeforeTheServerHadTheRequestIsMarkedRetrySafe() {
        assertEquals("{\"error\":\"ConnectionLoss\",\"code\":-4,\"path\":null,\"message\":\"elsewhere\","
                + "\"retrySafe\":true}", ApiErrors.body(ErrorCode.CONNECTION_LOSS, null, "elsewhere", true).toString());
        assertEquals("{\"error\":\"ConnectionLoss\",\"code\":-4,\"path\":null,\"message\":\"lost\"}",
                ApiErrors.body(ErrorCode.CONNECTION_LOSS, null, "lost", false).toString());
        ApiException refused = ApiException.retrySafe("not serving");
        assertEquals(503, refused.status());
        assertEquals(ErrorCode.CONNECTION_LOSS, refused.code());
        assertTrue(refused.retrySafe());
        assertFalse(ApiException.badInput(null, "bad").retrySafe());
        assertFalse(ApiDirectives.serverFailure(new IllegalStateException("no quorum")).retrySafe());
    }
}
