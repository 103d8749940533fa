package io.paddock.api.zk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.zookeeper.ZooKeeperMain;

/**
 * Runs ZooKeeper's own shell, {@code org.apache.zookeeper.ZooKeeperMain} from the 3.9.5 jar, as a
 * separate JVM against a server, feeding it a script on stdin (one command a line, as a user
 * would type them), and splits what it prints into the commands' output and the watch events
 * it reports. The event thread prints events whenever they come, so they are kept apart from the
 * output: each list on its own is in a fixed order, their interleaving is not.
 */
final class ZkCli {

    /** What the shell printed: command output lines, and the node events it reported, masked. */
    record Transcript(List<String> output, List<String> events, String raw) {
        String outputText() {
            return String.join("\n", output) + "\n";
        }
    }

    private static final Duration RUN_DEADLINE = Duration.ofSeconds(60);
    private static final Pattern ZXID = Pattern.compile("(cZxid|mZxid|pZxid) = 0x[0-9a-f]+");
    private static final Pattern TIME = Pattern.compile("(ctime|mtime) = .*");
    private static final Pattern OWNER = Pattern.compile("ephemeralOwner = 0x0*[1-9a-f][0-9a-f]*");
    private static final Pattern IDENTITY = Pattern.compile("(ip|digest|sasl|x509|super): .*");
    private static final Pattern EVENT_ZXID = Pattern.compile("zxid: -?\\d+");

    private ZkCli() {
    }

    /** Runs the script (ending with quit) against connectString, e.g. "127.0.0.1:2181/app". */
    static Transcript run(String connectString, List<String> script) throws IOException, InterruptedException {
        try {
            Class.forName("org.apache.commons.cli.Options");
        } catch (ClassNotFoundException e) {
            // ZooKeeper's pom declares it "provided"; its shell's commands parse their options with it.
            throw new AssertionError("zkCli needs commons-cli:commons-cli (1.9.0, test scope) on the test classpath");
        }
        // The shell's own logging would mix with its output: switch it off.
        Path quiet = Files.createTempFile("zkcli-logback", ".xml");
        Files.writeString(quiet, "<configuration><root level=\"OFF\"/></configuration>\n");
        // Without JLine (Paddock's own shell brings it): zkCli then reads its script plainly from
        // stdin, as where ZooKeeper's distribution ships without it, with no prompts in between.
        TestJvm jvm = TestJvm.start(List.of("-Dlogback.configurationFile=" + quiet),
                ZooKeeperMain.class, List.of("-server", connectString), entry -> entry.contains("jline"));
        try {
            try (OutputStream stdin = jvm.process().getOutputStream()) {
                stdin.write((String.join("\n", script) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            jvm.awaitExit(RUN_DEADLINE);
            return parse(jvm.output());
        } finally {
            jvm.close();
            Files.deleteIfExists(quiet);
        }
    }

    /**
     * Drops the banner and blank lines, takes "WATCHER::" blocks out as events (node events only:
     * connection-state events depend on timing), and masks what differs between any two runs:
     * zxids, times, session ids.
     */
    static Transcript parse(String raw) {
        List<String> output = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (String line : raw.split("\n", -1)) {
            if (line.isBlank() || line.equals("WATCHER::") || line.startsWith("Connecting to ")
                    || line.equals("Welcome to ZooKeeper!") || line.startsWith("JLine support is")) {
                continue;
            }
            if (line.startsWith("WatchedEvent ")) {
                if (!line.contains("type:None")) {
                    events.add(EVENT_ZXID.matcher(line).replaceAll("zxid: Z"));
                }
                continue;
            }
            String masked = ZXID.matcher(line).replaceAll("$1 = 0xZ");
            masked = TIME.matcher(masked).replaceAll("$1 = T");
            masked = OWNER.matcher(masked).replaceAll("ephemeralOwner = 0xSESSION");
            output.add(masked);
        }
        return new Transcript(sortIdentities(output), events, raw);
    }

    /**
     * whoami lists a session's identities in the server's set order (ZooKeeper's is a hash
     * set's), which is no promise: each run of "scheme: user" lines is sorted.
     */
    private static List<String> sortIdentities(List<String> lines) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            if (!IDENTITY.matcher(lines.get(i)).matches()) {
                out.add(lines.get(i++));
                continue;
            }
            List<String> run = new ArrayList<>();
            while (i < lines.size() && IDENTITY.matcher(lines.get(i)).matches()) {
                run.add(lines.get(i++));
            }
            run.sort(null);
            out.addAll(run);
        }
        return out;
    }
}
