package io.paddock.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link PaddockClient}. The defaults suit a client of a local ensemble: a session
 * timeout of 30 s (the server negotiates it into its own bounds), 10 s per request, connection
 * attempts of 2 s, and exponential backoff from 100 ms to 2 s for at most the session timeout.
 */
public final class PaddockClientBuilder {

    private final List<String> servers;
    private Duration sessionTimeout = Duration.ofSeconds(30);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private RetryPolicy retryPolicy;
    private final List<ConnectionStateListener> stateListeners = new ArrayList<>();

    PaddockClientBuilder(String connectString) {
        this.servers = parseConnectString(connectString);
    }

    /**
     * The servers of a connect string, "host:port,host:port" (HTTP ports); a server without a port
     * takes 8080. An optional "http://" prefix per server is accepted.
     */
    static List<String> parseConnectString(String connectString) {
        Objects.requireNonNull(connectString, "connectString");
        List<String> out = new ArrayList<>();
        for (String part : connectString.split(",")) {
            String s = part.trim();
            if (s.startsWith("http://")) {
                s = s.substring("http://".length());
            }
            while (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            if (s.isEmpty()) {
                continue;
            }
            int colon = s.lastIndexOf(':');
            if (colon < 0 || s.endsWith("]")) {
                s = s + ":8080";
            } else {
                String port = s.substring(colon + 1);
                int p;
                try {
                    p = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad port \"" + port + "\" in connect string \"" + connectString + "\"");
                }
                if (p <= 0 || p > 65535) {
                    throw new IllegalArgumentException("port " + p + " out of range in connect string \"" + connectString + "\"");
                }
            }
            out.add(s);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the connect string \"" + connectString + "\" names no server");
        }
        return List.copyOf(out);
    }

    public PaddockClientBuilder sessionTimeout(Duration timeout) {
        this.sessionTimeout = positive(timeout, "sessionTimeout");
        return this;
    }

    public PaddockClientBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = positive(timeout, "requestTimeout");
        return this;
    }

    public PaddockClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connectTimeout");
        return this;
    }

    public PaddockClientBuilder retryPolicy(RetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
        return this;
    }

    /** A listener that hears every state from the first, CONNECTED, on. */
    public PaddockClientBuilder connectionStateListener(ConnectionStateListener listener) {
        stateListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    List<ConnectionStateListener> stateListeners() {
        return List.copyOf(stateListeners);
    }

    List<String> servers() {
        return servers;
    }

    Duration sessionTimeout() {
        return sessionTimeout;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    RetryPolicy retryPolicy() {
        return retryPolicy != null ? retryPolicy
                : RetryPolicy.exponentialBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), 29, sessionTimeout);
    }

    /**
     * Opens a session on the first server that answers, trying each in turn until the retry policy
     * gives up, and returns the connected client.
     */
    public PaddockClient build() throws PaddockException, InterruptedException {
        return HttpPaddockClient.open(this);
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
        return d;
    }
}
