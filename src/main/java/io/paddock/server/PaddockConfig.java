package io.paddock.server;

import java.nio.file.Path;
import java.util.Map;

/**
 * One server's configuration: the zoo.cfg keys ZooKeeper users know plus Paddock's own.
 * {@link ConfigFile} reads it from conf/paddock.cfg.
 *
 * @param tickTime                 the basic time unit in ms (session timeouts, expiry buckets)
 * @param initLimit                ticks a follower may take to connect and sync to the leader
 * @param syncLimit                ticks a follower may lag behind the leader
 * @param dataDir                  where the server keeps its data
 * @param clientPort               the ZooKeeper-protocol port
 * @param clientPortAddress        the address both client ports bind to
 * @param httpPort                 the HTTP API's port
 * @param minSessionTimeout        lower bound of negotiated session timeouts, ms (default 2×tickTime)
 * @param maxSessionTimeout        upper bound, ms (default 20×tickTime)
 * @param maxDataBytes             the largest znode data accepted (ZooKeeper's jute.maxbuffer)
 * @param superDigest              "super:base64(sha1(super:password))", or null for no super user
 * @param containerCheckIntervalMs how often empty containers and expired TTL nodes are removed
 * @param eventWindow              watch events each session keeps for SSE resumption
 * @param servers                  server.N lines by id (empty when standalone)
 * @param storage                  the transaction log's and snapshots' settings
 * @param quorumListenOnAllIPs     peers listen on every address (0.0.0.0) rather than on their
 *                                 server.N host only, as in ZooKeeper (for containers)
 * @param fourLetterWordWhitelist  ZooKeeper's 4lw.commands.whitelist as written (null: the
 *                                 default, srvr only); the client port answers the words it lists
 */
public record PaddockConfig(
        int tickTime,
        int initLimit,
        int syncLimit,
        Path dataDir,
        int clientPort,
        String clientPortAddress,
        int httpPort,
        int minSessionTimeout,
        int maxSessionTimeout,
        int maxDataBytes,
        String superDigest,
        long containerCheckIntervalMs,
        int eventWindow,
        Map<Long, ServerSpec> servers,
        Storage storage,
        boolean quorumListenOnAllIPs,
        String fourLetterWordWhitelist) {

    /**
     * One {@code server.N=host:peerPort:electionPort[:observer|:participant][;[clientHost:]clientPort]}
     * line. The part after ';' is ZooKeeper's dynamic-configuration client address: where clients
     * reach that server, shown to them in /zookeeper/config (Curator's EnsembleTracker connects
     * to what it lists). Without it the client address is unknown: clientHost null, clientPort 0.
     * A port alone gives clientHost "0.0.0.0", as ZooKeeper's QuorumServer reads it.
     */
    public record ServerSpec(long id, String host, int peerPort, int electionPort, boolean observer,
                             String clientHost, int clientPort) {

        /** A line without a client address. */
        public ServerSpec(long id, String host, int peerPort, int electionPort, boolean observer) {
            this(id, host, peerPort, electionPort, observer, null, 0);
        }

        public boolean hasClientAddress() {
            return clientPort > 0;
        }
    }

    /**
     * The transaction log's and snapshots' settings (zoo.cfg's names).
     *
     * @param snapCount          transactions between snapshots (each server jitters it, as ZooKeeper does)
     * @param forceSync          force the log to disk before acknowledging; off only for tests and benchmarks
     * @param preAllocSizeBytes  log segments grow in chunks of this size, so a force need not update file metadata
     * @param snapRetainCount    snapshots (and the logs they need) that purging keeps, at least 3
     * @param purgeIntervalHours how often old snapshots and logs are purged; 0 turns purging off
     * @param commitLogCount     the latest transactions a leader keeps in memory to bring a learner
     *                           up to date with a DIFF; a learner further behind gets a SNAP
     *                           (ZooKeeper's zookeeper.commitLogCount, which defaults to 500)
     */
    public record Storage(long snapCount, boolean forceSync, long preAllocSizeBytes, int snapRetainCount,
                          int purgeIntervalHours, int commitLogCount) {
        public static final Storage DEFAULTS = new Storage(100_000, true, 64L * 1024 * 1024, 3, 1, 10_000);

        public Storage withForceSync(boolean forceSync) {
            return new Storage(snapCount, forceSync, preAllocSizeBytes, snapRetainCount, purgeIntervalHours,
                    commitLogCount);
        }

        public Storage withSnapCount(long snapCount) {
            return new Storage(snapCount, forceSync, preAllocSizeBytes, snapRetainCount, purgeIntervalHours,
                    commitLogCount);
        }
    }

    public static final int DEFAULT_TICK_TIME = 2000;
    public static final int DEFAULT_MAX_DATA_BYTES = 1024 * 1024;

    /** The defaults, as conf/paddock.cfg ships them, with the given data directory. */
    public static PaddockConfig defaults(Path dataDir) {
        return new PaddockConfig(DEFAULT_TICK_TIME, 10, 5, dataDir, 2181, "0.0.0.0", 8080,
                2 * DEFAULT_TICK_TIME, 20 * DEFAULT_TICK_TIME, DEFAULT_MAX_DATA_BYTES, null, 5000, 1024,
                Map.of(), Storage.DEFAULTS, false, null);
    }

    public boolean standalone() {
        return servers.isEmpty();
    }

    public PaddockConfig withPorts(int clientPort, int httpPort) {
        return new PaddockConfig(tickTime, initLimit, syncLimit, dataDir, clientPort, clientPortAddress, httpPort,
                minSessionTimeout, maxSessionTimeout, maxDataBytes, superDigest, containerCheckIntervalMs,
                eventWindow, servers, storage, quorumListenOnAllIPs, fourLetterWordWhitelist);
    }

    /** The tick, with the session timeout bounds that derive from it (2 and 20 ticks). */
    public PaddockConfig withTickTime(int tickTime) {
        return new PaddockConfig(tickTime, initLimit, syncLimit, dataDir, clientPort, clientPortAddress, httpPort,
                2 * tickTime, 20 * tickTime, maxDataBytes, superDigest, containerCheckIntervalMs, eventWindow,
                servers, storage, quorumListenOnAllIPs, fourLetterWordWhitelist);
    }

    public PaddockConfig withClientPortAddress(String clientPortAddress) {
        return new PaddockConfig(tickTime, initLimit, syncLimit, dataDir, clientPort, clientPortAddress, httpPort,
                minSessionTimeout, maxSessionTimeout, maxDataBytes, superDigest, containerCheckIntervalMs,
                eventWindow, servers, storage, quorumListenOnAllIPs, fourLetterWordWhitelist);
    }

    public PaddockConfig withEventWindow(int eventWindow) {
        return new PaddockConfig(tickTime, initLimit, syncLimit, dataDir, clientPort, clientPortAddress, httpPort,
                minSessionTimeout, maxSessionTimeout, maxDataBytes, superDigest, containerCheckIntervalMs,
                eventWindow, servers, storage, quorumListenOnAllIPs, fourLetterWordWhitelist);
    }

    public PaddockConfig withContainerCheckIntervalMs(long containerCheckIntervalMs) {
        return new PaddockConfig(tickTime, initLimit, syncLimit, dataDir, clientPort, clientPortAddress, httpPort,
                minSessionTimeout, maxSessionTimeout, maxDataBytes, superDigest, containerCheckIntervalMs,
                eventWindow, servers, storage, quorumListenOnAllIPs, fourLetterWordWhitelist);
    }

    public PaddockConfig withDataDir(Path dataDir) {
        return new PaddockConfig(tickTime, initLimit, syncLimit, dataDir, clientPort, clientPortAddress, httpPort,
                minSessionTimeout, maxSessionTimeout, maxDataBytes, superDigest, containerCheckIntervalMs,
                eventWindow, servers, storage, quorumListenOnAllIPs, fourLetterWordWhitelist);
    }

    public PaddockConfig withFourLetterWordWhitelist(String fourLetterWordWhitelist) {
        return new PaddockConfig(tickTime, initLimit, syncLimit, dataDir, clientPort, clientPortAddress, httpPort,
                minSessionTimeout, maxSessionTimeout, maxDataBytes, superDigest, containerCheckIntervalMs,
                eventWindow, servers, storage, quorumListenOnAllIPs, fourLetterWordWhitelist);
    }

    /** The ensemble: server.N lines by id. */
    public PaddockConfig withServers(Map<Long, ServerSpec> servers) {
        return new PaddockConfig(tickTime, initLimit, syncLimit, dataDir, clientPort, clientPortAddress, httpPort,
                minSessionTimeout, maxSessionTimeout, maxDataBytes, superDigest, containerCheckIntervalMs,
                eventWindow, Map.copyOf(servers), storage, quorumListenOnAllIPs, fourLetterWordWhitelist);
    }

    /** Where this server's peer port listens: every address, or its server.N host only (null). */
    public String peerBindAddress() {
        return quorumListenOnAllIPs ? "0.0.0.0" : null;
    }

    public PaddockConfig withStorage(Storage storage) {
        return new PaddockConfig(tickTime, initLimit, syncLimit, dataDir, clientPort, clientPortAddress, httpPort,
                minSessionTimeout, maxSessionTimeout, maxDataBytes, superDigest, containerCheckIntervalMs,
                eventWindow, servers, storage, quorumListenOnAllIPs, fourLetterWordWhitelist);
    }
}
