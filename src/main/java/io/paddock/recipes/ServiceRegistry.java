package io.paddock.recipes;

import io.paddock.client.ConnectionState;
import io.paddock.client.ConnectionStateListener;
import io.paddock.client.CreateOptions;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.tree.CreateMode;
import io.paddock.tree.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Registers this process's service instances: each one an EPHEMERAL node
 * {@code <basePath>/<name>/<id>} holding the instance's JSON, so that it vanishes by itself when
 * the process dies (the seed's servers going offline). {@link #updateLoad} publishes the load an
 * instance reports, for {@link ProviderStrategy#leastLoaded}.
 *
 * <p>Ephemerals end with their session: after LOST the client opens a new session, and the
 * registry writes every instance again (also after a plain RECONNECTED, which costs one write
 * and covers a node somebody deleted). A node of the same id left by an older session is deleted
 * and created afresh, as Curator's discovery does: ids are meant to be unique per instance.
 */
public final class ServiceRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceRegistry.class);

    public static final String DEFAULT_BASE_PATH = "/services";

    private final PaddockClient client;
    private final String basePath;
    private final RecipeWorker worker;
    private final ConnectionStateListener connectionListener = this::connectionStateChanged;

    // Guarded by this: what we mean to have registered, by service then id (sorted: writes go in a fixed order).
    private final Map<String, ServiceInstance> registered = new TreeMap<>();
    private boolean closed;
    private int failures;

    public ServiceRegistry(PaddockClient client) {
        this(client, DEFAULT_BASE_PATH);
    }

    public ServiceRegistry(PaddockClient client, String basePath) {
        this.client = Objects.requireNonNull(client, "client");
        this.basePath = RecipePaths.validate(basePath);
        this.worker = new RecipeWorker("service-registry");
        client.addConnectionStateListener(connectionListener);
    }

    public String basePath() {
        return basePath;
    }

    /** The node path of an instance. */
    public String pathOf(ServiceInstance instance) {
        return pathOf(instance.name(), instance.id());
    }

    public String pathOf(String serviceName, String id) {
        return RecipePaths.join(RecipePaths.join(basePath, serviceName), id);
    }

    /** Registers (or re-publishes) the instance; it is live for discovery when this returns. */
    public synchronized void register(ServiceInstance instance) throws PaddockException, InterruptedException {
        Objects.requireNonNull(instance, "instance");
        if (closed) {
            throw new IllegalStateException("the registry is closed");
        }
        registered.put(key(instance.name(), instance.id()), instance);
        write(instance);
    }

    /** Publishes a new load for a registered instance. */
    public synchronized void updateLoad(String serviceName, String id, double load)
            throws PaddockException, InterruptedException {
        ServiceInstance current = registered.get(key(serviceName, id));
        if (current == null) {
            throw new IllegalArgumentException("not registered here: " + serviceName + "/" + id);
        }
        register(current.withLoad(load));
    }

    /** Removes the instance's node; it is gone for discovery when this returns. */
    public synchronized void unregister(String serviceName, String id) throws PaddockException, InterruptedException {
        if (registered.remove(key(serviceName, id)) == null) {
            return;
        }
        try {
            client.delete(pathOf(serviceName, id), PaddockClient.ANY_VERSION);
        } catch (PaddockException.NoNodeException gone) {
            // already gone with its session
        }
    }

    /** The instances this registry keeps registered, by service and id. */
    public synchronized List<ServiceInstance> registered() {
        return List.copyOf(new ArrayList<>(registered.values()));
    }

    public synchronized Optional<ServiceInstance> registered(String serviceName, String id) {
        return Optional.ofNullable(registered.get(key(serviceName, id)));
    }

    /** Unregisters every instance (best effort: what is left goes with the session). */
    @Override
    public void close() {
        client.removeConnectionStateListener(connectionListener);
        synchronized (this) {
            closed = true;
            for (ServiceInstance s : List.copyOf(registered.values())) {
                try {
                    unregister(s.name(), s.id());
                } catch (PaddockException e) {
                    log.warn("could not unregister {}; it goes with the session", pathOf(s), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            registered.clear();
        }
        worker.shutdown(Duration.ofSeconds(1));
    }

    /**
     * Makes the node hold the instance: create it; if it exists and is this session's, set its
     * data; if it is another session's (our own before a LOST), delete it and create ours.
     */
    private void write(ServiceInstance instance) throws PaddockException, InterruptedException {
        String path = pathOf(instance);
        byte[] data = instance.toJson();
        for (int attempt = 0; ; attempt++) {
            try {
                client.create(path, data, CreateOptions.of(CreateMode.EPHEMERAL).withParents());
                return;
            } catch (PaddockException.NodeExistsException exists) {
                Optional<Stat> stat = client.exists(path);
                if (stat.isEmpty()) {
                    continue; // gone meanwhile: create again
                }
                if (stat.get().ephemeralOwner() == client.sessionId()) {
                    try {
                        client.setData(path, data, PaddockClient.ANY_VERSION);
                        return;
                    } catch (PaddockException.NoNodeException gone) {
                        continue;
                    }
                }
                if (attempt >= 3) {
                    throw exists; // somebody else keeps writing it: not ours to fight for
                }
                try {
                    client.delete(path, stat.get().version());
                } catch (PaddockException.NoNodeException | PaddockException.BadVersionException raced) {
                    // changed meanwhile: look again
                }
            }
        }
    }

    private void connectionStateChanged(PaddockClient c, ConnectionState newState) {
        if (newState == ConnectionState.RECONNECTED) {
            worker.execute(this::registerAll);
        }
    }

    private void registerAll() throws InterruptedException {
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                for (ServiceInstance s : registered.values()) {
                    write(s);
                }
                failures = 0;
            } catch (PaddockException e) {
                Duration delay = RecipeWorker.retryDelay(failures++);
                log.info("registering again failed ({}); again in {}", e.code(), delay);
                worker.schedule(this::registerAll, delay);
            }
        }
    }

    private static String key(String serviceName, String id) {
        return serviceName + "/" + id;
    }
}
