package io.paddock.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real terminal for the interactive shell: a detached tmux session (200×50) on a tmux server
 * of its own (a socket named for this JVM and test), running a plain bash into which a test types
 * keys as a user would, and whose screen (with its scrollback) it reads. Waiting is always for
 * something to appear on the screen, with a deadline.
 */
final class TmuxTerminal implements AutoCloseable {

    private static final AtomicInteger SESSIONS = new AtomicInteger();
    private static final String TARGET = "cli";

    private final String socket;
    private final Duration deadline;
    /** The server's socket file, removed at the end (tmux leaves it behind). */
    private Path socketPath;

    private TmuxTerminal(String socket, Duration deadline) {
        this.socket = socket;
        this.deadline = deadline;
    }

    /** A new terminal running bash with a bare prompt ("$ "). Fails, clearly, when tmux is missing. */
    static TmuxTerminal start(String name, Duration deadline) throws IOException, InterruptedException {
        try {
            new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor();
        } catch (IOException e) {
            fail("tmux is not installed, and the interactive shell tests need it (.ci/run installs it): " + e);
        }
        String socket = "paddock-cli-" + name + "-" + ProcessHandle.current().pid() + "-" + SESSIONS.incrementAndGet();
        TmuxTerminal t = new TmuxTerminal(socket, deadline);
        t.tmux("new-session", "-d", "-x", "200", "-y", "50", "-s", TARGET,
                "env PS1='$ ' HISTFILE=/dev/null bash --norc --noprofile");
        t.socketPath = Path.of(t.tmux("display-message", "-p", "-t", TARGET, "#{socket_path}").strip());
        t.tmux("set-option", "-t", TARGET, "history-limit", "10000");
        t.awaitScreen(s -> s.contains("$"), "bash's prompt");
        return t;
    }

    /** Types text literally (no key names interpreted). */
    void type(String text) throws IOException, InterruptedException {
        tmux("send-keys", "-t", TARGET, "-l", text);
    }

    /** Presses keys by tmux's names: Enter, Up, Tab, C-a, BSpace… */
    void press(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", TARGET));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** The whole screen and its scrollback, wrapped lines joined, trailing blanks dropped. */
    String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-J", "-S", "-", "-t", TARGET);
    }

    /** How many screen lines start with {@code prefix}. */
    int lines(String prefix) throws IOException, InterruptedException {
        return count(screen(), prefix);
    }

    /**
     * Lines are compared without their leading and trailing blanks: tmux shows a tab as blanks,
     * and drops the blank after a prompt with nothing typed yet.
     */
    private static int count(String screen, String prefix) {
        String wanted = prefix.strip();
        int n = 0;
        for (String line : screen.split("\n", -1)) {
            if (line.strip().startsWith(wanted)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Types a line, presses Enter, and waits until each expected line (by its start) has
     * appeared once more than it had before.
     */
    void run(String line, String... expected) throws IOException, InterruptedException {
        String before = screen();
        int[] counts = new int[expected.length];
        for (int i = 0; i < expected.length; i++) {
            counts[i] = count(before, expected[i]);
        }
        if (!line.isEmpty()) {
            type(line);
        }
        press("Enter");
        awaitScreen(s -> {
            for (int i = 0; i < expected.length; i++) {
                if (count(s, expected[i]) <= counts[i]) {
                    return false;
                }
            }
            return true;
        }, "after \"" + line + "\": " + String.join(" | ", expected));
    }

    /** Waits until a line starting with {@code prefix} has appeared more than {@code already} times. */
    void awaitLines(String prefix, int already) throws IOException, InterruptedException {
        awaitScreen(s -> count(s, prefix) > already, "a line starting with \"" + prefix + "\"");
    }

    /** Waits for the screen to satisfy a condition, failing with the screen after the deadline. */
    String awaitScreen(Predicate<String> condition, String what) throws IOException, InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            String s = screen();
            if (condition.test(s)) {
                return s;
            }
            if (System.nanoTime() > end) {
                fail("no " + what + " on the terminal within " + deadline + "; the screen:\n" + s);
            }
            Thread.sleep(50);
        }
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("tmux " + String.join(" ", args) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail("tmux " + String.join(" ", args) + " failed (" + p.exitValue() + "): " + text);
        }
        return text;
    }

    /** Kills the session and its tmux server (and so the shell and anything it still runs). */
    @Override
    public void close() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tmux", "-L", socket, "kill-server").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
        if (socketPath != null) {
            Files.deleteIfExists(socketPath);
        }
    }
}
