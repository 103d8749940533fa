package io.paddock.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One run of {@code bin/paddock <args>} as a real child process against this build's output
 * (Surefire passes paddock.buildDir), stdout and stderr merged and drained on a thread of their own.
 */
final class BinPaddock implements AutoCloseable {

    /** What {@code paddock server} prints once its HTTP API is bound. */
    static final Pattern LISTENING = Pattern.compile("HTTP API on http://(\\S+):(\\d+), data in ");
    private static final String END = new String("end of output"); // compared by identity

    private final Process process;
    private final StringBuffer text = new StringBuffer();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    private BinPaddock(Process process) {
        this.process = process;
        reader = new Thread(() -> drain(process.getInputStream()), "bin-paddock-output");
        reader.setDaemon(true);
        reader.start();
    }

    static BinPaddock start(Path workDir, String... args) throws IOException {
        Path repo = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        String buildDir = System.getProperty("paddock.buildDir", repo.resolve("target").toString());
        List<String> command = new ArrayList<>();
        command.add(repo.resolve("bin/paddock").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().put("PADDOCK_BUILD_DIR", buildDir);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // Short-lived JVMs: start faster.
        pb.environment().put("JAVA_OPTS", "-XX:TieredStopAtLevel=1");
        pb.environment().remove("PADDOCK_CONF_DIR");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        return new BinPaddock(pb.start());
    }

    /**
     * A standalone server on free ports, on 127.0.0.1, with tickTime 500 ms so that sessions may be
     * as short as 1 s (a SIGKILLed example leaves the list quickly). Returns the server and its
     * connect string.
     */
    static BinPaddock startServer(Path dir, Duration deadline) throws IOException, InterruptedException {
        Path cfg = dir.resolve("paddock.cfg");
        Files.writeString(cfg, String.join("\n",
                "tickTime=500",
                "dataDir=" + dir.resolve("data"),
                "clientPort=0",
                "clientPortAddress=127.0.0.1",
                "httpPort=0",
                ""));
        BinPaddock server = start(dir, "server", cfg.toString());
        String line = server.awaitLine(LISTENING.asPredicate(), deadline);
        assertTrue(line != null, () -> "the server did not start\n" + server.output());
        return server;
    }

    /** The connect string from a server's listening line (after {@link #startServer}). */
    String connectString() {
        Matcher m = LISTENING.matcher(text.toString());
        assertTrue(m.find(), text::toString);
        return m.group(1) + ":" + m.group(2);
    }

    private void drain(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                text.append(line).append('\n');
                lines.add(line);
            }
        } catch (IOException e) {
            text.append("(reading failed: ").append(e).append(")\n");
        }
        lines.add(END);
    }

    /** The next line (after those already taken) that matches, or null at the deadline or the end. */
    String awaitLine(Predicate<String> matches, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        for (long left = deadline.toNanos(); left > 0; left = end - System.nanoTime()) {
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == END) {
                lines.add(END);
                return null;
            }
            if (line != null && matches.test(line)) {
                return line;
            }
        }
        return null;
    }

    String awaitLine(String exact, Duration deadline) throws InterruptedException {
        return awaitLine(exact::equals, deadline);
    }

    /** SIGKILL (the JDK's forcible destroy on Linux; bin/paddock exec's the JVM, so the pid is its own). */
    void kill(Duration deadline) throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS), "still running after SIGKILL");
    }

    /** SIGTERM, through the handle so that our end of the pipe stays open for what it prints while stopping. */
    void terminate() {
        assertTrue(process.toHandle().destroy(), "could not send SIGTERM");
    }

    int awaitExit(Duration deadline) throws InterruptedException {
        assertTrue(process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS),
                () -> "still running after " + deadline + "\n" + output());
        reader.join(deadline.toMillis());
        return process.exitValue();
    }

    String output() {
        return "--- output of pid " + process.pid() + "\n" + text;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
