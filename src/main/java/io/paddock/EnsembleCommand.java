package io.paddock;

import io.paddock.EnsembleLayout.Member;
import io.paddock.EnsembleSupervisor.Child;
import io.paddock.EnsembleSupervisor.Exit;
import io.paddock.server.ConfigException;
import io.paddock.server.ConfigFile;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code paddock ensemble N [options]}: runs a whole ensemble on this machine, for trying it out
 * and crashing servers by hand. Writes one folder per server (see {@link EnsembleLayout}),
 * starts each as its own {@code bin/paddock server <cfg>} process, prints where they listen and
 * waits. A server that dies is reported with the end of its log while the others keep running;
 * SIGINT or SIGTERM (Ctrl-C) stops them all with SIGTERM and exits 0.
 *
 * <p>Exit status, as the rest of Main: 0 stopped on request, 1 the servers could not be started
 * or all of them died (or one did, with --stop-on-failure), 2 bad usage or configuration.
 */
public final class EnsembleCommand {

    /** Where bin/paddock says the installation is (its bin/, conf/ and build live under it). */
    static final String HOME_PROPERTY = "paddock.home";

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String HELP = """
            Usage: paddock ensemble N [options]

            Runs an ensemble of N participants (1..9; 3 or 5 make sense) on this machine, each server
            its own `bin/paddock server` process on 127.0.0.1 with free ports, and waits. Ctrl-C stops
            them all. A server that dies is reported with the end of its log; the others keep running,
            so crashes can be tried by hand (kill -9 <pid>).

            Each server gets DIR/server-<id>/ with paddock.cfg (conf/paddock.cfg with its own dataDir,
            ports and the server.N lines), data/myid, and server.log (its output). Participants have
            ids 1..N, observers N+1..N+K.

            Options (--name value or --name=value):
              --base DIR          where the servers' folders go (default: a new folder in the system's
                                  temporary folder). A DIR of an earlier run keeps its data; the ports
                                  are new each time.
              --observers K       also run K observers (0..9, default 0)
              --tick-time MS      tickTime for every server (default: conf/paddock.cfg's)
              --stop-on-failure   stop all and exit 1 as soon as one server dies
              -h, --help          this text

            Exit status: 0 stopped by Ctrl-C or SIGTERM, 1 could not start or the servers died,
            2 bad options or configuration.
            """;

    /** How long the servers may take to stop after SIGTERM before they are killed. */
    static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
    /**
     * Ctrl-C reaches the servers too (one process group), and one may exit before this process's
     * own handler has run: an exit is called a failure only if no stop request follows this soon.
     */
    static final Duration EXIT_GRACE = Duration.ofMillis(500);
    static final int LOG_LINES_SHOWN = 20;

    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./=:@%+,-]+");

    private EnsembleCommand() {
    }

    /** Bad options: the message says which. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /**
     * The command line.
     *
     * @param baseDir    null for a new temporary folder
     * @param tickTimeMs 0 to keep the template's tickTime
     */
    record Options(int participants, int observers, Path baseDir, int tickTimeMs, boolean stopOnFailure) {

        static Options parse(List<String> args) throws UsageException {
            Integer participants = null;
            Integer observers = null;
            Path baseDir = null;
            Integer tickTime = null;
            boolean stopOnFailure = false;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (!arg.startsWith("-")) {
                    if (participants != null) {
                        throw new UsageException("unexpected argument '" + arg + "' (N is already " + participants + ")");
                    }
                    participants = number("N", arg, 1, EnsembleLayout.MAX_PARTICIPANTS);
                    continue;
                }
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                if (name.equals("--stop-on-failure")) {
                    if (eq >= 0) {
                        throw new UsageException("--stop-on-failure takes no value");
                    }
                    stopOnFailure = true;
                    continue;
                }
                if (!name.equals("--base") && !name.equals("--observers") && !name.equals("--tick-time")) {
                    throw new UsageException("unknown option '" + name + "'");
                }
                String value;
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException(name + " needs a value");
                }
                switch (name) {
                    case "--base" -> {
                        if (baseDir != null) {
                            throw new UsageException("--base given twice");
                        }
                        baseDir = path(value);
                    }
                    case "--observers" -> {
                        if (observers != null) {
                            throw new UsageException("--observers given twice");
                        }
                        observers = number("--observers", value, 0, EnsembleLayout.MAX_OBSERVERS);
                    }
                    default -> {
                        if (tickTime != null) {
                            throw new UsageException("--tick-time given twice");
                        }
                        tickTime = number("--tick-time", value, 1, Integer.MAX_VALUE);
                    }
                }
            }
            if (participants == null) {
                throw new UsageException("how many servers? Give N, e.g. 'paddock ensemble 3'");
            }
            return new Options(participants, observers == null ? 0 : observers, baseDir,
                    tickTime == null ? 0 : tickTime, stopOnFailure);
        }

        private static int number(String name, String value, int lowest, int highest) throws UsageException {
            long n;
            try {
                n = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new UsageException(name + " must be a number in " + lowest + ".." + highest + ", not '" + value + "'");
            }
            if (n < lowest || n > highest) {
                throw new UsageException(name + " must be in " + lowest + ".." + highest + ", not " + n);
            }
            return (int) n;
        }

        private static Path path(String value) throws UsageException {
            if (value.isEmpty()) {
                throw new UsageException("--base needs a folder");
            }
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw new UsageException("--base: not a path: '" + value + "'");
            }
        }
    }

    /** The command line {@code paddock ensemble <args>}; {@code confDir} holds the template paddock.cfg. */
    public static int run(String[] args, Path confDir, PrintStream out, PrintStream err) {
        List<String> argList = List.of(args);
        if (argList.contains("-h") || argList.contains("--help")) {
            out.print(HELP);
            return OK;
        }
        Options options;
        try {
            options = Options.parse(argList);
        } catch (UsageException e) {
            err.println("paddock ensemble: " + e.getMessage());
            err.println("Run 'paddock ensemble --help' for the options.");
            return USAGE;
        }
        Path script = paddockScript(System.getProperty(HOME_PROPERTY), confDir);
        if (!Files.isExecutable(script)) {
            err.println("paddock ensemble: cannot find bin/paddock to start the servers with: " + script
                    + " is not an executable file (bin/paddock passes -D" + HOME_PROPERTY + ")");
            return FAILED;
        }
        CompletableFuture<String> stopRequested = new CompletableFuture<>();
        stopOn("INT", stopRequested);
        stopOn("TERM", stopRequested);
        EnsembleSupervisor.ChildCommand command = member ->
                List.of(script.toString(), "server", member.configFile().toAbsolutePath().toString());
        // The servers read the same conf dir (logging, Akka settings); JAVA_OPTS and the build
        // folder reach them through the environment they inherit.
        Map<String, String> environment = Map.of("PADDOCK_CONF_DIR", confDir.toAbsolutePath().toString());
        return launch(options, confDir, command, environment, stopRequested, out, err);
    }

    /**
     * bin/paddock: under the installation's home when bin/paddock said where that is, else next
     * to the conf dir (its default place).
     */
    static Path paddockScript(String home, Path confDir) {
        Path root = home != null && !home.isEmpty()
                ? Path.of(home)
                : confDir.toAbsolutePath().normalize().getParent();
        return root.resolve("bin").resolve("paddock").toAbsolutePath();
    }

    /**
     * Writes the servers' folders, starts them and waits until {@code stopRequested} completes
     * (with the reason) or the servers die; then stops those still running.
     */
    static int launch(Options options, Path confDir, EnsembleSupervisor.ChildCommand command,
                      Map<String, String> environment, CompletableFuture<String> stopRequested,
                      PrintStream out, PrintStream err) {
        Path templateFile = confDir.resolve(EnsembleLayout.CONFIG_FILE);
        List<String> template;
        try {
            template = Files.readAllLines(templateFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("paddock ensemble: cannot read the template " + templateFile + ": " + e);
            return USAGE;
        }

        Path baseDir;
        List<Member> members;
        try {
            baseDir = options.baseDir() != null
                    ? Files.createDirectories(options.baseDir()).toAbsolutePath()
                    : Files.createTempDirectory("paddock-ensemble-").toAbsolutePath();
            int servers = options.participants() + options.observers();
            members = EnsembleLayout.plan(baseDir, options.participants(), options.observers(),
                    EnsembleLayout.freePorts(servers * EnsembleLayout.PORTS_PER_SERVER));
        } catch (IOException e) {
            err.println("paddock ensemble: cannot prepare the folder "
                    + (options.baseDir() != null ? options.baseDir() + " " : "") + "or find free ports: " + e);
            return FAILED;
        }

        try {
            for (Member member : members) {
                List<String> config = EnsembleLayout.config(template, member, members, options.tickTimeMs());
                // The servers would refuse a bad template one by one: refuse it once, before starting any.
                ConfigFile.parse(config, templateFile + " (as " + member.configFile() + ")");
                writeFiles(member, config);
            }
        } catch (ConfigException e) {
            err.println("paddock ensemble: " + e.getMessage());
            return USAGE;
        } catch (IOException e) {
            err.println("paddock ensemble: cannot write the servers' files in " + baseDir + ": " + e);
            return FAILED;
        }

        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        stopRequested.thenAccept(reason -> events.add(new StopRequested(reason)));
        EnsembleSupervisor supervisor = new EnsembleSupervisor(command, environment, exit -> events.add(new Exited(exit)));
        // Backstop for an exit that skips the signal handlers (-Xrs, a fatal error): no server outlives us.
        Thread hook = new Thread(() -> {
            try {
                supervisor.stopAll(STOP_DEADLINE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "paddock-ensemble-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            out.println("Paddock ensemble: " + describe(options) + " in " + baseDir);
            for (Member member : members) {
                try {
                    supervisor.start(member);
                } catch (IOException e) {
                    err.println("paddock ensemble: cannot start server " + member.id() + " ("
                            + String.join(" ", command.command(member)) + "): " + e.getMessage());
                    stop(supervisor, "a server could not start", out, err);
                    return FAILED;
                }
            }
            List<Child> children = supervisor.children();
            table(members, children.stream().map(Child::pid).toList()).forEach(out::println);
            out.println();
            out.println("Status of each: for port in " + members.stream()
                    .map(m -> Integer.toString(m.ports().httpPort())).collect(Collectors.joining(" "))
                    + "; do curl -s http://" + EnsembleLayout.HOST + ":$port/v1/status; echo; done");
            out.println("Crash one: kill -9 <pid> (the others keep running). Ctrl-C stops them all.");
            if (options.participants() % 2 == 0) {
                out.println("Note: " + options.participants() + " participants tolerate no more failures than "
                        + (options.participants() - 1) + " do.");
            }
            out.flush();
            return watch(supervisor, events, command, options.stopOnFailure(), out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        } finally {
            try {
                supervisor.stopAll(STOP_DEADLINE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook runs, and finds nothing left to stop.
            }
        }
    }

    private sealed interface Event permits Exited, StopRequested {
    }

    private record Exited(Exit exit) implements Event {
    }

    private record StopRequested(String reason) implements Event {
    }

    /** Waits for a stop request or the servers' deaths; reports each death. */
    private static int watch(EnsembleSupervisor supervisor, BlockingQueue<Event> events,
                             EnsembleSupervisor.ChildCommand command, boolean stopOnFailure,
                             PrintStream out, PrintStream err) throws InterruptedException {
        // Counted by the exits reported, not by Process.isAlive(): a process may be gone before
        // its exit event arrives, and every death must be reported before the launcher gives up.
        List<Child> unreported = new ArrayList<>(supervisor.children());
        while (true) {
            Event event = events.take();
            if (event instanceof StopRequested stop) {
                stop(supervisor, stop.reason(), out, err);
                return OK;
            }
            List<Exit> exits = new ArrayList<>();
            exits.add(((Exited) event).exit());
            long end = System.nanoTime() + EXIT_GRACE.toNanos();
            for (long left = EXIT_GRACE.toNanos(); left > 0; left = end - System.nanoTime()) {
                Event next = events.poll(left, TimeUnit.NANOSECONDS);
                if (next instanceof StopRequested stop) {
                    stop(supervisor, stop.reason(), out, err);
                    return OK;
                }
                if (next instanceof Exited exited) {
                    exits.add(exited.exit());
                }
            }
            exits.sort(Comparator.comparingLong(exit -> exit.child().member().id()));
            for (Exit exit : exits) {
                report(exit, command, err);
                unreported.remove(exit.child());
            }
            if (stopOnFailure) {
                stop(supervisor, "--stop-on-failure", out, err);
                return FAILED;
            }
            if (unreported.isEmpty()) {
                err.println("paddock ensemble: every server has stopped; nothing left to wait for");
                return FAILED;
            }
            err.println("paddock ensemble: still running: " + unreported.stream()
                    .map(c -> "server " + c.member().id() + " (pid " + c.pid() + ")")
                    .collect(Collectors.joining(", ")));
            err.flush();
        }
    }

    private static void report(Exit exit, EnsembleSupervisor.ChildCommand command, PrintStream err) {
        Member member = exit.child().member();
        err.println();
        err.println("paddock ensemble: server " + member.id() + " (" + member.role() + ", pid " + exit.child().pid()
                + ") exited with " + EnsembleSupervisor.describeStatus(exit.status()));
        try {
            List<String> tail = EnsembleSupervisor.tail(member.logFile(), LOG_LINES_SHOWN);
            err.println(tail.isEmpty() ? "  (" + member.logFile() + " is empty)"
                    : "  last lines of " + member.logFile() + ":");
            tail.forEach(line -> err.println("  | " + line));
        } catch (IOException e) {
            err.println("  (cannot read " + member.logFile() + ": " + e + ")");
        }
        err.println("  to start it again by hand: " + command.command(member).stream()
                .map(EnsembleCommand::shellWord).collect(Collectors.joining(" "))
                + " >> " + shellWord(member.logFile().toString()) + " 2>&1");
    }

    private static void stop(EnsembleSupervisor supervisor, String reason, PrintStream out, PrintStream err)
            throws InterruptedException {
        int running = supervisor.running().size();
        // After Ctrl-C the servers may have stopped already: the terminal sent SIGINT to them too.
        out.println("Paddock ensemble stopping (" + reason + ")" + (running == 0 ? ""
                : ": SIGTERM to " + running + " server" + (running == 1 ? "" : "s")));
        out.flush();
        for (Child killed : supervisor.stopAll(STOP_DEADLINE)) {
            err.println("paddock ensemble: server " + killed.member().id() + " (pid " + killed.pid()
                    + ") did not stop within " + STOP_DEADLINE.toSeconds() + " s: killed with SIGKILL");
        }
        out.println("Paddock ensemble stopped");
        out.flush();
    }

    private static void writeFiles(Member member, List<String> config) throws IOException {
        Files.createDirectories(member.dataDir());
        Path myid = member.myidFile();
        if (Files.exists(myid) && !Files.readString(myid, StandardCharsets.UTF_8).strip().equals(Long.toString(member.id()))) {
            throw new IOException(myid + " says '" + Files.readString(myid, StandardCharsets.UTF_8).strip()
                    + "', not " + member.id() + ": this data belongs to another server");
        }
        Files.writeString(myid, member.myid(), StandardCharsets.UTF_8);
        Files.write(member.configFile(), config, StandardCharsets.UTF_8);
    }


    /** One line per server under a header, columns aligned. */
    static List<String> table(List<Member> members, List<Long> pids) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("id", "role", "pid", "HTTP API", "client port", "peer port", "data dir", "log"));
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            rows.add(List.of(Long.toString(m.id()), m.role(), Long.toString(pids.get(i)), m.httpUrl(),
                    Integer.toString(m.ports().clientPort()), Integer.toString(m.ports().peerPort()),
                    m.dataDir().toString(), m.logFile().toString()));
        }
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(c == columns - 1 ? row.get(c) : String.format("%-" + (widths[c] + 2) + "s", row.get(c)));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    private static String describe(Options options) {
        String participants = options.participants() + " participant" + (options.participants() == 1 ? "" : "s");
        return options.observers() == 0 ? participants
                : participants + " and " + options.observers() + " observer" + (options.observers() == 1 ? "" : "s");
    }

    /** A word as a POSIX shell reads it back: bare when safe, else single-quoted. */
    static String shellWord(String word) {
        return PLAIN_WORD.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * As Main does for the server: the signal completes the stop request on a plain thread, so
     * the launcher stops its servers and exits 0 instead of the JVM's 130 or 143.
     */
    private static void stopOn(String signal, CompletableFuture<String> stopRequested) {
        try {
            Signal.handle(new Signal(signal), s -> stopRequested.complete("SIG" + s.getName()));
        } catch (IllegalArgumentException e) {
            // Signal handling is off (-Xrs): the shutdown hook still stops the servers.
        }
    }
}
