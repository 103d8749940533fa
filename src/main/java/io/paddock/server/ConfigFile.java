package io.paddock.server;

import io.paddock.server.PaddockConfig.ServerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads conf/paddock.cfg, which uses zoo.cfg's syntax: {@code key=value} lines, whitespace
 * around key and value ignored, blank lines and lines starting with '#' skipped. A '#' after a
 * value is part of the value, as in zoo.cfg. Only the keys below are accepted; an unknown or
 * repeated key, a bad value or a missing dataDir stops with a {@link ConfigException} naming
 * the file, line and key.
 *
 * <p>Keys: tickTime, initLimit, syncLimit, dataDir (required), clientPort, clientPortAddress,
 * httpPort, minSessionTimeout, maxSessionTimeout (defaults 2 and 20 tickTimes), maxDataBytes,
 * superDigest, containerCheckIntervalMs, eventWindow, 4lw.commands.whitelist (the four-letter
 * words the client port answers, as ZooKeeper's: comma-separated, '*' for all), and
 * {@code server.N=host:peerPort:electionPort[:observer|:participant][;[clientHost:]clientPort]}
 * (the part after ';' is ZooKeeper's dynamic-config client address, optional). Client and HTTP
 * ports may be 0 (any free port); peer, election and server.N client ports must be 1..65535.
 *
 * <p>Storage keys, with zoo.cfg's names and units: snapCount, forceSync (yes or no),
 * preAllocSize (in KB), autopurge.snapRetainCount (at least 3: ZooKeeper raises lower values
 * to 3, Paddock refuses them) and autopurge.purgeInterval (hours, 0 turns purging off).
 */
public final class ConfigFile {

    private static final String SERVER_PREFIX = "server.";
    /** A host name or IPv4 address, or an IPv6 literal; resolved later, never here. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._%-]+|[0-9A-Fa-f:.%]*:[0-9A-Fa-f:.%]*");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final int SHA1_BYTES = 20;
    /** ZooKeeper's PurgeTxnLog never keeps fewer snapshots. */
    private static final int MIN_SNAP_RETAIN_COUNT = 3;

    private ConfigFile() {
    }

    /** Reads and parses a file; a relative dataDir stays relative to the working directory, as in ZooKeeper. */
    public static PaddockConfig load(Path file) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, null, "cannot read: " + e, e);
        }
        return parse(lines, file.toString());
    }

    /** Parses the lines of a file; {@code sourceName} is what error messages call it. */
    public static PaddockConfig parse(List<String> lines, String sourceName) throws ConfigException {
        return new Reader(sourceName).read(lines);
    }

    /** One parse: the values seen so far and the line each key came from. */
    private static final class Reader {
        private final String source;
        private final Map<String, Integer> lineOfKey = new HashMap<>();
        private final Map<Long, Integer> lineOfServer = new HashMap<>();
        private final SortedMap<Long, ServerSpec> servers = new TreeMap<>();
        private final PaddockConfig defaults = PaddockConfig.defaults(Path.of("."));

        private int tickTime = defaults.tickTime();
        private int initLimit = defaults.initLimit();
        private int syncLimit = defaults.syncLimit();
        private Path dataDir;
        private int clientPort = defaults.clientPort();
        private String clientPortAddress = defaults.clientPortAddress();
        private int httpPort = defaults.httpPort();
        private Integer minSessionTimeout;
        private Integer maxSessionTimeout;
        private int maxDataBytes = defaults.maxDataBytes();
        private String superDigest = defaults.superDigest();
        private long containerCheckIntervalMs = defaults.containerCheckIntervalMs();
        private int eventWindow = defaults.eventWindow();
        private long snapCount = defaults.storage().snapCount();
        private boolean forceSync = defaults.storage().forceSync();
        private long preAllocSizeBytes = defaults.storage().preAllocSizeBytes();
        private int snapRetainCount = defaults.storage().snapRetainCount();
        private int purgeIntervalHours = defaults.storage().purgeIntervalHours();
        private boolean quorumListenOnAllIPs;
        private String fourLetterWordWhitelist;
        private int commitLogCount = defaults.storage().commitLogCount();

        Reader(String source) {
            this.source = source;
        }

        PaddockConfig read(List<String> lines) throws ConfigException {
            for (int i = 0; i < lines.size(); i++) {
                readLine(i + 1, lines.get(i).strip());
            }
            if (dataDir == null) {
                throw new ConfigException(source, 0, "dataDir", "required, but not set");
            }
            int min = minSessionTimeout != null ? minSessionTimeout : 2 * tickTime;
            int max = maxSessionTimeout != null ? maxSessionTimeout : 20 * tickTime;
            if (min > max) {
                String key = minSessionTimeout != null ? "minSessionTimeout" : "maxSessionTimeout";
                throw new ConfigException(source, lineOfKey.get(key), key, "minSessionTimeout " + min
                        + " must not be larger than maxSessionTimeout " + max);
            }
            if (!servers.isEmpty() && servers.values().stream().allMatch(ServerSpec::observer)) {
                long first = servers.firstKey();
                throw new ConfigException(source, lineOfServer.get(first), SERVER_PREFIX + first,
                        "an ensemble needs at least one participant, but every server.N line is an observer");
            }
            return new PaddockConfig(tickTime, initLimit, syncLimit, dataDir, clientPort, clientPortAddress,
                    httpPort, min, max, maxDataBytes, superDigest, containerCheckIntervalMs, eventWindow,
                    Collections.unmodifiableSortedMap(servers), new PaddockConfig.Storage(snapCount, forceSync,
                            preAllocSizeBytes, snapRetainCount, purgeIntervalHours, commitLogCount), quorumListenOnAllIPs,
                    fourLetterWordWhitelist);
        }

        private void readLine(int line, String text) throws ConfigException {
            if (text.isEmpty() || text.startsWith("#")) {
                return;
            }
            int eq = text.indexOf('=');
            if (eq < 0) {
                throw new ConfigException(source, line, null, "not a key=value line: '" + text + "'");
            }
            String key = text.substring(0, eq).strip();
            String value = text.substring(eq + 1).strip();
            if (key.isEmpty()) {
                throw new ConfigException(source, line, null, "no key before '=': '" + text + "'");
            }
            Integer first = lineOfKey.putIfAbsent(key, line);
            if (first != null) {
                throw new ConfigException(source, line, key, "set twice (first on line " + first + ")");
            }
            if (value.isEmpty()) {
                throw new ConfigException(source, line, key, "no value");
            }
            if (key.startsWith(SERVER_PREFIX)) {
                readServer(line, key, value);
                return;
            }
            switch (key) {
                case "tickTime" -> tickTime = positiveInt(line, key, value);
                case "initLimit" -> initLimit = positiveInt(line, key, value);
                case "syncLimit" -> syncLimit = positiveInt(line, key, value);
                case "dataDir" -> dataDir = path(line, key, value);
                case "clientPort" -> clientPort = port(line, key, value, 0);
                case "clientPortAddress" -> clientPortAddress = host(line, key, value);
                case "httpPort" -> httpPort = port(line, key, value, 0);
                case "minSessionTimeout" -> minSessionTimeout = positiveInt(line, key, value);
                case "maxSessionTimeout" -> maxSessionTimeout = positiveInt(line, key, value);
                case "maxDataBytes" -> maxDataBytes = positiveInt(line, key, value);
                case "superDigest" -> superDigest = superDigest(line, key, value);
                case "containerCheckIntervalMs" -> containerCheckIntervalMs = positiveLong(line, key, value);
                case "eventWindow" -> eventWindow = positiveInt(line, key, value);
                case "snapCount" -> snapCount = positiveLong(line, key, value);
                case "forceSync" -> forceSync = yesOrNo(line, key, value);
                case "preAllocSize" -> preAllocSizeBytes = kilobytes(line, key, value);
                case "autopurge.snapRetainCount" -> snapRetainCount = snapRetainCount(line, key, value);
                case "autopurge.purgeInterval" -> purgeIntervalHours = nonNegativeInt(line, key, value);
                case "quorumListenOnAllIPs" -> quorumListenOnAllIPs = trueOrFalse(line, key, value);
                case "commitLogCount" -> commitLogCount = positiveInt(line, key, value);
                case "4lw.commands.whitelist" -> fourLetterWordWhitelist = value;
                default -> throw new ConfigException(source, line, key, "unknown key");
            }
        }

        /**
         * {@code server.N=host:peerPort:electionPort[:observer|:participant][;[clientHost:]clientPort]},
         * as zoo.cfg and ZooKeeper's dynamic config file write it; IPv6 hosts in brackets.
         */
        private void readServer(int line, String key, String serverValue) throws ConfigException {
            String idText = key.substring(SERVER_PREFIX.length());
            long id = DIGITS.matcher(idText).matches() && idText.length() <= 9 ? Long.parseLong(idText) : -1;
            if (id < 1 || id > SessionIds.MAX_SERVER_ID) {
                // Session ids carry the server id in their high byte, and 0xff marks TTL owners.
                throw new ConfigException(source, line, key,
                        "server id must be an integer in 1.." + SessionIds.MAX_SERVER_ID + ": '" + idText + "'");
            }
            Integer first = lineOfServer.putIfAbsent(id, line);
            if (first != null) {
                throw new ConfigException(source, line, key, "server id " + id + " set twice (first on line " + first + ")");
            }
            String[] serverAndClient = serverValue.split(";", -1);
            if (serverAndClient.length > 2) {
                throw badServer(line, key, serverValue);
            }
            String value = serverAndClient[0].strip();
            String host;
            String rest;
            if (value.startsWith("[")) {
                int close = value.indexOf("]:");
                if (close < 0) {
                    throw badServer(line, key, value);
                }
                host = value.substring(1, close);
                rest = value.substring(close + 2);
            } else {
                int colon = value.indexOf(':');
                if (colon < 0) {
                    throw badServer(line, key, value);
                }
                host = value.substring(0, colon);
                rest = value.substring(colon + 1);
            }
            String[] parts = rest.split(":", -1);
            if (parts.length < 2 || parts.length > 3 || host.isEmpty()) {
                throw badServer(line, key, value);
            }
            host = host(line, key, host);
            int peerPort = port(line, key, parts[0].strip(), 1);
            int electionPort = port(line, key, parts[1].strip(), 1);
            if (peerPort == electionPort) {
                throw new ConfigException(source, line, key, "peer and election ports must differ: " + peerPort);
            }
            boolean observer = false;
            if (parts.length == 3) {
                String type = parts[2].strip().toLowerCase(Locale.ROOT);
                switch (type) {
                    case "observer" -> observer = true;
                    case "participant" -> observer = false;
                    default -> throw new ConfigException(source, line, key,
                            "server type must be observer or participant: '" + parts[2].strip() + "'");
                }
            }
            if (serverAndClient.length == 1) {
                servers.put(id, new ServerSpec(id, host, peerPort, electionPort, observer));
                return;
            }
            String client = serverAndClient[1].strip();
            String clientHost;
            String clientPort;
            if (client.startsWith("[")) {
                int close = client.indexOf("]:");
                if (close < 0) {
                    throw badClient(line, key, client);
                }
                clientHost = host(line, key, client.substring(1, close));
                clientPort = client.substring(close + 2);
            } else {
                String[] hostAndPort = client.split(":", -1);
                if (hostAndPort.length > 2) {
                    throw badClient(line, key, client);
                }
                // A port alone: ZooKeeper's QuorumServer takes the wildcard address.
                clientHost = hostAndPort.length == 2 ? host(line, key, hostAndPort[0].strip()) : "0.0.0.0";
                clientPort = hostAndPort[hostAndPort.length - 1];
            }
            servers.put(id, new ServerSpec(id, host, peerPort, electionPort, observer, clientHost,
                    port(line, key, clientPort.strip(), 1)));
        }

        private ConfigException badServer(int line, String key, String value) {
            return new ConfigException(source, line, key,
                    "not host:peerPort:electionPort[:observer|:participant][;[clientHost:]clientPort]: '" + value + "'");
        }

        private ConfigException badClient(int line, String key, String client) {
            return new ConfigException(source, line, key,
                    "the client address after ';' must be clientPort or clientHost:clientPort: '" + client + "'");
        }

        private int positiveInt(int line, String key, String value) throws ConfigException {
            long n = positiveLong(line, key, value);
            if (n > Integer.MAX_VALUE) {
                throw new ConfigException(source, line, key, "too large (at most " + Integer.MAX_VALUE + "): '" + value + "'");
            }
            return (int) n;
        }

        private long positiveLong(int line, String key, String value) throws ConfigException {
            long n;
            try {
                n = Long.parseLong(value);
            } catch (NumberFormatException e) {
                n = 0;
            }
            if (n <= 0) {
                throw new ConfigException(source, line, key, "not a positive integer: '" + value + "'");
            }
            return n;
        }

        /** ZooKeeper's forceSync values; anything else is refused rather than read as yes. */
        private boolean yesOrNo(int line, String key, String value) throws ConfigException {
            return switch (value) {
                case "yes" -> true;
                case "no" -> false;
                default -> throw new ConfigException(source, line, key, "must be yes or no: '" + value + "'");
            };
        }

        private boolean trueOrFalse(int line, String key, String value) throws ConfigException {
            return switch (value) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new ConfigException(source, line, key, "must be true or false: '" + value + "'");
            };
        }

        /** A size in KB, as zoo.cfg gives preAllocSize, in bytes. */
        private long kilobytes(int line, String key, String value) throws ConfigException {
            long kb = positiveLong(line, key, value);
            if (kb > Long.MAX_VALUE / 1024) {
                throw new ConfigException(source, line, key, "too large (at most " + Long.MAX_VALUE / 1024 + " KB): '"
                        + value + "'");
            }
            return kb * 1024;
        }

        private int snapRetainCount(int line, String key, String value) throws ConfigException {
            int n = positiveInt(line, key, value);
            if (n < MIN_SNAP_RETAIN_COUNT) {
                throw new ConfigException(source, line, key, "must be at least " + MIN_SNAP_RETAIN_COUNT
                        + ", as in ZooKeeper: '" + value + "'");
            }
            return n;
        }

        private int nonNegativeInt(int line, String key, String value) throws ConfigException {
            long n;
            try {
                n = Long.parseLong(value);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0) {
                throw new ConfigException(source, line, key, "not a non-negative integer: '" + value + "'");
            }
            if (n > Integer.MAX_VALUE) {
                throw new ConfigException(source, line, key, "too large (at most " + Integer.MAX_VALUE + "): '" + value + "'");
            }
            return (int) n;
        }

        private int port(int line, String key, String value, int lowest) throws ConfigException {
            int port;
            try {
                port = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < lowest || port > 65535) {
                throw new ConfigException(source, line, key, "not a port (" + lowest + "..65535): '" + value + "'");
            }
            return port;
        }

        private String host(int line, String key, String value) throws ConfigException {
            if (!HOST.matcher(value).matches()) {
                throw new ConfigException(source, line, key, "not a host name or IP address: '" + value + "'");
            }
            return value;
        }

        private Path path(int line, String key, String value) throws ConfigException {
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw new ConfigException(source, line, key, "not a path: '" + value + "'", e);
            }
        }

        /** "super:" then the base64 of a SHA-1 digest, as ZooKeeper's superDigest; never echoed back. */
        private String superDigest(int line, String key, String value) throws ConfigException {
            String problem = "must look like super:<base64 of a SHA-1 digest>";
            if (!value.startsWith("super:")) {
                throw new ConfigException(source, line, key, problem);
            }
            try {
                if (Base64.getDecoder().decode(value.substring("super:".length())).length != SHA1_BYTES) {
                    throw new ConfigException(source, line, key, problem);
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source, line, key, problem);
            }
            return value;
        }
    }
}
