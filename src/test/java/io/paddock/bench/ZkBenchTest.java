package io.paddock.bench;

import io.paddock.PaddockNode;
import io.paddock.server.PaddockConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver over ZooKeeper's binary protocol, end to end against a real Apache ZooKeeper 3.9.5
 * server (and once against Paddock's own client port), for about a second a run: it works, not how fast.
 */
class ZkBenchTest {

    private static RunResult benchOnce(RealZooKeeper zk, String workload, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--protocol", "zk", "--url", zk.connectString(),
                "--workload", workload, "--clients", "2", "--outstanding", "4", "--duration", "1s", "--warmup", "200ms",
                "--keys", "20", "--value-size", "100"));
        args.addAll(List.of(more));
        BenchOptions options = BenchOptions.parse(args, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        List<RunResult> results = BenchCommand.bench(options, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertEquals(1, results.size());
        RunResult r = results.get(0);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(workload, r.workload());
        assertEquals("zk", r.protocol());
        assertTrue(r.ops() > 0, "no op counted: " + r.jsonLine());
        assertEquals(0, r.errors(), r.jsonLine() + "\n" + progress.toString(StandardCharsets.UTF_8));
        assertTrue(r.p50Us() > 0 && r.p50Us() <= r.p99Us() && r.p99Us() <= r.maxUs(), r.jsonLine());
        assertTrue(printed.contains(r.tableRow()) && printed.contains(r.jsonLine()), printed);
        assertTrue(r.jsonLine().contains("\"protocol\":\"zk\""), r.jsonLine());
        // Every session of the run and of the set-up and clean-up was closed, not left to expire.
        assertEquals(0, zk.sessionCount(), "sessions left open");
        List<String> root = zk.children("/");
        assertTrue(root.stream().noneMatch(name -> name.startsWith("bench-")), "the parent znode is left: " + root);
        return r;
    }

    @Test
    void writeRunCountsOpsWithoutErrorsClosesItsSessionsAndRemovesItsZnodes(@TempDir Path dir) throws Exception {
        try (RealZooKeeper zk = RealZooKeeper.start(dir)) {
            RunResult r = benchOnce(zk, "write");
            assertEquals(0.0, r.readRatio());
        }
    }

    @Test
    void readRunCountsOpsWithoutErrorsClosesItsSessionsAndRemovesItsZnodes(@TempDir Path dir) throws Exception {
        try (RealZooKeeper zk = RealZooKeeper.start(dir)) {
            RunResult r = benchOnce(zk, "read");
            assertEquals(1.0, r.readRatio());
        }
    }

    @Test
    void mixedRunCountsOpsWithoutErrorsAndReportsItsReadRatio(@TempDir Path dir) throws Exception {
        try (RealZooKeeper zk = RealZooKeeper.start(dir)) {
            RunResult r = benchOnce(zk, "mixed", "--read-ratio", "0.75");
            assertEquals(0.75, r.readRatio());
            assertTrue(r.jsonLine().contains("\"readRatio\":0.75"), r.jsonLine());
        }
    }

    @Test
    void theSameRunWorksAgainstPaddocksOwnClientPort(@TempDir Path dataDir) throws Exception {
        PaddockNode node = PaddockNode.start(PaddockConfig.defaults(dataDir).withPorts(0, 0)
                .withClientPortAddress("127.0.0.1"));
        try {
            String url = "127.0.0.1:" + node.clientAddress().getPort();
            BenchOptions options = BenchOptions.parse(List.of("--protocol", "zk", "--url", url, "--workload", "mixed",
                    "--clients", "2", "--outstanding", "4", "--duration", "1s", "--warmup", "200ms", "--keys", "20"), null);
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            RunResult r = BenchCommand.bench(options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(progress, true, StandardCharsets.UTF_8)).get(0);
            assertTrue(r.ops() > 0, "no op counted: " + r.jsonLine());
            assertEquals(0, r.errors(), r.jsonLine() + "\n" + progress.toString(StandardCharsets.UTF_8));
            List<String> root = RealZooKeeper.children(url, "/");
            assertTrue(root.stream().noneMatch(name -> name.startsWith("bench-")), "the parent znode is left: " + root);
        } finally {
            node.close();
        }
    }

    @Test
    void repliesWithAnErrorAreCountedByZooKeepersErrorName(@TempDir Path dir) throws Exception {
        try (RealZooKeeper zk = RealZooKeeper.start(dir)) {
            // Never prepared: every key is missing, so every setData and getData answers NoNode.
            ZkWorkload workload = new ZkWorkload("mixed", List.of(zk.address()), "/bench-absent", 5, 10, 0.5);
            BenchRun.Client client = workload.newClient(0, 1, 3);
            long now = System.nanoTime();
            ClientTally tally = new ClientTally(new ClientTally.Window(now, now + 300_000_000L));
            client.run(tally);
            client.close();
            assertEquals(0, tally.latencyUs().getTotalCount());
            assertEquals(List.of("NoNode"), List.copyOf(tally.errorsByCause().keySet()));
            assertTrue(tally.errorsByCause().get("NoNode") > 0, tally.errorsByCause().toString());
            assertTrue(tally.firstErrors().get("NoNode").startsWith("NoNode (-101) from 127.0.0.1:"),
                    tally.firstErrors().toString());
        }
    }

    @Test
    void requestsInFlightWhenTheServerGoesAwayCountAsConnectionLoss(@TempDir Path dir) throws Exception {
        ZkWorkload workload;
        BenchRun.Client client;
        try (RealZooKeeper zk = RealZooKeeper.start(dir)) {
            workload = new ZkWorkload("write", List.of(zk.address()), "/bench-gone", 5, 10, 0.0);
            client = workload.newClient(0, 1, 2);
        }
        long now = System.nanoTime();
        ClientTally tally = new ClientTally(new ClientTally.Window(now, now + 30_000_000_000L));
        client.run(tally); // ends at once: the connection is gone
        client.close();
        assertEquals(Map.of("ConnectionLoss", 2L), tally.errorsByCause());
    }
}
