package io.paddock.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code paddock bench --workload failover}: time to a new leader. Launches an ensemble of real
 * server processes in a temporary folder, waits until one leader serves with every follower
 * serving, then per trial: SIGKILL the leader, time until another server leads and serves with
 * a majority of the ensemble serving under it, start the killed server again on its data and
 * ports, and wait until every server serves again. Every wait polls GET /v1/status of all
 * servers at once, every {@link #POLL_INTERVAL}, and has a deadline.
 *
 * <p>A time is taken when the round of polls that shows the condition has answered, so it is
 * late by up to one round (the interval plus the slowest answer, a few ms on 127.0.0.1) and
 * includes the time the survivors take to answer HTTP.
 */
final class FailoverBench {

    /** What it takes to run servers: the config template and how to start one from its config. */
    record Launch(List<String> template, BenchEnsemble.ServerCommand command, Map<String, String> environment) {
    }

    static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    /** Several JVMs start at once on a machine that may be busy. */
    static final Duration START_DEADLINE = Duration.ofSeconds(180);
    static final Duration ELECTION_DEADLINE = Duration.ofSeconds(120);
    static final Duration REJOIN_DEADLINE = Duration.ofSeconds(180);
    static final int LOG_LINES_SHOWN = 15;

    private FailoverBench() {
    }

    /**
     * Runs every trial, printing each row as it is done, then the median and max and one JSON
     * line; stops every server at the end, on failure and on Ctrl-C. The folder is removed when
     * all went well and kept, with the servers' logs, when not.
     */
    static FailoverResult run(BenchOptions options, Launch launch, PrintStream out, PrintStream progress)
            throws BenchException, InterruptedException {
        int tickTimeMs = options.tickTimeMs() > 0 ? options.tickTimeMs() : templateTick(launch.template());
        Path base;
        BenchEnsemble ensemble;
        try {
            base = Files.createTempDirectory("paddock-failover-").toAbsolutePath();
            ensemble = BenchEnsemble.create(base, options.servers(), options.tickTimeMs(), launch.template(),
                    launch.command(), launch.environment());
        } catch (IOException e) {
            throw new BenchException("cannot prepare the servers' folders: " + e, e);
        }
        // Ctrl-C ends the JVM without reaching the finally below: the hook still stops the servers.
        Thread stopHook = new Thread(ensemble::close, "bench-failover-stop");
        Runtime.getRuntime().addShutdownHook(stopHook);
        boolean done = false;
        try {
            progress.println("paddock bench: failover, " + options.servers() + " servers (tickTime "
                    + (tickTimeMs > 0 ? tickTimeMs + " ms" : "of the template") + "), " + options.trials()
                    + " trial" + (options.trials() == 1 ? "" : "s") + ", in " + base);
            try {
                ensemble.startAll();
            } catch (IOException e) {
                throw new BenchException("cannot start a server with " + launch.command().command(Path.of("<cfg>"))
                        + ": " + e.getMessage(), e);
            }
            List<Long> all = ensemble.ids();
            long leader = awaitAllServing(ensemble, all, START_DEADLINE, "the ensemble to start");
            progress.println("paddock bench: server " + leader + " leads, all " + all.size() + " serve");

            out.println(FailoverResult.tableHeader());
            out.flush();
            List<FailoverResult.Trial> trials = new ArrayList<>();
            for (int trial = 1; trial <= options.trials(); trial++) {
                long killed = leader;
                List<Long> survivors = all.stream().filter(id -> id != killed).toList();
                long killedAtNs = System.nanoTime();
                ensemble.kill(killed);
                long[] took = awaitNewLeader(ensemble, survivors, all.size(), killed, killedAtNs);
                long newLeader = took[0];
                try {
                    ensemble.start(killed);
                } catch (IOException e) {
                    throw new BenchException("cannot start server " + killed + " again: " + e.getMessage(), e);
                }
                long restartedAtNs = System.nanoTime();
                leader = awaitAllServing(ensemble, all, REJOIN_DEADLINE,
                        "server " + killed + " to rejoin after trial " + trial);
                long rejoinedUs = (System.nanoTime() - restartedAtNs) / 1000;
                FailoverResult.Trial t = new FailoverResult.Trial(trial, killed, newLeader, took[1], rejoinedUs);
                trials.add(t);
                out.println(FailoverResult.tableRow(t));
                out.flush();
            }
            FailoverResult result = new FailoverResult(options.servers(), tickTimeMs, trials);
            result.summaryRows().forEach(out::println);
            out.println(result.jsonLine());
            out.flush();
            done = true;
            return result;
        } catch (BenchException e) {
            throw new BenchException(e.getMessage() + "\nThe servers' folders are kept in " + base + "\n"
                    + ensemble.logTails(LOG_LINES_SHOWN), e);
        } finally {
            ensemble.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stopHook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down, and the hook is stopping the servers.
            }
            if (done) {
                deleteTree(base);
            }
        }
    }

    /** {new leader, microseconds since the kill}: waits until a server other than the killed one has taken over. */
    private static long[] awaitNewLeader(BenchEnsemble ensemble, List<Long> survivors, int size, long killed,
                                         long killedAtNs) throws BenchException, InterruptedException {
        long end = killedAtNs + ELECTION_DEADLINE.toNanos();
        EnsembleView last;
        do {
            last = ensemble.poll(survivors);
            long leader = last.servingLeader(size, killed);
            if (leader >= 0) {
                return new long[] {leader, (System.nanoTime() - killedAtNs) / 1000};
            }
            Thread.sleep(POLL_INTERVAL.toMillis()); // polling a condition with a deadline
        } while (System.nanoTime() < end);
        throw new BenchException("no new leader served with a majority within " + ELECTION_DEADLINE.toSeconds()
                + " s of killing server " + killed + "; last seen: " + last);
    }

    /** Waits until every server serves under one leader, and returns it. */
    static long awaitAllServing(BenchEnsemble ensemble, List<Long> all, Duration deadline, String what)
            throws BenchException, InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        EnsembleView last;
        do {
            for (long id : all) {
                if (!ensemble.isRunning(id)) {
                    throw new BenchException("server " + id + " exited while waiting for " + what);
                }
            }
            last = ensemble.poll(all);
            long leader = last.allServing(all);
            if (leader >= 0) {
                return leader;
            }
            Thread.sleep(POLL_INTERVAL.toMillis()); // polling a condition with a deadline
        } while (System.nanoTime() < end);
        throw new BenchException("waited " + deadline.toSeconds() + " s for " + what
                + " (every server serving under one leader); last seen: " + last);
    }

    /** The template's tickTime, or 0 when it does not say or says something unreadable. */
    static int templateTick(List<String> template) {
        try {
            return Integer.parseInt(BenchCommand.readKeyValues(template).getOrDefault("tickTime", "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Only a temporary folder is left behind; the figures are printed already.
        }
    }
}
