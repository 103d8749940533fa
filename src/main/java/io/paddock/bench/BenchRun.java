package io.paddock.bench;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One run: {@code clients} closed-loop clients for warm-up plus duration, client i against
 * server i mod n (the workload picks its server), their histograms and error counts merged into
 * one {@link RunResult}. The protocol is the workload's business: it makes the clients.
 */
final class BenchRun {

    /** Time for every client thread to start before the clock starts, so all begin together. */
    private static final long START_DELAY_NS = 100_000_000L;

    /**
     * One benchmark client of a run, made (its connection or session open) before the clock
     * starts; it runs on a thread of its own.
     */
    interface Client {

        /**
         * Sends requests until the window of {@code tally} ends, keeping at most the run's
         * outstanding requests in flight and recording every answer in {@code tally}; returns
         * once the last answer is in (and, where the protocol has one, the session is closed).
         * An interrupt ends it early.
         */
        void run(ClientTally tally);

        /** Releases what the client holds; safe to call again, and on a client that never ran. */
        void close();
    }

    private BenchRun() {
    }

    /**
     * Runs the workload with {@code clients} clients and returns what was measured; errors of
     * single requests are counted, and the first of each kind is printed on {@code progress}.
     *
     * @throws BenchException a client could not be made (its server does not answer)
     */
    static RunResult run(Workload workload, BenchOptions options, int clients, PrintStream progress)
            throws BenchException, InterruptedException {
        return run(workload, options, clients, clients, progress);
    }

    /** As above, the clients sharing {@code connections} connections (http) or sessions (zk). */
    static RunResult run(Workload workload, BenchOptions options, int clients, int connections, PrintStream progress)
            throws BenchException, InterruptedException {
        List<Client> made = new ArrayList<>(clients);
        try {
            workload.newClients(clients, connections, options.outstanding(), made);
            return measure(workload, options, clients, connections, made, progress);
        } finally {
            made.forEach(Client::close);
        }
    }

    private static RunResult measure(Workload workload, BenchOptions options, int clientCount, int connections,
            List<Client> clients, PrintStream progress) throws InterruptedException {
        // The clock starts once the clients exist, so a slow start of many clients eats no measured time.
        long startNs = System.nanoTime() + START_DELAY_NS;
        long measureFromNs = startNs + options.warmup().toNanos();
        ClientTally.Window window = new ClientTally.Window(measureFromNs, measureFromNs + options.duration().toNanos());

        List<ClientTally> tallies = new ArrayList<>(clients.size());
        List<Thread> threads = new ArrayList<>(clients.size());
        for (int i = 0; i < clients.size(); i++) {
            Client client = clients.get(i);
            ClientTally tally = new ClientTally(window);
            tallies.add(tally);
            Thread thread = new Thread(() -> {
                waitUntil(startNs);
                if (!Thread.currentThread().isInterrupted()) {
                    client.run(tally);
                }
            }, "bench-client-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            throw e;
        }

        Histogram merged = ClientTally.newHistogram();
        Map<String, Long> errors = new TreeMap<>();
        Map<String, String> firstErrors = new TreeMap<>();
        Map<String, Long> counters = new TreeMap<>();
        Map<String, Histogram> extras = new TreeMap<>();
        for (ClientTally tally : tallies) {
            merged.add(tally.latencyUs());
            tally.errorsByCause().forEach((cause, n) -> errors.merge(cause, n, Long::sum));
            tally.firstErrors().forEach(firstErrors::putIfAbsent);
            tally.counters().forEach((name, n) -> counters.merge(name, n, Long::sum));
            tally.extraLatencyUs().forEach((name, h) -> extras.computeIfAbsent(name, n -> ClientTally.newHistogram()).add(h));
        }
        firstErrors.forEach((cause, message) -> progress.println("  first error (" + cause + "): " + message));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("connections", connections);
        details.put("keySize", options.keySize());
        details.put("target", options.target().optionName());
        if (options.workload() == WorkloadKind.WATCH) {
            details.put("watchers", clientCount);
        }
        details.putAll(counters);
        extras.forEach((name, h) -> details.putAll(RunResult.percentiles(name, h)));
        boolean multiplexed = options.workload().keyed() || options.workload() == WorkloadKind.CREATE;
        return RunResult.of(workload.name(), options.protocol().optionName(), options.readRatio(), clientCount,
                options.serverCount(), multiplexed ? options.outstanding() : 1,
                options.workload() == WorkloadKind.LOCK ? 0 : options.valueSize(), options.keysUsed(),
                options.duration().toMillis(), merged, errors, details);
    }

    /** Sleeps to a System.nanoTime() instant; an interrupt ends the wait early, and the client then ends at once. */
    private static void waitUntil(long ns) {
        long left;
        while ((left = ns - System.nanoTime()) > 0) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
