package io.paddock;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A Paddock ensemble of real {@code bin/paddock server} processes on 127.0.0.1, for end-to-end
 * tests: each server has its own dataDir (with myid), free ports, and the same server.N lines.
 * Servers can be killed (SIGKILL), frozen (SIGSTOP) and thawed (SIGCONT), and restarted on the
 * same dataDir and ports.
 */
public final class EnsembleProcesses implements AutoCloseable {

    /** Generous: several JVMs start at once, on a machine other builds share. */
    private static final Duration START_DEADLINE = Duration.ofSeconds(180);

    private final Path base;
    private final Map<Long, Integer> peerPorts = new TreeMap<>();
    private final Map<Long, Boolean> observers = new TreeMap<>();
    private final Map<Long, PaddockProcess> processes = new TreeMap<>();
    private final Map<Long, PaddockHttp> clients = new TreeMap<>();
    private final List<String> extraConfig;
    private final int tickTime;

    /**
     * @param extraConfig further paddock.cfg lines for every server (e.g. "snapCount=50")
     */
    public EnsembleProcesses(Path base, int participants, int observerCount, int tickTime, List<String> extraConfig) {
        this.base = base;
        this.tickTime = tickTime;
        this.extraConfig = List.copyOf(extraConfig);
        for (long id = 1; id <= participants + observerCount; id++) {
            peerPorts.put(id, freePort());
            observers.put(id, id > participants);
        }
    }

    public List<Long> ids() {
        return new ArrayList<>(peerPorts.keySet());
    }

    public int tickTime() {
        return tickTime;
    }

    public Path dataDir(long id) {
        return base.resolve("server-" + id).resolve("data");
    }

    /** Starts every server and waits until each has bound its HTTP API. */
    public void startAll() throws IOException, InterruptedException {
        for (long id : ids()) {
            launch(id);
        }
        for (long id : ids()) {
            awaitBound(id);
        }
    }

    /** (Re)starts one server on its dataDir and ports, and waits until its HTTP API is bound. */
    public void start(long id) throws IOException, InterruptedException {
        launch(id);
        awaitBound(id);
    }

    private void launch(long id) throws IOException {
        Path dir = base.resolve("server-" + id);
        Files.createDirectories(dataDir(id));
        Files.writeString(dataDir(id).resolve("myid"), id + "\n");
        List<String> lines = new ArrayList<>(List.of(
                "tickTime=" + tickTime, "initLimit=10", "syncLimit=5",
                "dataDir=" + dataDir(id), "clientPort=0", "clientPortAddress=127.0.0.1", "httpPort=0"));
        lines.addAll(extraConfig);
        peerPorts.forEach((sid, port) -> lines.add("server." + sid + "=127.0.0.1:" + port + ":" + freePort()
                + (observers.get(sid) ? ":observer" : "")));
        Path cfg = dir.resolve("paddock.cfg");
        Files.write(cfg, lines);
        processes.put(id, PaddockProcess.start(dir, "server", cfg.toString()));
    }

    private void awaitBound(long id) throws InterruptedException {
        PaddockProcess p = processes.get(id);
        clients.put(id, new PaddockHttp(p.awaitHttpPort(START_DEADLINE)));
    }

    /** The HTTP port server {@code id} listens on (since its last start). */
    public int httpPort(long id) {
        return clients.get(id).port();
    }

    public PaddockHttp http(long id) {
        return clients.get(id);
    }

    public PaddockProcess process(long id) {
        return processes.get(id);
    }

    public boolean isRunning(long id) {
        PaddockProcess p = processes.get(id);
        return p != null && p.process().isAlive();
    }

    /** SIGKILL: the process dies at once, keeping only what it forced to disk. */
    public void kill(long id) throws InterruptedException {
        processes.get(id).kill(Duration.ofSeconds(30));
    }

    /** SIGSTOP: frozen, as a long GC pause or a partition looks to the others. */
    public void freeze(long id) throws IOException, InterruptedException {
        signal(id, "STOP");
    }

    /** SIGCONT: resumes a frozen server where it stopped. */
    public void thaw(long id) throws IOException, InterruptedException {
        signal(id, "CONT");
    }

    private void signal(long id, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(processes.get(id).process().pid()))
                .redirectErrorStream(true).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " failed");
    }

    /** GET /v1/status of one server, or null when it does not answer. */
    public JsonNode status(long id) {
        try {
            return clients.get(id).call("GET", "/v1/status", null);
        } catch (IOException | AssertionError e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Waits until one running server leads and serves, and every other running server among
     * {@code among} follows (or observes) it and serves; returns the leader's id.
     */
    public long awaitLeader(Duration deadline, List<Long> among) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            Map<Long, String> seen = new TreeMap<>();
            long leader = -1;
            boolean allServing = true;
            for (long id : among) {
                JsonNode s = isRunning(id) ? status(id) : null;
                if (s == null) {
                    allServing = false;
                    seen.put(id, "no answer");
                    continue;
                }
                JsonNode e = s.path("ensemble");
                seen.put(id, s.path("mode").asText() + "/leader " + e.path("leaderId").asText() + "/serving "
                        + e.path("serving").asText());
                allServing &= e.path("serving").asBoolean(false);
                if ("leader".equals(s.path("mode").asText())) {
                    leader = id;
                }
            }
            if (allServing && leader > 0) {
                long l = leader;
                boolean agree = among.stream().allMatch(id -> seen.get(id).contains("/leader " + l + "/"));
                if (agree) {
                    return leader;
                }
            }
            last = seen.toString();
            Thread.sleep(50); // polling a condition with a deadline
        }
        fail("no leader served all of " + among + " within " + deadline + "; last seen: " + last + "\n" + transcripts());
        return -1;
    }

    public String transcripts() {
        StringBuilder b = new StringBuilder();
        processes.forEach((id, p) -> b.append("=== server ").append(id).append('\n').append(tail(p.transcript(), 6000)));
        return b.toString();
    }

    private static String tail(String s, int chars) {
        return s.length() <= chars ? s : "…" + s.substring(s.length() - chars);
    }

    @Override
    public void close() {
        for (long id : processes.keySet()) {
            try {
                if (isRunning(id)) {
                    signal(id, "CONT");
                }
            } catch (IOException | InterruptedException | AssertionError ignored) {
                // best effort: it is killed next anyway
            }
            processes.get(id).destroyAndWait();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
