package io.paddock.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code paddock cli [-server host:port[,host:port…]] [-timeout ms] [cmd args…]}: a shell
 * compatible with ZooKeeper 3.9's zkCli.sh, over Paddock's HTTP API (the ports are HTTP ports;
 * default localhost:8080). Three ways to run it, as zkCli has:
 * <ul>
 *   <li>with a command after the options: runs that one command and exits;</li>
 *   <li>on a terminal: an interactive shell with line editing, a history file
 *       ($PADDOCK_CLI_HISTORY, else ~/.paddock_cli_history) and tab completion;</li>
 *   <li>with stdin not a terminal: runs each line of stdin as a command, without prompts.</li>
 * </ul>
 *
 * <p>Exit status: 0 when every command succeeded; otherwise the status of the failed command,
 * as zkCli gives it: 127 for an unknown command, 1 for any other failure (a refusal by the server,
 * a usage error, "Not connected", no server reachable). Reading stdin, a failed command does not
 * stop the ones after it, and the exit status is that of the last command that failed. On a
 * terminal, the status is that of the last command before quit (zkCli's rule). Bad options of
 * {@code paddock cli} itself exit 2, as every paddock command does for bad usage.
 */
public final class CliCommand {

    static final int OK = 0;
    static final int USAGE = 2;

    private static final String DEFAULT_SERVER = "localhost:8080";
    private static final int DEFAULT_TIMEOUT_MS = 30000;
    private static final String HISTORY_ENV = "PADDOCK_CLI_HISTORY";

    private static final String USAGE_TEXT = """
            Usage: paddock cli [-server host:port[,host:port...]] [-timeout ms] [cmd args...]
              -server   the HTTP addresses of the servers (default localhost:8080)
              -timeout  the session timeout in ms (default 30000)
              cmd args  one command to run (`paddock cli help` lists them); without one, an
                        interactive shell on a terminal, or the commands of stdin, one a line
            """;

    private CliCommand() {
    }

    /** The options of the command line, and the command after them (empty for none). */
    record Options(String server, int timeoutMs, List<String> command) {
    }

    /** Runs the shell on this process's stdin, stdout and stderr; returns the exit status. */
    public static int run(String[] args) {
        quietLogging();
        // The JVM gives a Console only when both stdin and stdout are terminals.
        boolean terminal = System.console() != null;
        return run(args, System.in, System.out, System.err, terminal);
    }

    static int run(String[] args, InputStream in, PrintStream stdout, PrintStream stderr, boolean terminal) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
        Options options;
        try {
            options = parseOptions(args);
        } catch (IllegalArgumentException e) {
            err.println("paddock cli: " + e.getMessage());
            err.print(USAGE_TEXT);
            err.flush();
            return USAGE;
        }
        if (options == null) {
            out.print(USAGE_TEXT);
            out.flush();
            return OK;
        }
        Duration timeout = Duration.ofMillis(options.timeoutMs());
        try {
            if (!options.command().isEmpty()) {
                return runOne(options, timeout, out, err);
            }
            if (terminal) {
                return InteractiveShell.run(options.server(), timeout, historyFile());
            }
            return runScript(options, timeout, in, out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CliException.FAILED;
        } catch (IOException e) {
            err.println("paddock cli: " + e.getMessage());
            err.flush();
            return CliException.FAILED;
        }
    }

    /** Parses the options before the command; null when help was asked for. */
    static Options parseOptions(String[] args) {
        String server = DEFAULT_SERVER;
        int timeoutMs = DEFAULT_TIMEOUT_MS;
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            String opt = args[i];
            switch (opt) {
                case "-server" -> server = value(args, i++);
                case "-timeout" -> {
                    String v = value(args, i++);
                    try {
                        timeoutMs = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("-timeout takes milliseconds, not \"" + v + "\"");
                    }
                    if (timeoutMs <= 0) {
                        throw new IllegalArgumentException("-timeout must be positive, not " + timeoutMs);
                    }
                }
                case "-r" -> {
                    // zkCli's read-only mode: every Paddock server serves reads, so there is nothing to ask for.
                }
                case "-h", "-help", "--help" -> {
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown option " + opt);
            }
            i++;
        }
        List<String> command = new ArrayList<>();
        for (; i < args.length; i++) {
            command.add(args[i]);
        }
        return new Options(server, timeoutMs, command);
    }

    private static String value(String[] args, int i) {
        if (i + 1 >= args.length) {
            // zkCli's words.
            throw new IllegalArgumentException("Error: no argument found for option " + args[i]);
        }
        return args[i + 1];
    }

    /** One command from the command line: its output only, no banner, then the session is closed. */
    private static int runOne(Options options, Duration timeout, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        Shell shell = new Shell(out, err, text -> printEvent(out, text), timeout, false);
        try {
            if (!isLocal(options.command().get(0))) {
                shell.connect(options.server());
            }
            return shell.process(options.command());
        } catch (CliException e) {
            err.println(e.getMessage());
            return e.exitCode();
        } finally {
            shell.closeClient();
            out.flush();
            err.flush();
        }
    }

    /** Each line of stdin as a command, until its end or quit; the last failure's status, or 0. */
    private static int runScript(Options options, Duration timeout, InputStream in, PrintWriter out, PrintWriter err)
            throws IOException, InterruptedException {
        Shell shell = new Shell(out, err, text -> printEvent(out, text), timeout, false);
        int status = OK;
        try {
            try {
                shell.connect(options.server());
            } catch (CliException e) {
                err.println(e.getMessage());
                status = e.exitCode();
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while (!shell.quitRequested() && (line = lines.readLine()) != null) {
                int s = shell.executeLine(line);
                if (s != OK) {
                    status = s;
                }
            }
        } finally {
            shell.closeClient();
            out.flush();
            err.flush();
        }
        return status;
    }

    /** Commands that need no session: the shell does not connect for them. */
    private static boolean isLocal(String command) {
        return switch (command) {
            case "help", "history", "printwatches", "quit", "close", "connect" -> true;
            default -> false;
        };
    }

    /** Watch events from the client's event thread, kept whole among the main thread's lines. */
    private static void printEvent(PrintWriter out, String text) {
        synchronized (out) {
            out.print(text);
            out.flush();
        }
    }

    private static Path historyFile() {
        String env = System.getenv(HISTORY_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".paddock_cli_history");
    }

    /**
     * The shell's output is the commands' output: the client's informational logging (which
     * bin/paddock's logback configuration sends to the console) would interleave with it.
     * Warnings and errors still show.
     */
    private static void quietLogging() {
        for (String name : new String[] {Logger.ROOT_LOGGER_NAME, "io.paddock", "akka"}) {
            Logger logger = LoggerFactory.getLogger(name);
            if (logger instanceof ch.qos.logback.classic.Logger l) {
                l.setLevel(ch.qos.logback.classic.Level.WARN);
            }
        }
    }
}
