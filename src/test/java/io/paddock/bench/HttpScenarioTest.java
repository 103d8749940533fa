package io.paddock.bench;

import io.paddock.PaddockNode;
import io.paddock.server.PaddockConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The create, churn, watch and lock workloads and shared connections over the HTTP API, against an in-process server. */
class HttpScenarioTest {

    @TempDir
    Path dataDir;
    private PaddockNode node;
    private URI url;

    @BeforeEach
    void start() throws Exception {
        node = PaddockNode.start(PaddockConfig.defaults(dataDir).withPorts(0, 0).withClientPortAddress("127.0.0.1"));
        url = URI.create("http://127.0.0.1:" + node.httpAddress().getPort());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private RunResult benchOnce(String workload, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--url", url.toString(), "--workload", workload,
                "--duration", "800ms", "--warmup", "100ms"));
        args.addAll(List.of(more));
        BenchOptions options = BenchOptions.parse(args, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        List<RunResult> results = BenchCommand.bench(options, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        RunResult r = results.get(0);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(workload, r.workload());
        assertEquals("http", r.protocol());
        assertTrue(r.ops() > 0, "no op counted: " + r.jsonLine() + "\n" + progress.toString(StandardCharsets.UTF_8));
        assertEquals(0, r.errors(), r.jsonLine() + "\n" + progress.toString(StandardCharsets.UTF_8));
        assertTrue(printed.contains(r.tableRow()) && printed.contains(r.jsonLine()), printed);
        HttpResponse<String> root = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "/v1/children/")).build(), HttpResponse.BodyHandlers.ofString());
        assertFalse(root.body().contains("bench-"), "the parent znode is left: " + root.body());
        return r;
    }

    private long sessionCount() throws Exception {
        HttpResponse<String> status = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "/v1/status")).build(), HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.body()).path("sessionCount").asLong();
    }

    @Test
    void createMakesANewZnodePerRequest() throws Exception {
        RunResult r = benchOnce("create", "--clients", "2", "--value-size", "256");
        assertEquals(256, r.valueSize());
    }

    @Test
    void churnClosesEverySessionItOpens() throws Exception {
        benchOnce("churn", "--clients", "2");
        assertEquals(0, sessionCount(), "sessions left open");
    }

    @Test
    void watchNotifiesEveryWatcherOverItsEventStreamEveryRound() throws Exception {
        RunResult r = benchOnce("watch", "--watchers", "5");
        assertEquals(5L * r.ops(), r.details().get("notifications"), r.jsonLine());
        assertEquals(0, sessionCount(), "sessions left open");
    }

    @Test
    void lockContendersWithTheMutexRecipeNeverOverlap() throws Exception {
        RunResult r = benchOnce("lock", "--clients", "3");
        assertEquals(0L, r.details().get("overlaps"), r.jsonLine());
    }

    @Test
    void clientsQueueOnFewerSharedConnections() throws Exception {
        RunResult r = benchOnce("write", "--clients", "4", "--connections", "1", "--keys", "10");
        assertEquals(1, r.details().get("connections"));
        assertEquals(4, r.clients());
    }
}
