package io.paddock.bench;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lean client's request bytes say what the JDK client's requests say, in the same order. */
class HttpWireTest {

    private static HttpWorkload workload(List<String> extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--url", "http://a:1,http://b:2"));
        args.addAll(extra);
        BenchOptions options = BenchOptions.parse(args, null);
        return (HttpWorkload) Workload.of(options, options.urls().stream().map(BenchHttp::new).toList(), "/bench-t");
    }

    /** The request as the wire carries it: request line, Host, Content-Type and Content-Length when there is a body. */
    private static String expected(HttpRequest r, byte[] value) {
        URI u = r.uri();
        String target = u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        StringBuilder sb = new StringBuilder(r.method()).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(u.getRawAuthority()).append("\r\n");
        long length = r.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L);
        if (length > 0) {
            sb.append("Content-Type: ").append(r.headers().firstValue("Content-Type").orElseThrow()).append("\r\n")
                    .append("Content-Length: ").append(length).append("\r\n\r\n")
                    .append(new String(value, StandardCharsets.ISO_8859_1));
        } else {
            sb.append("\r\n");
        }
        return sb.toString();
    }

    private static void assertSameRequests(List<String> args, int client, int clients, int count) throws Exception {
        HttpWorkload jdk = workload(args);
        HttpWorkload wire = workload(args);
        byte[] value = BenchKeys.valueBytes(args.contains("--value-size")
                ? Integer.parseInt(args.get(args.indexOf("--value-size") + 1)) : BenchOptions.DEFAULT_VALUE_SIZE);
        Supplier<HttpRequest> requests = jdk.requests(client, clients);
        HttpPipeClient.Requests bytes = wire.wireRequests(client, clients);
        HttpWire.Out out = new HttpWire.Out();
        for (int i = 0; i < count; i++) {
            out.clear();
            bytes.appendNext(out);
            assertEquals(expected(requests.get(), value), new String(out.toByteArray(), StandardCharsets.ISO_8859_1),
                    args + " request " + i);
        }
    }

    @Test
    void writesReadsMixedAndCreatesWriteTheSameRequestsAsTheJdkClientSends() throws Exception {
        assertSameRequests(List.of("--workload", "write", "--keys", "5", "--value-size", "7"), 1, 3, 6);
        assertSameRequests(List.of("--workload", "read", "--keys", "5"), 1, 3, 6);
        assertSameRequests(List.of("--workload", "mixed", "--keys", "5", "--read-ratio", "0.5", "--value-size", "3"),
                0, 2, 10);
        assertSameRequests(List.of("--workload", "create", "--key-size", "5", "--value-size", "4"), 1, 2, 3);
    }

    @Test
    void aReadIsOneHeadWithoutABody() {
        byte[] head = BenchHttp.getDataHead(URI.create("http://h:9/v1/znodes/p/k0000001"));
        assertEquals("GET /v1/znodes/p/k0000001?raw HTTP/1.1\r\nHost: h:9\r\n\r\n",
                new String(head, StandardCharsets.US_ASCII));
    }

    @Test
    void theBufferGrowsPastItsFirstSizeAndKeepsEveryByte() {
        HttpWire.Out out = new HttpWire.Out();
        byte[] big = new byte[10_000];
        Arrays.fill(big, (byte) 'x');
        out.appendAscii("GET ").append(big).appendAscii("!");
        assertEquals(10_005, out.length());
        assertTrue(new String(out.toByteArray(), StandardCharsets.US_ASCII).endsWith("xx!"));
        out.clear();
        assertEquals(0, out.length());
    }
}
