package io.paddock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One run of {@code bin/paddock} as a real child process, against this build's output (Surefire
 * passes paddock.buildDir; the build copies the runtime jars in process-classes, before the
 * tests). Builds nothing. Its stdout and stderr are drained on threads of their own and kept.
 */
final class PaddockProcess {

    /** What {@code paddock server} prints once its HTTP API is bound. */
    static final Pattern LISTENING = Pattern.compile("HTTP API on http://(\\S+):(\\d+), data in ");

    /** The exit status the JDK reports for a child ended by SIGKILL (128 + 9). */
    static final int KILLED_STATUS = 137;

    private final Process process;
    private final Lines stdout;
    private final Lines stderr;

    private PaddockProcess(Process process) {
        this.process = process;
        this.stdout = new Lines(process.getInputStream());
        this.stderr = new Lines(process.getErrorStream());
    }

    /** Runs {@code bin/paddock <args>} in workDir, with none of the caller's JAVA_OPTS or conf dir. */
    static PaddockProcess start(Path workDir, String... args) throws IOException {
        Path repo = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        String buildDir = System.getProperty("paddock.buildDir", repo.resolve("target").toString());
        List<String> command = new ArrayList<>();
        command.add(repo.resolve("bin/paddock").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().put("PADDOCK_BUILD_DIR", buildDir);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("PADDOCK_CONF_DIR");
        return new PaddockProcess(pb.start());
    }

    Process process() {
        return process;
    }

    Lines stdout() {
        return stdout;
    }

    Lines stderr() {
        return stderr;
    }

    /**
     * The HTTP port from the server's listening line. The line, not the port file in dataDir: a
     * server killed with SIGKILL leaves its port file behind, naming a port nobody listens on.
     */
    int awaitHttpPort(Duration deadline) throws InterruptedException {
        String line = stdout.awaitLine(LISTENING, deadline);
        assertTrue(line != null, () -> "no listening line within " + deadline + " (pid " + process.pid() + ")\n"
                + transcript());
        Matcher m = LISTENING.matcher(line);
        assertTrue(m.find(), line);
        return Integer.parseInt(m.group(2));
    }

    /**
     * SIGKILL, and waits until the process is gone. On Linux the JDK's forcible destroy is
     * kill(pid, SIGKILL); bin/paddock exec's the JVM, so the pid is the server's own. The exit
     * status proves which signal ended it: 137 is SIGKILL, anything else means the server was
     * already gone (it crashed or stopped by itself) before the kill.
     */
    int kill(Duration deadline) throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS),
                () -> "pid " + process.pid() + " still running " + deadline + " after SIGKILL\n" + transcript());
        return process.exitValue();
    }

    /**
     * SIGTERM through the handle: Process.destroy() would also close our end of the pipes,
     * losing what the server prints while it stops.
     */
    void terminate() {
        assertTrue(process.toHandle().destroy(), () -> "could not send SIGTERM to pid " + process.pid());
    }

    /** Waits for the exit and the end of both outputs; returns the exit status. */
    int awaitExit(Duration deadline) throws InterruptedException {
        assertTrue(process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS),
                () -> "still running after " + deadline + "\n" + transcript());
        stdout.awaitEnd(deadline);
        stderr.awaitEnd(deadline);
        return process.exitValue();
    }

    /** For @AfterEach: SIGKILL if still running, and wait briefly so no server outlives its test. */
    void destroyAndWait() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String transcript() {
        return "--- stdout (pid " + process.pid() + ")\n" + stdout.text() + "--- stderr\n" + stderr.text();
    }

    /** Drains one output stream on its own thread (a full pipe would block the child) and hands lines over. */
    static final class Lines {
        private static final String END = new String("end of stream"); // compared by identity
        private final StringBuffer text = new StringBuffer();
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Thread reader;

        Lines(InputStream in) {
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        text.append(line).append('\n');
                        lines.add(line);
                    }
                } catch (IOException e) {
                    text.append("(reading failed: ").append(e).append(")\n");
                }
                lines.add(END);
            }, "paddock-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** The first line matching the pattern, or null when none came before the deadline or the end. */
        String awaitLine(Pattern pattern, Duration deadline) throws InterruptedException {
            long end = System.nanoTime() + deadline.toNanos();
            for (long left = deadline.toNanos(); left > 0; left = end - System.nanoTime()) {
                String line = lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == END) {
                    lines.add(END); // later callers see the end too
                    return null;
                }
                if (line != null && pattern.matcher(line).find()) {
                    return line;
                }
            }
            return null;
        }

        void awaitEnd(Duration deadline) throws InterruptedException {
            reader.join(deadline.toMillis());
        }

        String text() {
            return text.toString();
        }
    }
}
