package io.paddock.api.zk;

import io.paddock.server.PaddockConfig;
import io.paddock.server.ServerStatus;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Everything the four-letter words print, gathered by the connection code at the moment a word
 * arrives, so that {@link FourLetterWords#answer} stays a pure function of it. Parts that cost
 * something to gather ({@link Part}) are needed by a few words only: {@link FourLetterWords#needs}
 * says which; a part a word does not need may be left empty (empty list, null, -1, empty map).
 *
 * @param status           the server's status (mode, zxid, node, session and watch counts, the
 *                         ensemble's view); its {@code version} is Paddock's own version
 * @param config           the server's configuration; pass it with an absolute dataDir
 *                         ({@code Path.toAbsolutePath()}), as ZooKeeper's conf prints one
 * @param counters         server-wide counters
 * @param connections      every open client connection, in the order to print them (the one
 *                         asking included, as ZooKeeper lists it); needed by stat and cons
 * @param watchesBySession every watching session with the paths it watches
 *                         ({@code WatchManager.bySession()}); needed by wchs, wchc and wchp,
 *                         may be null otherwise
 * @param dataDirSizeBytes bytes under dataDir (log segments and snapshots); needed by conf and
 *                         dirs, -1 otherwise
 * @param environment      the JVM's and host's values for envi, keyed as
 *                         {@link FourLetterWords#ENVIRONMENT_KEYS} names them; a missing key
 *                         prints ZooKeeper's {@code <NA>}
 */
public record FourLetterReport(
        ServerStatus status,
        PaddockConfig config,
        Counters counters,
        List<Connection> connections,
        SortedMap<Long, SortedSet<String>> watchesBySession,
        long dataDirSizeBytes,
        Map<String, String> environment) {

    public FourLetterReport {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(counters, "counters");
        connections = List.copyOf(connections);
        environment = Map.copyOf(environment);
    }

    /** The parts of a report that only some words need. */
    public enum Part {
        /** {@link #connections()}: stat, cons. */
        CONNECTIONS,
        /** {@link #watchesBySession()}: wchs, wchc, wchp. */
        WATCHES,
        /** {@link #dataDirSizeBytes()}: conf, dirs. */
        DATA_DIR_SIZE,
        /** {@link #environment()}: envi. */
        ENVIRONMENT
    }

    /** Whether clients are served, which is when ZooKeeper's ZooKeeperServer is running. */
    public boolean serving() {
        ServerStatus.Ensemble ensemble = status.ensemble();
        return !status.mode().equals("looking") && (ensemble == null || ensemble.serving());
    }

    /**
     * Server-wide counters (ZooKeeper's ServerStats). -1 in an optional one means Paddock does not
     * know it, and mntr leaves its key out rather than print an invented value.
     *
     * @param packetsReceived     frames received from clients on every connection, pings, connect
     *                            requests and four-letter words included (ZooKeeper counts the
     *                            four bytes of a word as a packet before answering it)
     * @param packetsSent         frames sent to clients: replies and watch notifications
     * @param outstandingRequests requests received and not yet answered, all connections together
     * @param latency             request latencies (received to answered, in ms) of every request
     *                            answered, pings and connect requests included
     * @param aliveConnections    open client connections, the one asking included
     * @param uptimeMs            how long this server has been up
     * @param ephemeralsCount     ephemeral znodes, or -1
     * @param approximateDataSize bytes of znode data and paths (ZooKeeper's approximate data
     *                            size), or -1
     * @param openFileDescriptors the process's open file descriptors, or -1 (not on Unix)
     * @param maxFileDescriptors  the process's file descriptor limit, or -1
     * @param pendingSyncs        sync requests the leader has not yet answered, or -1 (leader only)
     */
    public record Counters(
            long packetsReceived,
            long packetsSent,
            long outstandingRequests,
            Latency latency,
            int aliveConnections,
            long uptimeMs,
            long ephemeralsCount,
            long approximateDataSize,
            long openFileDescriptors,
            long maxFileDescriptors,
            long pendingSyncs) {

        public Counters {
            Objects.requireNonNull(latency, "latency");
        }
    }

    /**
     * One open client connection, as ZooKeeper's ServerCnxn counts it. A connection that has no
     * session yet (sessionId 0, which includes one sending a four-letter word) prints only its
     * address, interest ops, outstanding requests and packet counts.
     *
     * @param remoteAddress       the client's address, printed as {@code InetSocketAddress.toString()}
     *                            prints it ("/127.0.0.1:52710")
     * @param interestOps         ZooKeeper's selection-key bits, printed in hex: 1 (OP_READ) while
     *                            requests are read, 0 while reading is paused (throttled, or a
     *                            connection answering a four-letter word), plus 4 (OP_WRITE) while
     *                            the socket's send buffer is full
     * @param outstandingRequests requests received on this connection and not yet answered
     * @param packetsReceived     frames received on this connection
     * @param packetsSent         frames sent on this connection (replies and notifications)
     * @param sessionId           the session the connection serves, 0 before one is established
     * @param sessionTimeoutMs    the negotiated session timeout
     * @param lastOperation       the last answered request's name
     *                            ({@link FourLetterWords#lastOperationName}), "NA" before any
     * @param establishedMs       when the connection was accepted, ms since the epoch
     * @param lastCxid            the last answered request's xid, -1 before any (not printed then);
     *                            special xids (pings, notifications) do not replace it
     * @param lastZxid            the zxid in the last reply header, -1 before any
     * @param lastResponseMs      when the last reply was sent, on any ms clock (ZooKeeper prints its
     *                            monotonic clock here), 0 before any
     * @param lastLatencyMs       the last request's latency
     * @param latency             every answered request's latency on this connection
     */
    public record Connection(
            InetSocketAddress remoteAddress,
            int interestOps,
            long outstandingRequests,
            long packetsReceived,
            long packetsSent,
            long sessionId,
            int sessionTimeoutMs,
            String lastOperation,
            long establishedMs,
            long lastCxid,
            long lastZxid,
            long lastResponseMs,
            long lastLatencyMs,
            Latency latency) {

        public Connection {
            Objects.requireNonNull(remoteAddress, "remoteAddress");
            Objects.requireNonNull(lastOperation, "lastOperation");
            Objects.requireNonNull(latency, "latency");
        }

        /** A connection just accepted: nothing received, no session, the counters crst resets to. */
        public static Connection accepted(InetSocketAddress remoteAddress, long establishedMs) {
            return new Connection(remoteAddress, 1, 0, 0, 0, 0, 0, "NA", establishedMs, -1, -1, 0, 0, Latency.NONE);
        }
    }

    /**
     * Latencies of answered requests, in ms (ZooKeeper's AvgMinMaxCounter): immutable, so a
     * connection or the server can keep one and replace it on every reply.
     */
    public record Latency(long count, long totalMs, long minMs, long maxMs) {

        public static final Latency NONE = new Latency(0, 0, 0, 0);

        /** This plus one more request that took {@code ms}. */
        public Latency plus(long ms) {
            if (ms < 0) {
                return this; // ZooKeeper drops a negative latency (a clock that stepped back)
            }
            return count == 0 ? new Latency(1, ms, ms, ms)
                    : new Latency(count + 1, totalMs + ms, Math.min(minMs, ms), Math.max(maxMs, ms));
        }

        /** The server's average: rounded half-up to 4 decimals, as ServerStats prints it ("0.0" for none). */
        public double average() {
            if (count == 0) {
                return 0;
            }
            return new BigDecimal(totalMs / (double) count).setScale(4, RoundingMode.HALF_UP).doubleValue();
        }

        /** A connection's average: whole ms, truncated, as ServerCnxn prints it. */
        public long wholeAverage() {
            return count == 0 ? 0 : totalMs / count;
        }
    }
}
