package io.paddock;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code paddock ensemble} writes for a local ensemble, computed without touching the disk:
 * one folder per server under a base folder, {@code server-<id>/data/myid}, and a paddock.cfg
 * made from a template (conf/paddock.cfg) with this server's own dataDir, ports and the
 * {@code server.N} lines of all. Participants get ids 1..N, observers N+1..N+K; everything
 * listens on 127.0.0.1. The caller supplies the free ports, so the same input always gives the
 * same files.
 */
public final class EnsembleLayout {

    /** Every server of a local ensemble listens here only: nothing is exposed beyond this machine. */
    public static final String HOST = "127.0.0.1";
    /** Client, HTTP, peer and election port. */
    public static final int PORTS_PER_SERVER = 4;
    public static final int MAX_PARTICIPANTS = 9;
    public static final int MAX_OBSERVERS = 9;

    static final String CONFIG_FILE = "paddock.cfg";
    static final String LOG_FILE = "server.log";
    static final String MYID_FILE = "myid";
    /** Starts the block that the generator appends; also where the template's own lines end. */
    static final String GENERATED_MARK = "# ---- written by `paddock ensemble` for this server";

    private static final String SERVER_PREFIX = "server.";

    private EnsembleLayout() {
    }

    /** A server's four ports. */
    public record Ports(int clientPort, int httpPort, int peerPort, int electionPort) {
    }

    /** One server of the ensemble and where its files go. */
    public record Member(long id, boolean observer, Path dir, Ports ports) {

        public Path dataDir() {
            return dir.resolve("data");
        }

        public Path configFile() {
            return dir.resolve(CONFIG_FILE);
        }

        public Path logFile() {
            return dir.resolve(LOG_FILE);
        }

        public Path myidFile() {
            return dataDir().resolve(MYID_FILE);
        }

        public String role() {
            return observer ? "observer" : "participant";
        }

        public String httpUrl() {
            return "http://" + HOST + ":" + ports.httpPort();
        }

        /**
         * Its zoo.cfg line, {@code server.N=host:peerPort:electionPort[:observer];host:clientPort}:
         * the client address after ';' (ZooKeeper's dynamic-config form) is what /zookeeper/config
         * shows clients, and Curator's EnsembleTracker connects to it.
         */
        public String serverLine() {
            return SERVER_PREFIX + id + "=" + HOST + ":" + ports.peerPort() + ":" + ports.electionPort()
                    + (observer ? ":observer" : "") + ";" + HOST + ":" + ports.clientPort();
        }

        /** dataDir/myid holds the id in decimal, as ZooKeeper's. */
        public String myid() {
            return id + "\n";
        }
    }

    /**
     * The members, participants first, each taking the next {@link #PORTS_PER_SERVER} ports of
     * {@code freePorts} in order (client, HTTP, peer, election).
     *
     * @throws IllegalArgumentException for counts out of range, too few ports, or a port twice
     */
    public static List<Member> plan(Path baseDir, int participants, int observers, List<Integer> freePorts) {
        if (participants < 1 || participants > MAX_PARTICIPANTS) {
            throw new IllegalArgumentException("participants must be 1.." + MAX_PARTICIPANTS + ": " + participants);
        }
        if (observers < 0 || observers > MAX_OBSERVERS) {
            throw new IllegalArgumentException("observers must be 0.." + MAX_OBSERVERS + ": " + observers);
        }
        int servers = participants + observers;
        if (freePorts.size() < servers * PORTS_PER_SERVER) {
            throw new IllegalArgumentException(servers + " servers need " + servers * PORTS_PER_SERVER
                    + " ports, got " + freePorts.size());
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < servers * PORTS_PER_SERVER; i++) {
            int port = freePorts.get(i);
            if (port < 1 || port > 65535 || !seen.add(port)) {
                throw new IllegalArgumentException("ports must be distinct and in 1..65535: " + freePorts);
            }
        }
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            long id = i + 1;
            int p = i * PORTS_PER_SERVER;
            Ports ports = new Ports(freePorts.get(p), freePorts.get(p + 1), freePorts.get(p + 2), freePorts.get(p + 3));
            members.add(new Member(id, i >= participants, baseDir.resolve("server-" + id), ports));
        }
        return List.copyOf(members);
    }

    /**
     * The paddock.cfg of {@code me}: the template's lines with dataDir, clientPort,
     * clientPortAddress, httpPort (and tickTime when given) set where the template sets them, the
     * template's own server.N lines dropped, and a block at the end with the settings the template
     * lacks and the server.N lines of every member. Comments are kept, so the file still explains
     * itself.
     *
     * @param tickTimeMs the tick to set, or 0 to keep the template's
     */
    public static List<String> config(List<String> template, Member me, List<Member> all, int tickTimeMs) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("dataDir", me.dataDir().toAbsolutePath().toString());
        settings.put("clientPort", Integer.toString(me.ports().clientPort()));
        settings.put("clientPortAddress", HOST);
        settings.put("httpPort", Integer.toString(me.ports().httpPort()));
        if (tickTimeMs > 0) {
            settings.put("tickTime", Integer.toString(tickTimeMs));
        }

        List<String> lines = new ArrayList<>();
        Set<String> written = new HashSet<>();
        for (String line : template) {
            if (line.strip().equals(GENERATED_MARK)) {
                break; // a file this generator wrote before: its block is written afresh below
            }
            String key = keyOf(line);
            if (key == null) {
                lines.add(line);
            } else if (key.startsWith(SERVER_PREFIX)) {
                continue; // the ensemble's lines replace whatever the template says
            } else if (settings.containsKey(key)) {
                if (written.add(key)) {
                    lines.add(key + "=" + settings.get(key));
                }
            } else {
                lines.add(line);
            }
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        lines.add("");
        lines.add(GENERATED_MARK);
        lines.add("# server " + me.id() + " (" + me.role() + ") of " + all.size() + "; its id is in "
                + me.myidFile().toAbsolutePath());
        settings.forEach((key, value) -> {
            if (!written.contains(key)) {
                lines.add(key + "=" + value);
            }
        });
        for (Member member : all) {
            lines.add(member.serverLine());
        }
        return List.copyOf(lines);
    }

    /** The key of a {@code key=value} line as ConfigFile reads it, or null for blank lines and comments. */
    static String keyOf(String line) {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return null;
        }
        int eq = text.indexOf('=');
        return eq < 0 ? null : text.substring(0, eq).strip();
    }

    /**
     * Distinct free ports on 127.0.0.1: all are bound at once (so none repeats), then released
     * for the servers to take. Another process could take one in between; then that server says so.
     */
    public static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
