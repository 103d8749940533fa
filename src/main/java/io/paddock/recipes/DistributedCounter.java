package io.paddock.recipes;

import io.paddock.client.CreateOptions;
import io.paddock.client.NodeData;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.RetryPolicy;
import io.paddock.tree.CreateMode;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A long counter kept in one znode and changed by compare-and-set: each change reads the value
 * and its version, then writes with that version, so a write that lost a race fails with
 * BadVersion instead of overwriting.
 *
 * <p>The value is 8 bytes, big-endian (Curator's DistributedAtomicLong format, so either can use
 * the other's counter); a missing node or empty data reads as 0. The node is created, persistent
 * and with its parents, by the first write.
 *
 * <p>Results are truthful: {@code succeeded} is true exactly when this call's write took effect.
 * A write whose answer was lost (ConnectionLoss, OperationTimeout) may or may not have taken
 * effect: then the call throws that exception rather than guess.
 */
public final class DistributedCounter {

    /** Between failed attempts of {@link #add}: short, jittered, bounded waits. */
    public static final RetryPolicy DEFAULT_BACKOFF =
            RetryPolicy.exponentialBackoff(Duration.ofMillis(2), Duration.ofMillis(200), 1_000, Duration.ofSeconds(30));
    public static final int DEFAULT_MAX_ATTEMPTS = 100;

    /** Version of a node that does not exist yet: the write is a create. */
    private static final int ABSENT = -2;

    /**
     * The outcome of a change: whether it took effect, the value it started from and the value after
     * it (the value last seen when it did not take effect), and how many writes it tried.
     */
    public record Outcome(boolean succeeded, long preValue, long postValue, int attempts) {
    }

    private final PaddockClient client;
    private final String path;
    private final RetryPolicy backoff;
    private final int maxAttempts;

    public DistributedCounter(PaddockClient client, String path) {
        this(client, path, DEFAULT_BACKOFF, DEFAULT_MAX_ATTEMPTS);
    }

    /**
     * @param backoff     the pause between attempts that lost a race, and when to give up
     * @param maxAttempts at most this many writes per change (1: try once)
     */
    public DistributedCounter(PaddockClient client, String path, RetryPolicy backoff, int maxAttempts) {
        this.client = Objects.requireNonNull(client, "client");
        this.path = SequentialNodes.validatePath(path);
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
    }

    // ---- the format ---------------------------------------------------------------------------

    public static byte[] encode(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    /** 8 bytes big-endian, or nothing for 0; anything else is not a counter. */
    public static long decode(byte[] data) {
        if (data == null || data.length == 0) {
            return 0L;
        }
        if (data.length != Long.BYTES) {
            throw new IllegalStateException("not a counter: " + data.length + " bytes, expected " + Long.BYTES);
        }
        return ByteBuffer.wrap(data).getLong();
    }

    // ---- operations ---------------------------------------------------------------------------

    /** The value now (0 when the node does not exist). */
    public long get() throws PaddockException, InterruptedException {
        return read().value();
    }

    /**
     * Sets the value to {@code newValue} if it is {@code expected}. The comparison is of values: a
     * write that lost a race to a change that left the value at {@code expected} is tried again
     * (within the attempt bound). On failure {@code postValue} is the value that differed.
     */
    public Outcome compareAndSet(long expected, long newValue) throws PaddockException, InterruptedException {
        int attempts = 0;
        Versioned current = read();
        while (current.value() == expected && attempts < maxAttempts) {
            attempts++;
            if (write(current, newValue)) {
                return new Outcome(true, expected, newValue, attempts);
            }
            current = read();
        }
        return new Outcome(false, current.value(), current.value(), attempts);
    }

    /** add(1). */
    public Outcome increment() throws PaddockException, InterruptedException {
        return add(1L);
    }

    /** add(-1). */
    public Outcome decrement() throws PaddockException, InterruptedException {
        return add(-1L);
    }

    /**
     * Adds {@code delta} by compare-and-set, retrying lost races with the backoff until it
     * succeeds, {@code maxAttempts} writes were tried, or the backoff gives up. Overflow throws
     * ArithmeticException, as Math.addExact does.
     */
    public Outcome add(long delta) throws PaddockException, InterruptedException {
        return change(delta, false);
    }

    /** Sets the value whatever it was, by compare-and-set (an atomic getAndSet: preValue is what it replaced). */
    public Outcome trySet(long newValue) throws PaddockException, InterruptedException {
        return change(newValue, true);
    }

    /** Sets the value unconditionally (version -1), creating the node if needed. */
    public void forceSet(long newValue) throws PaddockException, InterruptedException {
        try {
            client.setData(path, encode(newValue), PaddockClient.ANY_VERSION);
        } catch (PaddockException.NoNodeException e) {
            try {
                client.create(path, encode(newValue), CreateOptions.of(CreateMode.PERSISTENT).withParents());
            } catch (PaddockException.NodeExistsException raced) {
                client.setData(path, encode(newValue), PaddockClient.ANY_VERSION);
            }
        }
    }

    public String path() {
        return path;
    }

    private Outcome change(long operand, boolean replace) throws PaddockException, InterruptedException {
        long start = System.nanoTime();
        Versioned current = read();
        for (int attempt = 1; ; attempt++) {
            long next = replace ? operand : Math.addExact(current.value(), operand);
            if (write(current, next)) {
                return new Outcome(true, current.value(), next, attempt);
            }
            if (attempt >= maxAttempts) {
                Versioned last = read();
                return new Outcome(false, last.value(), last.value(), attempt);
            }
            Optional<Duration> delay = backoff.delayBeforeRetry(attempt, Duration.ofNanos(System.nanoTime() - start));
            if (delay.isEmpty()) {
                Versioned last = read();
                return new Outcome(false, last.value(), last.value(), attempt);
            }
            TimeUnit.NANOSECONDS.sleep(delay.get().toNanos());
            current = read();
        }
    }

    /** A value with the version it was read at ({@link #ABSENT}: no node). */
    private record Versioned(long value, int version) {
    }

    private Versioned read() throws PaddockException, InterruptedException {
        try {
            NodeData d = client.getData(path);
            return new Versioned(decode(d.data()), d.stat().version());
        } catch (PaddockException.NoNodeException e) {
            return new Versioned(0L, ABSENT);
        }
    }

    /** One conditional write: true when it took effect, false when it lost a race. */
    private boolean write(Versioned seen, long value) throws PaddockException, InterruptedException {
        try {
            if (seen.version() == ABSENT) {
                client.create(path, encode(value), CreateOptions.of(CreateMode.PERSISTENT).withParents());
            } else {
                client.setData(path, encode(value), seen.version());
            }
            return true;
        } catch (PaddockException.BadVersionException | PaddockException.NodeExistsException
                 | PaddockException.NoNodeException e) {
            // Someone changed, created or deleted it since we read.
            return false;
        }
    }
}
