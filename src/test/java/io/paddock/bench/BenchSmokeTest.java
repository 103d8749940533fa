package io.paddock.bench;

import io.paddock.PaddockNode;
import io.paddock.server.PaddockConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver end to end against an in-process server, for about a second: it works, not how fast. */
class BenchSmokeTest {

    @Test
    void writeRunCountsOpsWithoutErrorsAndRemovesItsZnodes(@TempDir Path dataDir) throws Exception {
        PaddockNode node = PaddockNode.start(PaddockConfig.defaults(dataDir).withPorts(0, 0)
                .withClientPortAddress("127.0.0.1"));
        try {
            URI url = URI.create("http://127.0.0.1:" + node.httpAddress().getPort());
            BenchOptions options = BenchOptions.parse(List.of("--url", url.toString(), "--clients", "2",
                    "--duration", "1s", "--warmup", "200ms", "--keys", "20", "--value-size", "100"), null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream progress = new ByteArrayOutputStream();

            List<RunResult> results = BenchCommand.bench(options,
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(progress, true, StandardCharsets.UTF_8));

            assertEquals(1, results.size());
            RunResult r = results.get(0);
            assertEquals("write", r.workload());
            assertEquals(2, r.clients());
            assertTrue(r.ops() > 0, "no op counted: " + r.jsonLine());
            assertEquals(0, r.errors(), r.jsonLine() + "\n" + progress.toString(StandardCharsets.UTF_8));
            assertTrue(r.p50Us() > 0 && r.p50Us() <= r.p99Us() && r.p99Us() <= r.maxUs(), r.jsonLine());
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains(r.jsonLine()), printed);
            assertTrue(printed.contains(r.tableRow()), printed);

            HttpResponse<String> root = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/v1/children/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, root.statusCode());
            assertFalse(root.body().contains("bench-"), "the parent znode is left: " + root.body());
        } finally {
            node.close();
        }
    }

    @Test
    void readRunOverTwoUrlsCountsOpsWithoutErrorsAndSaysHowManyUrls(@TempDir Path dataDir) throws Exception {
        PaddockNode node = PaddockNode.start(PaddockConfig.defaults(dataDir).withPorts(0, 0)
                .withClientPortAddress("127.0.0.1"));
        try {
            // The same server under two spellings: two URLs, each with its own clients.
            int port = node.httpAddress().getPort();
            String urls = "http://127.0.0.1:" + port + ",http://localhost:" + port;
            BenchOptions options = BenchOptions.parse(List.of("--url", urls, "--workload", "read", "--clients", "2",
                    "--duration", "1s", "--warmup", "200ms", "--keys", "20", "--value-size", "100"), null);
            ByteArrayOutputStream progress = new ByteArrayOutputStream();

            List<RunResult> results = BenchCommand.bench(options,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(progress, true, StandardCharsets.UTF_8));

            RunResult r = results.get(0);
            assertEquals("read", r.workload());
            assertEquals(2, r.urls());
            assertTrue(r.ops() > 0, "no op counted: " + r.jsonLine());
            assertEquals(0, r.errors(), r.jsonLine() + "\n" + progress.toString(StandardCharsets.UTF_8));
            assertTrue(r.jsonLine().contains("\"urls\":2"), r.jsonLine());
        } finally {
            node.close();
        }
    }
}
