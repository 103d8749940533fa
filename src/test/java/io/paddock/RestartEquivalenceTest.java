package io.paddock;

import io.paddock.server.LogWriter;
import io.paddock.server.PaddockConfig;
import io.paddock.server.Reply;
import io.paddock.server.ServerGateway;
import io.paddock.storage.Recovery;
import io.paddock.storage.SnapshotFiles;
import io.paddock.storage.TxnLog;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tree rebuilt from the newest snapshot plus the log equals, digest for digest, the tree the
 * server held in memory when it stopped: with snapshots taken while writes kept coming.
 */
class RestartEquivalenceTest {

    @TempDir
    Path dataDir;

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void theTreeRebuiltFromSnapshotAndLogEqualsTheTreeInMemory() throws Exception {
        PaddockConfig config = PaddockConfig.defaults(dataDir).withPorts(0, 0).withClientPortAddress("127.0.0.1")
                .withStorage(PaddockConfig.Storage.DEFAULTS.withSnapCount(40));
        long seed = new Random().nextLong();
        long liveDigest;
        try (PaddockNode node = PaddockNode.start(config)) {
            workload(node.gateway(), new Random(seed));
            liveDigest = await(node.treeDigest());
        }
        assertTrue(SnapshotFiles.list(dataDir).size() >= 2, "seed " + seed + ": snapshots were taken meanwhile");
        try (TxnLog log = TxnLog.open(dataDir, LogWriter.options(config.storage()))) {
            assertEquals(liveDigest, Recovery.recover(dataDir, log).tree().digest(), "seed " + seed);
        }
        try (PaddockNode restarted = PaddockNode.start(config)) {
            assertEquals(liveDigest, await(restarted.treeDigest()), "seed " + seed + ": after a restart");
        }
    }

    /** Concurrent writes of several sessions, ephemerals included, some sessions closed. */
    private static void workload(ServerGateway gateway, Random random) throws Exception {
        List<Long> sessions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sessions.add(await(gateway.createSession(30_000)).sessionId());
        }
        await(gateway.submit(ServerGateway.NO_SESSION, create("/r", CreateMode.PERSISTENT), null));
        List<CompletionStage<Reply>> inFlight = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            long session = sessions.get(random.nextInt(sessions.size()));
            String path = "/r/n" + random.nextInt(40);
            Op op = switch (random.nextInt(6)) {
                case 0 -> create(path, CreateMode.PERSISTENT);
                case 1 -> create(path + "-", CreateMode.EPHEMERAL_SEQUENTIAL);
                case 2 -> new Op.SetData(path, bytes("v" + i), -1);
                case 3 -> new Op.Delete(path, -1);
                case 4 -> new Op.Multi(List.of(create(path + "m", CreateMode.PERSISTENT),
                        new Op.SetData(path + "m", bytes("m" + i), -1)));
                default -> create(path + "c", CreateMode.CONTAINER);
            };
            inFlight.add(gateway.submit(session, op, null));
            if (i % 50 == 49) {
                long closing = sessions.remove(0);
                inFlight.add(gateway.closeSession(closing));
                sessions.add(await(gateway.createSession(30_000)).sessionId());
            }
        }
        for (CompletionStage<Reply> stage : inFlight) {
            OpResult result = await(stage).result();
            // Refusals (NodeExists, NoNode...) are part of the workload; a log failure is not.
            assertTrue(!(result instanceof OpResult.Error e) || e.code() != ErrorCode.CONNECTION_LOSS, result.toString());
        }
    }

    private static Op create(String path, CreateMode mode) {
        return new Op.Create(path, bytes(path), Acl.OPEN_ACL_UNSAFE, mode, 0);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
