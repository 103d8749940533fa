package io.paddock.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.http.javadsl.model.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The znode endpoints split a plain query themselves: to the same parameters akka-http's parser gives. */
class ZnodeQueryTest {

    private static Map<String, String> akka(String uri) {
        return HttpRequest.create(uri).getUri().query().toMap();
    }

    @Test
    void aPlainQueryGivesWhatAkkaHttpsParserGives() {
        List<String> queries = List.of("", "?", "?raw", "?raw=", "?raw=true", "?watch=true&version=3", "?a=1&a=2",
                "?=b", "?a=b=c", "?a&&b", "?&", "?&&", "?a=&b", "?x.y-z_w=1.5", "?version=-1", "?A=B");
        for (String q : queries) {
            String uri = "/v1/znodes/a" + q;
            assertEquals(akka(uri), ZnodeRoutes.queryOf(HttpRequest.create(uri)), uri);
        }
    }

    @Test
    void anyOtherQueryIsDecodedByAkkaHttp() {
        for (String q : List.of("?mode=PERSISTENT%5FSEQUENTIAL", "?a+b=c+d", "?k=v;w", "?k=%E2%9C%93")) {
            String uri = "/v1/znodes/a" + q;
            assertEquals(akka(uri), ZnodeRoutes.queryOf(HttpRequest.create(uri)), uri);
        }
    }
}
