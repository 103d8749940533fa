package io.paddock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LeaderProbeTest {

    private static final Executor DIRECT = Runnable::run;
    private static final long MS = 1_000_000L;

    private static InetSocketAddress address(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Test
    void aLeaderHeardWithinTheSilenceIsNotProbed() {
        LeaderProbe probe = new LeaderProbe(Map.of(1L, address(1)), 1_500);
        probe.follow(1, 0);
        probe.heard(1, 1_000 * MS);
        assertNull(probe.probeIfDue(2_000 * MS, DIRECT), "heard 1 s ago: no probe");
        probe.heard(2, 2_000 * MS);
        assertNotNull(probe.probeIfDue(2_600 * MS, DIRECT), "another server's frame does not count for the leader");
    }

    @Test
    void aPortThatListensIsNoEvidenceAndOneThatRefusesNamesTheLeader() throws Exception {
        int port;
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = listening.getLocalPort();
            LeaderProbe probe = new LeaderProbe(Map.of(1L, address(port)), 1_500);
            probe.follow(1, 0);
            assertEquals(-1L, probe.probeIfDue(2_000 * MS, DIRECT).toCompletableFuture().get(10, TimeUnit.SECONDS),
                    "a port that accepts (a live or frozen leader) proves nothing");
        }
        // The socket is closed: nothing listens on the port any more, as after kill -9.
        LeaderProbe probe = new LeaderProbe(Map.of(1L, address(port)), 1_500);
        probe.follow(1, 0);
        assertEquals(1L, probe.probeIfDue(2_000 * MS, DIRECT).toCompletableFuture().get(10, TimeUnit.SECONDS));
    }

    @Test
    void oneProbeAtATimeAndAnotherOnlyAfterAFullSilence() {
        LeaderProbe probe = new LeaderProbe(Map.of(1L, address(1)), 1_500);
        probe.follow(1, 0);
        assertNotNull(probe.probeIfDue(1_600 * MS, runnable -> { }), "due");
        assertNull(probe.probeIfDue(1_800 * MS, DIRECT), "one is under way");
        probe.probeDone(2_000 * MS);
        assertNull(probe.probeIfDue(3_000 * MS, DIRECT), "a second probe waits for another full silence");
        assertNotNull(probe.probeIfDue(3_600 * MS, runnable -> { }));
    }

    @Test
    void aServerThatFollowsNoOneProbesNothing() {
        LeaderProbe probe = new LeaderProbe(Map.of(1L, address(1)), 1_500);
        probe.follow(-1, 0);
        assertNull(probe.probeIfDue(10_000 * MS, DIRECT));
    }
}
