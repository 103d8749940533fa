package io.paddock.api.zk;

import static io.paddock.api.zk.CuratorClients.await;
import static io.paddock.api.zk.CuratorClients.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.x.discovery.ServiceCache;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceProvider;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.apache.curator.x.discovery.details.ServiceCacheListener;
import org.apache.curator.x.discovery.strategies.RoundRobinStrategy;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * curator-x-discovery: instances registered as ephemeral JSON znodes under
 * /services/{name}/{id} (their parents created as containers), found by queries and by a
 * ServiceCache, and gone with the session that registered them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CuratorDiscoveryTest {

    /** Sessions of up to 20 ticks (10 s): long enough that a busy machine does not expire them. */
    private static final int TICK_MS = 500;

    private static final long DEADLINE_MS = 20_000;
    private static final String BASE = "/services";

    /** An instance's payload; a bean so that Curator's JSON serializer can carry it. */
    public static final class WorkerDetails {
        private String zone;
        private int weight;

        public WorkerDetails() {
        }

        WorkerDetails(String zone, int weight) {
            this.zone = zone;
            this.weight = weight;
        }

        public String getZone() {
            return zone;
        }

        public void setZone(String zone) {
            this.zone = zone;
        }

        public int getWeight() {
            return weight;
        }

        public void setWeight(int weight) {
            this.weight = weight;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof WorkerDetails w && w.weight == weight && Objects.equals(w.zone, zone);
        }

        @Override
        public int hashCode() {
            return Objects.hash(zone, weight);
        }

        @Override
        public String toString() {
            return zone + "/" + weight;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void registeredInstancesAreFoundWithTheirPayloads(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS);
             CuratorFramework c1 = connect(target);
             CuratorFramework c2 = connect(target);
             CuratorFramework observer = connect(target);
             ServiceDiscovery<WorkerDetails> d1 = discovery(c1, worker("w1", 9001, new WorkerDetails("eu", 3)));
             ServiceDiscovery<WorkerDetails> d2 = discovery(c2, worker("w2", 9002, new WorkerDetails("us", 5)));
             ServiceDiscovery<WorkerDetails> query = discovery(observer, null)) {
            d2.registerService(instance("db", "db1", 5432, new WorkerDetails("eu", 1)));

            assertEquals(Set.of("worker", "db"), new HashSet<>(query.queryForNames()));
            assertEquals(Map.of("w1", new WorkerDetails("eu", 3), "w2", new WorkerDetails("us", 5)),
                    payloads(query.queryForInstances("worker")));
            ServiceInstance<WorkerDetails> w2 = query.queryForInstance("worker", "w2");
            assertEquals("127.0.0.1", w2.getAddress());
            assertEquals(9002, w2.getPort());
            assertEquals(new WorkerDetails("us", 5), w2.getPayload());
            assertEquals(Map.of("db1", new WorkerDetails("eu", 1)), payloads(query.queryForInstances("db")));

            // Registration is an ephemeral node of the registering session.
            Stat stat = observer.checkExists().forPath(BASE + "/worker/w1");
            assertNotNull(stat);
            assertEquals(c1.getZookeeperClient().getZooKeeper().getSessionId(), stat.getEphemeralOwner());

            try (ServiceProvider<WorkerDetails> provider = query.serviceProviderBuilder()
                    .serviceName("worker").providerStrategy(new RoundRobinStrategy<>()).build()) {
                provider.start();
                Set<String> handedOut = new HashSet<>();
                handedOut.add(provider.getInstance().getId());
                handedOut.add(provider.getInstance().getId());
                assertEquals(Set.of("w1", "w2"), handedOut, "round robin hands out both instances");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void instanceDisappearsWhenItsClientCloses(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS);
             CuratorFramework c2 = connect(target);
             CuratorFramework observer = connect(target);
             ServiceDiscovery<WorkerDetails> d2 = discovery(c2, worker("w2", 9002, new WorkerDetails("us", 5)));
             ServiceDiscovery<WorkerDetails> query = discovery(observer, null)) {
            CuratorFramework c1 = connect(target);
            discovery(c1, worker("w1", 9001, new WorkerDetails("eu", 3)));
            assertEquals(Set.of("w1", "w2"), payloads(query.queryForInstances("worker")).keySet());

            // Closing the client ends its session; nothing unregisters the instance but the server.
            c1.close();
            await("for w1 to disappear", DEADLINE_MS, () -> ids(query, "worker").equals(Set.of("w2")));
            assertEquals(null, observer.checkExists().forPath(BASE + "/worker/w1"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ZkTarget.Kind.class)
    void serviceCacheFollowsArrivalsUpdatesAndDepartures(ZkTarget.Kind kind) throws Exception {
        try (ZkTarget target = ZkTarget.start(kind, TICK_MS);
             CuratorFramework c2 = connect(target);
             CuratorFramework observer = connect(target);
             ServiceDiscovery<WorkerDetails> d2 = discovery(c2, null);
             ServiceDiscovery<WorkerDetails> query = discovery(observer, null)) {
            CuratorFramework c1 = connect(target);
            discovery(c1, worker("w1", 9001, new WorkerDetails("eu", 3)));
            AtomicInteger changes = new AtomicInteger();
            try (ServiceCache<WorkerDetails> cache = query.serviceCacheBuilder().name("worker").build()) {
                cache.addListener(new ServiceCacheListener() {
                    @Override
                    public void cacheChanged() {
                        changes.incrementAndGet();
                    }

                    @Override
                    public void stateChanged(CuratorFramework client, ConnectionState newState) {
                    }
                });
                cache.start();
                assertEquals(Map.of("w1", new WorkerDetails("eu", 3)), payloads(cache.getInstances()),
                        "start() loads the current instances");

                int before = changes.get();
                ServiceInstance<WorkerDetails> w2 = worker("w2", 9002, new WorkerDetails("us", 5));
                d2.registerService(w2);
                await("for the cache to see w2", DEADLINE_MS, () -> payloads(cache.getInstances()).equals(Map.of(
                        "w1", new WorkerDetails("eu", 3), "w2", new WorkerDetails("us", 5))));
                await("for cacheChanged to be called", DEADLINE_MS, () -> changes.get() > before);

                d2.updateService(worker("w2", 9002, new WorkerDetails("us", 8)));
                await("for the cache to see w2's new payload", DEADLINE_MS, () ->
                        new WorkerDetails("us", 8).equals(payloads(cache.getInstances()).get("w2")));

                c1.close();
                await("for the cache to drop w1", DEADLINE_MS, () ->
                        payloads(cache.getInstances()).keySet().equals(Set.of("w2")));

                d2.unregisterService(w2);
                await("for the cache to empty", DEADLINE_MS, () -> cache.getInstances().isEmpty());
            } finally {
                c1.close();
            }
        }
    }

    private static ServiceDiscovery<WorkerDetails> discovery(CuratorFramework client,
                                                              ServiceInstance<WorkerDetails> self) throws Exception {
        ServiceDiscovery<WorkerDetails> d = ServiceDiscoveryBuilder.builder(WorkerDetails.class)
                .client(client)
                .basePath(BASE)
                .serializer(new JsonInstanceSerializer<>(WorkerDetails.class))
                .thisInstance(self)
                .build();
        d.start();
        return d;
    }

    private static ServiceInstance<WorkerDetails> worker(String id, int port, WorkerDetails payload) throws Exception {
        return instance("worker", id, port, payload);
    }

    private static ServiceInstance<WorkerDetails> instance(String name, String id, int port, WorkerDetails payload)
            throws Exception {
        return ServiceInstance.<WorkerDetails>builder()
                .name(name).id(id).address("127.0.0.1").port(port).payload(payload).build();
    }

    private static Map<String, WorkerDetails> payloads(Collection<ServiceInstance<WorkerDetails>> instances) {
        Map<String, WorkerDetails> byId = new TreeMap<>();
        for (ServiceInstance<WorkerDetails> i : instances) {
            byId.put(i.getId(), i.getPayload());
        }
        return byId;
    }

    private static Set<String> ids(ServiceDiscovery<WorkerDetails> query, String name) {
        try {
            return payloads(query.queryForInstances(name)).keySet();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
