package io.paddock.recipes;

import io.paddock.client.ConnectionState;
import io.paddock.client.ConnectionStateListener;
import io.paddock.client.NodeData;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.WatchEvent;
import io.paddock.client.Watcher;
import io.paddock.tree.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Keeps the latest value of one znode (the seed's configuration management: clients watch one
 * znode). Every read sets the watch again, and every event, reconnection or new session asks for
 * another read; a read asked for while one runs is done after it, so the last write is always
 * read. Reads run one after another on the watcher's own thread, and a value is delivered only
 * if it is newer than the last one delivered ({@link ZnodeVersion}): listeners see values in
 * version order, never going backwards, and a deletion, then the re-created node.
 */
public final class ConfigWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final PaddockClient client;
    private final String path;
    private final RecipeWorker worker;
    private final List<ConfigListener> listeners = new CopyOnWriteArrayList<>();
    private final ConnectionStateListener connectionListener = this::connectionStateChanged;
    private final Watcher watcher = this::nodeChanged;
    /** A read is queued and not yet started: events meanwhile need no second one. */
    private final AtomicBoolean readQueued = new AtomicBoolean();

    // Worker thread only.
    private ZnodeVersion version = ZnodeVersion.NONE;
    private int failures;

    // Guarded by this.
    private ConfigValue current;
    private boolean started;
    private boolean closed;

    public ConfigWatcher(PaddockClient client, String path) {
        this.client = Objects.requireNonNull(client, "client");
        this.path = RecipePaths.validate(path);
        this.worker = new RecipeWorker("config-watcher" + path.replace('/', '-'));
    }

    public String path() {
        return path;
    }

    public void addListener(ConfigListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(ConfigListener listener) {
        listeners.remove(listener);
    }

    /** Reads the node and sets its watch: {@link #current} holds its value when this returns. */
    public void start() throws PaddockException, InterruptedException {
        synchronized (this) {
            if (started || closed) {
                throw new IllegalStateException("a config watcher starts once");
            }
            started = true;
        }
        client.addConnectionStateListener(connectionListener);
        try {
            worker.call(this::read, Duration.ofMinutes(1));
        } catch (PaddockException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The latest value read, or empty while the node does not exist. */
    public synchronized Optional<ConfigValue> current() {
        return Optional.ofNullable(current);
    }

    /** Waits until the latest value satisfies the condition; whether it did within the timeout. */
    public boolean awaitValue(Predicate<Optional<ConfigValue>> condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            for (long left = timeout.toNanos(); !condition.test(Optional.ofNullable(current));
                 left = end - System.nanoTime()) {
                if (left <= 0 || closed) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
        }
        client.removeConnectionStateListener(connectionListener);
        worker.shutdown(Duration.ofSeconds(1));
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    // ---- events, on the client's event thread ----

    private void nodeChanged(WatchEvent event) {
        if (event.type() != EventType.None) {
            requestRead();
        }
    }

    private void connectionStateChanged(PaddockClient c, ConnectionState newState) {
        if (newState.isConnected()) {
            requestRead(); // watches may be gone (a new session), and changes may have been missed
        }
    }

    private void requestRead() {
        if (readQueued.compareAndSet(false, true)) {
            worker.execute(this::queuedRead);
        }
    }

    // ---- on the worker ----

    private void queuedRead() throws InterruptedException {
        readQueued.set(false); // an event from now on needs a read after this one
        if (isClosed()) {
            return;
        }
        try {
            read();
            failures = 0;
        } catch (PaddockException e) {
            Duration delay = RecipeWorker.retryDelay(failures++);
            log.debug("{}: read failed ({}); again in {}", path, e.code(), delay);
            if (readQueued.compareAndSet(false, true)) {
                worker.schedule(this::queuedRead, delay);
            }
        }
    }

    /** One read with its watch set: getData, or exists when the node is missing. */
    private void read() throws PaddockException, InterruptedException {
        while (true) {
            try {
                NodeData data = client.getData(path, watcher);
                observed(new ConfigValue(path, data.data(), data.stat()));
                return;
            } catch (PaddockException.NoNodeException missing) {
                // An exists watch hears the node's creation.
                if (client.exists(path, watcher).isEmpty()) {
                    observedMissing();
                    return;
                }
                // Created between the two reads: read its data.
            }
        }
    }

    private void observed(ConfigValue value) {
        if (!version.isNewer(value.mzxid())) {
            return;
        }
        version = version.delivered(value.mzxid());
        synchronized (this) {
            current = value;
            notifyAll();
        }
        for (ConfigListener l : listeners) {
            try {
                l.valueChanged(value);
            } catch (RuntimeException e) {
                log.warn("{}: a listener failed", path, e);
            }
        }
    }

    private void observedMissing() {
        if (!version.isDeletionNews()) {
            return;
        }
        version = version.deleted();
        synchronized (this) {
            current = null;
            notifyAll();
        }
        for (ConfigListener l : listeners) {
            try {
                l.valueDeleted(path);
            } catch (RuntimeException e) {
                log.warn("{}: a listener failed", path, e);
            }
        }
    }
}
