package io.paddock.recipes;

import java.util.List;

/**
 * Told of every change of a {@link ServiceDiscovery}'s live set (an instance came, went, or
 * published new data such as its load), with the whole new set sorted by id, on the discovery's
 * thread, one call at a time and in order, just after {@link ServiceDiscovery#instances} shows it.
 */
@FunctionalInterface
public interface ServiceCacheListener {
    void instancesChanged(List<ServiceInstance> instances);
}
