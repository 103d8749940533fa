package io.paddock.api.zk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP forwarder between a client and a server on 127.0.0.1, which a test can use to cut the
 * client's connection ({@link #dropConnections}) or to make the server unreachable for a while
 * ({@link #block} / {@link #unblock}) without touching either side: the client sees a connection
 * loss, the server sees a client that went away. Or it can go silent ({@link #freeze} /
 * {@link #thaw}): then neither side sees anything at all until its own timeouts run out.
 */
public final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress upstream;
    private final ServerSocket listener;
    private final List<Socket> open = new ArrayList<>();
    private final Thread acceptor;
    private volatile boolean blocked;
    private volatile boolean frozen;
    private volatile boolean repliesDropped;
    private volatile boolean closed;

    public TcpProxy(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String connectString() {
        return "127.0.0.1:" + port();
    }

    /** Closes every forwarded connection now; new ones are forwarded as before. */
    public synchronized void dropConnections() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** Drops every connection and closes new ones at once, until {@link #unblock}. */
    public void block() {
        blocked = true;
        dropConnections();
    }

    public void unblock() {
        blocked = false;
    }

    /**
     * Goes silent until {@link #thaw}: every socket stays open but what arrives is dropped, and new
     * connections are held open without being forwarded, so the server hears no pings and no close.
     */
    public void freeze() {
        frozen = true;
    }

    /** Forwards again, dropping the silent connections so that the client makes new ones. */
    public void thaw() {
        frozen = false;
        dropConnections();
    }

    /**
     * Forwards what clients send but drops what the server answers, until {@link #forwardReplies}:
     * the server acts on a request whose answer the client never sees.
     */
    public void dropReplies() {
        repliesDropped = true;
    }

    public void forwardReplies() {
        repliesDropped = false;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (blocked) {
                closeQuietly(client);
                continue;
            }
            synchronized (this) {
                // Checked under the lock: a thaw in progress then still drops this held socket.
                if (frozen) {
                    open.add(client);
                    continue;
                }
            }
            try {
                Socket server = new Socket(upstream.getAddress(), upstream.getPort());
                synchronized (this) {
                    open.add(client);
                    open.add(server);
                }
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to, boolean towardClient) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    if (!frozen && !(towardClient && repliesDropped)) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side went away: close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        dropConnections();
    }
}
