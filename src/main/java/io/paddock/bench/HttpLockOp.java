package io.paddock.bench;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.recipes.DistributedMutex;

/**
 * One contender of the lock workload over the HTTP API: a {@link PaddockClient} (one session)
 * and the {@link DistributedMutex} recipe on the lock's path. An op is acquire, the critical
 * section ({@link LockGuard}) and release, on the client's thread (the mutex is per thread).
 * A refusal counts under ZooKeeper's error name, and the loop goes on: the client recovers its
 * session by itself.
 */
final class HttpLockOp implements LoopClient.Op {

    private final PaddockClient client;
    private final DistributedMutex mutex;
    private final LockGuard guard;
    private boolean closed;

    HttpLockOp(PaddockClient client, String lockPath, LockGuard guard) {
        this.client = client;
        this.mutex = new DistributedMutex(client, lockPath);
        this.guard = guard;
    }

    @Override
    public void run(long n, ClientTally tally) throws OpFailure, InterruptedException {
        if (n == 0) {
            tally.count(LockGuard.OVERLAPS, 0); // so that the result shows zero overlaps, not none
        }
        try {
            mutex.acquire();
        } catch (PaddockException e) {
            throw new OpFailure(e.code().codeName(), "acquire " + mutex.path() + " through " + client.currentServer()
                    + ": " + e.getMessage(), false);
        }
        try {
            guard.hold(tally);
        } finally {
            try {
                mutex.release();
            } catch (PaddockException e) {
                // The recipe finishes a failed release in the background; the op still failed.
                throw new OpFailure(e.code().codeName(), "release " + mutex.path() + ": " + e.getMessage(), false);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            client.close();
        }
    }
}
