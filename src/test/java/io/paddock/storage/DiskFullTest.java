package io.paddock.storage;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import io.paddock.server.ActorGateway;
import io.paddock.server.LogWriter;
import io.paddock.server.PaddockConfig;
import io.paddock.server.Reply;
import io.paddock.server.ServerGateway;
import io.paddock.server.SessionTracker;
import io.paddock.server.TreeActor;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.DataTree;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A full disk under the transaction log: writes are refused with a clear error and not applied,
 * reads go on, nothing acknowledged is lost, and writes resume once there is space again.
 */
class DiskFullTest {

    @TempDir
    Path dataDir;

    private final TxnLogFaultTest.Disk disk = new TxnLogFaultTest.Disk();
    private ActorTestKit testKit;

    @AfterEach
    void stop() {
        if (testKit != null) {
            testKit.shutdownTestKit();
        }
    }

    private ServerGateway start(TxnLog log, DataTree tree) {
        testKit = ActorTestKit.create();
        PaddockConfig config = PaddockConfig.defaults(dataDir);
        ActorRef<TreeActor.Command> treeActor =
                testKit.spawn(TreeActor.create(config, 0, System::currentTimeMillis, tree, log), "tree");
        ActorRef<SessionTracker.Command> tracker = testKit.spawn(
                SessionTracker.create(config, 0, treeActor, System::currentTimeMillis, Map.of()), "sessions");
        return new ActorGateway(testKit.system(), treeActor, tracker, 16);
    }

    private static OpResult run(ServerGateway gateway, Op op) throws Exception {
        Reply reply = gateway.submit(ServerGateway.NO_SESSION, op, null).toCompletableFuture().get(10, TimeUnit.SECONDS);
        return reply.result();
    }

    private static Op create(String path) {
        return new Op.Create(path, path.getBytes(), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0);
    }

    @Test
    void writesFailClearlyWhileTheDiskIsFullAndResumeAfterwards() throws Exception {
        TxnLog.Options options = LogWriter.options(PaddockConfig.Storage.DEFAULTS);
        TxnLog log = TxnLog.open(dataDir, options, disk);
        ServerGateway gateway = start(log, new DataTree());

        assertInstanceOf(OpResult.Created.class, run(gateway, create("/before")));
        disk.failWritesAfter(0); // full: writes land part of their bytes and fail, forces fail
        disk.failForcesAfter(0);
        OpResult.Error refused = assertInstanceOf(OpResult.Error.class, run(gateway, create("/during")));
        assertEquals(ErrorCode.CONNECTION_LOSS, refused.code());
        assertEquals(true, refused.message().contains("No space left on device"), refused.message());
        assertInstanceOf(OpResult.Data.class, run(gateway, new Op.GetData("/before", false)), "reads go on");
        assertEquals(ErrorCode.NO_NODE,
                assertInstanceOf(OpResult.Error.class, run(gateway, new Op.GetData("/during", false))).code());

        disk.heal();
        assertInstanceOf(OpResult.Created.class, run(gateway, create("/after")));
        testKit.shutdownTestKit();
        testKit = null;

        try (TxnLog reopened = TxnLog.open(dataDir, options)) {
            DataTree recovered = Recovery.recover(dataDir, reopened).tree();
            assertEquals(true, recovered.node("/before") != null, "acknowledged before the disk filled");
            assertEquals(true, recovered.node("/during") == null, "refused, so never there");
            assertEquals(true, recovered.node("/after") != null, "acknowledged after space came back");
        }
    }
}
