package io.paddock.api.zk;

import static io.paddock.api.zk.ZkAssertions.DEADLINE;
import static io.paddock.api.zk.ZkAssertions.OPEN;
import static io.paddock.api.zk.ZkAssertions.bytes;
import static io.paddock.api.zk.ZkAssertions.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seed's two cases (§4 and §5), with the official ZooKeeper client, on Paddock and on
 * ZooKeeper: servers registering EPHEMERAL_SEQUENTIAL nodes under /servers while a client watches
 * the list (each server a separate JVM; one killed with SIGKILL drops out once its session
 * expires), and the lock on /locks where each contender watches only its predecessor.
 */
class SeedCasesTest {

    /** A fresh JVM per seed server: several start at once, on a machine that may be busy. */
    private static final java.time.Duration JVM_START = java.time.Duration.ofSeconds(90);


    @RegisterExtension
    static final SharedTargets TARGETS = new SharedTargets();

    /** The seed servers' session timeout: a killed one is gone about this long after. */
    private static final int SERVER_SESSION_MS = 1000;

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void watchedServerListFollowsServersStartingAndDying(ZkTarget.Kind kind) throws Exception {
        ZkTarget t = TARGETS.get(kind);
        // Each run under its own chroot, so /servers is the seed's path and still unique.
        String app = TARGETS.uniqueRoot();
        List<TestJvm> servers = new ArrayList<>();
        try (ZooKeeper client = t.connect(new RecordingWatcher("client"))) {
            client.create(app, null, OPEN, CreateMode.PERSISTENT);
            client.create(app + SeedServer.SERVERS, null, OPEN, CreateMode.PERSISTENT);
            ServerList list = new ServerList(client, app + SeedServer.SERVERS);
            list.awaitHosts(Set.of());
            for (String host : List.of("host-1", "host-2", "host-3")) {
                servers.add(startServer(t.connectString(app), host));
            }
            for (TestJvm s : servers) {
                assertNotNull(s.awaitLine(SeedServer.REGISTERED, JVM_START), s::output);
            }
            list.awaitHosts(Set.of("host-1", "host-2", "host-3"));

            long killedAt = System.nanoTime();
            servers.get(1).kill();
            list.awaitHosts(Set.of("host-1", "host-3"));
            long goneAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
            // Not before the server could have noticed the silence: the node goes with the session.
            assertTrue(goneAfterMs >= SERVER_SESSION_MS / 2, "gone after " + goneAfterMs + " ms");

            TestJvm late = startServer(t.connectString(app), "host-4");
            servers.add(late);
            assertNotNull(late.awaitLine(SeedServer.REGISTERED, JVM_START), late::output);
            list.awaitHosts(Set.of("host-1", "host-3", "host-4"));
        } finally {
            for (TestJvm s : servers) {
                s.close();
            }
        }
    }

    private static TestJvm startServer(String connectString, String host) throws Exception {
        return TestJvm.start(SeedServer.class, List.of(connectString, Integer.toString(SERVER_SESSION_MS), host));
    }

    /**
     * The seed's client: list /servers with a child watch, read each server's host name, and
     * when the watch fires list again (re-registering the watch, which fires only once).
     */
    private static final class ServerList {
        private final ZooKeeper zk;
        private final String path;
        private final RecordingWatcher watch = new RecordingWatcher("servers");
        private final List<Set<String>> seen = new ArrayList<>();

        ServerList(ZooKeeper zk, String path) {
            this.zk = zk;
            this.path = path;
        }

        /** Lists until the hosts are exactly these, waiting for the watch between lists. */
        void awaitHosts(Set<String> expected) throws Exception {
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (true) {
                Set<String> hosts = list();
                seen.add(hosts);
                if (hosts.equals(expected)) {
                    return;
                }
                long left = end - System.nanoTime();
                WatchedEvent e = left > 0 ? watch.poll(Duration.ofNanos(left)) : null;
                if (e == null) {
                    fail("server list never became " + expected + "; lists seen: " + seen);
                }
                assertEquals(EventType.NodeChildrenChanged, e.getType(), e.toString());
            }
        }

        private Set<String> list() throws Exception {
            Set<String> hosts = new TreeSet<>();
            for (String child : zk.getChildren(path, watch)) {
                try {
                    hosts.add(text(zk.getData(path + "/" + child, false, null)));
                } catch (KeeperException.NoNodeException e) {
                    // gone between the listing and the read: the watch will tell
                }
            }
            return hosts;
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void lockWithPredecessorWatchesExcludesAndEveryoneFinishes(ZkTarget.Kind kind) throws Exception {
        ZkTarget t = TARGETS.get(kind);
        String locks = TARGETS.uniqueRoot() + "-locks";
        String counter = locks + "-counter";
        int contenders = 5;
        int rounds = 4;
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger maxHolders = new AtomicInteger();
        AtomicInteger wakeUps = new AtomicInteger();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (ZooKeeper setup = t.connect(new RecordingWatcher("setup"))) {
            setup.create(counter, bytes("0"), OPEN, CreateMode.PERSISTENT);
            ExecutorService pool = Executors.newFixedThreadPool(contenders);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < contenders; c++) {
                    String me = "c" + c;
                    done.add(pool.submit(() -> {
                        try (ZooKeeper zk = t.connect(new RecordingWatcher(me))) {
                            SeedLock lock = new SeedLock(zk, locks, wakeUps);
                            for (int r = 0; r < rounds; r++) {
                                lock.lock();
                                int now = holders.incrementAndGet();
                                maxHolders.accumulateAndGet(now, Math::max);
                                log.add("enter " + me);
                                // An unguarded read-modify-write: only exclusion keeps the count right.
                                int value = Integer.parseInt(text(zk.getData(counter, false, null)));
                                zk.setData(counter, bytes(Integer.toString(value + 1)), -1);
                                log.add("exit " + me);
                                holders.decrementAndGet();
                                lock.unlock();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(DEADLINE.toMillis() * 2, TimeUnit.MILLISECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, maxHolders.get(), "one holder at a time: " + log);
            assertEquals(Integer.toString(contenders * rounds), text(setup.getData(counter, false, null)));
            for (int i = 0; i < log.size(); i += 2) {
                String who = log.get(i).substring("enter ".length());
                assertEquals("exit " + who, log.get(i + 1), "enter and exit alternate: " + log);
            }
            // No herd: a release wakes at most the one contender watching the released node.
            assertTrue(wakeUps.get() <= contenders * rounds, "wake-ups " + wakeUps.get());
            assertEquals(List.of(), setup.getChildren(locks, false), "every contender's node is gone");
        }
    }

    @ParameterizedTest
    @EnumSource(ZkTarget.Kind.class)
    void aHoldersEndedSessionHandsTheLockOn(ZkTarget.Kind kind) throws Exception {
        ZkTarget t = TARGETS.get(kind);
        String locks = TARGETS.uniqueRoot() + "-locks";
        AtomicInteger wakeUps = new AtomicInteger();
        try (ZooKeeper waiter = t.connect(new RecordingWatcher("waiter"))) {
            ZooKeeper holder = t.connect(new RecordingWatcher("holder"));
            new SeedLock(holder, locks, wakeUps).lock();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<?> acquired = pool.submit(() -> {
                    new SeedLock(waiter, locks, wakeUps).lock();
                    return null;
                });
                long end = System.nanoTime() + DEADLINE.toNanos();
                while (waiter.getChildren(locks, false).size() < 2) {
                    assertTrue(System.nanoTime() < end, "the waiter never queued");
                    Thread.sleep(10); // polling a condition with a deadline
                }
                assertFalse(acquired.isDone(), "the waiter got a held lock");
                // The holder never unlocks: its session ends, its node goes, the waiter proceeds.
                holder.close();
                acquired.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals(1, waiter.getChildren(locks, false).size());
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
