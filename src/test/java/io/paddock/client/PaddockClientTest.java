package io.paddock.client;

import io.paddock.PaddockNode;
import io.paddock.server.PaddockConfig;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.EventType;
import io.paddock.tree.Id;
import io.paddock.tree.Perms;
import io.paddock.tree.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PaddockClient against an in-JVM server: every operation, its errors, watches and the session. */
class PaddockClientTest {

    static final Duration DEADLINE = Duration.ofSeconds(15);

    @TempDir
    static Path dataDir;

    static PaddockNode node;
    static String server;
    final List<PaddockClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        // A short tick: sessions may be as short as 400 ms, so expiry tests take seconds.
        node = PaddockNode.start(PaddockConfig.defaults(dataDir).withTickTime(200).withPorts(0, 0)
                .withClientPortAddress("127.0.0.1"));
        server = "127.0.0.1:" + node.httpAddress().getPort();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(PaddockClient::close);
    }

    PaddockClient client() throws Exception {
        return client(PaddockClient.builder(server));
    }

    PaddockClient client(PaddockClientBuilder builder) throws Exception {
        PaddockClient c = builder.build();
        clients.add(c);
        return c;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A watcher that queues what it hears. */
    static final class Recorder implements Watcher {
        final BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();

        @Override
        public void process(WatchEvent event) {
            events.add(event);
        }

        WatchEvent next() throws InterruptedException {
            WatchEvent e = events.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(e, "no event within " + DEADLINE);
            return e;
        }

        /** The next event of a node (session-state events skipped). */
        WatchEvent nextNodeEvent() throws InterruptedException {
            while (true) {
                WatchEvent e = next();
                if (e.type() != EventType.None) {
                    return e;
                }
            }
        }
    }

    @Test
    void aListenerGivenToTheBuilderHearsConnectedFirst() throws Exception {
        BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
        PaddockClient c = client(PaddockClient.builder(server).connectionStateListener((cl, s) -> states.add(s)));
        assertEquals(ConnectionState.CONNECTED, states.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertTrue(c.sessionId() != 0);
        assertEquals("standalone", c.serverInfo().mode());
    }

    @Test
    void createReadUpdateDeleteRoundTrip() throws Exception {
        PaddockClient c = client();
        assertEquals("/crud", c.create("/crud", bytes("one"), CreateMode.PERSISTENT));
        NodeData d = c.getData("/crud");
        assertEquals("one", text(d.data()));
        assertEquals(0, d.stat().version());
        Stat s = c.setData("/crud", bytes("two"), 0);
        assertEquals(1, s.version());
        assertEquals("two", text(c.getData("/crud").data()));
        assertTrue(c.exists("/crud").isPresent());
        c.delete("/crud", 1);
        assertEquals(Optional.empty(), c.exists("/crud"));
    }

    @Test
    void createModesParentsAndChildren() throws Exception {
        PaddockClient c = client();
        Created deep = c.create("/modes/a/b", bytes("x"), CreateOptions.of(CreateMode.PERSISTENT).withParents());
        assertEquals("/modes/a/b", deep.path());
        String seq1 = c.create("/modes/job-", new byte[0], CreateMode.PERSISTENT_SEQUENTIAL);
        String seq2 = c.create("/modes/job-", new byte[0], CreateMode.PERSISTENT_SEQUENTIAL);
        assertTrue(seq1.matches("/modes/job-\\d{10}"), seq1);
        assertTrue(seq2.compareTo(seq1) > 0, seq2 + " after " + seq1);
        String eph = c.create("/modes/eph", new byte[0], CreateMode.EPHEMERAL);
        assertEquals(c.sessionId(), c.exists(eph).orElseThrow().ephemeralOwner());
        c.create("/modes/ttl", new byte[0], CreateOptions.of(CreateMode.PERSISTENT_WITH_TTL).withTtl(60_000));
        Children children = c.getChildrenAsync("/modes", null).toCompletableFuture().get();
        assertEquals(List.of("a", "eph", seq1.substring(7), seq2.substring(7), "ttl"), children.names());
        assertEquals(5, children.stat().numChildren());
        assertEquals(List.of("/modes/a", "/modes/a/b", "/modes/eph", seq1, seq2, "/modes/ttl"),
                c.getDescendants("/modes"));
        assertEquals(List.of("/modes/eph"), c.getEphemerals("/modes"));
        c.deleteRecursive("/modes");
        assertEquals(Optional.empty(), c.exists("/modes"));
    }

    @Test
    void refusalsAreTypedExceptionsNamingThePath() throws Exception {
        PaddockClient c = client();
        PaddockException.NoNodeException noNode =
                assertThrows(PaddockException.NoNodeException.class, () -> c.getData("/missing"));
        assertEquals("/missing", noNode.path());
        c.create("/typed", new byte[0], CreateMode.PERSISTENT);
        c.create("/typed/child", new byte[0], CreateMode.PERSISTENT);
        assertThrows(PaddockException.NodeExistsException.class,
                () -> c.create("/typed", new byte[0], CreateMode.PERSISTENT));
        assertThrows(PaddockException.BadVersionException.class, () -> c.setData("/typed", new byte[0], 7));
        assertThrows(PaddockException.NotEmptyException.class, () -> c.delete("/typed", -1));
        assertThrows(PaddockException.BadArgumentsException.class, () -> c.getData("relative"));
        assertThrows(PaddockException.BadArgumentsException.class, () -> c.getData("/a//b"));
        PaddockException async = PaddockClient.asPaddockException(assertThrows(Exception.class,
                () -> c.getDataAsync("/missing", null).toCompletableFuture().join()));
        assertInstanceOf(PaddockException.NoNodeException.class, async);
        c.deleteRecursive("/typed");
    }

    @Test
    void aOneShotDataWatchHearsTheFirstChangeOnly() throws Exception {
        PaddockClient c = client();
        PaddockClient other = client();
        c.create("/oneshot", bytes("0"), CreateMode.PERSISTENT);
        Recorder w = new Recorder();
        c.getData("/oneshot", w);
        other.setData("/oneshot", bytes("1"), -1);
        other.setData("/oneshot", bytes("2"), -1);
        WatchEvent e = w.next();
        assertEquals(EventType.NodeDataChanged, e.type());
        assertEquals("/oneshot", e.path());
        assertEquals(EventState.SyncConnected, e.state());
        // A marker through the same session's stream: the second change, had it been heard, came before it.
        Recorder marker = new Recorder();
        c.exists("/oneshot-marker", marker);
        other.create("/oneshot-marker", new byte[0], CreateMode.PERSISTENT);
        assertEquals(EventType.NodeCreated, marker.next().type());
        assertNull(w.events.poll(), "a one-shot watch fired twice");
    }

    @Test
    void watchesFireForCreationChildrenAndDeletion() throws Exception {
        PaddockClient c = client();
        PaddockClient other = client();
        Recorder exists = new Recorder();
        assertEquals(Optional.empty(), c.exists("/kinds", exists));
        other.create("/kinds", new byte[0], CreateMode.PERSISTENT);
        assertEquals("NodeCreated /kinds", describe(exists.next()));
        Recorder children = new Recorder();
        c.getChildren("/kinds", children);
        other.create("/kinds/x", new byte[0], CreateMode.PERSISTENT);
        assertEquals(EventType.NodeChildrenChanged, children.next().type());
        Recorder deleted = new Recorder();
        c.getData("/kinds/x", deleted);
        other.delete("/kinds/x", -1);
        assertEquals(EventType.NodeDeleted, deleted.next().type());
        other.delete("/kinds", -1);
    }

    @Test
    void aPersistentRecursiveWatchHearsEverythingBelowUntilRemoved() throws Exception {
        PaddockClient c = client();
        PaddockClient other = client();
        c.create("/tree", new byte[0], CreateMode.PERSISTENT);
        Recorder w = new Recorder();
        c.addWatch("/tree", AddWatchMode.PERSISTENT_RECURSIVE, w);
        other.create("/tree/a", new byte[0], CreateMode.PERSISTENT);
        other.setData("/tree/a", bytes("x"), -1);
        other.delete("/tree/a", -1);
        assertEquals(List.of("NodeCreated /tree/a", "NodeDataChanged /tree/a", "NodeDeleted /tree/a"),
                List.of(describe(w.nextNodeEvent()), describe(w.nextNodeEvent()), describe(w.nextNodeEvent())));
        c.removeWatches("/tree", WatcherType.PERSISTENT_RECURSIVE);
        WatchEvent removed = w.nextNodeEvent();
        assertEquals(EventType.PersistentWatchRemoved, removed.type());
        assertThrows(PaddockException.NoWatcherException.class,
                () -> c.removeWatches("/tree", WatcherType.PERSISTENT_RECURSIVE));
        other.delete("/tree", -1);
    }

    static String describe(WatchEvent e) {
        return e.type() + " " + e.path();
    }

    @Test
    void watchListenersHearEveryEventAfterTheWatchers() throws Exception {
        PaddockClient c = client();
        PaddockClient other = client();
        Recorder listener = new Recorder();
        c.addWatchListener(listener);
        c.create("/listened", new byte[0], CreateMode.PERSISTENT);
        c.getData("/listened", e -> { });
        other.setData("/listened", bytes("y"), -1);
        assertEquals("NodeDataChanged /listened", describe(listener.nextNodeEvent()));
        other.delete("/listened", -1);
    }

    @Test
    void multiAppliesAllOrNothing() throws Exception {
        PaddockClient c = client();
        List<MultiResult> ok = c.multi(List.of(
                MultiOp.create("/multi", bytes("m"), CreateMode.PERSISTENT),
                MultiOp.setData("/multi", bytes("n"), 0),
                MultiOp.check("/multi", 1)));
        assertEquals("/multi", ((MultiResult.Create) ok.get(0)).path());
        assertEquals(1, ((MultiResult.SetData) ok.get(1)).stat().version());
        assertInstanceOf(MultiResult.Check.class, ok.get(2));
        assertThrows(PaddockException.BadVersionException.class, () -> c.multi(List.of(
                MultiOp.create("/multi/child", new byte[0], CreateMode.PERSISTENT),
                MultiOp.check("/multi", 5))));
        assertEquals(Optional.empty(), c.exists("/multi/child"));
        c.delete("/multi", -1);
    }

    @Test
    void aclsAuthAndIdentities() throws Exception {
        PaddockClient owner = client();
        PaddockClient stranger = client();
        owner.addAuth("digest", bytes("alice:secret"));
        String digest = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-1").digest(bytes("alice:secret")));
        List<Acl> aliceOnly = List.of(new Acl(Perms.ALL, new Id("digest", "alice:" + digest)));
        owner.create("/private", bytes("s"), CreateOptions.of(CreateMode.PERSISTENT).withAcl(aliceOnly));
        assertEquals(aliceOnly, owner.getAcl("/private").acl());
        assertThrows(PaddockException.NoAuthException.class, () -> stranger.getData("/private"));
        assertEquals("s", text(owner.getData("/private").data()));
        assertTrue(owner.whoAmI().contains(new Id("digest", "alice")), owner.whoAmI().toString());
        owner.setAcl("/private", Acl.OPEN_ACL_UNSAFE, 0);
        assertEquals("s", text(stranger.getData("/private").data()));
        owner.delete("/private", -1);
    }

    @Test
    void closingTheClientEndsItsSessionAndItsEphemerals() throws Exception {
        PaddockClient c = client();
        PaddockClient observer = client();
        c.create("/goner", new byte[0], CreateMode.EPHEMERAL);
        Recorder w = new Recorder();
        observer.exists("/goner", w);
        c.close();
        assertEquals(EventType.NodeDeleted, w.nextNodeEvent().type());
        assertThrows(PaddockException.ConnectionLossException.class, () -> c.getData("/"));
    }

    @Test
    void aWriteThatNeverReachedAServerGoesToTheNextOne() throws Exception {
        // The first server of the connect string refuses connections; the write goes to the second, once.
        String dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = "127.0.0.1:" + s.getLocalPort();
        }
        PaddockClient c = client(PaddockClient.builder(dead + "," + server));
        assertEquals(server, c.currentServer());
        String path = c.create("/failover-", new byte[0], CreateMode.PERSISTENT_SEQUENTIAL);
        assertTrue(c.exists(path).isPresent());
        c.delete(path, -1);
    }
}
