package io.paddock.recipes;

import io.paddock.client.ConnectionState;
import io.paddock.client.ConnectionStateListener;
import io.paddock.client.CreateOptions;
import io.paddock.client.NodeData;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.WatchEvent;
import io.paddock.client.Watcher;
import io.paddock.tree.CreateMode;
import io.paddock.tree.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The live instances of one service, kept current (the seed's clients watching /servers): a
 * one-shot child watch on {@code <basePath>/<name>} and a one-shot data watch on every instance
 * node, each set again by the read that follows its event. All reads run one after another on the
 * discovery's own thread, so an instance's data is replaced only by a newer read
 * ({@link ZnodeVersion}); after RECONNECTED (and a new session, which lost every watch) the whole
 * set is read again with fresh watches.
 *
 * <p>While the connection is down the last known set is kept: it may be stale, but a caller
 * picking a provider is better served by it than by nothing.
 */
public final class ServiceDiscovery implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceDiscovery.class);

    private record Entry(ServiceInstance instance, ZnodeVersion version) {
    }

    private final PaddockClient client;
    private final String serviceName;
    private final String servicePath;
    private final RecipeWorker worker;
    private final List<ServiceCacheListener> listeners = new CopyOnWriteArrayList<>();
    private final ConnectionStateListener connectionListener = this::connectionStateChanged;
    private final Watcher childWatcher = this::childrenChanged;
    private final Watcher dataWatcher = this::instanceChanged;

    // Worker thread only: by node name (the instance id), sorted.
    private final Map<String, Entry> entries = new TreeMap<>();
    private final Map<String, ZnodeVersion> unreadable = new TreeMap<>();
    private int failures;

    // Guarded by this: the published set and the lifecycle.
    private List<ServiceInstance> snapshot = List.of();
    private boolean started;
    private boolean closed;

    public ServiceDiscovery(PaddockClient client, String serviceName) {
        this(client, ServiceRegistry.DEFAULT_BASE_PATH, serviceName);
    }

    public ServiceDiscovery(PaddockClient client, String basePath, String serviceName) {
        this.client = Objects.requireNonNull(client, "client");
        this.serviceName = RecipePaths.validateName(serviceName, "a service name");
        this.servicePath = RecipePaths.join(RecipePaths.validate(basePath), serviceName);
        this.worker = new RecipeWorker("service-discovery-" + serviceName);
    }

    public String serviceName() {
        return serviceName;
    }

    /** Creates the service's node if missing and reads the live set: {@link #instances} holds it when this returns. */
    public void start() throws PaddockException, InterruptedException {
        synchronized (this) {
            if (started || closed) {
                throw new IllegalStateException("a discovery starts once");
            }
            started = true;
        }
        try {
            client.create(servicePath, new byte[0], CreateOptions.of(CreateMode.PERSISTENT).withParents());
        } catch (PaddockException.NodeExistsException fine) {
            // registered instances made it already
        }
        client.addConnectionStateListener(connectionListener);
        try {
            worker.call(() -> readAll(true), Duration.ofMinutes(1));
        } catch (PaddockException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void addListener(ServiceCacheListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(ServiceCacheListener listener) {
        listeners.remove(listener);
    }

    /** The live instances as last read, sorted by id. */
    public synchronized List<ServiceInstance> instances() {
        return snapshot;
    }

    public Optional<ServiceInstance> instance(String id) {
        for (ServiceInstance s : instances()) {
            if (s.id().equals(id)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** An instance chosen by the strategy from the live set, or empty when there is none. */
    public Optional<ServiceInstance> pick(ProviderStrategy strategy) {
        return strategy.pick(instances());
    }

    /** Waits until the live set satisfies the condition; whether it did within the timeout. */
    public boolean awaitInstances(Predicate<List<ServiceInstance>> condition, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            for (long left = timeout.toNanos(); !condition.test(snapshot); left = end - System.nanoTime()) {
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

    // ---- on the worker ----

    /** Reads the children (re-arming the child watch) and every instance that is new, or all of them. */
    private void readAll(boolean rereadEvery) throws PaddockException, InterruptedException {
        List<String> names;
        try {
            names = client.getChildren(servicePath, childWatcher);
        } catch (PaddockException.NoNodeException e) {
            // The service node itself was deleted: nobody is registered; hear when it comes back.
            names = List.of();
            if (client.exists(servicePath, childWatcher).isPresent()) {
                worker.execute(this::refreshChildren);
            }
        }
        Set<String> live = new HashSet<>(names);
        entries.keySet().retainAll(live);
        unreadable.keySet().retainAll(live);
        for (String name : names) {
            if (rereadEvery || (!entries.containsKey(name) && !unreadable.containsKey(name))) {
                readInstance(name);
            }
        }
        failures = 0;
        publish();
    }

    private void readInstance(String name) throws PaddockException, InterruptedException {
        String path = RecipePaths.join(servicePath, name);
        Entry held = entries.get(name);
        ZnodeVersion version = held != null ? held.version()
                : unreadable.getOrDefault(name, ZnodeVersion.NONE);
        NodeData data;
        try {
            data = client.getData(path, dataWatcher);
        } catch (PaddockException.NoNodeException gone) {
            entries.remove(name);
            unreadable.remove(name);
            return;
        }
        long mzxid = data.stat().mzxid();
        if (!version.isNewer(mzxid)) {
            return; // the same data again, or older
        }
        try {
            ServiceInstance instance = ServiceInstance.fromJson(data.data());
            entries.put(name, new Entry(instance, version.delivered(mzxid)));
            unreadable.remove(name);
        } catch (IllegalArgumentException e) {
            // Not an instance (written by something else): not live, and not worth a second warning.
            if (unreadable.put(name, version.delivered(mzxid)) == null) {
                log.warn("{}: {} holds no service instance ({})", servicePath, name, e.getMessage());
            }
            entries.remove(name);
        }
    }

    private void refreshChildren() throws InterruptedException {
        runOrRetry(() -> readAll(false), this::refreshChildren);
    }

    private void refreshAll() throws InterruptedException {
        runOrRetry(() -> readAll(true), this::refreshAll);
    }

    private void refreshInstance(String name) throws InterruptedException {
        runOrRetry(() -> {
            readInstance(name);
            publish();
        }, () -> refreshInstance(name));
    }

    private void runOrRetry(RecipeWorker.Step step, RecipeWorker.Step retry) throws InterruptedException {
        if (isClosed()) {
            return;
        }
        try {
            step.run();
        } catch (PaddockException e) {
            Duration delay = RecipeWorker.retryDelay(failures++);
            log.debug("{}: read failed ({}); again in {}", servicePath, e.code(), delay);
            worker.schedule(retry, delay);
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void publish() {
        List<ServiceInstance> now = new ArrayList<>();
        for (Entry e : entries.values()) {
            now.add(e.instance());
        }
        now = List.copyOf(now);
        synchronized (this) {
            if (now.equals(snapshot)) {
                return;
            }
            snapshot = now;
            notifyAll();
        }
        for (ServiceCacheListener l : listeners) {
            try {
                l.instancesChanged(now);
            } catch (RuntimeException e) {
                log.warn("{}: a listener failed", servicePath, e);
            }
        }
    }

    // ---- events, on the client's event thread: hand them to the worker ----

    private void childrenChanged(WatchEvent event) {
        if (event.type() != EventType.None) {
            worker.execute(this::refreshChildren);
        }
    }

    private void instanceChanged(WatchEvent event) {
        if (event.type() != EventType.None && event.path() != null) {
            String name = RecipePaths.name(event.path());
            worker.execute(() -> refreshInstance(name));
        }
    }

    private void connectionStateChanged(PaddockClient c, ConnectionState newState) {
        if (newState == ConnectionState.RECONNECTED) {
            worker.execute(this::refreshAll);
        }
    }
}
