package io.paddock.recipes;

import io.paddock.client.PaddockClient;
import io.paddock.client.RetryPolicy;

import java.util.List;

/**
 * Shared reading, exclusive writing, as Curator's InterProcessReadWriteLock: readers and writers
 * queue in one line under the path ({@code _c_<guid>-read-<seq>}, {@code _c_<guid>-write-<seq>});
 * a reader waits only for the writers ahead of it (watching the last of them), a writer waits for
 * every node ahead of it (watching the one right before it). Writers are therefore not starved by
 * a stream of readers: a reader that queues after a writer waits for it.
 *
 * <p>Each side is a {@link DistributedMutex}: re-entrant per thread, with its own lease and
 * fencing token (the czxid of its node; a writer's token is larger than that of every reader and
 * writer that held before it). A thread that holds the write lock may take the read lock too
 * (downgrading: take read, then release write). The opposite, taking the write lock while holding
 * only the read lock, would wait for itself and is refused with an IllegalStateException.
 */
public final class DistributedReadWriteLock {

    public static final String READ_MARKER = "read-";
    public static final String WRITE_MARKER = "write-";
    private static final List<String> MARKERS = List.of(READ_MARKER, WRITE_MARKER);

    private final DistributedMutex readLock;
    private final DistributedMutex writeLock;

    public DistributedReadWriteLock(PaddockClient client, String path) {
        this(client, path, LockInternals.DEFAULT_RETRY);
    }

    public DistributedReadWriteLock(PaddockClient client, String path, RetryPolicy retryPolicy) {
        LockInternals write = new LockInternals(client, path, WRITE_MARKER, MARKERS, LockRule.exclusive(), retryPolicy);
        LockInternals read = new LockInternals(client, path, READ_MARKER, MARKERS, LockRule.reader(WRITE_MARKER),
                retryPolicy);
        // The checks read the fields only when a thread acquires, after construction.
        this.writeLock = new DistributedMutex(write, () -> false, this::holdsOnlyTheReadLock);
        this.readLock = new DistributedMutex(read, this::holdsTheWriteLock, () -> false);
    }

    private boolean holdsTheWriteLock() {
        return writeLock.isHeldByCurrentThread();
    }

    private boolean holdsOnlyTheReadLock() {
        return readLock.isHeldByCurrentThread() && !writeLock.isHeldByCurrentThread();
    }

    /** The shared side. */
    public DistributedMutex readLock() {
        return readLock;
    }

    /** The exclusive side. */
    public DistributedMutex writeLock() {
        return writeLock;
    }
}
