package io.paddock.api.zk;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * ZooKeeper 3.9's four-letter words on the client port: which four bytes are a word, which words
 * the whitelist lets through, and the exact text of each answer (FourLetterCommands,
 * CommandExecutor and the *Command classes of org.apache.zookeeper.server.command), so that
 * tools scraping them (zkServer.sh status, Prometheus exporters, Datadog, Metricbeat,
 * {@code echo mntr | nc}) parse Paddock's answers as they parse ZooKeeper's.
 *
 * <p>A connection whose first four bytes, read as a big-endian int, are a word
 * ({@link #isFourLetterWord}) is not a ZooKeeper session: the server writes
 * {@link #answer} and closes it. ZooKeeper looks for a word only before the connect request.
 *
 * <p>Pure: the caller gathers everything into a {@link FourLetterReport}; nothing here reads a
 * clock, a system property, a file or the network.
 */
public final class FourLetterWords {

    /**
     * The ZooKeeper release whose client-port behaviour Paddock reproduces: its wire format comes
     * from zookeeper-jute 3.9.5, and tools read the major.minor.micro at the start of the version
     * (Datadog compares it with 3.4.x to decide whether mntr exists).
     */
    public static final String ZOOKEEPER_VERSION = "3.9.5";

    /** What every command but ruok, envi and isro answers while no clients are served. */
    public static final String ZK_NOT_SERVING = "This ZooKeeper instance is not currently serving requests";

    /** The control sequence telnet sends when it closes (IAC IP IAC DO): ZooKeeper knows it as a word. */
    public static final int TELNET_CLOSE_CODE = 0xfff4fffd;
    public static final String TELNET_CLOSE = "telnet close";

    /** Every word ZooKeeper 3.9 knows, by its code, in FourLetterCommands' order. */
    private static final Map<Integer, String> KNOWN_BY_CODE = known();

    /** Every word ZooKeeper 3.9 knows (FourLetterCommands.isKnown). */
    public static final Set<String> KNOWN = Collections.unmodifiableSet(new TreeSet<>(KNOWN_BY_CODE.values()));

    /**
     * The words Paddock executes. The others ZooKeeper knows are dump (session expiry buckets and
     * connection expiry queues Paddock does not keep in that form), gtmk and stmk (ZooKeeper's
     * trace mask: Paddock has no such tracing), hash (the tree digest log: Paddock keeps no
     * digests) and telnet close (never a command). They are never whitelisted, so they get the
     * not-whitelisted answer: ZooKeeper's own words for "this command is not executed here".
     */
    public static final Set<String> SUPPORTED = Set.of(
            "ruok", "srvr", "stat", "mntr", "conf", "cons", "wchs", "wchc", "wchp", "envi", "isro",
            "dirs", "srst", "crst");

    /** What ZooKeeper enables whatever the whitelist says: zkServer.sh status depends on srvr. */
    public static final Set<String> ALWAYS_WHITELISTED = Set.of("srvr");

    /** The whitelist when 4lw.commands.whitelist is not set. */
    public static final Set<String> DEFAULT_WHITELIST = ALWAYS_WHITELISTED;

    /**
     * The keys envi prints after zookeeper.version, in ZooKeeper's order (Environment.list()):
     * host.name is the canonical host name, os.memory.* are Runtime's free, max and total memory
     * in whole MB followed by "MB", the others are the system properties of those names.
     */
    public static final List<String> ENVIRONMENT_KEYS = List.of(
            "host.name", "java.version", "java.vendor", "java.home", "java.class.path", "java.library.path",
            "java.io.tmpdir", "java.compiler", "os.name", "os.arch", "os.version", "user.name", "user.home",
            "user.dir", "os.memory.free", "os.memory.max", "os.memory.total");

    /** Side effects a word asks of the caller, besides writing its answer. */
    public enum Effect {
        NONE,
        /** srst: zero the server-wide packets received and sent and the latency counter. */
        RESET_SERVER_STATS,
        /**
         * crst: reset every connection's counters to {@link FourLetterReport.Connection#accepted}'s
         * (packets, latency, last operation, cxid, zxid, response time), keeping address, session,
         * timeout, establishment time and outstanding requests.
         */
        RESET_CONNECTION_STATS
    }

    private FourLetterWords() {
    }

    /** Whether the first four bytes of a connection, big-endian, are a word ZooKeeper 3.9 knows. */
    public static boolean isFourLetterWord(int firstFourBytes) {
        return KNOWN_BY_CODE.containsKey(firstFourBytes);
    }

    /** The word the first four bytes spell, or null when they are not a known word (a frame length). */
    public static String wordOf(int firstFourBytes) {
        return KNOWN_BY_CODE.get(firstFourBytes);
    }

    /** The four bytes of a word, big-endian, as a client sends them. */
    public static int codeOf(String word) {
        if (word.equals(TELNET_CLOSE)) {
            return TELNET_CLOSE_CODE;
        }
        byte[] b = word.getBytes(StandardCharsets.US_ASCII);
        if (b.length != 4) {
            throw new IllegalArgumentException("not four letters: " + word);
        }
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** {@link #parseWhitelist(String, Consumer)}, dropping the reasons. */
    public static Set<String> parseWhitelist(String value) {
        return parseWhitelist(value, reason -> { });
    }

    /**
     * Reads 4lw.commands.whitelist as ZooKeeper does (FourLetterCommands.isEnabled): words separated
     * by commas (Paddock also accepts spaces), trimmed; {@code *} stands for every word Paddock
     * executes; srvr is always in; null (the key absent) or blank leaves srvr alone. A word Paddock
     * cannot let through is left out, and {@code ignored} is told why in one line fit for a log.
     *
     * @return the whitelisted words, sorted
     */
    public static Set<String> parseWhitelist(String value, Consumer<String> ignored) {
        TreeSet<String> words = new TreeSet<>(ALWAYS_WHITELISTED);
        if (value == null) {
            return Collections.unmodifiableSet(words);
        }
        for (String token : value.trim().split("[,\\s]+")) {
            if (token.isEmpty()) {
                continue;
            }
            if (token.equals("*")) {
                words.addAll(SUPPORTED);
            } else if (SUPPORTED.contains(token)) {
                words.add(token);
            } else if (KNOWN.contains(token)) {
                ignored.accept("4lw.commands.whitelist: '" + token + "' is a ZooKeeper command Paddock does not"
                        + " implement; it is answered \"" + notWhitelisted(token).strip() + "\"");
            } else {
                ignored.accept("4lw.commands.whitelist: '" + token + "' is not a four-letter word ZooKeeper 3.9"
                        + " knows (words are lower case: " + String.join(", ", new TreeSet<>(SUPPORTED)) + ")");
            }
        }
        return Collections.unmodifiableSet(words);
    }

    /** Whether {@link #answer} executes the word (rather than refusing it as not whitelisted). */
    public static boolean isExecuted(String word, Set<String> whitelist) {
        return SUPPORTED.contains(word) && whitelist.contains(word);
    }

    /** The parts of a {@link FourLetterReport} the word's answer reads beyond status, config and counters. */
    public static Set<FourLetterReport.Part> needs(String word, Set<String> whitelist) {
        if (!isExecuted(word, whitelist)) {
            return EnumSet.noneOf(FourLetterReport.Part.class);
        }
        return switch (word) {
            case "stat", "cons" -> EnumSet.of(FourLetterReport.Part.CONNECTIONS);
            case "wchs", "wchc", "wchp" -> EnumSet.of(FourLetterReport.Part.WATCHES);
            case "conf", "dirs" -> EnumSet.of(FourLetterReport.Part.DATA_DIR_SIZE);
            case "envi" -> EnumSet.of(FourLetterReport.Part.ENVIRONMENT);
            default -> EnumSet.noneOf(FourLetterReport.Part.class);
        };
    }

    /** What the caller must do besides writing the answer: srst and crst reset counters when executed. */
    public static Effect effect(String word, Set<String> whitelist, FourLetterReport report) {
        if (!isExecuted(word, whitelist) || !report.serving()) {
            return Effect.NONE;
        }
        return switch (word) {
            case "srst" -> Effect.RESET_SERVER_STATS;
            case "crst" -> Effect.RESET_CONNECTION_STATS;
            default -> Effect.NONE;
        };
    }

    /**
     * The text to write before closing the connection, byte for byte what ZooKeeper 3.9 writes (US
     * ASCII but for paths and environment values: write it as UTF-8). ruok, isro and an ensemble's
     * conf end without a newline, as in ZooKeeper.
     *
     * @param word      a word from {@link #wordOf}
     * @param whitelist from {@link #parseWhitelist}
     * @throws IllegalArgumentException when the word is unknown, or the report lacks a part the word
     *                                  {@link #needs}
     */
    public static String answer(String word, Set<String> whitelist, FourLetterReport report) {
        Objects.requireNonNull(whitelist, "whitelist");
        Objects.requireNonNull(report, "report");
        if (!KNOWN.contains(word)) {
            throw new IllegalArgumentException("not a four-letter word: " + word);
        }
        if (!isExecuted(word, whitelist)) {
            return notWhitelisted(word);
        }
        switch (word) {
            case "ruok":
                return "imok"; // the process answers, whether or not it serves clients
            case "envi":
                return FourLetterText.environment(fullVersion(report), report.environment());
            case "isro":
                // ZooKeeper's "ro" means a read-only server taking read-only sessions, which Paddock
                // never runs; "null" is what it says while its server is not running.
                return report.serving() ? "rw" : "null";
            default:
                break;
        }
        if (!report.serving()) {
            return ZK_NOT_SERVING + "\n";
        }
        return switch (word) {
            case "srvr" -> FourLetterText.stat(fullVersion(report), report, false);
            case "stat" -> FourLetterText.stat(fullVersion(report), report, true);
            case "mntr" -> FourLetterText.monitor(fullVersion(report), report);
            case "conf" -> FourLetterText.conf(report, dataDirSize(report));
            case "cons" -> FourLetterText.connections(report.connections());
            case "wchs" -> FourLetterText.watchSummary(watches(report)) + "\n";
            case "wchc" -> FourLetterText.watchesBySession(watches(report)) + "\n";
            case "wchp" -> FourLetterText.watchesByPath(watches(report)) + "\n";
            case "dirs" -> "datadir_size: " + dataDirSize(report) + "\nlogdir_size: " + dataDirSize(report) + "\n";
            case "srst" -> "Server stats reset.\n";
            case "crst" -> "Connection stats reset.\n";
            default -> throw new IllegalStateException("supported but not answered: " + word);
        };
    }

    /** ZooKeeper's answer to a known word it will not execute (NopCommand). */
    public static String notWhitelisted(String word) {
        return word + " is not executed because it is not in the whitelist.\n";
    }

    /**
     * What follows "Zookeeper version: " and zk_version: ZooKeeper's "version-revision, built on
     * date" with Paddock's name and version in the revision's place, so that both the 3.9.5 at the
     * start (which tools compare) and the fact that this is Paddock show. No build date is recorded.
     */
    public static String fullVersion(String paddockVersion) {
        return ZOOKEEPER_VERSION + "-paddock-" + paddockVersion + ", built on unknown";
    }

    /**
     * The name ZooKeeper's connection statistics give a request (FinalRequestProcessor's lastOp),
     * or null for a request that does not change it (auth and sasl are answered before that point).
     */
    public static String lastOperationName(int opCode) {
        return switch (opCode) {
            case ZkOpCode.PING -> "PING";
            case ZkOpCode.CREATE_SESSION -> "SESS";
            case ZkOpCode.MULTI -> "MULT";
            case ZkOpCode.MULTI_READ -> "MLTR";
            case ZkOpCode.CREATE, ZkOpCode.CREATE2, ZkOpCode.CREATE_TTL, ZkOpCode.CREATE_CONTAINER -> "CREA";
            case ZkOpCode.DELETE, ZkOpCode.DELETE_CONTAINER -> "DELE";
            case ZkOpCode.SET_DATA -> "SETD";
            case ZkOpCode.RECONFIG -> "RECO";
            case ZkOpCode.SET_ACL -> "SETA";
            case ZkOpCode.CLOSE_SESSION -> "CLOS";
            case ZkOpCode.SYNC -> "SYNC";
            case ZkOpCode.CHECK -> "CHEC";
            case ZkOpCode.EXISTS -> "EXIS";
            case ZkOpCode.GET_DATA -> "GETD";
            case ZkOpCode.SET_WATCHES -> "SETW";
            case ZkOpCode.SET_WATCHES2 -> "STW2";
            case ZkOpCode.ADD_WATCH -> "ADDW";
            case ZkOpCode.GET_ACL -> "GETA";
            case ZkOpCode.GET_CHILDREN, ZkOpCode.GET_CHILDREN2 -> "GETC";
            case ZkOpCode.GET_ALL_CHILDREN_NUMBER -> "GETACN";
            case ZkOpCode.CHECK_WATCHES -> "CHKW";
            case ZkOpCode.REMOVE_WATCHES -> "REMW";
            case ZkOpCode.WHO_AM_I -> "HOMI";
            case ZkOpCode.GET_EPHEMERALS -> "GETE";
            case ZkOpCode.AUTH, ZkOpCode.SASL -> null;
            default -> "NA"; // an unknown type is answered with an error and no name of its own
        };
    }

    private static String fullVersion(FourLetterReport report) {
        return fullVersion(report.status().version());
    }

    private static SortedMap<Long, SortedSet<String>> watches(FourLetterReport report) {
        if (report.watchesBySession() == null) {
            throw new IllegalArgumentException("the report has no watches; the watch words need them");
        }
        return report.watchesBySession();
    }

    private static long dataDirSize(FourLetterReport report) {
        if (report.dataDirSizeBytes() < 0) {
            throw new IllegalArgumentException("the report has no dataDir size; conf and dirs need it");
        }
        return report.dataDirSizeBytes();
    }

    private static Map<Integer, String> known() {
        Map<Integer, String> words = new LinkedHashMap<>();
        for (String word : List.of("conf", "cons", "crst", "dirs", "dump", "envi", "gtmk", "ruok", "stmk",
                "srst", "srvr", "stat", "wchc", "wchp", "wchs", "mntr", "isro", "hash")) {
            words.put(codeOf(word), word);
        }
        words.put(TELNET_CLOSE_CODE, TELNET_CLOSE);
        return Collections.unmodifiableMap(words);
    }
}
