package io.paddock.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How tests start {@code bin/paddock} against this build's output (Surefire passes
 * paddock.buildDir; the build copies the runtime jars before the tests), and one finished run
 * of it: exit status, stdout, stderr.
 */
record PaddockCli(int status, String out, String err) {

    static Path repo() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    static String buildDir() {
        return System.getProperty("paddock.buildDir", repo().resolve("target").toString());
    }

    static Path script() {
        return repo().resolve("bin/paddock");
    }

    /** Runs {@code bin/paddock cli args…} with {@code stdin} as its input and waits for its end. */
    static PaddockCli run(String stdin, Duration deadline, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(script().toString());
        command.add("cli");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PADDOCK_BUILD_DIR", buildDir());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("PADDOCK_CONF_DIR");
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread o = drain(p.getInputStream(), out);
        Thread e = drain(p.getErrorStream(), err);
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        boolean ended = p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        o.join(deadline.toMillis());
        e.join(deadline.toMillis());
        String outText = out.toString(StandardCharsets.UTF_8);
        String errText = err.toString(StandardCharsets.UTF_8);
        assertTrue(ended, () -> "paddock cli " + String.join(" ", args) + " still running after " + deadline
                + "\nstdout:\n" + outText + "\nstderr:\n" + errText);
        return new PaddockCli(p.exitValue(), outText, errText);
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream to) {
        Thread t = new Thread(() -> {
            try (in) {
                in.transferTo(to);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "paddock-cli-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public String toString() {
        return "status " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
