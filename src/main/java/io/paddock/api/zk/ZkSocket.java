package io.paddock.api.zk;

import akka.util.ByteString;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One client connection of the ZooKeeper port: what its {@link ZkConnection} actor writes, and
 * how much of what the {@link ZkSelector} read it has yet to take.
 *
 * <p>A write goes to the socket at once, on the caller's thread, when nothing is queued before
 * it; what the socket does not take is queued, and the selector's thread finishes it when the
 * socket is writable again, several queued replies in one gathering write. Reading stops while
 * the actor has {@link #MAX_UNCONSUMED} bytes it has not yet taken, or while it asked to pause
 * (too many requests waiting for replies), and starts again when neither holds.
 *
 * <p>The connection ends once: by {@link #close} (after what is queued is written), by
 * {@link #abort}, or by the client (end of input, a failed read or write). The receiver hears
 * of that end once, whichever it was.
 */
final class ZkSocket {

    /** Bytes read and not yet taken by the actor before reading stops. */
    static final int MAX_UNCONSUMED = 256 * 1024;

    /** Who takes what the client sends, and hears the end of the connection. */
    interface Receiver {
        /** Bytes the client sent, in order (called on the selector's thread). */
        void received(ByteString bytes);

        /** The connection has ended: {@code failure} is null after a close or the client's end of input. */
        void ended(Throwable failure);
    }

    private final SocketChannel channel;
    private final ZkSelector selector;
    private final InetSocketAddress remote;
    private final ZkConnectionStats stats;
    private volatile SelectionKey key;
    private volatile Receiver receiver;

    // Guarded by this: the write side and the end.
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private boolean closeAfterWrites;
    private boolean ended;

    // Guarded by readLock: whether reading is wanted.
    private final Object readLock = new Object();
    private long unconsumed;
    private boolean paused;

    ZkSocket(SocketChannel channel, ZkSelector selector, InetSocketAddress remote, ZkConnectionStats stats) {
        this.channel = channel;
        this.selector = selector;
        this.remote = remote;
        this.stats = stats;
    }

    InetSocketAddress remote() {
        return remote;
    }

    ZkConnectionStats stats() {
        return stats;
    }

    /** Set by the selector once registered, before anything else is done with this socket. */
    void registered(SelectionKey key) {
        this.key = key;
    }

    /** Set by the selector before the first read. */
    void receiveWith(Receiver receiver) {
        this.receiver = receiver;
    }

    // ---- input (the selector's thread) ----------------------------------------------------------

    /** Reads what the socket has into {@code buffer} and hands it to the receiver. */
    void readable(ByteBuffer buffer) {
        buffer.clear();
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException e) {
            end(e);
            return;
        }
        if (n < 0) {
            end(null);
            return;
        }
        if (n == 0) {
            return;
        }
        buffer.flip();
        ByteString bytes = ByteString.fromByteBuffer(buffer);
        synchronized (readLock) {
            unconsumed += n;
            if (!readingWanted()) {
                clearInterest(SelectionKey.OP_READ);
            }
        }
        receiver.received(bytes);
    }

    private boolean readingWanted() {
        return !paused && unconsumed < MAX_UNCONSUMED;
    }

    // ---- the actor's side -------------------------------------------------------------------

    /** The actor has taken {@code n} bytes of what it received. */
    void consumed(int n) {
        synchronized (readLock) {
            unconsumed -= n;
            resumeIfWanted();
        }
    }

    /** Stops reading until {@link #resumeReading}: the actor has too much to answer already. */
    void pauseReading() {
        synchronized (readLock) {
            paused = true;
            clearInterest(SelectionKey.OP_READ);
        }
    }

    void resumeReading() {
        synchronized (readLock) {
            paused = false;
            resumeIfWanted();
        }
    }

    private void resumeIfWanted() {
        if (readingWanted()) {
            addInterest(SelectionKey.OP_READ);
        }
    }

    /** Adds to what the selector waits for, and wakes it so that it waits for that too. */
    private void addInterest(int ops) {
        try {
            if ((key.interestOps() & ops) != ops) {
                key.interestOpsOr(ops);
                selector.wakeup();
            }
        } catch (CancelledKeyException e) {
            // the connection has ended
        }
    }

    private void clearInterest(int ops) {
        try {
            key.interestOpsAnd(~ops);
        } catch (CancelledKeyException e) {
            // the connection has ended
        }
    }

    /** Writes {@code bytes} after everything written before; dropped once the connection is closing. */
    void write(ByteString bytes) {
        ByteBuffer buffer = bytes.asByteBuffer();
        Throwable failure = null;
        synchronized (this) {
            if (ended || closeAfterWrites) {
                return;
            }
            if (!pending.isEmpty()) {
                pending.add(buffer);
                return;
            }
            try {
                int n = channel.write(buffer);
                stats.written(n);
            } catch (IOException e) {
                failure = e;
            }
            if (failure == null && buffer.hasRemaining()) {
                pending.add(buffer);
                addInterest(SelectionKey.OP_WRITE);
            }
        }
        if (failure != null) {
            end(failure);
        }
    }

    /** Ends the connection once what is queued has been written. */
    void close() {
        boolean now;
        synchronized (this) {
            if (ended || closeAfterWrites) {
                return;
            }
            closeAfterWrites = true;
            now = pending.isEmpty();
        }
        if (now) {
            end(null);
        }
    }

    /** Ends the connection now, whatever is still queued. */
    void abort() {
        end(null);
    }

    // ---- output (the selector's thread) -----------------------------------------------------

    /** Writes what is queued, as much as the socket takes; closes once all is out after {@link #close}. */
    void writable() {
        Throwable failure = null;
        boolean done = false;
        synchronized (this) {
            if (ended) {
                return;
            }
            try {
                ByteBuffer[] buffers = pending.toArray(ByteBuffer[]::new);
                long n = channel.write(buffers);
                stats.written((int) n);
                while (!pending.isEmpty() && !pending.peek().hasRemaining()) {
                    pending.poll();
                }
            } catch (IOException e) {
                failure = e;
            }
            if (failure == null && pending.isEmpty()) {
                clearInterest(SelectionKey.OP_WRITE);
                done = closeAfterWrites;
            }
        }
        if (failure != null) {
            end(failure);
        } else if (done) {
            end(null);
        }
    }

    /** Closes the socket and tells the receiver, once. */
    void end(Throwable failure) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            pending.clear();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closed either way
        }
        selector.forget(this);
        Receiver r = receiver;
        if (r != null) {
            r.ended(failure);
        }
    }
}
