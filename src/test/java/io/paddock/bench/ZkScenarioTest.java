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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The create, churn, watch and lock workloads and the shared sessions of --connections over
 * ZooKeeper's protocol, against a real Apache ZooKeeper 3.9.5 (and churn, lock and watch once
 * against Paddock's client port), for under a second a run: they work and measure what they say.
 */
class ZkScenarioTest {

    /** One run of {@code args} against {@code connectString}; no error, every session closed, the parent gone. */
    private static RunResult benchOnce(String connectString, String workload, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--protocol", "zk", "--url", connectString, "--workload", workload,
                "--duration", "800ms", "--warmup", "100ms"));
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
        assertTrue(r.ops() > 0, "no op counted: " + r.jsonLine() + "\n" + progress.toString(StandardCharsets.UTF_8));
        assertEquals(0, r.errors(), r.jsonLine() + "\n" + progress.toString(StandardCharsets.UTF_8));
        assertTrue(r.p50Us() > 0 && r.p50Us() <= r.p99Us() && r.p99Us() <= r.maxUs(), r.jsonLine());
        assertTrue(printed.contains(r.tableRow()) && printed.contains(r.jsonLine()), printed);
        List<String> root = RealZooKeeper.children(connectString, "/");
        assertTrue(root.stream().noneMatch(name -> name.startsWith("bench-")), "the parent znode is left: " + root);
        return r;
    }

    @Test
    void createMakesANewZnodePerOpAndRemovesThemAll(@TempDir Path dir) throws Exception {
        try (RealZooKeeper zk = RealZooKeeper.start(dir)) {
            RunResult r = benchOnce(zk.connectString(), "create", "--clients", "2", "--outstanding", "4",
                    "--value-size", "256", "--key-size", "12");
            assertEquals(0, r.keys());
            assertEquals(12, r.details().get("keySize"));
            assertEquals(0, zk.sessionCount(), "sessions left open");
        }
    }

    @Test
    void churnOpensAndClosesASessionPerCycleLeavingNone(@TempDir Path dir) throws Exception {
        try (RealZooKeeper zk = RealZooKeeper.start(dir)) {
            RunResult r = benchOnce(zk.connectString(), "churn", "--clients", "2");
            assertEquals(1, r.outstanding());
            // Each cycle's closeSession was confirmed: none is left to expire, and neither are its ephemerals.
            assertEquals(0, zk.sessionCount(), "sessions left open");
        }
    }

    @Test
    void watchNotifiesEveryWatcherEveryRound(@TempDir Path dir) throws Exception {
        try (RealZooKeeper zk = RealZooKeeper.start(dir)) {
            RunResult r = benchOnce(zk.connectString(), "watch", "--watchers", "20");
            assertEquals(20, r.clients());
            assertEquals(20, r.details().get("watchers"));
            assertEquals(20L * r.ops(), r.details().get("notifications"), r.jsonLine());
            assertTrue(r.jsonLine().contains("\"firstP50Ms\":"), r.jsonLine());
            assertEquals(0, zk.sessionCount(), "sessions left open");
        }
    }

    @Test
    void lockContendersNeverOverlap(@TempDir Path dir) throws Exception {
        try (RealZooKeeper zk = RealZooKeeper.start(dir)) {
            RunResult r = benchOnce(zk.connectString(), "lock", "--clients", "4");
            assertEquals(0L, r.details().get("overlaps"), r.jsonLine());
            assertEquals(0, zk.sessionCount(), "sessions left open");
        }
    }

    @Test
    void clientsShareFewerSessionsPipeliningOnThem(@TempDir Path dir) throws Exception {
        try (RealZooKeeper zk = RealZooKeeper.start(dir)) {
            RunResult r = benchOnce(zk.connectString(), "mixed", "--clients", "8", "--connections", "2",
                    "--outstanding", "3", "--keys", "20");
            assertEquals(8, r.clients());
            assertEquals(2, r.details().get("connections"));
            assertEquals(0, zk.sessionCount(), "sessions left open");
        }
    }

    @Test
    void targetLeaderFindsAStandaloneZooKeeperBySrvr(@TempDir Path dir) throws Exception {
        try (RealZooKeeper zk = RealZooKeeper.start(dir)) {
            assertEquals("standalone", ServerRoles.zkMode(zk.address()));
            RunResult r = benchOnce(zk.connectString(), "write", "--clients", "1", "--keys", "5", "--target", "leader");
            assertEquals("leader", r.details().get("target"));
            BenchOptions followers = BenchOptions.parse(List.of("--protocol", "zk", "--url", zk.connectString(),
                    "--target", "followers", "--duration", "200ms"), null);
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            BenchException none = org.junit.jupiter.api.Assertions.assertThrows(BenchException.class,
                    () -> BenchCommand.bench(followers, new PrintStream(new ByteArrayOutputStream()),
                            new PrintStream(progress, true, StandardCharsets.UTF_8)));
            assertTrue(none.getMessage().contains("picks none of the servers given"), none.getMessage());
        }
    }

    @Test
    void churnAgainstPaddocksClientPortHasEveryCloseSessionConfirmed(@TempDir Path dataDir) throws Exception {
        PaddockNode node = PaddockNode.start(PaddockConfig.defaults(dataDir).withPorts(0, 0)
                .withClientPortAddress("127.0.0.1"));
        try {
            String url = "127.0.0.1:" + node.clientAddress().getPort();
            // benchOnce counts a closeSession whose reply never came as an error.
            RunResult r = benchOnce(url, "churn", "--clients", "2");
            assertEquals(1, r.outstanding());
            assertEquals(0, node.gateway().status().toCompletableFuture().get(15, TimeUnit.SECONDS).sessionCount(),
                    "sessions left open");
        } finally {
            node.close();
        }
    }

    @Test
    void lockAndWatchWorkAgainstPaddocksOwnClientPort(@TempDir Path dataDir) throws Exception {
        PaddockNode node = PaddockNode.start(PaddockConfig.defaults(dataDir).withPorts(0, 0)
                .withClientPortAddress("127.0.0.1"));
        try {
            String url = "127.0.0.1:" + node.clientAddress().getPort();
            RunResult lock = benchOnce(url, "lock", "--clients", "3");
            assertEquals(0L, lock.details().get("overlaps"), lock.jsonLine());
            RunResult watch = benchOnce(url, "watch", "--watchers", "5");
            assertEquals(5L * watch.ops(), watch.details().get("notifications"), watch.jsonLine());
        } finally {
            node.close();
        }
    }
}
