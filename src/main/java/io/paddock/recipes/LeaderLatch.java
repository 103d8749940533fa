package io.paddock.recipes;

import io.paddock.client.ConnectionState;
import io.paddock.client.ConnectionStateListener;
import io.paddock.client.CreateOptions;
import io.paddock.client.Created;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.WatchEvent;
import io.paddock.client.Watcher;
import io.paddock.tree.CreateMode;
import io.paddock.tree.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Leader election as Curator's LeaderLatch: every participant creates an EPHEMERAL_SEQUENTIAL
 * node under the latch path holding its id; the lowest leads; every other one watches only the
 * node just before its own ({@link LeaderSelection}). When the leader's process dies its session
 * expires, its node goes, and the next participant's watch fires.
 *
 * <p>Leadership is given up (listeners hear {@code notLeader}) as soon as the connection is
 * SUSPENDED or LOST: while the client cannot reach a server, another participant may already
 * lead. After RECONNECTED on the same session the node is still there and the latch simply
 * checks again; after a new session (LOST) it deletes what is left of its old node and joins
 * again with a new one, at the back of the queue.
 *
 * <p>Node names are protected as Curator's are ({@code _c_<uuid>-latch-<seq>}): when a create's
 * answer is lost the latch finds its node by the prefix instead of creating a second one, and
 * any other node with its prefix (an orphan of a lost answer or of its old session) is deleted.
 */
public final class LeaderLatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaderLatch.class);

    /** How long {@link #close} waits for its node's deletion before leaving it to the session. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

    public enum State { LATENT, STARTED, CLOSED }

    private final PaddockClient client;
    private final String latchPath;
    private final String id;
    private final String prefix;
    private final RecipeWorker worker;
    private final ExecutorService ownNotifier;
    private final SerialExecutor notifier;
    private final List<LeaderLatchListener> listeners = new CopyOnWriteArrayList<>();
    private final ConnectionStateListener connectionListener = this::connectionStateChanged;
    private final Watcher predecessorWatcher = this::predecessorChanged;
    /** Bumped by every connection-state change: a check that started before one must not crown us. */
    private final AtomicLong connectionEpoch = new AtomicLong();

    // Guarded by this: the latch's lifecycle and leadership, read by await and any thread.
    private State state = State.LATENT;
    private volatile boolean leader;

    // Worker thread only.
    private String ourName;
    private long ourSessionId;
    private int failures;

    /** A latch whose listeners run on a thread of its own, in order. */
    public LeaderLatch(PaddockClient client, String latchPath, String id) {
        this(client, latchPath, id, null);
    }

    /**
     * A latch whose listeners run on {@code listenerExecutor} (one at a time, in order, even on a
     * pool), or on a thread of the latch's own when it is null.
     */
    public LeaderLatch(PaddockClient client, String latchPath, String id, Executor listenerExecutor) {
        this.client = Objects.requireNonNull(client, "client");
        this.latchPath = RecipePaths.validate(latchPath);
        this.id = Objects.requireNonNull(id, "id");
        this.prefix = "_c_" + UUID.randomUUID() + "-latch-";
        this.worker = new RecipeWorker("leader-latch-" + id);
        if (listenerExecutor == null) {
            this.ownNotifier = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "leader-latch-events-" + id);
                t.setDaemon(true);
                return t;
            });
            this.notifier = new SerialExecutor(ownNotifier);
        } else {
            this.ownNotifier = null;
            this.notifier = new SerialExecutor(listenerExecutor);
        }
    }

    public void addListener(LeaderLatchListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(LeaderLatchListener listener) {
        listeners.remove(listener);
    }

    /** Joins the election; returns at once (leadership comes later, see {@link #await}). */
    public void start() {
        synchronized (this) {
            if (state != State.LATENT) {
                throw new IllegalStateException("a latch starts once; this one is " + state);
            }
            state = State.STARTED;
        }
        client.addConnectionStateListener(connectionListener);
        worker.execute(this::join);
    }

    /**
     * Leaves the election: deletes its node (so the next participant leads at once rather than
     * after a session timeout) and, if it was leader, tells the listeners notLeader.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            boolean started = state == State.STARTED;
            state = State.CLOSED;
            notifyAll();
            if (!started) {
                shutdownThreads();
                return;
            }
        }
        client.removeConnectionStateListener(connectionListener);
        try {
            worker.call(this::deleteOurNode, CLOSE_TIMEOUT);
        } catch (Exception e) {
            log.warn("latch {} of {}: could not delete its node on close; it goes with the session", latchPath, id, e);
        }
        setLeadership(false);
        shutdownThreads();
    }

    private void shutdownThreads() {
        worker.shutdown(Duration.ofSeconds(1));
        if (ownNotifier != null) {
            ownNotifier.shutdown(); // the queued notLeader still runs
        }
    }

    public synchronized State state() {
        return state;
    }

    /** Whether this participant leads now (false while the connection is suspended). */
    public boolean hasLeadership() {
        return leader;
    }

    /** The id this participant stores in its node. */
    public String id() {
        return id;
    }

    public String latchPath() {
        return latchPath;
    }

    /** Waits until this participant leads; throws IllegalStateException if the latch closes first. */
    public void await() throws InterruptedException {
        synchronized (this) {
            while (state != State.CLOSED && !leader) {
                wait();
            }
            if (!leader) {
                throw new IllegalStateException("the latch closed before it led");
            }
        }
    }

    /** Waits up to {@code timeout} for leadership; whether this participant leads. */
    public boolean await(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            for (long left = timeout.toNanos(); state != State.CLOSED && !leader && left > 0;
                 left = end - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return leader;
        }
    }

    /** The current leader's id as the znodes say it, or empty when nobody participates. */
    public Optional<String> getLeaderId() throws PaddockException, InterruptedException {
        List<Participant> all = participants();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0).id());
    }

    /** Every participant, in election order: the leader first. */
    public List<Participant> participants() throws PaddockException, InterruptedException {
        List<String> names;
        try {
            names = LeaderSelection.ordered(client.getChildren(latchPath));
        } catch (PaddockException.NoNodeException e) {
            return List.of();
        }
        List<Participant> out = new ArrayList<>();
        for (String name : names) {
            try {
                String pid = new String(client.getData(RecipePaths.join(latchPath, name)).data(), StandardCharsets.UTF_8);
                out.add(new Participant(pid, name, out.isEmpty()));
            } catch (PaddockException.NoNodeException gone) {
                // left since the listing: the next one in order leads instead
            }
        }
        return List.copyOf(out);
    }

    // ---- the election, on the worker ----

    private boolean started() {
        synchronized (this) {
            return state == State.STARTED;
        }
    }

    private void join() throws InterruptedException {
        if (!started() || ourName != null) {
            return; // a reconnection queued before start's own join has joined already
        }
        long session = client.sessionId();
        try {
            try {
                Created created = client.create(RecipePaths.join(latchPath, prefix), id.getBytes(StandardCharsets.UTF_8),
                        CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL).withParents());
                ourName = RecipePaths.name(created.path());
            } catch (PaddockException.ConnectionLossException unknown) {
                // The create may have landed: find it by the prefix rather than make a second node.
                ourName = LeaderSelection.findOurs(client.getChildren(latchPath), prefix);
                if (ourName == null) {
                    throw unknown;
                }
            }
        } catch (PaddockException e) {
            retryLater("join", this::join, e);
            return;
        }
        ourSessionId = session;
        failures = 0;
        log.debug("latch {}: {} joined as {}", latchPath, id, ourName);
        checkLeadership();
    }

    private void checkLeadership() throws InterruptedException {
        if (!started() || ourName == null) {
            return;
        }
        long epoch = connectionEpoch.get();
        List<String> children;
        try {
            children = new ArrayList<>(client.getChildren(latchPath));
        } catch (PaddockException.NoNodeException e) {
            children = new ArrayList<>();
        } catch (PaddockException e) {
            retryLater("check", this::checkLeadership, e);
            return;
        }
        for (String orphan : orphans(children)) {
            children.remove(orphan);
            deleteQuietly(RecipePaths.join(latchPath, orphan));
        }
        LeaderSelection.Decision decision = LeaderSelection.decide(children, ourName);
        if (decision instanceof LeaderSelection.Decision.Lead) {
            takeLeadershipUnlessStale(epoch);
        } else if (decision instanceof LeaderSelection.Decision.Watch watch) {
            setLeadership(false);
            try {
                if (client.exists(RecipePaths.join(latchPath, watch.predecessor()), predecessorWatcher).isEmpty()) {
                    worker.execute(this::checkLeadership); // it left before the watch was set
                }
            } catch (PaddockException e) {
                retryLater("watch", this::checkLeadership, e);
                return;
            }
        } else {
            setLeadership(false);
            log.info("latch {}: the node of {} is gone; joining again", latchPath, id);
            ourName = null;
            join();
            return;
        }
        failures = 0;
    }

    /** Nodes with our prefix other than our own: lost creates, or our old session's node. */
    private List<String> orphans(List<String> children) {
        List<String> out = new ArrayList<>();
        for (String c : children) {
            if (!c.equals(ourName) && c.startsWith(prefix) && LeaderSelection.sequenceOf(c) >= 0) {
                out.add(c);
            }
        }
        return out;
    }

    private void predecessorChanged(WatchEvent event) {
        if (event.type() != EventType.None) {
            worker.execute(this::checkLeadership);
        }
    }

    private void connectionStateChanged(PaddockClient c, ConnectionState newState) {
        synchronized (this) {
            connectionEpoch.incrementAndGet();
        }
        switch (newState) {
            case SUSPENDED, LOST -> setLeadership(false);
            case CONNECTED, RECONNECTED -> worker.execute(this::reconnected);
            default -> throw new IllegalStateException("unknown state " + newState);
        }
    }

    private void reconnected() throws InterruptedException {
        if (!started()) {
            return;
        }
        if (ourName != null && client.sessionId() != ourSessionId) {
            // A new session: the old node is gone or soon will be; it must not hold our place.
            deleteQuietly(RecipePaths.join(latchPath, ourName));
            ourName = null;
        }
        if (ourName == null) {
            join();
        } else {
            checkLeadership();
        }
    }

    private void deleteOurNode() throws InterruptedException {
        if (ourName != null) {
            String path = RecipePaths.join(latchPath, ourName);
            ourName = null;
            try {
                client.delete(path, PaddockClient.ANY_VERSION);
            } catch (PaddockException.NoNodeException gone) {
                // already gone with an old session
            } catch (PaddockException e) {
                log.info("latch {}: could not delete {} ({}); it goes with the session", latchPath, path, e.code());
            }
        }
    }

    private void deleteQuietly(String path) throws InterruptedException {
        try {
            client.delete(path, PaddockClient.ANY_VERSION);
        } catch (PaddockException e) {
            log.debug("latch {}: {} not deleted ({})", latchPath, path, e.code());
        }
    }

    private void retryLater(String what, RecipeWorker.Step step, PaddockException e) {
        Duration delay = RecipeWorker.retryDelay(failures++);
        log.debug("latch {}: {} of {} failed ({}); again in {}", latchPath, what, id, e.code(), delay);
        worker.schedule(step, delay);
    }

    /**
     * Leads, unless the connection changed since the listing that said so began (that change
     * queued its own check) or is down now. Checked under the lock the state listener bumps the
     * epoch under, so a SUSPENDED cannot slip between the check and the crowning.
     */
    private void takeLeadershipUnlessStale(long epoch) {
        synchronized (this) {
            if (connectionEpoch.get() == epoch && client.state().isConnected()) {
                setLeadership(true);
            }
        }
    }

    private void setLeadership(boolean lead) {
        synchronized (this) {
            if (leader == lead || (lead && state != State.STARTED)) {
                return;
            }
            leader = lead;
            notifyAll();
            // Queued under the lock, so listeners hear the flips in the order they happened.
            for (LeaderLatchListener l : listeners) {
                notifier.execute(lead ? l::isLeader : l::notLeader);
            }
        }
        log.info("latch {}: {} {}", latchPath, id, lead ? "leads" : "does not lead");
    }
}
