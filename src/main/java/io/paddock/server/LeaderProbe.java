package io.paddock.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Asks the operating system whether a silent leader's process is still there. A ZooKeeper
 * follower learns that its leader died from the TCP connection's reset; a Paddock follower hears
 * its leader on a link that reconnects by itself ({@link PeerLinks}), and Akka Cluster's failure
 * detector takes seconds (longer for a member that joined a moment ago). So when the leader has missed a ping, the
 * follower opens a TCP connection to the leader's peer port: "connection refused" means nothing
 * listens there any more, and the follower stops waiting out syncLimit (a hint, as
 * {@link io.paddock.zab.Input.PeerUnreachable} says; going LOOKING is always safe). A connection
 * that opens, or a timeout, proves nothing and changes nothing: a frozen process's port still
 * accepts, and a partition is syncLimit's to decide.
 */
final class LeaderProbe {

    private static final int CONNECT_TIMEOUT_MS = 1_000;

    private final Map<Long, InetSocketAddress> peerPorts = new HashMap<>();
    private final long silenceNanos;
    private long leaderId = -1;
    private long quietSince;
    private boolean inFlight;

    /**
     * @param peerPorts the servers' peer ports by id
     * @param silenceMs how long the leader may be unheard before a probe (more than its ping interval)
     */
    LeaderProbe(Map<Long, InetSocketAddress> peerPorts, long silenceMs) {
        this.peerPorts.putAll(peerPorts);
        this.silenceNanos = silenceMs * 1_000_000L;
    }

    /** The server now follows {@code leader} (or, with -1, follows no one). */
    void follow(long leader, long nowNanos) {
        leaderId = leader;
        quietSince = nowNanos;
        inFlight = false;
    }

    /** A frame came from server {@code from}. */
    void heard(long from, long nowNanos) {
        if (from == leaderId) {
            quietSince = nowNanos;
        }
    }

    /**
     * Starts a probe if the leader has been quiet too long and none is under way; completes with
     * the leader's id when its port refuses connections, with -1 otherwise. Returns null when no
     * probe is due.
     */
    CompletionStage<Long> probeIfDue(long nowNanos, Executor blocking) {
        InetSocketAddress target = peerPorts.get(leaderId);
        if (target == null || inFlight || nowNanos - quietSince < silenceNanos) {
            return null;
        }
        inFlight = true;
        long probed = leaderId;
        return CompletableFuture.supplyAsync(() -> refuses(target) ? probed : -1L, blocking);
    }

    /** The probe ended; a leader still quiet is probed again after another full silence. */
    void probeDone(long nowNanos) {
        inFlight = false;
        quietSince = nowNanos;
    }

    long leaderId() {
        return leaderId;
    }

    InetSocketAddress peerPort(long id) {
        return peerPorts.get(id);
    }

    private static boolean refuses(InetSocketAddress target) {
        try (Socket s = new Socket()) {
            s.connect(target, CONNECT_TIMEOUT_MS);
            return false;
        } catch (ConnectException e) {
            // Also thrown for a connect that timed out in the kernel: only a refusal is evidence.
            return e.getMessage() != null && e.getMessage().contains("refused");
        } catch (IOException e) {
            return false;
        }
    }
}
