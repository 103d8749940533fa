package io.paddock.server;

import io.paddock.server.PaddockConfig.ServerSpec;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data of /zookeeper/config: the ensemble as ZooKeeper 3.9 shows it there (QuorumMaj.toString
 * over QuorumServer.toString), which Curator's EnsembleTracker parses and may turn into the
 * client's connect string. One line per server in id order,
 * {@code server.N=host:peerPort:electionPort:participant|observer[;clientHost:clientPort]}, then
 * {@code version=0}: the version of a static configuration, in hex as ZooKeeper writes it.
 *
 * <p>The client address is written only where the server.N line gives one; a line without it
 * tells Curator nothing about that server rather than something wrong. A standalone server shows
 * nothing, as ZooKeeper's standalone server (standaloneEnabled) leaves the node empty.
 *
 * <p>Made from the server.N lines alone, so every server given the same lines shows the same
 * bytes.
 */
public final class DynamicConfig {

    /** The version of a configuration no reconfig has changed. */
    private static final long STATIC_VERSION = 0;

    private DynamicConfig() {
    }

    /** The node's data for this server's configuration (empty when standalone). */
    public static byte[] data(PaddockConfig config) {
        return config.standalone() ? new byte[0] : text(config.servers()).getBytes(StandardCharsets.UTF_8);
    }

    /** The text for these server.N lines; no trailing newline, as ZooKeeper's. */
    public static String text(Map<Long, ServerSpec> servers) {
        StringBuilder sb = new StringBuilder();
        for (ServerSpec s : new TreeMap<>(servers).values()) {
            sb.append("server.").append(s.id()).append('=').append(line(s)).append('\n');
        }
        return sb.append("version=").append(Long.toHexString(STATIC_VERSION)).toString();
    }

    /** One server as ZooKeeper's QuorumServer.toString writes it: the type always, IPv6 in brackets. */
    static String line(ServerSpec s) {
        StringBuilder sb = new StringBuilder();
        sb.append(delimited(s.host())).append(':').append(s.peerPort()).append(':').append(s.electionPort())
                .append(s.observer() ? ":observer" : ":participant");
        if (s.hasClientAddress()) {
            sb.append(';').append(delimited(s.clientHost())).append(':').append(s.clientPort());
        }
        return sb.toString();
    }

    private static String delimited(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }
}
