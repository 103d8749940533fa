package io.paddock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.paddock.bench.BenchCommand;
import io.paddock.cli.CliCommand;
import io.paddock.examples.ExampleCommand;
import io.paddock.server.ConfigException;
import io.paddock.server.ConfigFile;
import io.paddock.server.PaddockConfig;
import io.paddock.storage.DataDirCheck;
import io.paddock.storage.LogDump;
import io.paddock.storage.SnapshotDump;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one entry point, {@code bin/paddock <command>}. Exit status: 0 success, 1 the command
 * failed (the server could not start or stopped on its own, nothing answered), 2 bad usage or
 * bad configuration.
 */
public final class Main {

    /** Where bin/paddock says the configuration lives (conf/ of the installation). */
    static final String CONF_DIR_PROPERTY = "paddock.confDir";

    /**
     * Written into dataDir by a running server: its HTTP port, so that {@code status} finds a
     * server whose httpPort is 0 (a free port chosen at start). ZooKeeper keeps its pid file there.
     */
    static final String PORT_FILE = "paddock-http.port";
    /** Where a server with clientPort=0 says which port it took. */
    static final String CLIENT_PORT_FILE = "paddock-client.port";

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            Usage: paddock <command> [arguments]

            Commands:
              server [config]   run a server in the foreground until SIGTERM (default config: conf/paddock.cfg)
              status [config]   show what the server of that config is and holds (mode, zxid, nodes, sessions)
              bench [options]   drive running servers (HTTP or ZooKeeper protocol), print throughput and latency
              ensemble N [opts] run N servers on this machine as an ensemble until Ctrl-C (ensemble --help)
              cli [-server host:port] [cmd args]
                                a zkCli-compatible shell over the HTTP API (cli -h; one command, or interactive)
              example <name> [args]
                                run an example on the client: servers register|watch, lock, akka (example help)

            Offline tools (they only read; best run while the server is stopped):
              logdump <log file>      print every record of a log segment (dataDir/log.<zxid>), one per line
              snapdump <snapshot file> [--data]
                                      print a snapshot's sessions and nodes (--data: their data, in base64)
              verify [dataDir|config] check the log and snapshots as start-up would, changing nothing;
                                      exit 0 when the directory would start cleanly
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0) {
            System.err.print(USAGE_TEXT);
            return USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "server":
                return withConfig(rest, Main::server);
            case "status":
                return withConfig(rest, Main::status);
            case "bench":
                return BenchCommand.run(rest, confDir(), System.out, System.err);
            case "ensemble":
                return EnsembleCommand.run(rest, confDir(), System.out, System.err);
            case "cli":
                return CliCommand.run(rest);
            case "example":
                return ExampleCommand.run(rest, System.out, System.err);
            case "logdump":
                return LogDump.run(rest, System.out, System.err);
            case "snapdump":
                return SnapshotDump.run(rest, System.out, System.err);
            case "verify":
                return verify(rest);
            case "help", "-h", "--help":
                System.out.print(USAGE_TEXT);
                return OK;
            default:
                System.err.println("paddock: unknown command '" + args[0] + "'");
                System.err.print(USAGE_TEXT);
                return USAGE;
        }
    }

    private interface Command {
        int run(Path configFile, PaddockConfig config);
    }

    private static int withConfig(String[] args, Command command) {
        if (args.length > 1) {
            System.err.println("paddock: too many arguments: " + String.join(" ", args));
            System.err.print(USAGE_TEXT);
            return USAGE;
        }
        Path configFile = args.length == 1 ? Path.of(args[0]) : confDir().resolve("paddock.cfg");
        PaddockConfig config;
        try {
            config = ConfigFile.load(configFile);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return USAGE;
        }
        return command.run(configFile, config);
    }

    /** {@code verify} takes a data directory, or a config file whose dataDir it checks (default conf/paddock.cfg). */
    private static int verify(String[] args) {
        if (args.length > 1) {
            System.err.println("paddock: too many arguments: " + String.join(" ", args));
            System.err.print(USAGE_TEXT);
            return USAGE;
        }
        Path target = args.length == 1 ? Path.of(args[0]) : confDir().resolve("paddock.cfg");
        if (Files.isDirectory(target)) {
            return DataDirCheck.run(target, System.out, System.err);
        }
        if (!Files.exists(target)) {
            System.err.println("paddock verify: " + target + " is neither a data directory nor a config file");
            return USAGE;
        }
        try {
            return DataDirCheck.run(ConfigFile.load(target).dataDir(), System.out, System.err);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return USAGE;
        }
    }

    private static Path confDir() {
        return Path.of(System.getProperty(CONF_DIR_PROPERTY, "conf"));
    }

    // ---- server ------------------------------------------------------------------------------

    private static int server(Path configFile, PaddockConfig config) {
        Config akkaConfig;
        try {
            akkaConfig = akkaConfig(confDir().resolve("application.conf"));
        } catch (com.typesafe.config.ConfigException e) {
            System.err.println(e.getMessage());
            return USAGE;
        }

        // Logging is set up here, on this thread, before Akka's threads log concurrently (which
        // makes SLF4J replay their first lines with a warning on stderr).
        LoggerFactory.getLogger(Main.class).info("Starting a{} server with {}",
                config.standalone() ? " standalone" : "n ensemble", configFile);

        CompletableFuture<String> stopRequested = new CompletableFuture<>();
        stopOn("TERM", stopRequested);
        stopOn("INT", stopRequested);

        PaddockNode node;
        try {
            Files.createDirectories(config.dataDir());
            node = PaddockNode.start(config, akkaConfig);
        } catch (Exception e) {
            System.err.println("Paddock could not start: " + describe(e));
            return FAILED;
        }
        InetSocketAddress http = node.httpAddress();
        InetSocketAddress client = node.clientAddress();
        Path portFile = config.dataDir().resolve(PORT_FILE);
        Path clientPortFile = config.dataDir().resolve(CLIENT_PORT_FILE);
        try {
            Files.writeString(portFile, http.getPort() + "\n");
            Files.writeString(clientPortFile, client.getPort() + "\n");
        } catch (IOException e) {
            node.close();
            System.err.println("Paddock could not write its port files in " + config.dataDir() + ": " + describe(e));
            return FAILED;
        }
        // The configured address, not the bound one: a JVM reports a wildcard bind as "0:0:0:0:0:0:0:0".
        String who = "Paddock " + (config.standalone() ? "standalone" : "server " + node.serverId()
                + " of an ensemble of " + config.servers().size());
        // The HTTP line comes last: scripts and tests take it as the sign that the server is up.
        System.out.println(who + ": ZooKeeper protocol on " + bracketed(config.clientPortAddress()) + ":"
                + client.getPort());
        System.out.println(who + ": HTTP API on http://"
                + bracketed(config.clientPortAddress()) + ":" + http.getPort() + ", data in " + config.dataDir());
        System.out.flush();

        CompletableFuture.anyOf(stopRequested, node.whenTerminated().toCompletableFuture()).join();
        int status;
        if (stopRequested.isDone()) {
            System.out.println("Paddock stopping (" + stopRequested.join() + ")");
            node.close();
            System.out.println("Paddock stopped");
            status = OK;
        } else {
            System.err.println("Paddock stopped on its own (see the log above)");
            status = FAILED;
        }
        for (Path file : new Path[] {portFile, clientPortFile}) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                System.err.println("Paddock could not remove " + file + ": " + describe(e));
            }
        }
        return status;
    }

    /**
     * Handles the signal on a plain thread instead of letting the JVM run its shutdown hooks:
     * after a signal-initiated shutdown the JVM exits with 128+signal (143 for SIGTERM), while
     * supervisors and container runtimes read a clean stop as status 0. Main stops the node (Akka's
     * CoordinatedShutdown) and exits 0 itself. The JVM's own handling stays for other signals.
     */
    private static void stopOn(String signal, CompletableFuture<String> stopRequested) {
        try {
            Signal.handle(new Signal(signal), s -> stopRequested.complete("SIG" + s.getName()));
        } catch (IllegalArgumentException e) {
            // Signal handling is off (-Xrs): the signal's default action applies, as the user asked.
        }
    }

    /**
     * The Akka settings: conf/application.conf on top of the defaults built into the jar
     * (application.conf), then Akka's reference.conf; -D system properties override all of them.
     */
    static Config akkaConfig(Path overrides) {
        Config base = ConfigFactory.parseResourcesAnySyntax("application");
        Config user = Files.isRegularFile(overrides)
                ? ConfigFactory.parseFile(overrides.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
                : ConfigFactory.empty();
        return ConfigFactory.load(user.withFallback(base));
    }

    private static String bracketed(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    // ---- status ------------------------------------------------------------------------------

    private static int status(Path configFile, PaddockConfig config) {
        PrintStream out = System.out;
        out.println("Using config: " + configFile);
        int port;
        try {
            port = httpPort(config);
        } catch (UncheckedIOException e) {
            Path portFile = config.dataDir().resolve(PORT_FILE);
            System.err.println("httpPort is 0 in " + configFile + ", so the port is read from " + portFile + ", but "
                    + (e.getCause() instanceof NoSuchFileException ? "there is no such file"
                            : "it cannot be read: " + describe(e.getCause()))
                    + ". Is the server running?");
            return FAILED;
        }
        URI uri = URI.create("http://" + loopbackIfWildcard(config.clientPortAddress()) + ":" + port + "/v1/status");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            System.err.println("Error contacting service at " + uri + ": nothing answers. It is probably not running.");
            return FAILED;
        } catch (HttpTimeoutException e) {
            System.err.println("Error contacting service at " + uri + ": no answer within the timeout.");
            return FAILED;
        } catch (IOException e) {
            System.err.println("Error contacting service at " + uri + ": " + describe(e));
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
        if (response.statusCode() != 200) {
            System.err.println("The server at " + uri + " answered HTTP " + response.statusCode() + ": "
                    + response.body());
            return FAILED;
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(response.body());
        } catch (IOException e) {
            System.err.println("The server at " + uri + " answered something that is not JSON: " + response.body());
            return FAILED;
        }
        out.println("Mode: " + json.path("mode").asText("unknown"));
        JsonNode ensemble = json.path("ensemble");
        if (ensemble.isObject()) {
            out.println("Server id: " + json.path("serverId").asText("?"));
            out.println("Leader: " + (ensemble.path("leaderId").asLong(-1) < 0 ? "none" : ensemble.path("leaderId").asText()));
            out.println("Epoch: " + ensemble.path("currentEpoch").asText("?"));
            out.println("Serving: " + (ensemble.path("serving").asBoolean(false) ? "yes" : "no"));
            for (JsonNode l : ensemble.path("learners")) {
                out.println("Learner " + l.path("id").asText() + ": " + l.path("role").asText() + ", "
                        + (l.path("synced").asBoolean(false) ? "synced" : "syncing") + ", acked "
                        + l.path("ackedZxid").asText() + ", heard " + l.path("lastHeardMs").asText() + " ms ago");
            }
        }
        out.println("Zxid: " + zxid(json.path("zxid")));
        out.println("Nodes: " + json.path("nodeCount").asText("?"));
        out.println("Sessions: " + json.path("sessionCount").asText("?"));
        out.println("Watches: " + json.path("watchCount").asText("?"));
        return OK;
    }

    private static int httpPort(PaddockConfig config) {
        if (config.httpPort() != 0) {
            return config.httpPort();
        }
        try {
            return Integer.parseInt(Files.readString(config.dataDir().resolve(PORT_FILE)).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NumberFormatException e) {
            throw new UncheckedIOException(new IOException("not a port number", e));
        }
    }

    private static String loopbackIfWildcard(String address) {
        if (address == null || address.isEmpty() || address.equals("0.0.0.0")) {
            return "127.0.0.1";
        }
        if (address.equals("::") || address.equals("0:0:0:0:0:0:0:0")) {
            return "[::1]";
        }
        return bracketed(address);
    }

    /** zxids are shown in hex, as ZooKeeper shows them; the API may send a number or a hex string. */
    private static String zxid(JsonNode zxid) {
        return zxid.isNumber() ? "0x" + Long.toHexString(zxid.asLong()) : zxid.asText("?");
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || cause instanceof UncheckedIOException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
