package io.paddock.recipes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Picks one instance of a service from the live set (as Curator's ProviderStrategy). The set is
 * passed sorted by id, as {@link ServiceDiscovery#instances} gives it; the picks are pure
 * functions of that list and the strategy's own state (a counter, a seeded generator).
 */
@FunctionalInterface
public interface ProviderStrategy {

    /** One of the instances, or empty when there is none. */
    Optional<ServiceInstance> pick(List<ServiceInstance> instances);

    /** Uniformly at random, from the given generator (seed it to replay a run). */
    static ProviderStrategy random(RandomGenerator random) {
        return instances -> {
            if (instances.isEmpty()) {
                return Optional.empty();
            }
            synchronized (random) { // java.util.Random is safe to share; SplittableRandom is not
                return Optional.of(instances.get(random.nextInt(instances.size())));
            }
        };
    }

    static ProviderStrategy random() {
        return random(new SplittableRandom());
    }

    /**
     * Each instance in turn: the n-th pick takes index n mod size. When the set changes between
     * picks the turn carries on from the same counter, as Curator's does.
     */
    static ProviderStrategy roundRobin() {
        AtomicLong next = new AtomicLong();
        return instances -> {
            if (instances.isEmpty()) {
                return Optional.empty();
            }
            long n = next.getAndIncrement();
            return Optional.of(instances.get((int) Math.floorMod(n, (long) instances.size())));
        };
    }

    /**
     * The instance that last published the lowest load; among equal loads the smallest id (then
     * address and port), so that the same set always gives the same pick.
     */
    static ProviderStrategy leastLoaded() {
        return instances -> instances.stream().min(LEAST_LOADED_ORDER);
    }

    /** The order {@link #leastLoaded} picks the first of. */
    Comparator<ServiceInstance> LEAST_LOADED_ORDER = Comparator.comparingDouble(ServiceInstance::load)
            .thenComparing(ServiceInstance::id)
            .thenComparing(ServiceInstance::address)
            .thenComparingInt(ServiceInstance::port);

    /** The instances ordered as {@link #leastLoaded} ranks them. */
    static List<ServiceInstance> byLoad(List<ServiceInstance> instances) {
        List<ServiceInstance> out = new ArrayList<>(instances);
        out.sort(LEAST_LOADED_ORDER);
        return out;
    }
}
