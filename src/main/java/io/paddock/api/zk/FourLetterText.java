package io.paddock.api.zk;

import io.paddock.server.PaddockConfig;
import io.paddock.server.ServerStatus;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The text of the four-letter words that print more than a line, laid out as ZooKeeper 3.9's
 * ServerStats.toString, ServerCnxn.dumpConnectionInfo, ZooKeeperServer/QuorumZooKeeperServer
 * .dumpConf, WatchManager and Environment lay them out. Lines end in "\n" (ZooKeeper's println
 * on Unix).
 */
final class FourLetterText {

    private FourLetterText() {
    }

    /** srvr, and stat with the brief line of every connection. */
    static String stat(String version, FourLetterReport report, boolean withClients) {
        StringBuilder out = new StringBuilder();
        out.append("Zookeeper version: ").append(version).append('\n');
        if (withClients) {
            out.append("Clients:\n");
            for (FourLetterReport.Connection c : report.connections()) {
                connection(out, c, true);
                out.append('\n');
            }
            out.append('\n');
        }
        FourLetterReport.Counters counters = report.counters();
        FourLetterReport.Latency latency = counters.latency();
        ServerStatus status = report.status();
        out.append("Latency min/avg/max: ").append(latency.minMs()).append('/').append(latency.average())
                .append('/').append(latency.maxMs()).append('\n');
        out.append("Received: ").append(counters.packetsReceived()).append('\n');
        out.append("Sent: ").append(counters.packetsSent()).append('\n');
        out.append("Connections: ").append(counters.aliveConnections()).append('\n');
        out.append("Outstanding: ").append(counters.outstandingRequests()).append('\n');
        out.append("Zxid: 0x").append(Long.toHexString(status.zxid())).append('\n');
        out.append("Mode: ").append(status.mode()).append('\n');
        out.append("Node count: ").append(status.nodeCount()).append('\n');
        // A ZooKeeper leader adds "Proposal sizes last/min/max:"; Paddock does not measure them.
        return out.toString();
    }

    /** mntr: the zk_* keys Paddock can fill truthfully, zk_version first (Datadog skips line one). */
    static String monitor(String version, FourLetterReport report) {
        StringBuilder out = new StringBuilder();
        ServerStatus status = report.status();
        ServerStatus.Ensemble ensemble = status.ensemble();
        FourLetterReport.Counters counters = report.counters();
        FourLetterReport.Latency latency = counters.latency();
        key(out, "version", version);
        key(out, "server_state", status.mode());
        if (ensemble != null) {
            key(out, "peer_state", peerState(status.mode()));
        }
        key(out, "avg_latency", Double.toString(latency.average()));
        key(out, "max_latency", latency.maxMs());
        key(out, "min_latency", latency.minMs());
        key(out, "packets_received", counters.packetsReceived());
        key(out, "packets_sent", counters.packetsSent());
        key(out, "num_alive_connections", counters.aliveConnections());
        key(out, "outstanding_requests", counters.outstandingRequests());
        key(out, "uptime", counters.uptimeMs());
        key(out, "znode_count", status.nodeCount());
        key(out, "watch_count", status.watchCount());
        optionalKey(out, "ephemerals_count", counters.ephemeralsCount());
        optionalKey(out, "approximate_data_size", counters.approximateDataSize());
        key(out, "global_sessions", status.sessionCount());
        key(out, "local_sessions", 0); // every Paddock session is global
        optionalKey(out, "open_file_descriptor_count", counters.openFileDescriptors());
        optionalKey(out, "max_file_descriptor_count", counters.maxFileDescriptors());
        if (ensemble != null) {
            key(out, "quorum_size", report.config().servers().values().stream().filter(s -> !s.observer()).count());
        }
        if (ensemble != null && status.mode().equals("leader")) {
            List<ServerStatus.Learner> learners = ensemble.learners();
            key(out, "learners", learners.size());
            // ZooKeeper before 3.6 called the same count zk_followers, and its admin guide still does.
            key(out, "followers", learners.size());
            key(out, "synced_followers", learners.stream().filter(l -> l.synced() && !l.observer()).count());
            key(out, "synced_non_voting_followers", 0); // only a reconfiguration makes those
            key(out, "synced_observers", learners.stream().filter(l -> l.synced() && l.observer()).count());
            optionalKey(out, "pending_syncs", counters.pendingSyncs());
        }
        return out.toString();
    }

    /** conf: ZooKeeperServer.dumpConf, and QuorumZooKeeperServer's additions in an ensemble. */
    static String conf(FourLetterReport report, long dataDirSizeBytes) {
        PaddockConfig config = report.config();
        ServerStatus status = report.status();
        StringBuilder out = new StringBuilder();
        out.append("clientPort=").append(config.clientPort()).append('\n');
        out.append("secureClientPort=-1\n"); // no TLS client port
        // One directory holds Paddock's log and snapshots, as in ZooKeeper without a dataLogDir.
        out.append("dataDir=").append(config.dataDir()).append('\n');
        out.append("dataDirSize=").append(dataDirSizeBytes).append('\n');
        out.append("dataLogDir=").append(config.dataDir()).append('\n');
        out.append("dataLogSize=").append(dataDirSizeBytes).append('\n');
        out.append("tickTime=").append(config.tickTime()).append('\n');
        out.append("maxClientCnxns=0\n"); // ZooKeeper's "no limit per host": Paddock sets none
        out.append("minSessionTimeout=").append(config.minSessionTimeout()).append('\n');
        out.append("maxSessionTimeout=").append(config.maxSessionTimeout()).append('\n');
        out.append("clientPortListenBacklog=-1\n"); // ZooKeeper's "the system's default"
        out.append("serverId=").append(status.serverId()).append('\n');
        if (config.standalone()) {
            return out.toString();
        }
        out.append("initLimit=").append(config.initLimit()).append('\n');
        out.append("syncLimit=").append(config.syncLimit()).append('\n');
        out.append("electionAlg=3\n"); // fast leader election, ZooKeeper's only one
        PaddockConfig.ServerSpec self = config.servers().get(status.serverId());
        if (self != null) {
            out.append("electionPort=").append(self.electionPort()).append('\n');
            out.append("quorumPort=").append(self.peerPort()).append('\n');
            out.append("peerType=").append(self.observer() ? 1 : 0).append('\n'); // LearnerType.ordinal()
        }
        out.append("membership: \n");
        for (PaddockConfig.ServerSpec s : new TreeMap<>(config.servers()).values()) {
            out.append("server.").append(s.id()).append('=').append(host(s.host())).append(':').append(s.peerPort())
                    .append(':').append(s.electionPort()).append(s.observer() ? ":observer" : ":participant")
                    .append('\n');
        }
        // The configuration's version is the zxid that last reconfigured it: never, in Paddock.
        // ZooKeeper ends conf here, without a newline.
        out.append("version=0");
        return out.toString();
    }

    /** cons: the full line of every connection, then a blank line. */
    static String connections(List<FourLetterReport.Connection> connections) {
        StringBuilder out = new StringBuilder();
        for (FourLetterReport.Connection c : connections) {
            connection(out, c, false);
            out.append('\n');
        }
        out.append('\n');
        return out.toString();
    }

    /** wchs: WatchManager.toString, without its caller's final newline. */
    static String watchSummary(SortedMap<Long, SortedSet<String>> bySession) {
        TreeSet<String> paths = new TreeSet<>();
        long total = 0;
        for (SortedSet<String> watched : bySession.values()) {
            paths.addAll(watched);
            total += watched.size();
        }
        return bySession.size() + " connections watching " + paths.size() + " paths\nTotal watches:" + total;
    }

    /** wchc: each session in hex, then its paths indented by a tab. */
    static String watchesBySession(SortedMap<Long, SortedSet<String>> bySession) {
        StringBuilder out = new StringBuilder();
        bySession.forEach((sessionId, paths) -> {
            out.append("0x").append(Long.toHexString(sessionId)).append('\n');
            paths.forEach(path -> out.append('\t').append(path).append('\n'));
        });
        return out.toString();
    }

    /** wchp: each path, then the sessions watching it in hex, indented by a tab. */
    static String watchesByPath(SortedMap<Long, SortedSet<String>> bySession) {
        TreeMap<String, TreeSet<Long>> byPath = new TreeMap<>();
        bySession.forEach((sessionId, paths) ->
                paths.forEach(path -> byPath.computeIfAbsent(path, p -> new TreeSet<>()).add(sessionId)));
        StringBuilder out = new StringBuilder();
        byPath.forEach((path, sessions) -> {
            out.append(path).append('\n');
            sessions.forEach(sessionId -> out.append("\t0x").append(Long.toHexString(sessionId)).append('\n'));
        });
        return out.toString();
    }

    /** envi: ZooKeeper's keys in its order, then any further ones the caller gave, sorted. */
    static String environment(String version, Map<String, String> values) {
        StringBuilder out = new StringBuilder("Environment:\n");
        out.append("zookeeper.version=").append(version).append('\n');
        for (String key : FourLetterWords.ENVIRONMENT_KEYS) {
            out.append(key).append('=').append(values.getOrDefault(key, "<NA>")).append('\n');
        }
        new TreeMap<>(values).forEach((key, value) -> {
            if (!key.equals("zookeeper.version") && !FourLetterWords.ENVIRONMENT_KEYS.contains(key)) {
                out.append(key).append('=').append(value).append('\n');
            }
        });
        return out.toString();
    }

    /** One connection as ServerCnxn.dumpConnectionInfo prints it, without a line end. */
    private static void connection(StringBuilder out, FourLetterReport.Connection c, boolean brief) {
        out.append(' ').append(c.remoteAddress()).append('[')
                .append(c.interestOps() == 0 ? "0" : Integer.toHexString(c.interestOps()))
                .append("](queued=").append(c.outstandingRequests())
                .append(",recved=").append(c.packetsReceived())
                .append(",sent=").append(c.packetsSent());
        if (!brief && c.sessionId() != 0) {
            out.append(",sid=0x").append(Long.toHexString(c.sessionId()))
                    .append(",lop=").append(c.lastOperation())
                    .append(",est=").append(c.establishedMs())
                    .append(",to=").append(c.sessionTimeoutMs());
            if (c.lastCxid() >= 0) {
                out.append(",lcxid=0x").append(Long.toHexString(c.lastCxid()));
            }
            out.append(",lzxid=0x").append(Long.toHexString(c.lastZxid()))
                    .append(",lresp=").append(c.lastResponseMs())
                    .append(",llat=").append(c.lastLatencyMs())
                    .append(",minlat=").append(c.latency().minMs())
                    .append(",avglat=").append(c.latency().wholeAverage())
                    .append(",maxlat=").append(c.latency().maxMs());
        }
        out.append(')');
    }

    /** QuorumPeer.getDetailedPeerState once serving: the peer state, then the ZAB phase. */
    private static String peerState(String mode) {
        String state = switch (mode) {
            case "leader" -> "leading";
            case "follower" -> "following";
            case "observer" -> "observing";
            default -> mode;
        };
        return state + " - broadcast";
    }

    /** An IPv6 literal in brackets, as QuorumServer's delimitedHostString writes it. */
    private static String host(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static void key(StringBuilder out, String key, Object value) {
        out.append("zk_").append(key).append('\t').append(value).append('\n');
    }

    private static void optionalKey(StringBuilder out, String key, long value) {
        if (value >= 0) {
            key(out, key, value);
        }
    }
}
