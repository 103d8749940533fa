package io.paddock.cli;

import io.paddock.client.ConnectionState;
import io.paddock.client.EventState;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.WatchEvent;
import io.paddock.client.Watcher;
import io.paddock.tree.EventType;
import io.paddock.tree.PathUtils;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The state of one zkCli session (ZooKeeperMain): the client, the numbered history that
 * {@code history} and {@code redo} use, printwatches, and the status of the last command.
 * It runs one line at a time; {@link CliCommand} feeds it from the command line, stdin or JLine.
 */
final class Shell implements ZnodeCommand.Context {

    /** The builtin commands and their zkCli option strings, besides the {@link ZnodeCommand}s. */
    private static final Map<String, String> BUILTINS = Map.of(
            "connect", "host:port",
            "close", "",
            "history", "",
            "redo", "cmdno",
            "printwatches", "on|off",
            "quit", "",
            "help", "");

    /** How long tab completion may wait for the server. */
    private static final long COMPLETION_TIMEOUT_MS = 2000;

    private final Map<String, ZnodeCommand> commands = new HashMap<>();
    private final Map<Integer, String> history = new HashMap<>();
    private final PrintWriter out;
    private final PrintWriter err;
    private final Consumer<String> eventPrinter;
    private final Duration sessionTimeout;
    private final boolean announce;
    /** Left with -w reads and addWatch: it hears their events, and that they were removed (removewatches). */
    private final Watcher watchPrinter = this::printEvent;
    /** Hears every event of the session: it passes on the session-state ones, which no watch of a znode carries. */
    private final Watcher stateListener = event -> {
        if (event.type() == EventType.None) {
            stateEvent(event);
        }
    };

    private int commandCount;
    private volatile boolean printWatches = true;
    private int exitCode;
    private boolean quit;
    private volatile PaddockClient client;
    private String host = "";
    /** The prompt's state when there is no client: ZooKeeper's CLOSED after close, NOT_CONNECTED when connecting failed. */
    private String offlineState = "CLOSED";
    /** The session state last printed, so that each change prints once (the client may report one we announced). */
    private EventState lastStatePrinted;

    /**
     * @param out          where commands print their output
     * @param err          where errors and zkCli's stderr lines go
     * @param eventPrinter prints a watch event's lines, safely beside a command's output or a prompt
     * @param announce     whether to print session-state events as zkCli does (interactive sessions);
     *                     scripts get only the events of their watches, never a racy "SyncConnected"
     */
    Shell(PrintWriter out, PrintWriter err, Consumer<String> eventPrinter, Duration sessionTimeout, boolean announce) {
        this.out = out;
        this.err = err;
        this.eventPrinter = eventPrinter;
        this.sessionTimeout = sessionTimeout;
        this.announce = announce;
        for (ZnodeCommand c : ZnodeCommand.all()) {
            commands.put(c.name(), c);
        }
    }

    // ---- Context ----

    @Override
    public PaddockClient client() throws CliException {
        PaddockClient c = client;
        if (c == null) {
            throw new CliException("Not connected");
        }
        return c;
    }

    @Override
    public PrintWriter out() {
        return out;
    }

    @Override
    public PrintWriter err() {
        return err;
    }

    @Override
    public Watcher watcher() {
        return watchPrinter;
    }

    // ---- the session ----

    /**
     * Closes the current client, if any, and opens a session on {@code servers}. zkCli connects
     * in the background and shows CONNECTING meanwhile; this waits for the session (the client
     * tries every server until its retry policy gives up) so that a failure is reported at once.
     */
    void connect(String servers) throws CliException, InterruptedException {
        closeClient();
        host = servers;
        PaddockClient c;
        try {
            c = PaddockClient.builder(servers).sessionTimeout(sessionTimeout).build();
        } catch (IllegalArgumentException e) {
            offlineState = "NOT_CONNECTED";
            throw new CliException(e.getMessage());
        } catch (PaddockException e) {
            offlineState = "NOT_CONNECTED";
            throw new CliException("Unable to connect to " + servers + ": " + e.getMessage());
        }
        synchronized (this) {
            lastStatePrinted = null;
        }
        c.addWatchListener(stateListener);
        client = c;
        stateEvent(WatchEvent.state(EventState.SyncConnected));
    }

    /** Closes the session (its ephemerals go), as zkCli's close does; the shell stays. */
    void closeClient() {
        PaddockClient c = client;
        if (c == null) {
            return;
        }
        client = null;
        offlineState = "CLOSED";
        c.removeWatchListener(stateListener);
        c.close();
        stateEvent(WatchEvent.state(EventState.Closed));
    }

    /** A session-state event, printed (as zkCli's default watcher prints it) when it is news. */
    private synchronized void stateEvent(WatchEvent event) {
        if (announce && event.state() != lastStatePrinted) {
            lastStatePrinted = event.state();
            printEvent(event);
        }
    }

    private void printEvent(WatchEvent event) {
        if (printWatches) {
            eventPrinter.accept(Formats.watchEvent(event));
        }
    }

    /** zkCli's prompt: "[zk: host:port(CONNECTED) 3] ". */
    String prompt() {
        return "[zk: " + host + "(" + state() + ") " + commandCount + "] ";
    }

    /** ZooKeeper's state names for the client's: SUSPENDED and LOST are CONNECTING (this client reconnects by itself). */
    String state() {
        PaddockClient c = client;
        if (c == null) {
            return offlineState;
        }
        ConnectionState s = c.state();
        return s.isConnected() ? "CONNECTED" : "CONNECTING";
    }

    boolean quitRequested() {
        return quit;
    }

    /** The status of the last command: 0, or the failure's exit code. */
    int exitCode() {
        return exitCode;
    }

    // ---- lines ----

    /**
     * Runs one line as zkCli's executeLine does: a non-blank line is numbered and kept for
     * history and redo, then run. Returns its status (0 when nothing was to run).
     */
    int executeLine(String line) throws InterruptedException {
        if (line.isBlank()) {
            return 0;
        }
        history.put(commandCount, line);
        int status = process(CliArgs.split(line));
        commandCount++;
        return status;
    }

    /** Runs one command given as words (the command line's), printing its failure; returns its status. */
    int process(List<String> words) throws InterruptedException {
        try {
            run(words);
            if (!quit) {
                exitCode = 0;
            }
        } catch (CliException e) {
            if (e.getMessage() != null) {
                err.println(e.getMessage());
            }
            exitCode = e.exitCode();
        } catch (RuntimeException e) {
            // A bug, not a refusal: the shell says so and stays usable (zkCli would die of it).
            err.println("Error: " + e);
            exitCode = CliException.FAILED;
        }
        out.flush();
        err.flush();
        return quit ? 0 : exitCode;
    }

    private void run(List<String> words) throws CliException, InterruptedException {
        String cmd = words.get(0);
        switch (cmd) {
            case "quit" -> {
                closeClient();
                quit = true;
            }
            case "redo" -> redo(words);
            case "history" -> {
                for (int i = Math.max(0, commandCount - 10); i <= commandCount; i++) {
                    out.println(i + " - " + history.get(i));
                }
            }
            case "printwatches" -> {
                if (words.size() == 1) {
                    out.println("printwatches is " + (printWatches ? "on" : "off"));
                } else {
                    printWatches = words.get(1).equals("on");
                }
            }
            case "connect" -> connect(words.size() >= 2 ? words.get(1) : host);
            case "close" -> closeClient();
            case "help" -> out.print(usage());
            default -> runZnodeCommand(cmd, words);
        }
    }

    /** redo cmdno: runs a numbered line of the history again (itself numbered as that line). */
    private void redo(List<String> words) throws CliException, InterruptedException {
        if (words.size() < 2) {
            throw new CliException("redo cmdno");
        }
        int i;
        try {
            i = Integer.decode(words.get(1));
        } catch (NumberFormatException e) {
            throw new CliException("Command index out of range");
        }
        if (commandCount <= i || i < 0) {
            throw new CliException("Command index out of range");
        }
        List<String> again = CliArgs.split(history.get(i));
        if (again.get(0).equals("redo")) {
            throw new CliException("No redoing redos");
        }
        history.put(commandCount, history.get(i));
        run(again);
    }

    private void runZnodeCommand(String name, List<String> words) throws CliException, InterruptedException {
        ZnodeCommand command = commands.get(name);
        if (command == null) {
            err.print(usage());
            throw new CliException("Command not found: Command not found " + name, CliException.NOT_FOUND);
        }
        CliArgs args;
        try {
            args = CliArgs.parse(words, command.switches(), command.valued());
        } catch (CliException e) {
            // zkCli prints only commons-cli's complaint; the usage line says what would be right.
            throw new CliException(e.getMessage() + System.lineSeparator() + command.usage().stripTrailing());
        }
        if (args.count() < command.minArgs()) {
            throw new CliException(command.usage());
        }
        try {
            command.body().run(args, this);
        } catch (PaddockException e) {
            String path = args.count() > 1 && args.arg(1).startsWith("/") ? args.arg(1) : null;
            throw new CliException(Formats.error(e, path));
        }
    }

    // ---- help and completion ----

    /** zkCli's usage: how to start the shell, then every command with its options, sorted. */
    String usage() {
        Map<String, String> all = new TreeMap<>(BUILTINS);
        for (ZnodeCommand c : commands.values()) {
            all.put(c.name(), c.options());
        }
        StringBuilder sb = new StringBuilder("paddock cli -server host:port[,host:port...] [-timeout ms] cmd args")
                .append(System.lineSeparator());
        all.forEach((name, options) -> sb.append('\t').append(name).append(' ').append(options)
                .append(System.lineSeparator()));
        return sb.toString();
    }

    /** Every command word, sorted (for tab completion). */
    List<String> commandNames() {
        List<String> names = new ArrayList<>(BUILTINS.keySet());
        names.addAll(commands.keySet());
        names.sort(null);
        return names;
    }

    /**
     * The znode paths that complete {@code prefix} ("/a/b" offers the children of /a whose names
     * start with "b"), as zkCli's JLineZNodeCompleter does; none when offline or on any failure.
     */
    List<String> completePath(String prefix) {
        PaddockClient c = client;
        if (c == null || !prefix.startsWith("/")) {
            return List.of();
        }
        int slash = prefix.lastIndexOf('/');
        String parent = slash == 0 ? "/" : prefix.substring(0, slash);
        String start = prefix.substring(slash + 1);
        try {
            List<String> names = c.getChildrenAsync(parent, null).toCompletableFuture()
                    .get(COMPLETION_TIMEOUT_MS, TimeUnit.MILLISECONDS).names();
            List<String> out = new ArrayList<>();
            for (String name : names) {
                if (name.startsWith(start)) {
                    out.add(PathUtils.child(parent, name));
                }
            }
            out.sort(null);
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (Exception e) {
            // Completion is a convenience: a slow or refusing server offers nothing.
            return List.of();
        }
    }
}
