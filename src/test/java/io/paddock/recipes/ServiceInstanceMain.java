package io.paddock.recipes;

import io.paddock.client.PaddockClient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A server of the seed's online/offline case in a process of its own, for
 * {@link ServiceDiscoveryProcessTest}: {@code kind connectString basePath service id port load
 * sessionTimeoutMs}. Registers itself, prints "REGISTERED id", then obeys lines on stdin:
 * "load x" publishes a new load (answering "LOAD id x"), "exit" unregisters and exits. Killed,
 * it unregisters nothing: its session's expiry takes it offline.
 */
public final class ServiceInstanceMain {

    private ServiceInstanceMain() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        String connect = args[1];
        String basePath = args[2];
        String service = args[3];
        String id = args[4];
        int port = Integer.parseInt(args[5]);
        double load = Double.parseDouble(args[6]);
        Duration sessionTimeout = Duration.ofMillis(Long.parseLong(args[7]));
        PaddockClient client = RecipeServer.connect(kind, connect, sessionTimeout);
        ServiceRegistry registry = new ServiceRegistry(client, basePath);
        registry.register(ServiceInstance.of(service, id, "127.0.0.1", port).withLoad(load));
        say("REGISTERED " + id);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("load")) {
                registry.updateLoad(service, id, Double.parseDouble(words[1]));
                say("LOAD " + id + " " + words[1]);
            } else if (words[0].equals("exit")) {
                break;
            }
        }
        registry.close();
        client.close();
        say("EXITED " + id);
        System.exit(0);
    }

    static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
