package io.paddock.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who hears a client's watch events and connection states, and the one thread they hear them on:
 * everything is queued in the order it happened and run one at a time, so a watcher never runs
 * beside another and never sees events out of order. A watcher or listener that throws is logged
 * and the others still hear the event.
 */
final class ClientEvents {

    private static final Logger log = LoggerFactory.getLogger(ClientEvents.class);

    private final PaddockClient owner;
    private final ExecutorService thread;
    private final CopyOnWriteArrayList<ConnectionStateListener> stateListeners;
    private final CopyOnWriteArrayList<Watcher> watchListeners = new CopyOnWriteArrayList<>();

    ClientEvents(PaddockClient owner, List<ConnectionStateListener> stateListeners) {
        this.owner = owner;
        this.stateListeners = new CopyOnWriteArrayList<>(stateListeners);
        AtomicInteger n = new AtomicInteger();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "paddock-client-events-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void addStateListener(ConnectionStateListener l) {
        stateListeners.add(l);
    }

    void removeStateListener(ConnectionStateListener l) {
        stateListeners.remove(l);
    }

    void addWatchListener(Watcher w) {
        watchListeners.add(w);
    }

    void removeWatchListener(Watcher w) {
        watchListeners.remove(w);
    }

    /** Runs work on the event thread, after everything already queued. */
    void dispatch(Runnable work) {
        try {
            thread.execute(work);
        } catch (RejectedExecutionException e) {
            log.debug("client closed; an event is dropped");
        }
    }

    /** The event to its watchers, then to every watch listener. */
    void deliver(List<Watcher> watchers, WatchEvent event) {
        dispatch(() -> {
            for (Watcher w : watchers) {
                run(w, event);
            }
            for (Watcher w : watchListeners) {
                run(w, event);
            }
        });
    }

    /** The event to these watchers only (the client's own news, which listeners hear from the server). */
    void deliverToWatchers(List<Watcher> watchers, WatchEvent event) {
        dispatch(() -> {
            for (Watcher w : watchers) {
                run(w, event);
            }
        });
    }

    /**
     * The notice of a state change, to queue once the change is made: the state listeners and
     * watch listeners there are now hear it (one added later does not), watch listeners as a
     * session-state event (LOST's Expired event is delivered with the watchers it ends).
     */
    Runnable stateChange(ConnectionState next) {
        List<ConnectionStateListener> listeners = List.copyOf(stateListeners);
        List<Watcher> watchers = next == ConnectionState.LOST ? List.of() : List.copyOf(watchListeners);
        WatchEvent event = WatchEvent.state(switch (next) {
            case CONNECTED, RECONNECTED -> EventState.SyncConnected;
            case SUSPENDED -> EventState.Disconnected;
            case LOST -> EventState.Expired;
        });
        return () -> {
            for (ConnectionStateListener l : listeners) {
                try {
                    l.stateChanged(owner, next);
                } catch (RuntimeException e) {
                    log.warn("a connection state listener failed on {}", next, e);
                }
            }
            for (Watcher w : watchers) {
                run(w, event);
            }
        };
    }

    /** Runs what is queued, then stops the thread. */
    void shutdown() {
        thread.shutdown();
    }

    private static void run(Watcher w, WatchEvent event) {
        try {
            w.process(event);
        } catch (RuntimeException e) {
            log.warn("a watcher failed on {}", event, e);
        }
    }
}
