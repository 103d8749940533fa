package io.paddock.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code paddock bench}: drives running servers over their HTTP API or ZooKeeper's binary
 * protocol and prints, per run, a table row and one JSON line on standard output; progress and error samples go to standard error.
 * Exit status: 0 done (request errors are counted in the results, not in the status), 1 the
 * server could not be reached or refused the set-up, 2 bad options.
 */
public final class BenchCommand {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String HELP = """
            Usage: paddock bench [options]
                   paddock bench --workload failover [--servers N] [--trials N] [--tick-time MS]

            Drives running servers with concurrent clients, over Paddock's HTTP API or over
            ZooKeeper's binary client protocol (so Apache ZooKeeper itself can be measured the same
            way), and prints, per run, a table row and one JSON line on standard output:
              {"workload":..,"clients":..,"ops":..,"opsPerSec":..,"p50Ms":..,"p99Ms":..,"p999Ms":..,"errors":..,
               ..,"protocol":"http"|"zk","readRatio":..,..,"connections":..,"keySize":..,"target":..,...}
            so `paddock bench | grep '^{'` keeps the JSON. Progress goes to standard error.

            Options (--name value or --name=value):
              --protocol P        http (default): the HTTP API. zk: ZooKeeper's binary protocol on
                                  the client port, each client one session on its own connection
              --url LIST          the servers, comma-separated; client i talks to number i mod n, so
                                  an ensemble's load is spread over all of them.
                                  http: URLs (default http://127.0.0.1:<httpPort of conf/paddock.cfg>,
                                  or :8080 when that file does not say).
                                  zk: host:port client ports, [v6address]:port, a bare host for 2181
                                  (default 127.0.0.1:<clientPort of conf/paddock.cfg>, or :2181)
              --clients LIST      concurrent clients, one run per value, e.g. 1,8,64 (default 1,8,64)
              --connections LIST  write, read, mixed, create: the connections the clients share,
                                  one value for every run or one per --clients value, e.g.
                                  --clients 1,1000 --connections 1,100 (default: one per client).
                                  zk: that many sessions, each on its own TCP connection, client i
                                  pipelining its --outstanding requests on session i mod N. http:
                                  that many HTTP/1.1 connections, each carrying one request at a
                                  time (HTTP/1.1 has no multiplexing), so clients queue for them and
                                  the wait counts in the latency
              --outstanding N     requests each client keeps in flight (default 1; write, read,
                                  mixed and create only)
              --duration D        measured time of each run: 500ms, 10s, 2m (default 10s)
              --warmup D          time before measuring, not counted, every run (default 2s)
              --value-size BYTES  data per znode written (default 100; etcd's benchmark uses 256)
              --key-size BYTES    length of every znode name made: a letter and digits, e.g. 8 for
                                  k0000042 (default 8); the keys must fit, --keys at most 10^(BYTES-1)
              --keys N            write, read, mixed: znodes the requests spread over (default 1000)
              --target T          with several servers in --url: all (default) spreads the clients
                                  over every one; leader or followers only over those, found by
                                  GET /v1/status (http) or the srvr four-letter word (zk, "Mode:";
                                  ZooKeeper answers srvr whatever its whitelist). A standalone
                                  server counts as the leader
              --workload NAME     what is measured (default write):
                                    write     %s
                                    read      %s
                                    mixed     %s
                                    create    %s
                                    churn     %s
                                    watch     %s
                                    lock      %s
                                    failover  %s
              --read-ratio R      mixed only: the share of reads, 0 to 1 (default 0.9); reads and
                                  writes are interleaved evenly, not at random
              --watchers LIST     watch only: watcher sessions, one run per value (default 100),
                                  spread over the servers as clients are; replaces --clients
              -h, --help          this text

            Each client is one thread running a closed loop: it sends a request when one of its
            requests has answered. Over http each client has its own HTTP/1.1 connection(s); over zk
            each client is one ZooKeeper session on its own TCP connection, opened before the clock
            starts and closed (closeSession) at the end, with up to --outstanding requests pipelined
            on it. Latency is from send to answer, in percentiles from an HdrHistogram (microsecond
            values, 3 significant digits). In a closed loop a slow answer delays the requests
            behind it rather than hiding them, so no correction for coordinated omission is needed
            or made. churn, watch and lock do one op at a time per client, an op being several
            requests timed as one. create: each znode is named c<number>, unique over the whole
            invocation. churn: zk opens a TCP connection and session (ConnectRequest), creates an
            ephemeral e<number>, sends closeSession and closes the connection; http opens a session
            (POST /v1/sessions), creates with its Paddock-Session header and closes it (DELETE),
            keeping its HTTP connection. watch: one writer (on the first server) and the watcher
            sessions; each watcher sets a data watch on one znode (zk: getData with the watch
            flag; http: GET ?watch=true, heard on the session's event stream), the writer sets the
            data, and the round ends when the last watcher is notified; ops are rounds, latency is
            to the last notification, "firstP50Ms".. in the JSON to the first, "notifications"
            the notifications counted. lock: the clients contend for one lock, zk with ZooKeeper's
            lock recipe (ephemeral sequential node, watch on the one before), http with Paddock's
            DistributedMutex over PaddockClient; the critical section checks that no other client
            holds the lock, and "overlaps" in the JSON counts those that did (0 for a correct lock).
            Errors are counted by HTTP status ("timeout" and "io" when no answer came), or
            over zk by ZooKeeper error name ("BadVersion"; "ConnectionLoss" when the connection
            failed, "RequestTimeout" when no reply came in 30 s; a zk client whose connection fails
            stops). The workload's znodes live under a fresh /bench-<random> znode, created through
            the first server and deleted with its children at the end.

            Paddock against Apache ZooKeeper: bench/compare-zookeeper.sh starts a real ZooKeeper
            3.9.5 and a Paddock server side by side and runs the same --protocol zk workloads
            against each in turn (see docs/benchmarks.md).

            Failover (--workload failover) starts its own ensemble of real `bin/paddock server`
            processes on 127.0.0.1 in a temporary folder, made from conf/paddock.cfg as `paddock
            ensemble` makes it, and takes these options instead:
              --servers N         participants (3..9, default 3)
              --trials N          times the leader is killed (default 10)
              --tick-time MS      tickTime of every server (default: conf/paddock.cfg's)
            Per trial: SIGKILL the leader, time until another server leads and a majority of the
            ensemble serves under it (GET /v1/status polled every 20 ms), start the killed server
            again and wait until all serve. Prints each trial, the median and max, and one JSON line.
            All servers are stopped at the end, on failure and on Ctrl-C.

            Exit status: 0 done, 1 the server could not be reached or refused the set-up (failover:
            the ensemble failed to start or to recover), 2 bad options.
            """.formatted(WorkloadKind.WRITE.description(), WorkloadKind.READ.description(),
            WorkloadKind.MIXED.description(), WorkloadKind.CREATE.description(), WorkloadKind.CHURN.description(),
            WorkloadKind.WATCH.description(), WorkloadKind.LOCK.description(), WorkloadKind.FAILOVER.description());

    /** Where bin/paddock says the installation is (its bin/ and conf/ live under it). */
    static final String HOME_PROPERTY = "paddock.home";
    private static final String PORT_FILE = "paddock-http.port";
    private static final int DEFAULT_HTTP_PORT = 8080;

    private BenchCommand() {
    }

    /** The command line {@code paddock bench <args>}; {@code confDir} is where paddock.cfg may say the port. */
    public static int run(String[] args, Path confDir, PrintStream out, PrintStream err) {
        List<String> argList = Arrays.asList(args);
        if (argList.contains("-h") || argList.contains("--help")) {
            out.print(HELP);
            return OK;
        }
        BenchOptions options;
        try {
            Path configFile = confDir.resolve("paddock.cfg");
            options = BenchOptions.parse(argList, defaultUrl(configFile), defaultZkServer(configFile));
        } catch (BenchOptions.BadOption e) {
            err.println("paddock bench: " + e.getMessage());
            err.println("Run 'paddock bench --help' for the options.");
            return USAGE;
        }
        try {
            if (options.workload() == WorkloadKind.FAILOVER) {
                FailoverBench.run(options, launch(confDir), out, err);
            } else {
                bench(options, out, err);
            }
            return OK;
        } catch (BenchException e) {
            err.println("paddock bench: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("paddock bench: interrupted");
            return FAILED;
        }
    }

    /**
     * Runs every --clients value in order and returns the results, printing each as it is done;
     * the workload's parent znode is removed at the end even when a run fails.
     */
    public static List<RunResult> bench(BenchOptions options, PrintStream out, PrintStream progress)
            throws BenchException, InterruptedException {
        // Random, so that benchmarks running side by side, or one left behind by a crash, never collide.
        String parent = "/bench-" + HexFormat.of().formatHex(randomBytes());
        Workload workload;
        if (options.protocol() == BenchOptions.Protocol.ZK) {
            List<InetSocketAddress> chosen = new ArrayList<>();
            List<String> modes = new ArrayList<>();
            for (InetSocketAddress server : options.zkServers()) {
                String mode = options.target() == BenchOptions.Target.ALL ? null : ServerRoles.zkMode(server);
                if (mode == null || ServerRoles.picks(options.target(), mode)) {
                    chosen.add(server);
                }
                modes.add(server.getHostString() + ":" + server.getPort() + (mode == null ? "" : " is " + mode));
            }
            options = targeted(options, List.of(), chosen, modes, progress);
            ZkWorkload.greet(options.zkServers(), progress);
            workload = ZkWorkload.of(options, parent);
        } else {
            List<URI> chosen = new ArrayList<>();
            List<BenchHttp> servers = new ArrayList<>();
            List<String> modes = new ArrayList<>();
            for (URI url : options.urls()) {
                BenchHttp http = new BenchHttp(url);
                JsonNode status = http.status();
                String mode = status.path("mode").asText("?");
                progress.println("paddock bench: " + url + " is " + mode
                        + " Paddock " + status.path("version").asText("?") + " at zxid " + status.path("zxid").asText("?"));
                if (ServerRoles.picks(options.target(), mode)) {
                    chosen.add(url);
                    servers.add(http);
                }
                modes.add(url + " is " + mode);
            }
            options = targeted(options, chosen, List.of(), modes, progress);
            workload = Workload.of(options, servers, parent);
        }
        int serverCount = options.serverCount();
        progress.println("paddock bench: workload " + options.workload().optionName()
                + (options.workload() == WorkloadKind.MIXED ? " (read ratio " + options.readRatio() + ")" : "")
                + " over " + options.protocol().optionName() + ", " + options.keysUsed()
                + " keys under " + parent + ", names of " + options.keySize() + " bytes, values of "
                + options.valueSize() + " bytes, "
                + options.outstanding() + " outstanding per client, warm-up " + seconds(options.warmup().toMillis())
                + ", measured " + seconds(options.duration().toMillis()) + " per run"
                + (serverCount == 1 ? "" : ", clients spread over " + serverCount + " servers"));

        // Ctrl-C ends the JVM without reaching the finally below: the hook still removes the parent.
        Thread cleanupHook = new Thread(() -> {
            try {
                workload.cleanup();
            } catch (BenchException e) {
                progress.println("paddock bench: could not remove " + parent + ": " + e.getMessage());
            }
        }, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);
        List<RunResult> results = new ArrayList<>();
        try {
            workload.prepare();
            out.println(RunResult.tableHeader());
            out.flush();
            for (int run = 0; run < options.clients().size(); run++) {
                int clients = options.clients().get(run);
                int connections = options.connectionsOf(run);
                String who = options.workload() == WorkloadKind.WATCH ? clients + " watcher" + (clients == 1 ? "" : "s")
                        : clients + " client" + (clients == 1 ? "" : "s")
                        + (connections == clients ? "" : " over " + connections + " connection" + (connections == 1 ? "" : "s"));
                progress.println("paddock bench: " + who + " ...");
                RunResult result = BenchRun.run(workload, options, clients, connections, progress);
                results.add(result);
                out.println(result.tableRow());
                out.println(result.jsonLine());
                out.flush();
            }
        } catch (Throwable t) {
            // Clean up, but do not let a failing clean-up hide the error that ended the run.
            try {
                workload.cleanup();
            } catch (BenchException c) {
                t.addSuppressed(c);
            }
            throw t;
        } finally {
            removeHook(cleanupHook);
        }
        workload.cleanup();
        return results;
    }

    /**
     * The options with the servers --target picked; a BenchException when it picked none (exit 1:
     * the servers are not what the invocation needs, as an unreachable one is not).
     */
    private static BenchOptions targeted(BenchOptions options, List<URI> urls, List<InetSocketAddress> zkServers,
            List<String> modes, PrintStream progress) throws BenchException {
        if (options.target() == BenchOptions.Target.ALL) {
            return options;
        }
        if (urls.isEmpty() && zkServers.isEmpty()) {
            throw new BenchException("--target " + options.target().optionName() + " picks none of the servers given: "
                    + String.join(", ", modes));
        }
        progress.println("paddock bench: --target " + options.target().optionName() + " picks "
                + (urls.isEmpty() ? zkServers.stream().map(a -> a.getHostString() + ":" + a.getPort()).toList() : urls)
                + " of " + String.join(", ", modes));
        return options.withServers(urls, zkServers);
    }

    /**
     * How failover starts servers: bin/paddock (under the installation's home when bin/paddock
     * said where that is, else next to the conf dir) with {@code server <cfg>}, the conf dir's
     * paddock.cfg as the template, and the same conf dir for the servers' logging and Akka settings.
     */
    static FailoverBench.Launch launch(Path confDir) throws BenchException {
        Path templateFile = confDir.resolve("paddock.cfg");
        List<String> template;
        try {
            template = Files.readAllLines(templateFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BenchException("cannot read the config template " + templateFile + ": " + e, e);
        }
        String home = System.getProperty(HOME_PROPERTY);
        Path root = home != null && !home.isEmpty() ? Path.of(home) : confDir.toAbsolutePath().normalize().getParent();
        Path script = root.resolve("bin").resolve("paddock").toAbsolutePath();
        if (!Files.isExecutable(script)) {
            throw new BenchException("cannot find bin/paddock to start the servers with: " + script
                    + " is not an executable file (bin/paddock passes -D" + HOME_PROPERTY + ")");
        }
        return new FailoverBench.Launch(template, cfg -> List.of(script.toString(), "server", cfg.toString()),
                Map.of("PADDOCK_CONF_DIR", confDir.toAbsolutePath().toString()));
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down, and the hook is doing the clean-up.
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[4];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /**
     * http://host:port of the server that {@code configFile} describes: its httpPort (or, when
     * that is 0, the port a running server wrote to dataDir, as {@code paddock status} reads
     * it) and its clientPortAddress unless that is a wildcard. Without the file, the server's
     * default port. Null when the file gives no usable port.
     */
    static URI defaultUrl(Path configFile) {
        if (!Files.isRegularFile(configFile)) {
            return URI.create("http://127.0.0.1:" + DEFAULT_HTTP_PORT);
        }
        Map<String, String> values;
        try {
            values = readKeyValues(Files.readAllLines(configFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
        String host = connectHost(values);
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        int port;
        try {
            port = Integer.parseInt(values.getOrDefault("httpPort", Integer.toString(DEFAULT_HTTP_PORT)));
            if (port == 0 && values.containsKey("dataDir")) {
                port = Integer.parseInt(Files.readString(Path.of(values.get("dataDir")).resolve(PORT_FILE)).trim());
            }
        } catch (NumberFormatException | IOException e) {
            return null;
        }
        if (port <= 0 || port > 65535) {
            return null;
        }
        try {
            return URI.create("http://" + host + ":" + port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * host:port (unresolved) of the ZooKeeper client port that {@code configFile} describes: its
     * clientPort (2181 when it does not say) at its clientPortAddress unless that is a wildcard.
     * Without the file, 127.0.0.1:2181. Null when the file gives no usable port, as with
     * clientPort=0: the port the server picked is not written anywhere the driver can read.
     */
    static InetSocketAddress defaultZkServer(Path configFile) {
        if (!Files.isRegularFile(configFile)) {
            return InetSocketAddress.createUnresolved("127.0.0.1", ZkWire.DEFAULT_PORT);
        }
        Map<String, String> values;
        try {
            values = readKeyValues(Files.readAllLines(configFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
        int port;
        try {
            port = Integer.parseInt(values.getOrDefault("clientPort", Integer.toString(ZkWire.DEFAULT_PORT)));
        } catch (NumberFormatException e) {
            return null;
        }
        if (port <= 0 || port > 65535) {
            return null;
        }
        return InetSocketAddress.createUnresolved(connectHost(values), port);
    }

    /** Where a local client reaches a server bound to clientPortAddress: loopback for a wildcard; IPv6 without brackets. */
    private static String connectHost(Map<String, String> values) {
        String host = values.getOrDefault("clientPortAddress", "");
        if (host.isEmpty() || host.equals("0.0.0.0")) {
            return "127.0.0.1";
        }
        if (host.equals("::") || host.equals("0:0:0:0:0:0:0:0")) {
            return "::1";
        }
        return host;
    }

    /** zoo.cfg syntax, as far as the driver needs it: key=value lines, '#' lines and blank lines skipped. */
    static Map<String, String> readKeyValues(List<String> lines) {
        Map<String, String> values = new TreeMap<>();
        for (String line : lines) {
            String trimmed = line.trim();
            int eq = trimmed.indexOf('=');
            if (trimmed.isEmpty() || trimmed.startsWith("#") || eq < 0) {
                continue;
            }
            values.put(trimmed.substring(0, eq).trim(), trimmed.substring(eq + 1).trim());
        }
        return values;
    }
}
