package io.paddock.api.zk;

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

/**
 * A separate JVM running one main class from the test classpath (a "server" of the seed's
 * membership case, or zkCli), with its output drained on a thread (a full pipe would block it)
 * and kept line by line. Stopped with SIGKILL ({@link #kill}) to look like a crashed process.
 */
public final class TestJvm implements AutoCloseable {

    private static final String END = new String("end of output"); // compared by identity

    private final Process process;
    private final StringBuffer text = new StringBuffer();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    private TestJvm(Process process) {
        this.process = process;
        this.reader = new Thread(() -> drain(process.getInputStream()), "test-jvm-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java -cp <this test classpath> mainClass args}, stdout and stderr merged. */
    public static TestJvm start(Class<?> mainClass, List<String> args) throws IOException {
        return start(List.of(), mainClass, args);
    }

    public static TestJvm start(List<String> jvmArgs, Class<?> mainClass, List<String> args) throws IOException {
        return start(jvmArgs, mainClass, args, entry -> false);
    }

    /** As {@link #start(List, Class, List)}, without the classpath entries {@code drop} names. */
    public static TestJvm start(List<String> jvmArgs, Class<?> mainClass, List<String> args,
                                java.util.function.Predicate<String> drop) throws IOException {
        String classpath = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(drop.negate())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1"); // starts faster; these JVMs live for seconds
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass.getName());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        return new TestJvm(pb.start());
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

    public Process process() {
        return process;
    }

    /** The first line starting with the prefix, or null if none came before the deadline or the end. */
    public String awaitLine(String prefix, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        for (long left = deadline.toNanos(); left > 0; left = end - System.nanoTime()) {
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == END) {
                lines.add(END);
                return null;
            }
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
        }
        return null;
    }

    /** Waits for the process to end by itself; returns its exit status. */
    public int awaitExit(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + deadline + "\n" + output());
        }
        reader.join(deadline.toMillis()); // it may still be reading the last lines
        return process.exitValue();
    }

    /** SIGKILL (the JDK's forcible destroy on Linux), and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("pid " + process.pid() + " survived SIGKILL");
        }
    }

    public String output() {
        return text.toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
