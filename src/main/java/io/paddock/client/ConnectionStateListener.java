package io.paddock.client;

/**
 * Told of every change of a client's {@link ConnectionState}, in order, on the client's event
 * thread (the thread that also runs watchers): it must not block for long.
 */
@FunctionalInterface
public interface ConnectionStateListener {
    void stateChanged(PaddockClient client, ConnectionState newState);
}
