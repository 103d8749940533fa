package io.paddock.bench;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the workloads send, and where: no server is needed to build the requests. */
class WorkloadTest {

    private static final List<URI> URLS = List.of(URI.create("http://a:1"), URI.create("http://b:2"),
            URI.create("http://c:3"));

    private static HttpWorkload workload(String kind, List<URI> urls, int keys) throws Exception {
        List<String> args = List.of("--url", String.join(",", urls.stream().map(URI::toString).toList()),
                "--workload", kind, "--keys", Integer.toString(keys));
        BenchOptions options = BenchOptions.parse(args, null);
        return (HttpWorkload) Workload.of(options, urls.stream().map(BenchHttp::new).toList(), "/bench-t");
    }

    @Test
    void clientIRequestsGoToUrlIModN() throws Exception {
        for (String kind : List.of("write", "read", "mixed")) {
            HttpWorkload w = workload(kind, URLS, 10);
            for (int client = 0; client < 8; client++) {
                HttpRequest r = w.requests(client, 8).get();
                assertEquals(URLS.get(client % 3).getAuthority(), r.uri().getAuthority(), kind + " client " + client);
            }
        }
    }

    @Test
    void writesAreSetDataPutsAndReadsAreRawGetsOfTheSameKeys() throws Exception {
        HttpRequest write = workload("write", URLS, 10).requests(1, 4).get();
        assertEquals("PUT", write.method());
        assertEquals(URI.create("http://b:2/v1/znodes/bench-t/k0000001"), write.uri());
        assertEquals("application/octet-stream", write.headers().firstValue("Content-Type").orElse(""));
        assertEquals(100, write.bodyPublisher().orElseThrow().contentLength());
        HttpRequest read = workload("read", URLS, 10).requests(1, 4).get();
        assertEquals("GET", read.method());
        assertEquals(URI.create("http://b:2/v1/znodes/bench-t/k0000001?raw"), read.uri());
    }

    @Test
    void aClientStepsThroughTheKeysByTheNumberOfClientsWrappingAtTheEnd() throws Exception {
        Supplier<HttpRequest> reads = workload("read", List.of(URLS.get(0)), 5).requests(1, 3);
        List<String> paths = List.of(reads.get(), reads.get(), reads.get(), reads.get()).stream()
                .map(r -> r.uri().getPath()).toList();
        assertEquals(List.of("/v1/znodes/bench-t/k0000001", "/v1/znodes/bench-t/k0000004",
                "/v1/znodes/bench-t/k0000002", "/v1/znodes/bench-t/k0000000"), paths);
    }

    @Test
    void createsArePostsOfBareBytesEachToANameOfItsOwnOfTheKeySize() throws Exception {
        BenchOptions options = BenchOptions.parse(List.of("--url", "http://a:1,http://b:2", "--workload", "create",
                "--key-size", "5", "--value-size", "7"), null);
        HttpWorkload w = (HttpWorkload) Workload.of(options, options.urls().stream().map(BenchHttp::new).toList(),
                "/bench-t");
        HttpRequest first = w.requests(0, 2).get();
        HttpRequest second = w.requests(1, 2).get();
        HttpRequest third = w.requests(0, 2).get();
        assertEquals("POST", first.method());
        assertEquals("application/octet-stream", first.headers().firstValue("Content-Type").orElse(""));
        assertEquals(7, first.bodyPublisher().orElseThrow().contentLength());
        assertEquals(URI.create("http://a:1/v1/znodes/bench-t/c0000"), first.uri());
        assertEquals(URI.create("http://b:2/v1/znodes/bench-t/c0001"), second.uri());
        assertEquals(URI.create("http://a:1/v1/znodes/bench-t/c0002"), third.uri());
    }

    @Test
    void failoverIsNotAClientWorkload() throws Exception {
        BenchOptions options = BenchOptions.parse(List.of("--workload", "failover"), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Workload.of(options, List.of(new BenchHttp(URLS.get(0))), "/bench-t"));
        assertTrue(e.getMessage().contains("failover"), e.getMessage());
    }
}
