package io.paddock.api.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client port's I/O thread, as ZooKeeper's own NIO server has: one selector that accepts
 * connections, reads what clients send (handing it to each connection's receiver) and finishes
 * the writes a socket could not take at once. Writes themselves start on the writer's thread
 * ({@link ClientSocket#write}), so a reply reaches the socket without a hand-over; reading a
 * request takes one hand-over, to whoever serves the connection (an actor, a stream).
 *
 * <p>The thread ends when the selector stops accepting and its last connection has ended, or at
 * {@link #shutdown}.
 */
public final class PortSelector implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PortSelector.class);

    /** Bytes read from one socket at a time. */
    static final int READ_CHUNK = 64 * 1024;
    /**
     * How long a closed connection at most goes on reading (and dropping) what its client still
     * sends, after its output has ended: see {@link ClientSocket}.
     */
    static final long LINGER_MS = 5_000;
    /** How long {@link #stopAccepting} waits for the port to close. */
    private static final long STOP_TIMEOUT_MS = 10_000;

    private final Selector selector;
    private final ServerSocketChannel server;
    private final Function<ClientSocket, ClientSocket.Receiver> onAccept;
    /** The port's name in log messages ("the ZooKeeper port"). */
    private final String portName;
    /** Connections beyond this many are closed as they are accepted. */
    private final int maxConnections;
    private final Set<ClientSocket> sockets = ConcurrentHashMap.newKeySet();
    /** Work for the selector's thread, run after each select. */
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Connections whose close lingers, oldest first, with when they are closed at the latest (the thread's own). */
    private final ArrayDeque<Lingering> lingering = new ArrayDeque<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_CHUNK);
    private final InetSocketAddress localAddress;
    private final Thread thread;
    private volatile boolean accepting = true;
    private volatile boolean stopping;

    /**
     * @param onAccept gives each accepted connection the receiver of its input, on this
     *                 selector's thread, before anything is read from it; a connection it throws
     *                 for is closed
     */
    private PortSelector(Selector selector, ServerSocketChannel server, String portName, int maxConnections,
                         Function<ClientSocket, ClientSocket.Receiver> onAccept, String threadName) throws IOException {
        this.selector = selector;
        this.localAddress = (InetSocketAddress) server.getLocalAddress();
        this.server = server;
        this.portName = portName;
        this.maxConnections = maxConnections;
        this.onAccept = onAccept;
        this.thread = new Thread(this, threadName);
        this.thread.setDaemon(true);
    }

    /** Binds {@code address} (port 0: a free port) and starts the thread. */
    public static PortSelector open(InetSocketAddress address, String portName, int maxConnections,
                                    Function<ClientSocket, ClientSocket.Receiver> onAccept,
                                    String threadName) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address, 1024);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            PortSelector s = new PortSelector(selector, server, portName, maxConnections, onAccept, threadName);
            s.thread.start();
            return s;
        } catch (IOException e) {
            server.close();
            selector.close();
            throw e;
        }
    }

    /** The address bound, port included (kept after {@link #stopAccepting}). */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Stops accepting connections, and returns once the port is closed (a node started again
     * may bind it at once); open connections go on.
     */
    public void stopAccepting() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        tasks.add(() -> {
            closePort();
            closed.complete(null);
        });
        selector.wakeup();
        if (Thread.currentThread() == thread || !thread.isAlive()) {
            return;
        }
        try {
            closed.get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("The selector of {} did not close it within {} ms", portName, STOP_TIMEOUT_MS);
        }
    }

    /** On the selector's thread: closes the listening socket for good. */
    private void closePort() {
        try {
            server.close();
            if (selector.isOpen()) {
                // A closed channel's socket is released when its key is deregistered: now, not at the next event.
                selector.selectNow();
            }
        } catch (IOException e) {
            LOG.debug("closing {}: {}", portName, e.toString());
        }
        accepting = false;
    }

    private void runTasks() {
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            task.run();
        }
    }

    /** Ends every open connection now. */
    public void closeConnections() {
        for (ClientSocket s : sockets) {
            s.abort();
        }
        selector.wakeup();
    }

    /** Stops accepting, ends every connection and the thread. */
    public void shutdown() {
        stopping = true;
        closeConnections();
        selector.wakeup();
    }

    /** Whether the selector's thread still runs. */
    public boolean running() {
        return thread.isAlive();
    }

    void wakeup() {
        selector.wakeup();
    }

    /** A connection's output has ended: read and drop its input until the client ends it, or {@link #LINGER_MS}. */
    void linger(ClientSocket socket) {
        tasks.add(() -> {
            socket.startLingering();
            lingering.add(new Lingering(socket, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MS)));
        });
        selector.wakeup();
    }

    private record Lingering(ClientSocket socket, long deadline) {
    }

    /** Closes the connections that have lingered their time; returns how long until the next is due (0: none). */
    private long closeLingeringDue() {
        long now = System.nanoTime();
        for (Lingering l = lingering.peek(); l != null; l = lingering.peek()) {
            long left = l.deadline() - now;
            if (left > 0) {
                return Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
            }
            lingering.poll();
            l.socket().end(null);
        }
        return 0;
    }

    /** A connection has ended: the thread no longer waits for it. */
    void forget(ClientSocket socket) {
        if (sockets.remove(socket)) {
            selector.wakeup();
        }
    }

    @Override
    public void run() {
        try {
            while (!stopping && (accepting || !sockets.isEmpty())) {
                selector.select(closeLingeringDue());
                runTasks();
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("The selector of {} failed; its connections are closed", portName, e);
        } finally {
            for (ClientSocket s : sockets) {
                s.abort();
            }
            try {
                selector.close();
            } catch (IOException e) {
                LOG.debug("closing the selector: {}", e.toString());
            }
            closePort();
            runTasks();
        }
    }

    private void handle(SelectionKey key) {
        if (key.attachment() == null) {
            if (key.isValid() && key.isAcceptable()) {
                accept();
            }
            return;
        }
        ClientSocket socket = (ClientSocket) key.attachment();
        try {
            // A connection's actor may close its socket at any moment, which cancels its key.
            int ready = key.readyOps();
            if ((ready & SelectionKey.OP_READ) != 0) {
                socket.readable(readBuffer);
            }
            if ((ready & SelectionKey.OP_WRITE) != 0 && key.isValid()) {
                socket.writable();
            }
        } catch (CancelledKeyException e) {
            // ended meanwhile
        } catch (RuntimeException e) {
            // One connection's failure ends that connection, not the port.
            LOG.warn("Closing the connection from {}: {}", socket.remote(), e.toString());
            socket.end(e);
        }
    }

    private void accept() {
        SocketChannel channel;
        try {
            channel = server.accept();
        } catch (IOException e) {
            // Out of file descriptors, for example: the client sees its connect fail; the port goes on.
            LOG.warn("Cannot accept a connection on {}: {}", portName, e.toString());
            return;
        }
        if (channel == null) {
            return;
        }
        if (sockets.size() >= maxConnections) {
            LOG.warn("Closing a connection on {} as it was accepted: {} connections are open, the most it takes",
                    portName, sockets.size());
            try {
                channel.close();
            } catch (IOException closing) {
                // gone either way
            }
            return;
        }
        ClientSocket socket = null;
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
            socket = new ClientSocket(channel, this, remote);
            socket.registered(channel.register(selector, SelectionKey.OP_READ, socket));
            sockets.add(socket);
            socket.receiveWith(onAccept.apply(socket));
        } catch (IOException | RuntimeException e) {
            LOG.info("Dropping a connection on {} as it was accepted: {}", portName, e.toString());
            if (socket != null) {
                socket.end(e);
            } else {
                try {
                    channel.close();
                } catch (IOException closing) {
                    // gone either way
                }
            }
        }
    }
}
