package io.paddock.client;

/**
 * The state of a client's connection to the ensemble, as Curator's ConnectionState names it.
 *
 * <ul>
 *   <li>{@link #CONNECTED}: the first session is open.</li>
 *   <li>{@link #SUSPENDED}: the server in use stopped answering; the session may still be alive,
 *       and the client is looking for a server that serves it. Whoever holds a lock or leadership
 *       should stop acting as the holder until {@link #RECONNECTED}.</li>
 *   <li>{@link #RECONNECTED}: a server serves the session again: the same session (its ephemerals
 *       and watches intact) or, after {@link #LOST}, a new one.</li>
 *   <li>{@link #LOST}: the session has expired (or could not be reached within its timeout): its
 *       ephemerals are gone and its watches with them. The client opens a new session and then
 *       reports {@link #RECONNECTED}.</li>
 * </ul>
 */
public enum ConnectionState {
    CONNECTED,
    SUSPENDED,
    RECONNECTED,
    LOST;

    /** Whether a server serves the client's session in this state. */
    public boolean isConnected() {
        return this == CONNECTED || this == RECONNECTED;
    }
}
