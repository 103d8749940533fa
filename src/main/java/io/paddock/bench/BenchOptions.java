package io.paddock.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options of {@code paddock bench}, parsed and checked. Every value is given as
 * {@code --name value} or {@code --name=value}; a bad one is refused with a {@link BadOption}
 * that names the option, so the command can exit 2 with a message the user can act on.
 *
 * @param protocol    how the clients talk to the servers: the HTTP API or ZooKeeper's binary protocol
 * @param urls        http: the servers' base URLs, e.g. {@code http://127.0.0.1:8080}, without a trailing
 *                    slash; client i talks to {@code urls[i % urls.size()]}. Empty for zk, and for
 *                    {@code failover}, which starts its own servers
 * @param zkServers   zk: the servers' client ports, unresolved host and port, client i on
 *                    {@code zkServers[i % zkServers.size()]}; empty for http
 * @param clients     one run per value, in the order given: the number of concurrent clients
 * @param outstanding the most requests one client has in flight at once
 * @param duration    how long each run is measured
 * @param warmup      how long each run goes before measuring starts (not counted)
 * @param valueSize   bytes of data per znode written
 * @param keys        how many znodes the workload spreads its operations over
 * @param workload    what the clients do
 * @param readRatio   the share of reads: 0 for write, 1 for read, --read-ratio (default 0.9) for mixed
 * @param servers     failover only: the participants of the ensemble it launches
 * @param trials      failover only: how many times the leader is killed
 * @param tickTimeMs  failover only: the servers' tickTime, or 0 for conf/paddock.cfg's
 * @param connections the connections (http) or sessions (zk) the clients of a run share: empty
 *                    for one per client; one value for every run; or one value per --clients value
 * @param keySize     bytes of every znode name the workload makes (keys, created and ephemeral znodes)
 * @param target      which of the servers given the clients talk to, by role
 */
public record BenchOptions(Protocol protocol, List<URI> urls, List<InetSocketAddress> zkServers, List<Integer> clients,
        int outstanding, Duration duration, Duration warmup, int valueSize, int keys, WorkloadKind workload,
        double readRatio, int servers, int trials, int tickTimeMs, List<Integer> connections, int keySize,
        Target target) {

    /** What {@code --target} names: the servers the clients are spread over, by their role. */
    public enum Target {
        /** Every server given (a standalone server counts as the leader). */
        ALL("all"),
        /** The leader only (or the standalone server). */
        LEADER("leader"),
        /** Every follower, not the leader. */
        FOLLOWERS("followers");

        private final String optionName;

        Target(String optionName) {
            this.optionName = optionName;
        }

        public String optionName() {
            return optionName;
        }
    }

    /** What {@code --protocol} names: how the clients talk to the servers. */
    public enum Protocol {
        /** The HTTP API (docs/http-api.md). */
        HTTP("http"),
        /** ZooKeeper's binary client protocol on the client port, as ZooKeeper's own clients speak it. */
        ZK("zk");

        private final String optionName;

        Protocol(String optionName) {
            this.optionName = optionName;
        }

        /** The name in {@code --protocol} and in the results. */
        public String optionName() {
            return optionName;
        }
    }

    public static final List<Integer> DEFAULT_CLIENTS = List.of(1, 8, 64);
    public static final int DEFAULT_OUTSTANDING = 1;
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(2);
    public static final int DEFAULT_VALUE_SIZE = 100;
    public static final int DEFAULT_KEYS = 1000;
    public static final double DEFAULT_READ_RATIO = 0.9;
    public static final int DEFAULT_WATCHERS = 100;
    /** The width of today's key names, {@code k0000000}: the default of --key-size. */
    public static final int DEFAULT_KEY_SIZE = 8;
    /** A letter and at least one digit. */
    static final int MIN_KEY_SIZE = 2;
    /** Far below ZooKeeper's limits on a path; longer names measure nothing new. */
    static final int MAX_KEY_SIZE = 1000;

    static final int MAX_CLIENTS = 10_000;
    static final int MAX_OUTSTANDING = 1_000;
    static final int MAX_KEYS = 1_000_000;
    /** Far above the server's default maxDataBytes (1 MiB): the server, not the driver, decides what it accepts. */
    static final int MAX_VALUE_SIZE = 64 << 20;
    static final Duration MAX_DURATION = Duration.ofHours(24);
    static final int MAX_URLS = 100;

    public static final int DEFAULT_SERVERS = 3;
    public static final int DEFAULT_TRIALS = 10;
    /** Killing the leader of fewer than three leaves no majority to elect another. */
    static final int MIN_SERVERS = 3;
    static final int MAX_SERVERS = 9;
    static final int MAX_TRIALS = 1_000;
    static final int MAX_TICK_TIME_MS = 60_000;

    /** Options of the throughput workloads (write, read), which failover does not take. */
    static final List<String> THROUGHPUT_OPTIONS = List.of("--protocol", "--url", "--clients", "--outstanding",
            "--duration", "--warmup", "--value-size", "--keys", "--connections", "--key-size", "--target", "--watchers");
    /** Options of failover only. */
    static final List<String> FAILOVER_OPTIONS = List.of("--servers", "--trials", "--tick-time");

    /** Options of the mixed workload only. */
    static final List<String> MIXED_OPTIONS = List.of("--read-ratio");

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)?");
    private static final Pattern RATIO = Pattern.compile("[0-9]*\\.?[0-9]+");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    public BenchOptions {
        urls = List.copyOf(urls);
        zkServers = List.copyOf(zkServers);
        clients = List.copyOf(clients);
        connections = List.copyOf(connections);
    }

    /**
     * The options as before this record gained --connections, --key-size and --target: one
     * connection per client, today's key names, every server.
     */
    public BenchOptions(Protocol protocol, List<URI> urls, List<InetSocketAddress> zkServers, List<Integer> clients,
            int outstanding, Duration duration, Duration warmup, int valueSize, int keys, WorkloadKind workload,
            double readRatio, int servers, int trials, int tickTimeMs) {
        this(protocol, urls, zkServers, clients, outstanding, duration, warmup, valueSize, keys, workload, readRatio,
                servers, trials, tickTimeMs, List.of(), DEFAULT_KEY_SIZE, Target.ALL);
    }

    /** The connections (http) or sessions (zk) the clients of run {@code run} (from 0, the --clients order) share. */
    public int connectionsOf(int run) {
        if (connections.isEmpty()) {
            return clients.get(run);
        }
        return connections.size() == 1 ? connections.get(0) : connections.get(run);
    }

    /** These options with the clients spread over {@code chosen} servers only (after --target picked them). */
    public BenchOptions withServers(List<URI> chosenUrls, List<InetSocketAddress> chosenZkServers) {
        return new BenchOptions(protocol, chosenUrls, chosenZkServers, clients, outstanding, duration, warmup,
                valueSize, keys, workload, readRatio, servers, trials, tickTimeMs, connections, keySize, target);
    }

    /** How many znodes of {@code --keys} the workload uses: all for write, read and mixed, one for watch and lock, none else. */
    public int keysUsed() {
        return switch (workload) {
            case WRITE, READ, MIXED -> keys;
            case WATCH, LOCK -> 1;
            case CREATE, CHURN, FAILOVER -> 0;
        };
    }

    /** Where client {@code client} (from 0) sends its requests: the URLs taken round-robin. */
    public URI urlOf(int client) {
        return urls.get(client % urls.size());
    }

    /** The client port that client {@code client} (from 0) talks to: the addresses taken round-robin. */
    public InetSocketAddress zkServerOf(int client) {
        return zkServers.get(client % zkServers.size());
    }

    /** How many servers the clients are spread over, whatever the protocol. */
    public int serverCount() {
        return protocol == Protocol.ZK ? zkServers.size() : urls.size();
    }

    /** An option the command cannot use; {@link #option()} is its name as the user wrote it, e.g. {@code --clients}. */
    public static final class BadOption extends Exception {
        private static final long serialVersionUID = 1L;
        private final String option;

        BadOption(String option, String message) {
            super(option + ": " + message);
            this.option = option;
        }

        public String option() {
            return option;
        }
    }

    /** Parses the arguments after {@code bench}; {@code defaultUrl} applies to http when there is no {@code --url}. */
    public static BenchOptions parse(List<String> args, URI defaultUrl) throws BadOption {
        return parse(args, defaultUrl, null);
    }

    /**
     * Parses the arguments after {@code bench}. Without {@code --url}, {@code defaultUrl} is the
     * server of http and {@code defaultZkServer} (unresolved) that of zk; null when none is known.
     */
    public static BenchOptions parse(List<String> args, URI defaultUrl, InetSocketAddress defaultZkServer)
            throws BadOption {
        Protocol protocol = Protocol.HTTP;
        String urlValue = null;
        List<Integer> clients = DEFAULT_CLIENTS;
        int outstanding = DEFAULT_OUTSTANDING;
        Duration duration = DEFAULT_DURATION;
        Duration warmup = DEFAULT_WARMUP;
        int valueSize = DEFAULT_VALUE_SIZE;
        int keys = DEFAULT_KEYS;
        WorkloadKind workload = WorkloadKind.WRITE;
        double readRatio = DEFAULT_READ_RATIO;
        int servers = DEFAULT_SERVERS;
        int trials = DEFAULT_TRIALS;
        int tickTimeMs = 0;
        List<Integer> connections = List.of();
        int keySize = DEFAULT_KEY_SIZE;
        Target target = Target.ALL;
        List<Integer> watchers = List.of(DEFAULT_WATCHERS);

        List<String> seen = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new BadOption(arg, "not an option (options start with --; see --help)");
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq >= 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                if (!isKnown(name)) {
                    throw new BadOption(name, "unknown option (see --help)");
                }
                if (i + 1 >= args.size()) {
                    throw new BadOption(name, "needs a value");
                }
                value = args.get(++i);
            }
            if (!isKnown(name)) {
                throw new BadOption(name, "unknown option (see --help)");
            }
            // Given twice is almost always a slip in a script; refusing it beats silently taking the last.
            if (seen.contains(name)) {
                throw new BadOption(name, "given more than once");
            }
            seen.add(name);
            switch (name) {
                case "--protocol" -> protocol = parseProtocol(name, value);
                case "--url" -> urlValue = value;
                case "--clients" -> clients = parseIntList(name, value, 1, MAX_CLIENTS);
                case "--outstanding" -> outstanding = parseInt(name, value, 1, MAX_OUTSTANDING);
                case "--duration" -> duration = parseDuration(name, value, false);
                case "--warmup" -> warmup = parseDuration(name, value, true);
                case "--value-size" -> valueSize = parseInt(name, value, 0, MAX_VALUE_SIZE);
                case "--keys" -> keys = parseInt(name, value, 1, MAX_KEYS);
                case "--workload" -> workload = parseWorkload(name, value);
                case "--read-ratio" -> readRatio = parseRatio(name, value);
                case "--servers" -> servers = parseInt(name, value, MIN_SERVERS, MAX_SERVERS);
                case "--trials" -> trials = parseInt(name, value, 1, MAX_TRIALS);
                case "--tick-time" -> tickTimeMs = parseInt(name, value, 1, MAX_TICK_TIME_MS);
                case "--connections" -> connections = parseIntList(name, value, 1, MAX_CLIENTS);
                case "--key-size" -> keySize = parseInt(name, value, MIN_KEY_SIZE, MAX_KEY_SIZE);
                case "--target" -> target = parseTarget(name, value);
                case "--watchers" -> watchers = parseIntList(name, value, 1, MAX_CLIENTS);
                default -> throw new IllegalStateException("isKnown and this switch disagree on " + name);
            }
        }
        // An option that the chosen workload ignores would make the printed figures lie about their settings.
        for (String name : seen) {
            if (workload == WorkloadKind.FAILOVER && THROUGHPUT_OPTIONS.contains(name)) {
                throw new BadOption(name, "does not apply to --workload failover, which starts its own servers");
            }
            if (workload != WorkloadKind.FAILOVER && FAILOVER_OPTIONS.contains(name)) {
                throw new BadOption(name, "applies to --workload failover only");
            }
            if (workload != WorkloadKind.MIXED && MIXED_OPTIONS.contains(name)) {
                throw new BadOption(name, "applies to --workload mixed only");
            }
            String refusal = workload == WorkloadKind.FAILOVER ? null : refusal(workload, name);
            if (refusal != null) {
                throw new BadOption(name, refusal);
            }
        }
        readRatio = switch (workload) {
            case WRITE, CREATE, CHURN, WATCH, LOCK, FAILOVER -> 0.0;
            case READ -> 1.0;
            case MIXED -> readRatio;
        };
        if (workload == WorkloadKind.WATCH) {
            clients = watchers;
        }
        checkConnections(connections, clients);
        if (workload.keyed() && keys > BenchKeys.nameCapacity(keySize)) {
            throw new BadOption("--key-size", keySize + " bytes name at most " + BenchKeys.nameCapacity(keySize)
                    + " keys (a letter and " + (keySize - 1) + " digits), fewer than the " + keys + " of --keys");
        }
        List<URI> urls = List.of();
        List<InetSocketAddress> zkServers = List.of();
        if (workload != WorkloadKind.FAILOVER && protocol == Protocol.HTTP) {
            if (urlValue != null) {
                urls = parseUrls("--url", urlValue);
            } else if (defaultUrl != null) {
                urls = List.of(defaultUrl);
            } else {
                throw new BadOption("--url", "no default is known; give the server's URL, e.g. http://127.0.0.1:8080");
            }
        } else if (workload != WorkloadKind.FAILOVER) {
            if (urlValue != null) {
                zkServers = parseZkServers("--url", urlValue);
            } else if (defaultZkServer != null) {
                zkServers = List.of(defaultZkServer);
            } else {
                throw new BadOption("--url", "no default is known; give the server's client port, e.g. 127.0.0.1:2181");
            }
        }
        return new BenchOptions(protocol, urls, zkServers, clients, outstanding, duration, warmup, valueSize, keys,
                workload, readRatio, servers, trials, tickTimeMs, connections, keySize, target);
    }

    private static boolean isKnown(String name) {
        return switch (name) {
            case "--protocol", "--url", "--clients", "--outstanding", "--duration", "--warmup", "--value-size",
                    "--keys", "--workload", "--read-ratio", "--servers", "--trials", "--tick-time", "--connections",
                    "--key-size", "--target", "--watchers" -> true;
            default -> false;
        };
    }

    /**
     * Why a client workload does not take option {@code name}, or null when it does: an option the
     * workload would ignore makes the printed settings lie.
     */
    static String refusal(WorkloadKind workload, String name) {
        boolean multiplexed = workload.keyed() || workload == WorkloadKind.CREATE;
        return switch (name) {
            case "--watchers" -> workload == WorkloadKind.WATCH ? null : "applies to --workload watch only";
            case "--clients" -> workload == WorkloadKind.WATCH
                    ? "does not apply to --workload watch, which has one writer; give the watchers with --watchers" : null;
            case "--keys" -> workload.keyed() ? null
                    : "applies to --workload write, read and mixed only (" + workload.optionName()
                    + " does not spread its requests over keys)";
            case "--outstanding" -> multiplexed ? null
                    : "does not apply to --workload " + workload.optionName() + ", whose clients do one thing at a time";
            case "--connections" -> multiplexed ? null
                    : "does not apply to --workload " + workload.optionName() + ", where every "
                    + (workload == WorkloadKind.CHURN ? "cycle opens a session of its own" : "client is a session of its own");
            case "--key-size" -> workload == WorkloadKind.LOCK
                    ? "does not apply to --workload lock, whose znodes are named by the lock recipe" : null;
            case "--value-size" -> workload == WorkloadKind.LOCK
                    ? "does not apply to --workload lock, whose znodes hold no data" : null;
            default -> null;
        };
    }

    /** --connections: one value, or one per --clients value; never more connections than clients in a run. */
    static void checkConnections(List<Integer> connections, List<Integer> clients) throws BadOption {
        if (connections.isEmpty()) {
            return;
        }
        if (connections.size() != 1 && connections.size() != clients.size()) {
            throw new BadOption("--connections", "gives " + connections.size() + " values for " + clients.size()
                    + " --clients values; give one value, or one per --clients value");
        }
        for (int run = 0; run < clients.size(); run++) {
            int n = connections.size() == 1 ? connections.get(0) : connections.get(run);
            if (n > clients.get(run)) {
                throw new BadOption("--connections", n + " connections for " + clients.get(run) + " client"
                        + (clients.get(run) == 1 ? "" : "s") + ": a connection without a client would sit idle");
            }
        }
    }

    static Target parseTarget(String name, String value) throws BadOption {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (Target target : Target.values()) {
            if (target.optionName().equals(wanted)) {
                return target;
            }
        }
        throw new BadOption(name, "'" + value + "' is not a target; available: all, leader, followers");
    }

    /** Comma-separated URLs, in the order clients take them; one server named twice gets twice the clients. */
    static List<URI> parseUrls(String name, String value) throws BadOption {
        List<URI> urls = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            if (part.isBlank()) {
                throw new BadOption(name, "'" + value + "' has an empty item; give URLs separated by commas");
            }
            urls.add(parseUrl(name, part.trim()));
        }
        if (urls.size() > MAX_URLS) {
            throw new BadOption(name, urls.size() + " URLs are more than " + MAX_URLS);
        }
        return urls;
    }

    /** An http(s) URL with a host; a trailing slash is dropped so that API paths can be appended. */
    static URI parseUrl(String name, String value) throws BadOption {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new BadOption(name, "'" + value + "' is not a URL: " + e.getReason() + zkHint(value));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new BadOption(name, "'" + value + "' is not an http:// or https:// URL" + zkHint(value));
        }
        if (uri.getHost() == null) {
            throw new BadOption(name, "'" + value + "' has no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new BadOption(name, "'" + value + "' must not have a query or fragment");
        }
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    /** For a host:port given where a URL belongs: the option that was probably forgotten. */
    private static String zkHint(String value) {
        boolean hostPort = !value.contains("/") && value.matches(".*:[0-9]{1,5}");
        return hostPort ? " (for a ZooKeeper client port, add --protocol zk)" : "";
    }

    /**
     * Comma-separated client ports as ZooKeeper's connect string has them: {@code host:port},
     * {@code [v6address]:port}, or a host alone for port 2181. Kept unresolved: the name is
     * looked up when a client connects. A chroot suffix is refused, as the driver has none.
     */
    static List<InetSocketAddress> parseZkServers(String name, String value) throws BadOption {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            if (part.isBlank()) {
                throw new BadOption(name, "'" + value + "' has an empty item; give host:port addresses separated by commas");
            }
            servers.add(parseZkServer(name, part.trim()));
        }
        if (servers.size() > MAX_URLS) {
            throw new BadOption(name, servers.size() + " addresses are more than " + MAX_URLS);
        }
        return servers;
    }

    static InetSocketAddress parseZkServer(String name, String value) throws BadOption {
        if (value.contains("://")) {
            throw new BadOption(name, "'" + value + "' is a URL; --protocol zk takes host:port, e.g. 127.0.0.1:2181");
        }
        if (value.contains("/")) {
            throw new BadOption(name, "'" + value + "' has a path; --protocol zk takes host:port without a chroot");
        }
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new BadOption(name, "'" + value + "' opens a [ that it does not close");
            }
            host = value.substring(1, close);
            String rest = value.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new BadOption(name, "'" + value + "' has something other than :port after the ]");
            }
            port = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = value.indexOf(':');
            if (colon >= 0 && value.indexOf(':', colon + 1) >= 0) {
                throw new BadOption(name, "'" + value + "' has several colons; write an IPv6 address in brackets, "
                        + "e.g. [::1]:2181");
            }
            host = colon < 0 ? value : value.substring(0, colon);
            port = colon < 0 ? null : value.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new BadOption(name, "'" + value + "' has no host");
        }
        int portNumber = ZkWire.DEFAULT_PORT;
        if (port != null) {
            if (!PORT.matcher(port).matches()) {
                throw new BadOption(name, "'" + value + "' has no port number after the colon");
            }
            portNumber = Integer.parseInt(port);
            if (portNumber < 1 || portNumber > 65535) {
                throw new BadOption(name, "'" + value + "': port " + portNumber + " is out of range; it must be from 1 to 65535");
            }
        }
        return InetSocketAddress.createUnresolved(host, portNumber);
    }

    static Protocol parseProtocol(String name, String value) throws BadOption {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (Protocol protocol : Protocol.values()) {
            if (protocol.optionName().equals(wanted)) {
                return protocol;
            }
        }
        throw new BadOption(name, "'" + value + "' is not a protocol; available: http, zk");
    }

    /** A share from 0 to 1 as a plain decimal: {@code 0.9}, {@code .5}, {@code 1}. */
    static double parseRatio(String name, String value) throws BadOption {
        String trimmed = value.trim();
        if (!RATIO.matcher(trimmed).matches()) {
            throw new BadOption(name, "'" + value + "' is not a decimal number from 0 to 1, e.g. 0.9");
        }
        double ratio = Double.parseDouble(trimmed);
        if (ratio > 1) {
            throw new BadOption(name, trimmed + " is out of range; it must be from 0 to 1");
        }
        return ratio;
    }

    static int parseInt(String name, String value, int min, int max) throws BadOption {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadOption(name, "'" + value + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new BadOption(name, n + " is out of range; it must be from " + min + " to " + max);
        }
        return n;
    }

    /** A comma-separated list such as {@code 1,8,64}; order is kept, as it is the order of the runs. */
    static List<Integer> parseIntList(String name, String value, int min, int max) throws BadOption {
        List<Integer> values = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            if (part.isBlank()) {
                throw new BadOption(name, "'" + value + "' has an empty item; give numbers separated by commas, e.g. 1,8,64");
            }
            values.add(parseInt(name, part, min, max));
        }
        return values;
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
    static Duration parseDuration(String name, String value, boolean zeroAllowed) throws BadOption {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new BadOption(name, "'" + value + "' is not a duration; write e.g. 500ms, 10s, 2m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> throw new IllegalStateException("the pattern admits no unit " + unit);
        };
        if (d.isZero() && !zeroAllowed) {
            throw new BadOption(name, "must be more than 0");
        }
        if (d.compareTo(MAX_DURATION) > 0) {
            throw new BadOption(name, "'" + value + "' is longer than " + MAX_DURATION.toHours() + "h");
        }
        return d;
    }

    /** The workload that {@code --workload} names {@code name}. */
    static WorkloadKind parseKind(String name) {
        for (WorkloadKind kind : WorkloadKind.values()) {
            if (kind.optionName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no workload " + name);
    }

    static WorkloadKind parseWorkload(String name, String value) throws BadOption {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (WorkloadKind kind : WorkloadKind.values()) {
            if (kind.optionName().equals(wanted)) {
                return kind;
            }
        }
        String available = String.join(", ", WorkloadKind.optionNames());
        throw new BadOption(name, "'" + value + "' is not a workload; available: " + available);
    }
}
