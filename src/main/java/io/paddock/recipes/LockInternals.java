package io.paddock.recipes;

import io.paddock.client.ConnectionState;
import io.paddock.client.ConnectionStateListener;
import io.paddock.client.CreateOptions;
import io.paddock.client.Created;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.RetryPolicy;
import io.paddock.client.WatchEvent;
import io.paddock.client.Watcher;
import io.paddock.tree.CreateMode;
import io.paddock.tree.Stat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The queue machinery shared by {@link DistributedMutex}, {@link DistributedReadWriteLock} and
 * {@link DistributedSemaphore}: create an ephemeral sequential node under the base path, read the
 * queue, ask the {@link LockRule}, watch what it names, repeat; delete the node on release, on
 * timeout and on failure. The rule decides; this class only talks to the server.
 *
 * <p>Each acquisition names its node with a fresh protected prefix ({@link SequentialNodes}) so
 * that a create whose answer was lost (ConnectionLoss: the node may exist) is found again by
 * listing the children rather than created twice; if it was created twice after all (a lost
 * create still in flight), the later copy is deleted as soon as it shows up. A cleanup that cannot
 * reach a server is finished in the background when the connection comes back, so no orphan of a
 * live session keeps blocking the queue.
 */
final class LockInternals {

    /** Retries of the lock's own writes (create, delete) when their outcome is unknown. */
    static final RetryPolicy DEFAULT_RETRY =
            RetryPolicy.exponentialBackoff(Duration.ofMillis(50), Duration.ofSeconds(2), 10, Duration.ofSeconds(60));

    /** Creating the base path's containers races with the server deleting an empty container. */
    private static final int MAX_PARENT_ATTEMPTS = 10;
    /** Background cleanups of one node before giving up (the session's end removes it anyway). */
    private static final int MAX_SWEEPS = 5;
    private static final byte[] EMPTY = new byte[0];

    private final PaddockClient client;
    private final String basePath;
    private final String marker;
    private final List<String> queueMarkers;
    private final LockRule rule;
    private final RetryPolicy retryPolicy;

    /**
     * @param marker       what this kind of contender puts before the sequence ("lock-", "read-" …)
     * @param queueMarkers the markers of every node that forms the queue (this one included)
     */
    LockInternals(PaddockClient client, String basePath, String marker, List<String> queueMarkers, LockRule rule,
                  RetryPolicy retryPolicy) {
        this.client = Objects.requireNonNull(client, "client");
        this.basePath = SequentialNodes.validatePath(basePath);
        this.marker = marker;
        this.queueMarkers = List.copyOf(queueMarkers);
        this.rule = rule;
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        if (!this.queueMarkers.contains(marker)) {
            throw new IllegalArgumentException("the queue markers " + queueMarkers + " lack " + marker);
        }
    }

    PaddockClient client() {
        return client;
    }

    String basePath() {
        return basePath;
    }

    /** The queue now: the base path's contender nodes in sequence order (empty when there is no base path). */
    List<String> queue() throws PaddockException, InterruptedException {
        try {
            return SequentialNodes.queue(client.getChildren(basePath), queueMarkers);
        } catch (PaddockException.NoNodeException e) {
            return List.of();
        }
    }

    /** Our node: its name and the czxid that is its fencing token. */
    private record Own(String name, long czxid, long sessionId) {
    }

    /**
     * Queues and waits until the rule grants, or until {@code deadlineNanos} (of System.nanoTime)
     * when {@code timed}. Returns null on timeout; the node is gone then, as after any exception.
     *
     * @param grantedOutright checked in the acquiring thread once its node exists: true grants at
     *                        once (a thread that holds the write lock may take the read lock)
     */
    LockLease acquire(boolean timed, long deadlineNanos, BooleanSupplier grantedOutright)
            throws PaddockException, InterruptedException {
        String prefix = SequentialNodes.protectedPrefix(UUID.randomUUID().toString());
        long firstMissNanos = 0L;
        int misses = 0;
        Wakeup wakeup = new Wakeup();
        client.addConnectionStateListener(wakeup);
        boolean done = false;
        try {
            while (true) {
                Own own = createOwn(prefix, timed, deadlineNanos);
                if (own == null) {
                    return null;
                }
                Own held = await(own, prefix, timed, deadlineNanos, grantedOutright, wakeup);
                if (held == MISSING) {
                    // The node went while we waited: our session expired (the client has a new one)
                    // or someone deleted it. Queue again, at the back, as Curator does.
                    // The retry policy bounds these losses from the first one, not from the start of a
                    // wait that may rightly have lasted hours.
                    if (misses++ == 0) {
                        firstMissNanos = System.nanoTime();
                    }
                    if (!pause(misses, firstMissNanos, timed, deadlineNanos)) {
                        if (timed && System.nanoTime() - deadlineNanos >= 0) {
                            return null;
                        }
                        throw new PaddockException.NoNodeException(basePath,
                                "the lock node of " + basePath + " vanished while waiting (session expired?) " + misses + " times");
                    }
                    continue;
                }
                if (held != null) {
                    done = true;
                    return new LockLease(SequentialNodes.childPath(basePath, held.name()), held.czxid(), held.sessionId());
                }
                return null;
            }
        } finally {
            client.removeConnectionStateListener(wakeup);
            if (!done) {
                removeOwned(prefix);
            }
        }
    }

    /** Deletes a lease's node, retrying while its fate is unknown; a node already gone is fine. */
    void release(LockLease lease) throws PaddockException, InterruptedException {
        long start = System.nanoTime();
        int retries = 0;
        while (true) {
            try {
                client.delete(lease.path(), PaddockClient.ANY_VERSION);
                return;
            } catch (PaddockException.NoNodeException e) {
                return;
            } catch (PaddockException.SessionExpiredException e) {
                // The session that owned it has ended, and its ephemerals with it.
                return;
            } catch (PaddockException.ConnectionLossException | PaddockException.OperationTimeoutException e) {
                retries++;
                if (!pause(retries, start, false, 0L)) {
                    sweepWhenReconnected(SequentialNodes.nameOf(lease.path()), 1);
                    throw e;
                }
            }
        }
    }

    // ---- creating our node ------------------------------------------------------------------

    private Own createOwn(String prefix, boolean timed, long deadlineNanos)
            throws PaddockException, InterruptedException {
        long start = System.nanoTime();
        String path = SequentialNodes.childPath(basePath, prefix + marker);
        int retries = 0;
        int parentAttempts = 0;
        while (true) {
            PaddockException unknown;
            try {
                Created c = client.create(path, EMPTY, CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL));
                return new Own(SequentialNodes.nameOf(c.path()), c.stat().czxid(), c.stat().ephemeralOwner());
            } catch (PaddockException.NoNodeException e) {
                if (++parentAttempts > MAX_PARENT_ATTEMPTS) {
                    throw e;
                }
                ensureContainers();
                continue;
            } catch (PaddockException.ConnectionLossException | PaddockException.OperationTimeoutException
                     | PaddockException.SessionExpiredException e) {
                unknown = e;
            }
            // The create may have happened: look for the node by our prefix before trying again.
            // If even the look fails, the next create may make a second node: the wait loop keeps
            // the earlier one and deletes the other.
            // A session that ended took the node with it; the look then fails the same way.
            Own found;
            try {
                found = findOwn(prefix);
            } catch (PaddockException.ConnectionLossException | PaddockException.OperationTimeoutException
                     | PaddockException.SessionExpiredException e) {
                found = null;
            }
            if (found != null) {
                return found;
            }
            retries++;
            if (!pause(retries, start, timed, deadlineNanos)) {
                if (timed && System.nanoTime() - deadlineNanos >= 0) {
                    return null;
                }
                throw unknown;
            }
        }
    }

    /** The first queued node with our prefix, with its czxid; null when there is none. */
    private Own findOwn(String prefix) throws PaddockException, InterruptedException {
        for (String name : SequentialNodes.ownedBy(queue(), prefix)) {
            Own own = adopt(name);
            if (own != null) {
                return own;
            }
        }
        return null;
    }

    /** Our node of that name with its czxid, or null when it is gone. */
    private Own adopt(String name) throws PaddockException, InterruptedException {
        long session = client.sessionId();
        Optional<Stat> stat = client.exists(SequentialNodes.childPath(basePath, name));
        if (stat.isEmpty()) {
            return null;
        }
        return new Own(name, stat.get().czxid(), stat.get().ephemeralOwner() != 0 ? stat.get().ephemeralOwner() : session);
    }

    /** Creates the base path and any missing ancestor as containers, which the server removes once empty. */
    private void ensureContainers() throws PaddockException, InterruptedException {
        List<String> chain = SequentialNodes.pathAndAncestors(basePath);
        for (int attempt = 1; ; attempt++) {
            try {
                for (String p : chain) {
                    try {
                        client.create(p, EMPTY, CreateOptions.of(CreateMode.CONTAINER));
                    } catch (PaddockException.NodeExistsException e) {
                        // there already, as a container or not
                    }
                }
                return;
            } catch (PaddockException.NoNodeException e) {
                // An ancestor container was emptied and removed between our creates: start again.
                if (attempt >= MAX_PARENT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    // ---- waiting ------------------------------------------------------------------------------

    /** The answer of {@link #await} when our node is no longer queued. */
    private static final Own MISSING = new Own("", -1L, -1L);

    /**
     * Our node once it holds; null at the deadline; {@link #MISSING} when it vanished, which
     * includes a look answered SessionExpired: the session that owned the node has ended, and the
     * client opens another (the server may say so before the client has noticed by itself).
     */
    private Own await(Own own, String prefix, boolean timed, long deadlineNanos, BooleanSupplier grantedOutright,
                      Wakeup wakeup) throws PaddockException, InterruptedException {
        try {
            return awaitOnSession(own, prefix, timed, deadlineNanos, grantedOutright, wakeup);
        } catch (PaddockException.SessionExpiredException e) {
            return MISSING;
        }
    }

    private Own awaitOnSession(Own own, String prefix, boolean timed, long deadlineNanos,
                               BooleanSupplier grantedOutright, Wakeup wakeup)
            throws PaddockException, InterruptedException {
        while (true) {
            long seen = wakeup.count();
            List<String> queue = new ArrayList<>(queue());
            List<String> mine = SequentialNodes.ownedBy(queue, prefix);
            if (mine.isEmpty()) {
                return MISSING;
            }
            if (!mine.get(0).equals(own.name())) {
                // An earlier copy of a create whose answer was lost: it is our place in the queue.
                Own earlier = adopt(mine.get(0));
                if (earlier == null) {
                    continue;
                }
                own = earlier;
            }
            List<String> extras = mine.subList(1, mine.size());
            for (String extra : extras) {
                deleteQuietly(extra);
            }
            queue.removeAll(extras);
            if (grantedOutright.getAsBoolean()) {
                return own;
            }
            LockRule.Decision decision = rule.decide(queue, own.name());
            if (decision instanceof LockRule.Acquired) {
                return own;
            }
            if (decision instanceof LockRule.Missing) {
                return MISSING;
            }
            LockRule.WaitFor waitFor = (LockRule.WaitFor) decision;
            boolean gone = false;
            for (String node : waitFor.nodes()) {
                try {
                    // getData rather than exists: a node already gone leaves no watch behind.
                    client.getData(SequentialNodes.childPath(basePath, node), wakeup);
                } catch (PaddockException.NoNodeException e) {
                    gone = true;
                    break;
                }
            }
            if (gone) {
                continue;
            }
            if (timed && System.nanoTime() - deadlineNanos >= 0) {
                return null;
            }
            if (!wakeup.awaitAfter(seen, timed, deadlineNanos)) {
                return null;
            }
        }
    }

    /**
     * Wakes the acquiring thread on any watch event of its predecessors and on the session's loss
     * (the watches die with it). Watches of earlier rounds may still fire later: they only cause
     * one more look at the queue.
     */
    private static final class Wakeup implements Watcher, ConnectionStateListener {
        private long count;

        synchronized long count() {
            return count;
        }

        private synchronized void wake() {
            count++;
            notifyAll();
        }

        @Override
        public void process(WatchEvent event) {
            wake();
        }

        @Override
        public void stateChanged(PaddockClient client, ConnectionState newState) {
            if (newState == ConnectionState.LOST || newState == ConnectionState.RECONNECTED) {
                wake();
            }
        }

        /** Waits until woken after {@code seen}; false when the deadline came first. */
        synchronized boolean awaitAfter(long seen, boolean timed, long deadlineNanos) throws InterruptedException {
            while (count == seen) {
                if (!timed) {
                    wait();
                } else {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            }
            return true;
        }
    }

    // ---- retries and cleanup --------------------------------------------------------------

    /** Sleeps before retry number {@code retry}; false when the policy (or the deadline) says stop. */
    private boolean pause(int retry, long start, boolean timed, long deadlineNanos) throws InterruptedException {
        Optional<Duration> delay = retryPolicy.delayBeforeRetry(retry, Duration.ofNanos(System.nanoTime() - start));
        if (delay.isEmpty()) {
            return false;
        }
        long sleepNanos = delay.get().toNanos();
        if (timed) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            sleepNanos = Math.min(sleepNanos, left);
        }
        TimeUnit.NANOSECONDS.sleep(sleepNanos);
        return true;
    }

    private void deleteQuietly(String name) throws InterruptedException {
        try {
            client.delete(SequentialNodes.childPath(basePath, name), PaddockClient.ANY_VERSION);
        } catch (PaddockException.NoNodeException e) {
            // already gone
        } catch (PaddockException e) {
            sweepWhenReconnected(name, 1);
        }
    }

    /**
     * Deletes every node of an acquisition that did not end holding, even when the acquiring
     * thread was interrupted (the interrupt is kept for the caller); what cannot be deleted now is
     * deleted when the connection comes back.
     */
    private void removeOwned(String prefix) {
        boolean interrupted = Thread.interrupted();
        try {
            for (String name : SequentialNodes.ownedBy(queue(), prefix)) {
                deleteQuietly(name);
            }
        } catch (PaddockException e) {
            sweepWhenReconnected(prefix, 1);
        } catch (InterruptedException e) {
            interrupted = true;
            sweepWhenReconnected(prefix, 1);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Deletes the session's nodes whose names start with {@code prefix} once the client is
     * connected again on the same session (Curator's guaranteed delete). After LOST there is nothing
     * to do: the session's ephemerals went with it. Gives up after {@link #MAX_SWEEPS} attempts, so
     * that a refusal that is not about the connection cannot keep it going.
     */
    private void sweepWhenReconnected(String prefix, int attempt) {
        if (attempt > MAX_SWEEPS) {
            return;
        }
        long session = client.sessionId();
        ConnectionStateListener listener = new ConnectionStateListener() {
            private boolean fired;

            @Override
            public void stateChanged(PaddockClient c, ConnectionState state) {
                synchronized (this) {
                    if (fired) {
                        return;
                    }
                    if (state == ConnectionState.LOST || c.sessionId() != session) {
                        fired = true;
                    } else if (state.isConnected()) {
                        fired = true;
                        sweepAsync(prefix, attempt);
                    } else {
                        return;
                    }
                }
                // Not from inside the client's own listener loop.
                ConnectionStateListener self = this;
                CompletableFuture.runAsync(() -> c.removeConnectionStateListener(self));
            }
        };
        client.addConnectionStateListener(listener);
        if (client.state().isConnected()) {
            // Perhaps back already, before the listener was added.
            listener.stateChanged(client, client.state());
        }
    }

    private CompletionStage<Void> sweepAsync(String prefix, int attempt) {
        return client.getChildrenAsync(basePath, null).thenCompose(children -> {
            List<CompletableFuture<Void>> deletes = new ArrayList<>();
            for (String name : children.names()) {
                if (name.startsWith(prefix)) {
                    deletes.add(client.deleteAsync(SequentialNodes.childPath(basePath, name), PaddockClient.ANY_VERSION)
                            .toCompletableFuture());
                }
            }
            return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new));
        }).exceptionally(failure -> {
            PaddockException e = PaddockClient.asPaddockException(failure);
            if (e instanceof PaddockException.ConnectionLossException
                    || e instanceof PaddockException.OperationTimeoutException) {
                sweepWhenReconnected(prefix, attempt + 1);
            }
            return null;
        });
    }
}
