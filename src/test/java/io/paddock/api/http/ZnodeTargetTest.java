package io.paddock.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.http.javadsl.model.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The znode endpoints read a plain URL path and query from the request target themselves: to
 * what akka-http's parser gives.
 */
class ZnodeTargetTest {

    private static Map<String, String> akka(String uri) {
        return HttpRequest.create(uri).getUri().query().toMap();
    }

    @Test
    void aPlainQueryGivesWhatAkkaHttpsParserGives() {
        List<String> queries = List.of("", "?", "?raw", "?raw=", "?raw=true", "?watch=true&version=3", "?a=1&a=2",
                "?=b", "?a=b=c", "?a&&b", "?&", "?&&", "?a=&b", "?x.y-z_w=1.5", "?version=-1", "?A=B");
        for (String q : queries) {
            String uri = "/v1/znodes/a" + q;
            assertEquals(akka(uri), ZnodeRoutes.queryOf(HttpRequest.create(uri), null), uri);
            assertEquals(akka(uri), ZnodeRoutes.queryOf(HttpRequest.create(uri), uri), "raw target " + uri);
        }
    }

    @Test
    void anyOtherQueryIsDecodedByAkkaHttp() {
        for (String q : List.of("?mode=PERSISTENT%5FSEQUENTIAL", "?a+b=c+d", "?k=v;w", "?k=%E2%9C%93")) {
            String uri = "/v1/znodes/a" + q;
            assertEquals(akka(uri), ZnodeRoutes.queryOf(HttpRequest.create(uri), null), uri);
            assertEquals(akka(uri), ZnodeRoutes.queryOf(HttpRequest.create(uri), uri), "raw target " + uri);
        }
    }

    @Test
    void aPlainTargetsPathIsTheParsedPath() {
        for (String t : List.of("/v1/znodes/a", "/v1/znodes/a?raw", "/v1/znodes", "/v1/stat/a/b-c_d~e?x=1&y",
                "/v1/children/a:b@c;d=e,f+g!h$i'j(k)l*m", "/v1//znodes/a", "/", "/v1/znodes/a.b/c..d?v=.")) {
            assertEquals(HttpRequest.create(t).getUri().path(), ZnodeRoutes.plainPathOf(t), t);
        }
    }

    @Test
    void anyOtherTargetIsLeftToTheParsedPath() {
        for (String t : List.of("/v1/znodes/%61", "/v1/znodes/./a", "/v1/x/../znodes/a", "/v1/znodes/.",
                "http://host/v1/znodes/a", "*", "")) {
            assertEquals(null, ZnodeRoutes.plainPathOf(t), t);
        }
        assertEquals(null, ZnodeRoutes.plainPathOf(null));
    }
}
