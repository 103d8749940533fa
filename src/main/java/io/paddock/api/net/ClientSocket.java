package io.paddock.api.net;

import akka.util.ByteString;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One client connection of a {@link PortSelector}'s port: what its server writes, and how much of
 * what the selector read it has yet to take.
 *
 * <p>A write goes to the socket at once, on the caller's thread, when nothing is queued before
 * it; what the socket does not take is queued, and the selector's thread finishes it when the
 * socket is writable again, several queued replies in one gathering write. Reading stops while
 * the server has {@link #MAX_UNCONSUMED} bytes it has not yet taken, or while it asked to pause
 * (too many requests waiting for replies, say), and starts again when neither holds.
 *
 * <p>The connection ends once: by {@link #close} (after what is queued is written), by
 * {@link #abort}, or by the client (end of input, a failed read or write). The receiver hears
 * of that end once, whichever it was.
 *
 * <p>A close lingers, as web servers' do: once what is queued is written, only the output is shut
 * (the client reads the end after the last reply), and what the client still sends is read and
 * dropped until it closes its side, or for {@link PortSelector#LINGER_MS} at most. Closing the
 * socket outright with unread input would make the kernel reset the connection, and a client
 * still sending (a request body past the limit, say) could lose the reply it had not yet read.
 */
public final class ClientSocket {

    /** Bytes read and not yet taken by the actor before reading stops. */
    static final int MAX_UNCONSUMED = 256 * 1024;

    /** Who takes what the client sends, and hears how writing goes and the end of the connection. */
    public interface Receiver {
        /** Bytes the client sent, in order (called on the selector's thread). */
        void received(ByteString bytes);

        /** {@code n} bytes given to {@link #write} reached the socket (on the writer's or the selector's thread). */
        default void written(int n) {
        }

        /**
         * Everything a {@link #write} had to leave queued has now reached the socket (on the
         * selector's thread); a write that returned true needs no such call.
         */
        default void drained() {
        }

        /** The connection has ended: {@code failure} is null after a close or the client's end of input. */
        void ended(Throwable failure);
    }

    private final SocketChannel channel;
    private final PortSelector selector;
    private final InetSocketAddress remote;
    private volatile SelectionKey key;
    private volatile Receiver receiver;

    // Guarded by this: the write side and the end.
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private boolean closeAfterWrites;
    private boolean ended;
    /** How the connection ended, kept for a receiver not yet set (see {@link #receiveWith}). */
    private boolean endKnown;
    private Throwable endFailure;
    /** The receiver has heard of the end. */
    private boolean endTold;
    /** The output is shut; what the client still sends is dropped until it ends too. */
    private volatile boolean lingering;

    // Guarded by readLock: whether reading is wanted.
    private final Object readLock = new Object();
    private long unconsumed;
    private boolean paused;
    /** The selector no longer waits to read: this socket cleared OP_READ (checked without the key's lock). */
    private boolean readOff;

    ClientSocket(SocketChannel channel, PortSelector selector, InetSocketAddress remote) {
        this.channel = channel;
        this.selector = selector;
        this.remote = remote;
    }

    /** The client's address. */
    public InetSocketAddress remote() {
        return remote;
    }

    /** Set by the selector once registered, before anything else is done with this socket. */
    void registered(SelectionKey key) {
        this.key = key;
    }

    /**
     * Set by the selector before the first read. Whoever was handed this socket may end it before
     * then: the receiver hears of that end now.
     */
    void receiveWith(Receiver receiver) {
        Throwable failure;
        synchronized (this) {
            this.receiver = receiver;
            if (!endKnown || endTold) {
                return;
            }
            endTold = true;
            failure = endFailure;
        }
        receiver.ended(failure);
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
        if (n == 0 || lingering) {
            return;
        }
        buffer.flip();
        ByteString bytes = ByteString.fromByteBuffer(buffer);
        synchronized (readLock) {
            unconsumed += n;
            if (!readingWanted()) {
                readOff = true;
                clearInterest(SelectionKey.OP_READ);
            }
        }
        receiver.received(bytes);
    }

    private boolean readingWanted() {
        return !paused && unconsumed < MAX_UNCONSUMED;
    }

    // ---- the server's side -------------------------------------------------------------------

    /** The server has taken {@code n} bytes of what it received. */
    public void consumed(int n) {
        synchronized (readLock) {
            unconsumed -= n;
            resumeIfWanted();
        }
    }

    /** Stops reading until {@link #resumeReading}: the server has too much to answer already. */
    public void pauseReading() {
        synchronized (readLock) {
            paused = true;
            if (!lingering) {
                readOff = true;
                clearInterest(SelectionKey.OP_READ);
            }
        }
    }

    public void resumeReading() {
        synchronized (readLock) {
            paused = false;
            resumeIfWanted();
        }
    }

    private void resumeIfWanted() {
        // Usually reading was never stopped, and there is nothing to ask of the key.
        if (readOff && readingWanted()) {
            readOff = false;
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

    /**
     * Writes {@code bytes} after everything written before; dropped once the connection is
     * closing. True when all of it reached the socket now; false when some waits in the queue,
     * and the receiver hears {@link Receiver#drained} once the queue is empty again (or
     * {@link Receiver#ended}).
     */
    public boolean write(ByteString bytes) {
        ByteBuffer buffer = bytes.asByteBuffer();
        Throwable failure = null;
        int n = 0;
        synchronized (this) {
            if (ended || closeAfterWrites) {
                return true;
            }
            if (!pending.isEmpty()) {
                pending.add(buffer);
                return false;
            }
            try {
                n = channel.write(buffer);
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
            return true;
        }
        Receiver r = receiver;
        if (r != null) {
            r.written(n);
        }
        return !buffer.hasRemaining();
    }

    /** Ends the connection once what is queued has been written. */
    public void close() {
        boolean now;
        synchronized (this) {
            if (ended || closeAfterWrites) {
                return;
            }
            closeAfterWrites = true;
            now = pending.isEmpty();
        }
        if (now) {
            shutOutput();
        }
    }

    /** Ends the connection now, whatever is still queued. */
    public void abort() {
        end(null);
    }

    // ---- output (the selector's thread) -----------------------------------------------------

    /** Writes what is queued, as much as the socket takes; closes once all is out after {@link #close}. */
    void writable() {
        Throwable failure = null;
        boolean drained = false;
        boolean done = false;
        long n = 0;
        synchronized (this) {
            if (ended) {
                return;
            }
            try {
                ByteBuffer[] buffers = pending.toArray(ByteBuffer[]::new);
                n = channel.write(buffers);
                while (!pending.isEmpty() && !pending.peek().hasRemaining()) {
                    pending.poll();
                }
            } catch (IOException e) {
                failure = e;
            }
            if (failure == null && pending.isEmpty()) {
                clearInterest(SelectionKey.OP_WRITE);
                drained = true;
                done = closeAfterWrites;
            }
        }
        if (failure != null) {
            end(failure);
            return;
        }
        receiver.written((int) n);
        if (done) {
            shutOutput();
        } else if (drained) {
            receiver.drained();
        }
    }

    /**
     * Everything queued is written after a {@link #close}: ends the output, tells the receiver
     * the connection has ended, and has the selector read and drop the rest of the input.
     */
    private void shutOutput() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            lingering = true;
        }
        try {
            channel.shutdownOutput();
            selector.linger(this);
        } catch (IOException e) {
            // The client is gone already: nothing to linger for.
            closeChannel();
        }
        tellEnded(null);
    }

    /** On the selector's thread: reads whatever the client sends from now on, only to drop it. */
    void startLingering() {
        synchronized (readLock) {
            readOff = false;
            try {
                key.interestOps(SelectionKey.OP_READ);
            } catch (CancelledKeyException e) {
                // closed meanwhile
            }
        }
    }

    /** Closes the socket and tells the receiver, once; a lingering socket is closed now. */
    void end(Throwable failure) {
        synchronized (this) {
            ended = true;
            pending.clear();
        }
        closeChannel();
        tellEnded(failure);
    }

    /** Tells the receiver how the connection ended, once: the first end is the one it hears. */
    private void tellEnded(Throwable failure) {
        Receiver r;
        Throwable first;
        synchronized (this) {
            if (endTold) {
                return;
            }
            if (!endKnown) {
                endKnown = true;
                endFailure = failure;
            }
            r = receiver;
            if (r == null) {
                return;
            }
            endTold = true;
            first = endFailure;
        }
        r.ended(first);
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            // closed either way
        }
        selector.forget(this);
    }
}
