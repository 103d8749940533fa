package io.paddock.examples;

import io.paddock.client.ConnectionState;
import io.paddock.client.CreateOptions;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.tree.CreateMode;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed's first case, servers going online and offline: each server registers itself as an
 * EPHEMERAL_SEQUENTIAL znode under /servers holding its address and load, and clients watch the
 * children of /servers and print the live list whenever it changes. A server that dies leaves the
 * list by itself once its session expires.
 *
 * <pre>
 * bin/paddock example servers register &lt;name&gt; [--connect host:port] [--address a] [--load x] [--session-timeout 10s]
 * bin/paddock example servers watch [--connect host:port] [--session-timeout 10s]
 * </pre>
 */
final class ServersExample {

    static final String PARENT = "/servers";
    /** The sequence suffix the server appends to an EPHEMERAL_SEQUENTIAL name. */
    private static final Pattern SEQUENCED = Pattern.compile("^(.*)-(\\d{10})$");
    static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

    static final String USAGE = """
            Usage: paddock example servers register <name> [--connect host:port] [--address a] [--load x] [--session-timeout 10s]
                   paddock example servers watch [--connect host:port] [--session-timeout 10s]
              register  adds <name> to /servers (an ephemeral node holding its address and load) and stays
                        online until stopped; killed, it leaves the list once its session times out
              watch     prints "servers online: [...]" now and every time the list changes
            """;

    private ServersExample() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        if (args.length == 0) {
            err.print(USAGE);
            return ExampleCommand.USAGE;
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        ExampleOptions options;
        try {
            options = switch (args[0]) {
                case "register" -> ExampleOptions.parse(rest, List.of("connect", "address", "load", "session-timeout"));
                case "watch" -> ExampleOptions.parse(rest, List.of("connect", "session-timeout"));
                default -> throw new IllegalArgumentException("unknown servers command '" + args[0] + "'");
            };
            int expected = args[0].equals("register") ? 1 : 0;
            if (options.positional().size() != expected) {
                throw new IllegalArgumentException(expected == 1 ? "register takes one name"
                        : "watch takes no arguments besides options");
            }
        } catch (IllegalArgumentException e) {
            err.println("paddock example servers: " + e.getMessage());
            err.print(USAGE);
            return ExampleCommand.USAGE;
        }
        Duration sessionTimeout = options.duration("session-timeout", DEFAULT_SESSION_TIMEOUT);
        // Connection-state changes and watch events both wake the main thread, which does the work:
        // listeners and watchers run on the client's event thread and must not block it.
        BlockingQueue<Object> wakeUps = new LinkedBlockingQueue<>();
        PaddockClient client;
        try {
            client = PaddockClient.builder(options.connect()).sessionTimeout(sessionTimeout).build();
        } catch (PaddockException e) {
            err.println("paddock example servers: cannot connect to " + options.connect() + ": " + e.getMessage());
            return ExampleCommand.FAILED;
        }
        client.addConnectionStateListener((c, state) -> {
            out.println("connection " + state);
            wakeUps.add(state);
        });
        // Ctrl-C or SIGTERM closes the session, so a server leaves the list at once; SIGKILL cannot.
        boolean registering = args[0].equals("register");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            client.close();
            if (registering) {
                out.println(options.positional().get(0) + " stopped: its session is closed and it left " + PARENT);
            }
        }, "close-session"));
        try {
            if (registering) {
                String address = options.string("address", localHost());
                double load = options.number("load", 0.0);
                register(client, options.positional().get(0), address, load, wakeUps, out);
            } else {
                watch(client, wakeUps, out);
            }
        } catch (PaddockException e) {
            err.println("paddock example servers: " + e.getMessage());
            return ExampleCommand.FAILED;
        }
        return ExampleCommand.OK;
    }

    /**
     * Registers and stays. After the session expired (LOST), the node is gone: the client opens a
     * new session and reports RECONNECTED, and the server registers again.
     */
    private static void register(PaddockClient client, String name, String address, double load,
                                 BlockingQueue<Object> wakeUps, PrintStream out)
            throws PaddockException, InterruptedException {
        byte[] data = String.format(Locale.ROOT, "address=%s load=%.2f", address, load).getBytes(StandardCharsets.UTF_8);
        String path = client.create(PARENT + "/" + name + "-", data,
                CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL).withParents()).path();
        out.println("registered " + name + " as " + path + " (" + new String(data, StandardCharsets.UTF_8)
                + "); online until stopped");
        boolean lost = false;
        while (true) {
            Object wake = wakeUps.take();
            if (wake == ConnectionState.LOST) {
                lost = true;
                out.println(name + " is offline: its session expired and " + path + " went with it");
            } else if (wake == ConnectionState.RECONNECTED && lost) {
                lost = false;
                path = client.create(PARENT + "/" + name + "-", data,
                        CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL).withParents()).path();
                out.println("registered " + name + " again as " + path);
            }
        }
    }

    /** Lists /servers with a child watch, prints the list when it differs from the last, waits for a change. */
    private static void watch(PaddockClient client, BlockingQueue<Object> wakeUps, PrintStream out)
            throws PaddockException, InterruptedException {
        ensureParent(client);
        String last = null;
        while (true) {
            try {
                List<String> children = client.getChildren(PARENT, wakeUps::add);
                List<String> names = new ArrayList<>();
                List<String> details = new ArrayList<>();
                for (String child : children) {
                    String name = serverName(child);
                    names.add(name);
                    details.add("  " + name + ": " + describe(client, PARENT + "/" + child));
                }
                String line = "servers online: " + names;
                if (!line.equals(last)) {
                    out.println(line);
                    details.forEach(out::println);
                    last = line;
                }
            } catch (PaddockException.ConnectionLossException | PaddockException.SessionExpiredException e) {
                // The client is moving to another server or opening a new session: the next
                // connection-state change wakes this loop to list again.
                out.println("cannot list " + PARENT + " now (" + e.getMessage() + "); waiting for the connection");
            } catch (PaddockException.NoNodeException e) {
                // Someone deleted /servers: make it again and list it.
                ensureParent(client);
                continue;
            }
            wakeUps.take();
        }
    }

    private static void ensureParent(PaddockClient client) throws PaddockException, InterruptedException {
        try {
            client.create(PARENT, new byte[0], CreateMode.PERSISTENT);
        } catch (PaddockException.NodeExistsException e) {
            // Someone made it first: what we wanted.
        }
    }

    /** What a server's node holds, or that it left while the list was being read. */
    private static String describe(PaddockClient client, String path) throws PaddockException, InterruptedException {
        try {
            return new String(client.getData(path).data(), StandardCharsets.UTF_8);
        } catch (PaddockException.NoNodeException e) {
            return "(just left)";
        }
    }

    /** "alpha-0000000003" is server alpha. */
    static String serverName(String child) {
        Matcher m = SEQUENCED.matcher(child);
        return m.matches() ? m.group(1) : child;
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
