package io.paddock.api.zk;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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
 * The ZooKeeper port's I/O thread, as ZooKeeper's own NIO server has: one selector that accepts
 * connections, reads what clients send (handing it to each connection's receiver) and finishes
 * the writes a socket could not take at once. Writes themselves start on the writer's thread
 * ({@link ZkSocket#write}), so a reply reaches the socket without a hand-over; reading a request
 * takes one hand-over, to the connection's actor.
 *
 * <p>The thread ends when the selector stops accepting and its last connection has ended, or at
 * {@link #shutdown}.
 */
final class ZkSelector implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ZkSelector.class);

    /** Bytes read from one socket at a time. */
    static final int READ_CHUNK = 64 * 1024;
    /** How long {@link #stopAccepting} waits for the port to close. */
    private static final long STOP_TIMEOUT_MS = 10_000;

    private final Selector selector;
    private final ServerSocketChannel server;
    private final Function<ZkSocket, ZkSocket.Receiver> onAccept;
    private final ZkFrontEnd frontEnd;
    private final Set<ZkSocket> sockets = ConcurrentHashMap.newKeySet();
    /** Work for the selector's thread, run after each select. */
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_CHUNK);
    private final InetSocketAddress localAddress;
    private final Thread thread;
    private volatile boolean accepting = true;
    private volatile boolean stopping;

    /**
     * @param onAccept gives each accepted connection the receiver of its input (its actor), on
     *                 this selector's thread, before anything is read from it
     */
    private ZkSelector(Selector selector, ServerSocketChannel server, ZkFrontEnd frontEnd,
                       Function<ZkSocket, ZkSocket.Receiver> onAccept, String threadName) throws IOException {
        this.selector = selector;
        this.localAddress = (InetSocketAddress) server.getLocalAddress();
        this.server = server;
        this.frontEnd = frontEnd;
        this.onAccept = onAccept;
        this.thread = new Thread(this, threadName);
        this.thread.setDaemon(true);
    }

    /** Binds {@code address} (port 0: a free port) and starts the thread. */
    static ZkSelector open(InetSocketAddress address, ZkFrontEnd frontEnd,
                           Function<ZkSocket, ZkSocket.Receiver> onAccept, String threadName) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address, 1024);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            ZkSelector s = new ZkSelector(selector, server, frontEnd, onAccept, threadName);
            s.thread.start();
            return s;
        } catch (IOException e) {
            server.close();
            selector.close();
            throw e;
        }
    }

    /** The address bound, port included (kept after {@link #stopAccepting}). */
    InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Stops accepting connections, and returns once the port is closed (a node started again
     * may bind it at once); open connections go on.
     */
    void stopAccepting() {
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
            LOG.warn("The ZooKeeper port's selector did not close the port within {} ms", STOP_TIMEOUT_MS);
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
            LOG.debug("closing the ZooKeeper port: {}", e.toString());
        }
        accepting = false;
    }

    private void runTasks() {
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            task.run();
        }
    }

    /** Ends every open connection now. */
    void closeConnections() {
        for (ZkSocket s : sockets) {
            s.abort();
        }
        selector.wakeup();
    }

    /** Stops accepting, ends every connection and the thread. */
    void shutdown() {
        stopping = true;
        closeConnections();
        selector.wakeup();
    }

    /** Whether the selector's thread still runs. */
    boolean running() {
        return thread.isAlive();
    }

    void wakeup() {
        selector.wakeup();
    }

    /** A connection has ended: the thread no longer waits for it. */
    void forget(ZkSocket socket) {
        if (sockets.remove(socket)) {
            frontEnd.closed(socket.stats());
            selector.wakeup();
        }
    }

    @Override
    public void run() {
        try {
            while (!stopping && (accepting || !sockets.isEmpty())) {
                selector.select();
                runTasks();
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("The ZooKeeper port's selector failed; its connections are closed", e);
        } finally {
            for (ZkSocket s : sockets) {
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
        ZkSocket socket = (ZkSocket) key.attachment();
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
            LOG.warn("Cannot accept a connection on the ZooKeeper port: {}", e.toString());
            return;
        }
        if (channel == null) {
            return;
        }
        ZkSocket socket = null;
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
            socket = new ZkSocket(channel, this, remote, new ZkConnectionStats(remote, System.currentTimeMillis()));
            socket.registered(channel.register(selector, SelectionKey.OP_READ, socket));
            sockets.add(socket);
            frontEnd.opened(socket.stats());
            socket.receiveWith(onAccept.apply(socket));
        } catch (IOException | RuntimeException e) {
            LOG.info("Dropping a connection on the ZooKeeper port as it was accepted: {}", e.toString());
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
