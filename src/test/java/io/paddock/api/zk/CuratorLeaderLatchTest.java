package io.paddock.api.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Curator's LeaderLatch: three contenders, each its own client and session, exactly one leader,
 * and leadership moving on when the leader's client closes, its latch closes, or its session
 * expires on the server.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CuratorLeaderLatchTest {

    private static final long DEADLINE_MS = 30_000;
    private static final String PATH = "/election";

    /** "id:leader" or "id:notLeader", as the latches' listeners hear them. */
    private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void closingTheLeadersClientElectsExactlyOneOther(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind)) {
            Map<String, CuratorFramework> clients = new LinkedHashMap<>();
            Map<String, LeaderLatch> latches = new LinkedHashMap<>();
            try {
                for (String id : List.of("a", "b", "c")) {
                    clients.put(id, connect(target.connectString(), target.maxSessionTimeoutMs()));
                    latches.put(id, latch(clients.get(id), id));
                }
                String first = nextLeader();
                awaitCondition("three participants", () -> participants(latches.get(first)) == 3);
                assertOnlyLeader(first, latches);

                clients.remove(first).close();
                latches.remove(first);
                String second = nextLeader();
                assertNotEquals(first, second);
                awaitCondition("two participants", () -> participants(latches.get(second)) == 2);
                assertOnlyLeader(second, latches);
            } finally {
                closeAll(latches, clients);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void closingTheLeadersLatchTellsItNotLeaderAndElectsAnother(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind)) {
            Map<String, CuratorFramework> clients = new LinkedHashMap<>();
            Map<String, LeaderLatch> latches = new LinkedHashMap<>();
            try {
                for (String id : List.of("a", "b", "c")) {
                    clients.put(id, connect(target.connectString(), target.maxSessionTimeoutMs()));
                    latches.put(id, latch(clients.get(id), id));
                }
                String first = nextLeader();
                latches.remove(first).close(LeaderLatch.CloseMode.NOTIFY_LEADER);
                // The two listeners run on different clients' threads: their order is not defined.
                Set<String> next = new HashSet<>(List.of(take(), take()));
                assertTrue(next.remove(first + ":notLeader"), "the closed leader hears notLeader: " + next);
                String second = next.iterator().next();
                assertTrue(second.endsWith(":leader"), "another becomes leader: " + next);
                String secondId = second.substring(0, second.indexOf(':'));
                awaitCondition("two participants", () -> participants(latches.get(secondId)) == 2);
                assertOnlyLeader(secondId, latches);
            } finally {
                closeAll(latches, clients);
            }
        }
    }

    /**
     * The leader goes silent (its connection passes through a proxy that stops forwarding, so
     * neither the client nor the server closes the session): it hears notLeader once it counts
     * itself disconnected, the server expires its session and deletes its latch node, and only
     * then does another contender lead. When the proxy forwards again the old client learns that
     * its session expired, starts a new one and rejoins as a follower.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void leaderWhoseSessionExpiresIsReplaced(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind);
             FreezableProxy proxy = new FreezableProxy(target.connectString())) {
            Map<String, CuratorFramework> clients = new LinkedHashMap<>();
            Map<String, LeaderLatch> latches = new LinkedHashMap<>();
            try {
                CuratorFramework silent = connect(proxy.connectString(), target.maxSessionTimeoutMs());
                BlockingQueue<ConnectionState> silentStates = new LinkedBlockingQueue<>();
                silent.getConnectionStateListenable().addListener((c, state) -> silentStates.add(state));
                clients.put("silent", silent);
                latches.put("silent", latch(silent, "silent"));
                assertEquals("silent", nextLeader(), "the first contender leads");
                for (String id : List.of("b", "c")) {
                    clients.put(id, connect(target.connectString(), target.maxSessionTimeoutMs()));
                    latches.put(id, latch(clients.get(id), id));
                }
                awaitCondition("three participants", () -> participants(latches.get("b")) == 3);
                long oldSession = silent.getZookeeperClient().getZooKeeper().getSessionId();

                proxy.freeze();
                assertEquals("silent:notLeader", take(), "the silenced leader steps down first");
                String second = nextLeader();
                assertTrue(second.equals("b") || second.equals("c"), second);
                List<String> left = participantIds(latches.get(second));
                assertEquals(2, left.size(), "the expired session's latch node is gone: " + left);
                assertFalse(left.contains("silent"));
                assertFalse(latches.get("silent").hasLeadership());

                proxy.thaw();
                awaitState(silentStates, ConnectionState.RECONNECTED);
                assertNotEquals(oldSession, silent.getZookeeperClient().getZooKeeper().getSessionId(),
                        "the old session expired, so the client needed a new one");
                awaitCondition("the old leader rejoins", () -> participants(latches.get(second)) == 3);
                assertEquals(second, latches.get("silent").getLeader().getId());
                assertOnlyLeader(second, latches);
            } finally {
                closeAll(latches, clients);
            }
        }
    }

    private LeaderLatch latch(CuratorFramework client, String id) throws Exception {
        LeaderLatch latch = new LeaderLatch(client, PATH, id, LeaderLatch.CloseMode.NOTIFY_LEADER);
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                heard.add(id + ":leader");
            }

            @Override
            public void notLeader() {
                heard.add(id + ":notLeader");
            }
        });
        latch.start();
        return latch;
    }

    /** The next "id:leader" heard; no other latch may have heard anything in between. */
    private String nextLeader() throws InterruptedException {
        String h = take();
        assertTrue(h.endsWith(":leader"), "expected a new leader, heard " + h);
        return h.substring(0, h.indexOf(':'));
    }

    private String take() throws InterruptedException {
        String h = heard.poll(DEADLINE_MS, TimeUnit.MILLISECONDS);
        if (h == null) {
            fail("no leadership change heard within " + DEADLINE_MS + " ms");
        }
        return h;
    }

    /** Exactly one latch holds leadership, and every latch reads the same leader from the server. */
    private static void assertOnlyLeader(String leader, Map<String, LeaderLatch> latches) throws Exception {
        for (Map.Entry<String, LeaderLatch> e : latches.entrySet()) {
            assertEquals(e.getKey().equals(leader), e.getValue().hasLeadership(), e.getKey() + " hasLeadership");
            Participant p = e.getValue().getLeader();
            assertEquals(leader, p.getId(), e.getKey() + " sees the leader");
            assertTrue(p.isLeader());
        }
    }

    private static int participants(LeaderLatch latch) {
        try {
            return latch.getParticipants().size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> participantIds(LeaderLatch latch) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Participant p : latch.getParticipants()) {
            ids.add(p.getId());
        }
        return ids;
    }

    private static void awaitState(BlockingQueue<ConnectionState> states, ConnectionState wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        List<ConnectionState> seen = new ArrayList<>();
        while (true) {
            ConnectionState s = states.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (s == null) {
                fail("no " + wanted + " within " + DEADLINE_MS + " ms; saw " + seen);
            }
            seen.add(s);
            if (s == wanted) {
                return;
            }
        }
    }

    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private static void closeAll(Map<String, LeaderLatch> latches, Map<String, CuratorFramework> clients) {
        for (LeaderLatch l : latches.values()) {
            try {
                l.close(LeaderLatch.CloseMode.SILENT);
            } catch (IOException | IllegalStateException e) {
                // already closed, or its client is gone: nothing left to release
            }
        }
        clients.values().forEach(CuratorFramework::close);
    }

    private static CuratorFramework connect(String connectString, int sessionTimeoutMs) throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(sessionTimeoutMs)
                .connectionTimeoutMs(5_000)
                .retryPolicy(new RetryNTimes(3, 200))
                .build();
        client.start();
        if (!client.blockUntilConnected(10, TimeUnit.SECONDS)) {
            client.close();
            fail("no connection to " + connectString);
        }
        return client;
    }

    /**
     * A TCP relay in front of the server that can be made to go silent: frozen, it keeps every
     * socket open but drops what arrives and relays nothing, and it holds new connections without
     * relaying them, so the server hears no pings and no close. Thawing drops the silent sockets.
     */
    private static final class FreezableProxy implements AutoCloseable {
        private final ServerSocket listener;
        private final InetSocketAddress upstream;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile boolean frozen;

        FreezableProxy(String connectString) throws IOException {
            String first = connectString.split(",")[0];
            int colon = first.lastIndexOf(':');
            upstream = new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accepter = new Thread(this::acceptLoop, "proxy-accept");
            accepter.setDaemon(true);
            accepter.start();
        }

        String connectString() {
            return "127.0.0.1:" + listener.getLocalPort();
        }

        void freeze() {
            frozen = true;
        }

        void thaw() {
            frozen = false;
            sockets.forEach(FreezableProxy::closeQuietly);
            sockets.clear();
        }

        private void acceptLoop() {
            while (!listener.isClosed()) {
                try {
                    Socket down = listener.accept();
                    sockets.add(down);
                    if (frozen) {
                        continue;
                    }
                    Socket up = new Socket(upstream.getAddress(), upstream.getPort());
                    sockets.add(up);
                    relay(down, up);
                    relay(up, down);
                } catch (IOException e) {
                    // the listener closed, or the server refused: the client will retry
                }
            }
        }

        private void relay(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                        if (!frozen) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // one side closed
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "proxy-relay");
            t.setDaemon(true);
            t.start();
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            sockets.forEach(FreezableProxy::closeQuietly);
        }
    }
}
