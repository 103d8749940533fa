package io.paddock.recipes;

import io.paddock.client.PaddockClient;
import io.paddock.client.Watcher;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * A contender in its own JVM, for {@link DistributedMutexProcessTest}. Arguments:
 * {@code kind connectString sessionTimeoutMs lockPath mode ...}.
 *
 * <ul>
 *   <li>{@code count workerId counterPath goPath iterations}: waits for goPath to exist, then
 *       {@code iterations} times takes the lock and, inside, reads the counter and writes it back
 *       plus one with version -1 (so only the lock keeps updates from being lost), printing
 *       {@code CS workerId fencingToken enterEpochNanos exitEpochNanos valueRead} per critical
 *       section; then {@code DONE}.</li>
 *   <li>{@code hold}: takes the lock, prints {@code HOLDING fencingToken sessionTimeoutMs} and
 *       keeps it until killed.</li>
 * </ul>
 */
public final class LockWorkerMain {

    private LockWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        String connect = args[1];
        Duration sessionTimeout = Duration.ofMillis(Long.parseLong(args[2]));
        String lockPath = args[3];
        String mode = args[4];
        PaddockClient client = RecipeServer.connect(kind, connect, sessionTimeout);
        DistributedMutex mutex = new DistributedMutex(client, lockPath);
        switch (mode) {
            case "count" -> count(client, mutex, args[5], args[6], args[7], Integer.parseInt(args[8]));
            case "hold" -> hold(client, mutex);
            default -> throw new IllegalArgumentException("mode " + mode);
        }
    }

    private static void count(PaddockClient client, DistributedMutex mutex, String workerId, String counterPath,
                              String goPath, int iterations) throws Exception {
        System.out.println("READY " + workerId);
        CountDownLatch go = new CountDownLatch(1);
        Watcher onCreate = e -> go.countDown();
        if (client.exists(goPath, onCreate).isPresent()) {
            go.countDown();
        }
        go.await();
        for (int i = 0; i < iterations; i++) {
            LockLease lease = mutex.acquire();
            long enter = epochNanos();
            long value = DistributedCounter.decode(client.getData(counterPath).data());
            client.setData(counterPath, DistributedCounter.encode(value + 1), PaddockClient.ANY_VERSION);
            long exit = epochNanos();
            mutex.release();
            System.out.println("CS " + workerId + " " + lease.fencingToken() + " " + enter + " " + exit + " " + value);
        }
        System.out.println("DONE " + workerId);
        client.close();
    }

    private static void hold(PaddockClient client, DistributedMutex mutex) throws Exception {
        LockLease lease = mutex.acquire();
        System.out.println("HOLDING " + lease.fencingToken() + " " + client.sessionTimeoutMs());
        new CountDownLatch(1).await(); // until SIGKILL
    }

    /** Wall-clock time, comparable between the JVMs of one machine (nanoTime is not). */
    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
