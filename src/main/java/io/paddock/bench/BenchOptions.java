package io.paddock.bench;

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
 * @param urls        the servers' base URLs, e.g. {@code http://127.0.0.1:8080}, without a trailing slash;
 *                    client i talks to {@code urls[i % urls.size()]}. Empty for {@code failover}, which
 *                    starts its own servers
 * @param clients     one run per value, in the order given: the number of concurrent clients
 * @param outstanding the most requests one client has in flight at once
 * @param duration    how long each run is measured
 * @param warmup      how long each run goes before measuring starts (not counted)
 * @param valueSize   bytes of data per znode written
 * @param keys        how many znodes the workload spreads its operations over
 * @param workload    what the clients do
 * @param servers     failover only: the participants of the ensemble it launches
 * @param trials      failover only: how many times the leader is killed
 * @param tickTimeMs  failover only: the servers' tickTime, or 0 for conf/paddock.cfg's
 */
public record BenchOptions(List<URI> urls, List<Integer> clients, int outstanding, Duration duration, Duration warmup,
        int valueSize, int keys, WorkloadKind workload, int servers, int trials, int tickTimeMs) {

    public static final List<Integer> DEFAULT_CLIENTS = List.of(1, 8, 64);
    public static final int DEFAULT_OUTSTANDING = 1;
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(2);
    public static final int DEFAULT_VALUE_SIZE = 100;
    public static final int DEFAULT_KEYS = 1000;

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
    static final List<String> THROUGHPUT_OPTIONS = List.of("--url", "--clients", "--outstanding", "--duration",
            "--warmup", "--value-size", "--keys");
    /** Options of failover only. */
    static final List<String> FAILOVER_OPTIONS = List.of("--servers", "--trials", "--tick-time");

    /** Workloads that later versions add; named so that asking for one gets a plain answer. */
    static final List<String> PLANNED_WORKLOADS = List.of("mixed");

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)?");

    public BenchOptions {
        urls = List.copyOf(urls);
        clients = List.copyOf(clients);
    }

    /** Where client {@code client} (from 0) sends its requests: the URLs taken round-robin. */
    public URI urlOf(int client) {
        return urls.get(client % urls.size());
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

    /** Parses the arguments after {@code bench}; {@code defaultUrl} applies when there is no {@code --url}. */
    public static BenchOptions parse(List<String> args, URI defaultUrl) throws BadOption {
        List<URI> urls = defaultUrl == null ? null : List.of(defaultUrl);
        List<Integer> clients = DEFAULT_CLIENTS;
        int outstanding = DEFAULT_OUTSTANDING;
        Duration duration = DEFAULT_DURATION;
        Duration warmup = DEFAULT_WARMUP;
        int valueSize = DEFAULT_VALUE_SIZE;
        int keys = DEFAULT_KEYS;
        WorkloadKind workload = WorkloadKind.WRITE;
        int servers = DEFAULT_SERVERS;
        int trials = DEFAULT_TRIALS;
        int tickTimeMs = 0;

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
                case "--url" -> urls = parseUrls(name, value);
                case "--clients" -> clients = parseIntList(name, value, 1, MAX_CLIENTS);
                case "--outstanding" -> outstanding = parseInt(name, value, 1, MAX_OUTSTANDING);
                case "--duration" -> duration = parseDuration(name, value, false);
                case "--warmup" -> warmup = parseDuration(name, value, true);
                case "--value-size" -> valueSize = parseInt(name, value, 0, MAX_VALUE_SIZE);
                case "--keys" -> keys = parseInt(name, value, 1, MAX_KEYS);
                case "--workload" -> workload = parseWorkload(name, value);
                case "--servers" -> servers = parseInt(name, value, MIN_SERVERS, MAX_SERVERS);
                case "--trials" -> trials = parseInt(name, value, 1, MAX_TRIALS);
                case "--tick-time" -> tickTimeMs = parseInt(name, value, 1, MAX_TICK_TIME_MS);
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
        }
        if (workload == WorkloadKind.FAILOVER) {
            urls = List.of();
        } else if (urls == null) {
            throw new BadOption("--url", "no default is known; give the server's URL, e.g. http://127.0.0.1:8080");
        }
        return new BenchOptions(urls, clients, outstanding, duration, warmup, valueSize, keys, workload,
                servers, trials, tickTimeMs);
    }

    private static boolean isKnown(String name) {
        return switch (name) {
            case "--url", "--clients", "--outstanding", "--duration", "--warmup", "--value-size", "--keys",
                    "--workload", "--servers", "--trials", "--tick-time" -> true;
            default -> false;
        };
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
            throw new BadOption(name, "'" + value + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new BadOption(name, "'" + value + "' is not an http:// or https:// URL");
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

    static WorkloadKind parseWorkload(String name, String value) throws BadOption {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (WorkloadKind kind : WorkloadKind.values()) {
            if (kind.optionName().equals(wanted)) {
                return kind;
            }
        }
        String available = String.join(", ", WorkloadKind.optionNames());
        if (PLANNED_WORKLOADS.contains(wanted)) {
            throw new BadOption(name, "'" + value + "' is not available in this version yet; available: " + available);
        }
        throw new BadOption(name, "'" + value + "' is not a workload; available: " + available);
    }
}
