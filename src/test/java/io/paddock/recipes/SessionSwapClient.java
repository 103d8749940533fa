package io.paddock.recipes;

import io.paddock.client.ConnectionState;
import io.paddock.client.ConnectionStateListener;
import io.paddock.client.PaddockClient;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client whose session a test can end, as an expiry would, without waiting for one: it passes
 * every call to a real client, and {@link #loseSession} reports LOST, closes that client (so its
 * ephemerals and watches go), opens another (a new session) and reports RECONNECTED, as a
 * PaddockClient does after an expiry. {@link #suspend} and {@link #resume} report SUSPENDED and
 * RECONNECTED with the session kept, as a failover does.
 */
final class SessionSwapClient extends ForwardingClient {

    /** Opens a real client. */
    @FunctionalInterface
    interface Opener {
        PaddockClient open() throws Exception;
    }

    /** Something done while the session is lost. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private final Opener opener;
    private final List<ConnectionStateListener> listeners = new CopyOnWriteArrayList<>();
    private final ConnectionStateListener forward = (c, s) -> fire(s);
    private volatile PaddockClient real;
    private volatile ConnectionState injected;

    SessionSwapClient(Opener opener) throws Exception {
        this.opener = opener;
        this.real = opener.open();
        real.addConnectionStateListener(forward);
    }

    private void fire(ConnectionState s) {
        for (ConnectionStateListener l : listeners) {
            l.stateChanged(this, s);
        }
    }

    /** SUSPENDED, the session kept. */
    void suspend() {
        injected = ConnectionState.SUSPENDED;
        fire(ConnectionState.SUSPENDED);
    }

    /** RECONNECTED after {@link #suspend}, the same session. */
    void resume() {
        injected = null;
        fire(ConnectionState.RECONNECTED);
    }

    /** LOST, then a new session and RECONNECTED. */
    void loseSession() throws Exception {
        loseSession(() -> { });
    }

    /**
     * LOST, then {@code whileLost} (changes made while no session of this client exists: no
     * watch of it can fire), then a new session and RECONNECTED.
     */
    void loseSession(Action whileLost) throws Exception {
        injected = ConnectionState.LOST;
        fire(ConnectionState.LOST);
        PaddockClient old = real;
        old.removeConnectionStateListener(forward);
        old.close();
        whileLost.run();
        PaddockClient fresh = opener.open();
        fresh.addConnectionStateListener(forward);
        real = fresh;
        injected = null;
        fire(ConnectionState.RECONNECTED);
    }

    @Override
    protected PaddockClient delegate() {
        return real;
    }

    @Override
    public ConnectionState state() {
        ConnectionState s = injected;
        return s != null ? s : real.state();
    }

    @Override
    public void addConnectionStateListener(ConnectionStateListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionStateListener(ConnectionStateListener listener) {
        listeners.remove(listener);
    }
}
