package io.paddock.recipes;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One instance of a service as it registers itself: the JSON data of its EPHEMERAL node
 * {@code /services/<name>/<id>}, {@code {"name","id","address","port","load","payload"}}.
 * {@code load} is what the instance last reported (the seed's soft load balancing: clients send
 * work to the least loaded); {@code payload} is free-form text by key, kept sorted so that the
 * same instance always has the same bytes.
 */
public record ServiceInstance(String name, String id, String address, int port, double load,
                              Map<String, String> payload) {

    private static final ObjectMapper JSON = new ObjectMapper()
            // Instances written by a newer version with more fields stay readable.
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public ServiceInstance {
        RecipePaths.validateName(name, "a service name");
        RecipePaths.validateName(id, "an instance id");
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (!Double.isFinite(load)) {
            throw new IllegalArgumentException("load must be a finite number, not " + load);
        }
        payload = Collections.unmodifiableSortedMap(new TreeMap<>(payload == null ? Map.of() : payload));
    }

    public static ServiceInstance of(String name, String id, String address, int port) {
        return new ServiceInstance(name, id, address, port, 0.0, Map.of());
    }

    public ServiceInstance withLoad(double newLoad) {
        return new ServiceInstance(name, id, address, port, newLoad, payload);
    }

    public ServiceInstance withPayload(Map<String, String> newPayload) {
        return new ServiceInstance(name, id, address, port, load, newPayload);
    }

    /** "address:port". */
    public String hostPort() {
        return address + ":" + port;
    }

    /** The node's data. */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An instance from a node's data; IllegalArgumentException when it is not one. */
    public static ServiceInstance fromJson(byte[] data) {
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("no instance data");
        }
        try {
            ServiceInstance s = JSON.readValue(data, ServiceInstance.class);
            if (s == null) {
                throw new IllegalArgumentException("no instance data");
            }
            return s;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a service instance: " + e.getMessage(), e);
        }
    }
}
