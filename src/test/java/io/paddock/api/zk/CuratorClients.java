package io.paddock.api.zk;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;

/**
 * What the Curator tests share: clients built with the same timeouts and retries, and waits that
 * poll or block until a deadline and then fail the test, never sleep a fixed time.
 */
final class CuratorClients {

    private static final int CONNECTION_TIMEOUT_MS = 5_000;
    private static final long CONNECT_DEADLINE_MS = 10_000;
    private static final long POLL_MS = 10;

    private CuratorClients() {
    }

    /** Something a wait polls; it may ask the server, so it may throw. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    /**
     * The settings every test starts from: the given session timeout, 5 s to connect, and a few
     * quick retries, so an operation fails in seconds rather than hanging.
     */
    static CuratorFrameworkFactory.Builder settings(String connectString, int sessionTimeoutMs) {
        return CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(sessionTimeoutMs)
                .connectionTimeoutMs(CONNECTION_TIMEOUT_MS)
                .retryPolicy(new RetryNTimes(3, 200));
    }

    /** The target's longest session: long enough that a busy machine does not expire it. */
    static CuratorFrameworkFactory.Builder settings(ZkTarget target) {
        return settings(target.connectString(), target.maxSessionTimeoutMs());
    }

    /**
     * As {@link #settings(ZkTarget)}, but plain creates hold no data: Curator's default data is
     * the local address.
     */
    static CuratorFrameworkFactory.Builder settingsWithEmptyData(ZkTarget target) {
        return settings(target).defaultData(new byte[0]);
    }

    /** A started client on the target with the shared settings, connected or the test fails. */
    static CuratorFramework connect(ZkTarget target) throws InterruptedException {
        return connect(settings(target), target);
    }

    static CuratorFramework connect(CuratorFrameworkFactory.Builder settings, ZkTarget target)
            throws InterruptedException {
        return connect(settings, target.name() + " at " + target.connectString());
    }

    /** Builds and starts the client; {@code where} names the server in the failure. */
    static CuratorFramework connect(CuratorFrameworkFactory.Builder settings, String where)
            throws InterruptedException {
        CuratorFramework client = settings.build();
        client.start();
        if (!client.blockUntilConnected((int) CONNECT_DEADLINE_MS, TimeUnit.MILLISECONDS)) {
            client.close();
            fail("no connection to " + where);
        }
        return client;
    }

    /** Closes each client; one that is already closed or broken does not stop the others. */
    static void closeAll(Iterable<CuratorFramework> clients) {
        for (CuratorFramework c : clients) {
            try {
                c.close();
            } catch (RuntimeException e) {
                // closing anyway: the test's own failure, if any, is the one to report
            }
        }
    }

    /**
     * Polls until the condition holds; fails once deadlineMs has passed. {@code what} completes
     * "timed out waiting ...", e.g. "for w1 to disappear".
     */
    static void await(String what, long deadlineMs, Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMs);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting " + what + " (" + deadlineMs + " ms)");
            }
            Thread.sleep(POLL_MS);
        }
    }

    /** The next item, or the test fails with "{nothing} within N ms". */
    static <T> T next(BlockingQueue<T> queue, long deadlineMs, String nothing) throws InterruptedException {
        T item = queue.poll(deadlineMs, TimeUnit.MILLISECONDS);
        if (item == null) {
            fail(nothing + " within " + deadlineMs + " ms");
        }
        return item;
    }

    /** Every connection state the client reports from now on, in order. */
    static BlockingQueue<ConnectionState> connectionStates(CuratorFramework client) {
        BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
        client.getConnectionStateListenable().addListener((c, state) -> states.add(state));
        return states;
    }

    /**
     * Takes states until {@code wanted}; fails at the deadline, or at once on any of
     * {@code forbidden}.
     */
    static void awaitState(BlockingQueue<ConnectionState> states, ConnectionState wanted, long deadlineMs,
                           ConnectionState... forbidden) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMs);
        List<ConnectionState> seen = new ArrayList<>();
        while (true) {
            ConnectionState s = states.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (s == null) {
                fail("no " + wanted + " within " + deadlineMs + " ms; saw " + seen);
            }
            seen.add(s);
            if (Arrays.asList(forbidden).contains(s)) {
                fail(s + " while waiting for " + wanted + "; saw " + seen);
            }
            if (s == wanted) {
                return;
            }
        }
    }
}
