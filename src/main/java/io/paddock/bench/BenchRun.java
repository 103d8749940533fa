package io.paddock.bench;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One run: {@code clients} closed-loop clients for warm-up plus duration, client i against
 * URL i mod n (the workload picks its server the same way), their histograms and error counts
 * merged into one {@link RunResult}.
 */
final class BenchRun {

    /** Time for every client thread to start before the clock starts, so all begin together. */
    private static final long START_DELAY_NS = 100_000_000L;

    private BenchRun() {
    }

    /**
     * Runs the workload with {@code clients} clients and returns what was measured; errors of
     * single requests are counted, and the first of each kind is printed on {@code progress}.
     */
    static RunResult run(Workload workload, BenchOptions options, int clients, PrintStream progress)
            throws InterruptedException {
        List<HttpClient> httpClients = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            httpClients.add(BenchHttp.newClient());
        }
        // The clock starts once the clients exist, so a slow start of many clients eats no measured time.
        long startNs = System.nanoTime() + START_DELAY_NS;
        long measureFromNs = startNs + options.warmup().toNanos();
        BenchClient.Window window = new BenchClient.Window(measureFromNs, measureFromNs + options.duration().toNanos());

        List<BenchClient> benchClients = new ArrayList<>(clients);
        List<Thread> threads = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            BenchClient client = new BenchClient(httpClients.get(i), workload.requests(i, clients),
                    options.outstanding(), window);
            benchClients.add(client);
            Thread thread = new Thread(() -> {
                waitUntil(startNs);
                client.run();
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

        Histogram merged = BenchClient.newHistogram();
        Map<String, Long> errors = new TreeMap<>();
        Map<String, String> firstErrors = new TreeMap<>();
        for (BenchClient client : benchClients) {
            merged.add(client.latencyUs());
            client.errorsByStatus().forEach((cause, n) -> errors.merge(cause, n, Long::sum));
            client.firstErrors().forEach(firstErrors::putIfAbsent);
        }
        firstErrors.forEach((cause, message) -> progress.println("  first error (" + cause + "): " + message));
        return RunResult.of(workload.name(), clients, options.urls().size(), options.outstanding(), options.valueSize(), options.keys(),
                options.duration().toMillis(), merged, errors);
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
