package io.paddock.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.paddock.EnsembleLayout;
import io.paddock.EnsembleLayout.Member;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A local ensemble of real server processes for the failover benchmark: the folders and configs
 * that {@code paddock ensemble} writes (computed by {@link EnsembleLayout}), one child process
 * per participant, which can be killed with SIGKILL and started again on the same data and ports,
 * and a round of {@code GET /v1/status} to all of them at once. Thread-safe, as Ctrl-C closes it
 * from a shutdown hook while the benchmark's thread may be using it.
 */
final class BenchEnsemble implements AutoCloseable {

    /** The command line that runs one server from its config file, e.g. {@code bin/paddock server <cfg>}. */
    interface ServerCommand {
        List<String> command(Path configFile);
    }

    /** A status poll that takes longer than this counts as no answer: a busy server is not a serving one. */
    static final Duration STATUS_TIMEOUT = Duration.ofSeconds(1);
    /** How long the servers may take to stop after SIGTERM at the end before they are killed. */
    static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Member> members;
    private final ServerCommand command;
    private final Map<String, String> environment;
    private final Map<Long, Process> processes = new TreeMap<>();
    private final HttpClient http = BenchHttp.newClient();
    private boolean closed;

    private BenchEnsemble(List<Member> members, ServerCommand command, Map<String, String> environment) {
        this.members = members;
        this.command = command;
        this.environment = Map.copyOf(environment);
    }

    /**
     * Writes the folders of {@code servers} participants under {@code baseDir} from the config
     * template (as {@code paddock ensemble} does, with free ports on 127.0.0.1); starts nothing.
     *
     * @param tickTimeMs the servers' tickTime, or 0 for the template's
     */
    static BenchEnsemble create(Path baseDir, int servers, int tickTimeMs, List<String> template,
                                ServerCommand command, Map<String, String> environment) throws IOException {
        List<Member> members = EnsembleLayout.plan(baseDir, servers, 0,
                EnsembleLayout.freePorts(servers * EnsembleLayout.PORTS_PER_SERVER));
        for (Member member : members) {
            Files.createDirectories(member.dataDir());
            Files.writeString(member.myidFile(), member.myid(), StandardCharsets.UTF_8);
            Files.write(member.configFile(), EnsembleLayout.config(template, member, members, tickTimeMs),
                    StandardCharsets.UTF_8);
        }
        return new BenchEnsemble(members, command, environment);
    }

    List<Long> ids() {
        return members.stream().map(Member::id).toList();
    }

    /** Starts a server in its folder, its output appended to its server.log (it keeps that of earlier runs). */
    synchronized void start(long id) throws IOException {
        if (closed) {
            throw new IllegalStateException("the ensemble is stopped");
        }
        Member member = member(id);
        ProcessBuilder pb = new ProcessBuilder(command.command(member.configFile().toAbsolutePath()))
                .directory(member.dir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(member.logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(environment);
        processes.put(id, pb.start());
    }

    void startAll() throws IOException {
        for (long id : ids()) {
            start(id);
        }
    }

    /** SIGKILL: the server dies at once, keeping only what it forced to disk; returns once it is gone. */
    void kill(long id) throws BenchException, InterruptedException {
        Process process;
        synchronized (this) {
            process = processes.get(id);
        }
        process.destroyForcibly();
        if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new BenchException("server " + id + " (pid " + process.pid() + ") outlived SIGKILL for "
                    + KILL_WAIT.toSeconds() + " s");
        }
    }

    synchronized boolean isRunning(long id) {
        Process process = processes.get(id);
        return process != null && process.isAlive();
    }

    /**
     * One round of GET /v1/status, sent to every server of {@code ids} at once; a server that
     * does not answer within {@link #STATUS_TIMEOUT}, or is not running, shows as no answer.
     */
    EnsembleView poll(Collection<Long> ids) throws InterruptedException {
        Map<Long, CompletableFuture<EnsembleView.Server>> asked = new TreeMap<>();
        for (long id : ids) {
            if (!isRunning(id)) {
                asked.put(id, CompletableFuture.completedFuture(EnsembleView.Server.noAnswer(id)));
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(member(id).httpUrl() + "/v1/status"))
                    .timeout(STATUS_TIMEOUT).GET().build();
            asked.put(id, http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .handle((response, failure) -> parse(id, response, failure)));
        }
        Map<Long, EnsembleView.Server> answers = new TreeMap<>();
        for (Map.Entry<Long, CompletableFuture<EnsembleView.Server>> e : asked.entrySet()) {
            try {
                answers.put(e.getKey(), e.getValue().get());
            } catch (java.util.concurrent.ExecutionException ex) {
                answers.put(e.getKey(), EnsembleView.Server.noAnswer(e.getKey()));
            }
        }
        return new EnsembleView(answers);
    }

    private static EnsembleView.Server parse(long id, HttpResponse<String> response, Throwable failure) {
        if (failure != null || response.statusCode() != 200) {
            return EnsembleView.Server.noAnswer(id);
        }
        try {
            return EnsembleView.Server.of(id, JSON.readTree(response.body()));
        } catch (IOException e) {
            return EnsembleView.Server.noAnswer(id);
        }
    }

    /** The end of every server's log, for a failure's message. */
    String logTails(int linesEach) {
        StringBuilder text = new StringBuilder();
        for (Member member : members) {
            text.append("--- server ").append(member.id()).append(": ").append(member.logFile()).append('\n');
            try {
                for (String line : tail(member.logFile(), linesEach)) {
                    text.append("  | ").append(line).append('\n');
                }
            } catch (IOException e) {
                text.append("  (cannot read it: ").append(e).append(")\n");
            }
        }
        return text.toString();
    }

    /**
     * SIGTERM to every running server, then SIGKILL to any still running after
     * {@link #STOP_DEADLINE}. Idempotent; called at the end, on failure and from Ctrl-C's hook.
     */
    @Override
    public void close() {
        List<Process> running;
        synchronized (this) {
            closed = true;
            running = processes.values().stream().filter(Process::isAlive).toList();
        }
        running.forEach(Process::destroy);
        long end = System.nanoTime() + STOP_DEADLINE.toNanos();
        boolean interrupted = false;
        for (Process process : running) {
            try {
                if (!process.waitFor(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                process.destroyForcibly(); // no time left to wait: none may outlive the benchmark
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private Member member(long id) {
        for (Member member : members) {
            if (member.id() == id) {
                return member;
            }
        }
        throw new IllegalArgumentException("no server " + id);
    }


    /** The last lines of a log, read from its last 16 KiB. */
    static List<String> tail(Path file, int maxLines) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        byte[] bytes;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long from = Math.max(0, in.length() - 16 * 1024);
            bytes = new byte[(int) (in.length() - from)];
            in.seek(from);
            in.readFully(bytes);
        }
        List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
        return lines.subList(Math.max(0, lines.size() - maxLines), lines.size());
    }
}
