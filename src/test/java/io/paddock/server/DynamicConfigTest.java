package io.paddock.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.paddock.server.PaddockConfig.ServerSpec;
import io.paddock.storage.TxnLog;
import io.paddock.tree.Acl;
import io.paddock.tree.DataTree;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.curator.framework.imps.EnsembleTracker;
import org.apache.zookeeper.server.quorum.flexible.QuorumMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /zookeeper/config shows the ensemble as ZooKeeper 3.9 does, and Curator reads the right client addresses. */
class DynamicConfigTest {

    private static final Map<Long, ServerSpec> ENSEMBLE = Map.of(
            3L, new ServerSpec(3, "127.0.0.3", 2890, 3890, true, "127.0.0.3", 2183),
            1L, new ServerSpec(1, "127.0.0.1", 2888, 3888, false, "127.0.0.1", 2181),
            2L, new ServerSpec(2, "127.0.0.2", 2889, 3889, false, "0.0.0.0", 2182));

    @TempDir
    Path dataDir;

    @Test
    void oneLinePerServerInIdOrderWithTypeAndClientAddressThenVersionZero() {
        assertEquals("""
                server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181
                server.2=127.0.0.2:2889:3889:participant;0.0.0.0:2182
                server.3=127.0.0.3:2890:3890:observer;127.0.0.3:2183
                version=0""", DynamicConfig.text(ENSEMBLE));
    }

    @Test
    void aServerWhoseClientAddressIsUnknownGetsNoClientPart() {
        assertEquals("server.7=zk7:2888:3888:participant\nversion=0",
                DynamicConfig.text(Map.of(7L, new ServerSpec(7, "zk7", 2888, 3888, false))));
    }

    @Test
    void ipv6HostsAreBracketed() {
        assertEquals("server.1=[fe80::1]:2888:3888:participant;[::1]:2181\nversion=0",
                DynamicConfig.text(Map.of(1L, new ServerSpec(1, "fe80::1", 2888, 3888, false, "::1", 2181))));
    }

    @Test
    void zooKeeperReadsItBackAndWritesTheSameText() throws Exception {
        Properties props = new Properties();
        props.load(new StringReader(DynamicConfig.text(ENSEMBLE)));
        QuorumMaj parsed = new QuorumMaj(props);
        assertEquals(DynamicConfig.text(ENSEMBLE), parsed.toString());
        assertEquals(0, parsed.getVersion());
        assertEquals(2, parsed.getVotingMembers().size());
    }

    @Test
    void curatorsEnsembleTrackerConnectsToTheGivenClientAddressesAndSkipsUnknownOnes() throws Exception {
        Properties props = new Properties();
        props.load(new StringReader(DynamicConfig.text(Map.of(
                1L, new ServerSpec(1, "127.0.0.1", 2888, 3888, false, "127.0.0.1", 2181),
                2L, new ServerSpec(2, "127.0.0.2", 2889, 3889, false),
                3L, new ServerSpec(3, "127.0.0.3", 2890, 3890, false, "0.0.0.0", 2183)))));
        // A wildcard client address falls back to the server's host, as Curator reads it.
        assertEquals("127.0.0.1:2181,127.0.0.3:2183", EnsembleTracker.configToConnectionString(new QuorumMaj(props)));
    }

    @Test
    void standaloneShowsNothing() {
        assertEquals(0, DynamicConfig.data(PaddockConfig.defaults(dataDir)).length);
    }

    @Test
    void theTreeActorShowsTheConfigWithoutChangingTheDigest() throws Exception {
        ActorTestKit testKit = ActorTestKit.create();
        try {
            PaddockConfig config = PaddockConfig.defaults(dataDir).withServers(ENSEMBLE);
            TxnLog log = TxnLog.open(dataDir, LogWriter.options(config.storage()));
            ActorRef<TreeActor.Command> tree = testKit.spawn(
                    TreeActor.create(config, 1, System::currentTimeMillis, new DataTree(), log), "tree");
            TestProbe<Reply> replies = testKit.createTestProbe();
            tree.tell(new TreeActor.Read(ServerGateway.NO_SESSION, List.of(),
                    new Op.GetData(DataTree.CONFIG_ZOOKEEPER, false), ReplyTo.actor(replies.ref())));
            Reply reply = replies.expectMessageClass(Reply.class, Duration.ofSeconds(10));
            OpResult.Data data = assertInstanceOf(OpResult.Data.class, reply.result());
            assertArrayEquals(DynamicConfig.text(ENSEMBLE).getBytes(StandardCharsets.UTF_8), data.data());
            assertEquals(0, data.stat().mzxid());
            assertEquals(0, reply.zxid(), "setting it is no transaction");

            TestProbe<Long> digest = testKit.createTestProbe();
            tree.tell(new TreeActor.GetDigest(digest.ref()));
            assertEquals(new DataTree().digest(), digest.expectMessageClass(Long.class, Duration.ofSeconds(10)));
            tree.tell(new TreeActor.Read(ServerGateway.NO_SESSION, List.of(),
                    new Op.GetAcl(DataTree.CONFIG_ZOOKEEPER), ReplyTo.actor(replies.ref())));
            OpResult.AclList acls = assertInstanceOf(OpResult.AclList.class,
                    replies.expectMessageClass(Reply.class, Duration.ofSeconds(10)).result());
            assertEquals(Acl.READ_ACL_UNSAFE, acls.acl());
        } finally {
            testKit.shutdownTestKit();
        }
    }
}
