package io.paddock.api.zk;

import java.net.InetSocketAddress;

/**
 * What one client connection has done, for the {@code cons}, {@code stat} and {@code mntr} words.
 * The connection's actor writes it; the words read it from other threads, so every field is
 * volatile (a reader may see one counter a request ahead of another, as ZooKeeper's do, and a
 * {@code crst} racing a reply may lose that reply's counts).
 */
final class ZkConnectionStats {

    private final InetSocketAddress remote;
    private final long establishedMs;
    private volatile long sessionId;
    private volatile int timeoutMs;
    private volatile boolean reading = true;
    private volatile long packetsReceived;
    private volatile long packetsSent;
    private volatile int outstanding;
    private volatile String lastOperation = "NA";
    private volatile long lastCxid = -1;
    private volatile long lastZxid = -1;
    private volatile long lastResponseMs;
    private volatile long lastLatencyMs;
    private volatile FourLetterReport.Latency latency = FourLetterReport.Latency.NONE;
    /** Bytes handed to the socket and not yet written to it. */
    private final java.util.concurrent.atomic.AtomicLong unwritten = new java.util.concurrent.atomic.AtomicLong();

    ZkConnectionStats(InetSocketAddress remote, long establishedMs) {
        this.remote = remote;
        this.establishedMs = establishedMs;
    }

    InetSocketAddress remote() {
        return remote;
    }

    /** The client's IP address, the identity ZooKeeper's ip ACL scheme checks. */
    String clientIp() {
        return remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
    }

    long establishedMs() {
        return establishedMs;
    }

    void session(long id, int timeout) {
        sessionId = id;
        timeoutMs = timeout;
    }

    long sessionId() {
        return sessionId;
    }

    /** Whether the connection's input is read (false while too many requests wait for replies). */
    void reading(boolean r) {
        reading = r;
    }

    void packetReceived() {
        packetsReceived++;
    }

    long packetsReceived() {
        return packetsReceived;
    }

    /** A frame of {@code bytes} was queued for the client; returns what is now queued in all. */
    long queued(int bytes) {
        packetsSent++;
        return unwritten.addAndGet(bytes);
    }

    /** The socket took {@code bytes} (called on the writing thread: the actor's, or the selector's). */
    void written(int bytes) {
        unwritten.addAndGet(-bytes);
    }

    long packetsSent() {
        return packetsSent;
    }

    void outstanding(int n) {
        outstanding = n;
    }

    int outstanding() {
        return outstanding;
    }

    /** A reply went out: {@code opCode}'s request, answered after {@code latencyMs}, at {@code nowMs}. */
    void answered(int xid, int opCode, long zxid, long latencyMs, long nowMs) {
        String name = FourLetterWords.lastOperationName(opCode);
        if (name != null) {
            lastOperation = name;
        }
        if (xid >= 0) {
            lastCxid = xid;
        }
        lastZxid = zxid;
        lastResponseMs = nowMs;
        lastLatencyMs = latencyMs;
        latency = latency.plus(latencyMs);
    }

    /** crst: the counters start again, as for a connection just accepted. */
    void reset() {
        packetsReceived = 0;
        packetsSent = 0;
        lastOperation = "NA";
        lastCxid = -1;
        lastZxid = -1;
        lastResponseMs = 0;
        lastLatencyMs = 0;
        latency = FourLetterReport.Latency.NONE;
    }

    FourLetterReport.Connection snapshot() {
        return new FourLetterReport.Connection(remote, reading ? 1 : 0, outstanding, packetsReceived, packetsSent,
                sessionId, timeoutMs, lastOperation, establishedMs, lastCxid, lastZxid, lastResponseMs, lastLatencyMs,
                latency);
    }
}
