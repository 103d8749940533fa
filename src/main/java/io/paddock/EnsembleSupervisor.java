package io.paddock;

import io.paddock.EnsembleLayout.Member;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The child processes of {@code paddock ensemble}, one per member: started with their output
 * appended to the member's log file, watched for exits, and stopped together with SIGTERM, then
 * SIGKILL for any that outlive a deadline. Thread-safe: exits are reported on other threads, and
 * a stop can come from a signal or a shutdown hook.
 */
final class EnsembleSupervisor {

    /** The command line that runs one member's server, e.g. {@code bin/paddock server <its cfg>}. */
    interface ChildCommand {
        List<String> command(Member member);
    }

    /** A started child. */
    record Child(Member member, Process process) {
        long pid() {
            return process.pid();
        }
    }

    /** A child that ended, with its exit status (128 + n when signal n ended it). */
    record Exit(Child child, int status) {
    }

    /** How long a child killed with SIGKILL may take to be gone. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final int TAIL_BYTES = 64 * 1024;

    private final ChildCommand childCommand;
    private final Map<String, String> environment;
    private final Consumer<Exit> onExit;
    private final List<Child> children = new ArrayList<>();
    private boolean stopping;

    /**
     * @param environment added to this process's own environment for every child (the JVM
     *                    options and folders bin/paddock reads are inherited as they are)
     * @param onExit      told of every exit, on a thread of the JDK's
     */
    EnsembleSupervisor(ChildCommand childCommand, Map<String, String> environment, Consumer<Exit> onExit) {
        this.childCommand = childCommand;
        this.environment = Map.copyOf(environment);
        this.onExit = onExit;
    }

    /** Starts a member's server in its folder, its stdout and stderr appended to its log file. */
    synchronized Child start(Member member) throws IOException {
        if (stopping) {
            throw new IllegalStateException("stopping: no new servers");
        }
        ProcessBuilder pb = new ProcessBuilder(childCommand.command(member))
                .directory(member.dir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(member.logFile().toFile()))
                // Nothing reads the terminal but the launcher: a server gets an empty stdin.
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(environment);
        Process process = pb.start();
        Child child = new Child(member, process);
        children.add(child);
        process.onExit().thenRun(() -> onExit.accept(new Exit(child, process.exitValue())));
        return child;
    }

    synchronized List<Child> children() {
        return List.copyOf(children);
    }

    synchronized List<Child> running() {
        return children.stream().filter(c -> c.process().isAlive()).toList();
    }

    synchronized boolean stopping() {
        return stopping;
    }

    /**
     * SIGTERM to every running child, then waits for all of them until the deadline; any still
     * running then gets SIGKILL. Idempotent: a second call finds nothing left to stop.
     *
     * @return the children that had to be killed
     */
    synchronized List<Child> stopAll(Duration deadline) throws InterruptedException {
        stopping = true;
        List<Child> running = running();
        for (Child child : running) {
            // On Unix, destroy() is SIGTERM: a Paddock server stops cleanly and exits 0.
            child.process().destroy();
        }
        long end = System.nanoTime() + deadline.toNanos();
        List<Child> killed = new ArrayList<>();
        for (Child child : running) {
            long left = end - System.nanoTime();
            if (!child.process().waitFor(Math.max(left, 0), TimeUnit.NANOSECONDS)) {
                child.process().destroyForcibly();
                child.process().waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                killed.add(child);
            }
        }
        return killed;
    }

    /**
     * The last {@code maxLines} lines of a log file, read from its end so that a large log costs
     * no more than a small one; empty when the file is missing or empty.
     */
    static List<String> tail(Path file, int maxLines) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        byte[] bytes;
        boolean cut;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long from = Math.max(0, length - TAIL_BYTES);
            cut = from > 0;
            bytes = new byte[(int) (length - from)];
            in.seek(from);
            in.readFully(bytes);
        }
        List<String> lines = new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n", -1)));
        if (cut) {
            lines.remove(0); // read from the middle of a line: only its end is here
        }
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // the nothing after the final newline
        }
        return List.copyOf(lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
    }

    /** An exit status in words: "status 3", or "status 137 (killed by SIGKILL)". */
    static String describeStatus(int status) {
        if (status <= 128 || status > 128 + 64) {
            return "status " + status;
        }
        int signal = status - 128;
        String name = switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 15 -> "SIGTERM";
            default -> "signal " + signal;
        };
        return "status " + status + " (killed by " + name + ")";
    }
}
