package io.paddock.api.zk;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;

/**
 * A watcher that keeps every event it is given, in delivery order, for a test to take one by one.
 * The ZooKeeper client calls it on its single event thread, so the queue's order is the order the
 * client delivered.
 */
public final class RecordingWatcher implements Watcher {

    private final String name;
    private final BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();

    public RecordingWatcher() {
        this("watcher");
    }

    public RecordingWatcher(String name) {
        this.name = name;
    }

    @Override
    public void process(WatchedEvent event) {
        events.add(event);
    }

    /** The next event, failing the test if none comes within the deadline. */
    public WatchedEvent next(Duration deadline) throws InterruptedException {
        WatchedEvent e = events.poll(deadline.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            fail(name + ": no event within " + deadline);
        }
        return e;
    }

    /**
     * The next node event, skipping session-state events: the client tells every watcher it
     * holds about Disconnected and SyncConnected, so across a reconnect these come in between.
     */
    public WatchedEvent nextNode(Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        List<WatchedEvent> skipped = new ArrayList<>();
        for (long left = deadline.toNanos(); left > 0; left = end - System.nanoTime()) {
            WatchedEvent e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                break;
            }
            if (e.getType() != Event.EventType.None) {
                return e;
            }
            skipped.add(e);
        }
        fail(name + ": no node event within " + deadline + " (saw " + skipped + ")");
        return null;
    }

    /** The next event, or null if none comes within the deadline. */
    public WatchedEvent poll(Duration deadline) throws InterruptedException {
        return events.poll(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits for a session-state event, skipping other state events on the way (a client may
     * report Disconnected before Expired, say); a node event on the way fails the test, since it
     * would be lost.
     */
    public WatchedEvent awaitState(Event.KeeperState state, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        List<WatchedEvent> skipped = new ArrayList<>();
        for (long left = deadline.toNanos(); left > 0; left = end - System.nanoTime()) {
            WatchedEvent e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                break;
            }
            if (e.getState() == state && e.getType() == Event.EventType.None) {
                return e;
            }
            if (e.getType() != Event.EventType.None) {
                fail(name + ": node event " + e + " while waiting for " + state + " (skipped " + skipped + ")");
            }
            skipped.add(e);
        }
        fail(name + ": no " + state + " within " + deadline + " (saw " + skipped + ")");
        return null;
    }

    /**
     * Fails if an event arrives within the window. This is a sleep: use it only where the
     * guarantee is about absence (a one-shot watch that must not fire twice), with a short window.
     */
    public void expectNone(Duration window) throws InterruptedException {
        WatchedEvent e = events.poll(window.toMillis(), TimeUnit.MILLISECONDS);
        assertNull(e, () -> name + ": unexpected event " + e);
    }

    /** Like {@link #expectNone} but lets session-state events through (see {@link #nextNode}). */
    public void expectNoNodeEvent(Duration window) throws InterruptedException {
        long end = System.nanoTime() + window.toNanos();
        for (long left = window.toNanos(); left > 0; left = end - System.nanoTime()) {
            WatchedEvent e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e != null && e.getType() != Event.EventType.None) {
                fail(name + ": unexpected event " + e);
            }
        }
    }

    /** Everything queued right now, without waiting. */
    public List<WatchedEvent> drain() {
        List<WatchedEvent> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }

    @Override
    public String toString() {
        return name + events;
    }
}
