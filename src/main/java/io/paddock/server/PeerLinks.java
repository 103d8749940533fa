package io.paddock.server;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP links between the servers of an ensemble, on each server's peer port: every peer
 * message travels on them, as ZooKeeper's do on its quorum and election ports. Each server
 * connects to every other one and sends on that connection only; what it receives comes on the
 * connections the others opened to it. So each direction of a pair is one TCP stream.
 *
 * <p>What a link promises is what ZAB needs from it: messages from one server to another arrive
 * in the order they were sent, or not at all. A broken connection loses what was in flight and
 * what was queued for it; the next connection carries what is sent after. The ZAB core heals such
 * a gap (a proposal names the one before it, ACK and COMMIT are cumulative, pings repeat the
 * commit point), as it would after a ZooKeeper learner reconnects. A newer connection from a peer
 * replaces the older one only once the older one's reader has delivered its last message, so
 * messages of two connections never interleave.
 *
 * <p>Nothing here blocks the peer actor. A message to an idle link is written at once, on the
 * sender's thread, by a non-blocking write; what the socket does not take, and what is sent while
 * anything waits, queues for the link's own thread, which writes all of it in one gathering write
 * once the socket takes more: that is where a busy leader's messages batch. Each connection is
 * read by a thread of its own, with a blocking socket.
 *
 * <p>A connection starts with a handshake: {@link #MAGIC}, the sender's server id, the receiver's
 * server id. A connection that fails it (a stranger, a server of another ensemble, a probe that
 * only checks the port is open) is closed with a log line naming why, and nothing else changes.
 */
public final class PeerLinks implements AutoCloseable {

    /** Receives each message's bytes, in order per sender, on the reader's thread. */
    interface Receiver {
        void received(long from, byte[] payload);
    }

    /** "PDK1": the first four bytes of every connection. */
    static final int MAGIC = 0x50444b31;
    /** A tree sent to a learner travels as one frame: the bound is far above any real snapshot. */
    static final int MAX_FRAME_BYTES = 1 << 30;
    /** Bytes queued for one peer before further messages to it are dropped (as a broken link would). */
    static final long MAX_QUEUED_BYTES = 256L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(PeerLinks.class);
    private static final int HANDSHAKE_TIMEOUT_MS = 5_000;
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final long MIN_BACKOFF_MS = 20;
    private static final long MAX_BACKOFF_MS = 500;
    private static final long REPLACE_WAIT_MS = 5_000;

    private final long myId;
    private final ServerSocket listener;
    private final Map<Long, Outbound> outbound = new HashMap<>();
    private final Map<Long, Inbound> inbound = new ConcurrentHashMap<>();
    private volatile Map<Long, InetSocketAddress> peers = Map.of();
    private volatile Receiver receiver;
    private volatile boolean closed;

    private PeerLinks(long myId, ServerSocket listener) {
        this.myId = myId;
        this.listener = listener;
    }

    /**
     * Binds this server's peer port; nothing is accepted or sent before {@link #start}. Port 0
     * takes a free port ({@link #localPort()}).
     */
    public static PeerLinks bind(long myId, InetSocketAddress address) throws IOException {
        ServerSocket listener = new ServerSocket();
        try {
            listener.setReuseAddress(true);
            listener.bind(address, 64);
        } catch (IOException e) {
            listener.close();
            throw new IOException("cannot listen on the peer port " + address + ": " + e.getMessage(), e);
        }
        return new PeerLinks(myId, listener);
    }

    public int localPort() {
        return listener.getLocalPort();
    }

    /**
     * Starts accepting the other servers' connections and connecting to theirs.
     *
     * @param peerAddresses the peer ports of the other servers (this server's own entry, if
     *                      present, is ignored)
     */
    synchronized void start(Map<Long, InetSocketAddress> peerAddresses, Receiver receiver) {
        if (this.receiver != null) {
            throw new IllegalStateException("peer links of server " + myId + " already started");
        }
        Map<Long, InetSocketAddress> others = new HashMap<>(peerAddresses);
        others.remove(myId);
        this.peers = Map.copyOf(others);
        this.receiver = receiver;
        others.forEach((id, address) -> {
            Outbound link = new Outbound(id, address);
            outbound.put(id, link);
            daemon(link::run, "paddock-peer-" + myId + "-to-" + id).start();
        });
        daemon(this::acceptLoop, "paddock-peer-" + myId + "-accept").start();
    }

    /** Queues {@code payload} for server {@code to}; never blocks. */
    void send(long to, byte[] payload) {
        Outbound link = outbound.get(to);
        if (link == null) {
            throw new IllegalArgumentException("server " + to + " is not a peer of server " + myId);
        }
        link.offer(payload);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(listener);
        outbound.values().forEach(Outbound::close);
        inbound.values().forEach(Inbound::close);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = listener.accept();
                daemon(new Inbound(socket)::run, "paddock-peer-" + myId + "-from-" + socket.getRemoteSocketAddress())
                        .start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("Server {} cannot accept a peer connection: {}", myId, e.toString());
                }
            }
        }
    }

    /**
     * One peer's outgoing messages. While the link is idle, {@link #offer} writes a message on the
     * sender's own thread, without blocking: that saves waking a thread for every message of a
     * write (a proposal, an ack, a commit), a few tens of microseconds each. Whatever the socket
     * does not take at once, and whatever is sent meanwhile, queues for the link's thread, which
     * waits until the socket takes more and writes everything queued in one gathering write. The
     * link's thread also connects, and reconnects after a failure.
     */
    private final class Outbound {
        private final long peerId;
        private final InetSocketAddress address;
        /** Frames not yet written, each its length and its payload; the first may be partly written. */
        private final ArrayDeque<ByteBuffer[]> queue = new ArrayDeque<>();
        private long queuedBytes;
        private long dropped;
        /** Connected and past the handshake, or null. */
        private SocketChannel channel;
        /** A thread (a sender, or the link's) is writing on {@link #channel}. */
        private boolean writing;
        /** Why a sender's write failed: the link's thread reconnects. */
        private IOException broken;
        /** Frames the link's thread took for its current write (lost with the connection if it fails). */
        private int inFlight;
        private boolean stopped;
        /** The link's thread waits on it until a full socket takes more. */
        private volatile Selector selector;

        Outbound(long peerId, InetSocketAddress address) {
            this.peerId = peerId;
            this.address = address;
        }

        void offer(byte[] payload) {
            ByteBuffer[] frame = {ByteBuffer.allocate(4).putInt(0, payload.length), ByteBuffer.wrap(payload)};
            SocketChannel direct;
            synchronized (this) {
                if (stopped) {
                    return;
                }
                if (channel == null || writing || broken != null || !queue.isEmpty()) {
                    enqueue(frame);
                    return;
                }
                writing = true;
                direct = channel;
            }
            IOException failure = null;
            try {
                direct.write(frame); // non-blocking: what the socket takes now
            } catch (IOException e) {
                failure = e;
            }
            synchronized (this) {
                writing = false;
                if (failure != null) {
                    broken = failure;
                } else if (frame[1].hasRemaining()) {
                    // Nothing else is queued: a sender writes only to an empty queue.
                    queue.add(frame);
                    queuedBytes += frame[0].remaining() + frame[1].remaining();
                }
                if (broken != null || !queue.isEmpty()) {
                    notifyAll();
                }
            }
        }

        private void enqueue(ByteBuffer[] frame) {
            long length = frame[0].remaining() + frame[1].remaining();
            if (queuedBytes + length > MAX_QUEUED_BYTES) {
                if (dropped++ == 0) {
                    LOG.warn("Server {} has {} bytes queued for server {}: dropping messages to it until the link "
                            + "drains", myId, queuedBytes, peerId);
                }
                return;
            }
            boolean wasEmpty = queue.isEmpty();
            queue.add(frame);
            queuedBytes += length;
            if (wasEmpty) {
                notifyAll();
            }
        }

        synchronized void close() {
            stopped = true;
            queue.clear();
            queuedBytes = 0;
            closeQuietly(channel);
            Selector s = selector;
            if (s != null) {
                s.wakeup();
            }
            notifyAll();
        }

        void run() {
            long backoff = MIN_BACKOFF_MS;
            boolean everConnected = false;
            try {
                selector = Selector.open();
            } catch (IOException e) {
                LOG.error("Server {} cannot open a selector for its link to server {}: {}", myId, peerId, e.toString());
                return;
            }
            try {
                while (!isStopped()) {
                    SocketChannel ch;
                    try {
                        ch = connect();
                    } catch (IOException e) {
                        // Nothing queued for an unreachable peer is kept: a stale backlog would only
                        // arrive late, and the core resends whatever still matters.
                        discardQueued();
                        if (!pause(backoff)) {
                            return;
                        }
                        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                        continue;
                    }
                    backoff = MIN_BACKOFF_MS;
                    if (!everConnected) {
                        LOG.debug("Server {} connected to server {} at {}", myId, peerId, address);
                        everConnected = true;
                    }
                    try {
                        drain(ch);
                        return;
                    } catch (IOException e) {
                        int lost = disconnect(ch);
                        if (!isStopped()) {
                            LOG.info("Server {}'s link to server {} broke ({}); {} messages lost with it, reconnecting",
                                    myId, peerId, e.getMessage(), lost);
                        }
                    }
                }
            } finally {
                closeQuietly(selector);
            }
        }

        /** Writes what queues until the links close (returns) or the connection fails (throws). */
        private void drain(SocketChannel ch) throws IOException {
            SelectionKey key = ch.register(selector, 0);
            List<ByteBuffer> batch = new ArrayList<>();
            while (true) {
                synchronized (this) {
                    while (!stopped && broken == null && (queue.isEmpty() || writing)) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    if (stopped) {
                        return;
                    }
                    if (broken != null) {
                        throw broken;
                    }
                    for (ByteBuffer[] frame : queue) {
                        batch.add(frame[0]);
                        batch.add(frame[1]);
                    }
                    inFlight = queue.size();
                    queue.clear();
                    queuedBytes = 0;
                    dropped = 0;
                    writing = true;
                }
                try {
                    writeAll(ch, key, batch.toArray(ByteBuffer[]::new));
                    inFlight = 0;
                } finally {
                    batch.clear();
                    synchronized (this) {
                        writing = false;
                    }
                }
            }
        }

        private void writeAll(SocketChannel ch, SelectionKey key, ByteBuffer[] buffers) throws IOException {
            int first = 0;
            while (first < buffers.length) {
                if (ch.write(buffers, first, buffers.length - first) == 0) {
                    // The socket is full (the peer is slow to read): wait until it takes more.
                    key.interestOps(SelectionKey.OP_WRITE);
                    selector.select(1000);
                    selector.selectedKeys().clear();
                    key.interestOps(0);
                    if (isStopped()) {
                        return;
                    }
                }
                while (first < buffers.length && !buffers[first].hasRemaining()) {
                    first++;
                }
            }
        }

        private SocketChannel connect() throws IOException {
            SocketChannel ch = SocketChannel.open();
            try {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                // Resolved anew on every attempt: a peer's name may resolve only once its host is up.
                ch.socket().connect(new InetSocketAddress(address.getHostString(), address.getPort()),
                        CONNECT_TIMEOUT_MS);
                Socket s = ch.socket();
                if (s.getLocalPort() == s.getPort() && s.getLocalAddress().equals(s.getInetAddress())) {
                    // A connect from an ephemeral port that happens to be the peer's own port, while
                    // nothing listens there, connects the socket to itself; it would hold the port
                    // the peer is about to bind again.
                    throw new SocketException("connected to itself on " + address + " (the peer is down)");
                }
                ByteBuffer handshake = ByteBuffer.allocate(4 + 8 + 8).putInt(MAGIC).putLong(myId).putLong(peerId).flip();
                while (handshake.hasRemaining()) {
                    ch.write(handshake);
                }
                ch.configureBlocking(false);
                synchronized (this) {
                    if (stopped) {
                        throw new SocketException("links closed");
                    }
                    channel = ch;
                }
                return ch;
            } catch (IOException e) {
                closeQuietly(ch);
                throw e;
            }
        }

        /**
         * Closes a broken connection. What was in flight is lost, and so is the rest of a frame
         * partly written: only whole frames wait in the queue for the next connection.
         */
        private synchronized int disconnect(SocketChannel ch) {
            closeQuietly(ch);
            channel = null;
            int lost = inFlight + (broken != null ? 1 : 0);
            inFlight = 0;
            broken = null;
            ByteBuffer[] first = queue.peek();
            if (first != null && first[0].position() > 0) {
                queue.poll();
                queuedBytes -= first[0].remaining() + first[1].remaining();
                lost++;
            }
            return lost;
        }

        private synchronized void discardQueued() {
            queue.clear();
            queuedBytes = 0;
        }

        /** Sleeps {@code ms} unless closed first; false once the links are closed. */
        private synchronized boolean pause(long ms) {
            long until = System.nanoTime() + ms * 1_000_000L;
            long left = ms;
            while (!stopped && left > 0) {
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                left = (until - System.nanoTime()) / 1_000_000L;
            }
            return !stopped;
        }

        private synchronized boolean isStopped() {
            return stopped;
        }
    }

    /** One accepted connection: its handshake, then its messages handed to the receiver in order. */
    private final class Inbound {
        private final Socket socket;
        private volatile Thread thread;

        Inbound(Socket socket) {
            this.socket = socket;
        }

        void run() {
            thread = Thread.currentThread();
            long from = -1;
            try {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), BUFFER_BYTES));
                from = handshake(in);
                socket.setSoTimeout(0);
                Inbound previous = inbound.put(from, this);
                if (previous != null) {
                    previous.closeAndWait();
                }
                if (closed) {
                    return;
                }
                while (true) {
                    int length = in.readInt();
                    if (length < 0 || length > MAX_FRAME_BYTES) {
                        throw new ProtocolException("a frame of " + length + " bytes (at most " + MAX_FRAME_BYTES
                                + ")");
                    }
                    byte[] payload = new byte[length];
                    in.readFully(payload);
                    receiver.received(from, payload);
                }
            } catch (EOFException e) {
                if (from < 0) {
                    LOG.debug("Server {}: a connection from {} closed before its handshake", myId,
                            socket.getRemoteSocketAddress());
                } else if (!closed) {
                    LOG.info("Server {}'s link from server {} closed", myId, from);
                }
            } catch (ProtocolException e) {
                LOG.warn("Server {} closes the peer connection from {}{}: {}", myId, socket.getRemoteSocketAddress(),
                        from < 0 ? "" : " (server " + from + ")", e.getMessage());
            } catch (IOException e) {
                if (!closed && !socket.isClosed()) {
                    LOG.info("Server {}'s link from {} broke: {}", myId, from < 0 ? socket.getRemoteSocketAddress()
                            : "server " + from, e.toString());
                }
            } finally {
                if (from >= 0) {
                    inbound.remove(from, this);
                }
                closeQuietly(socket);
            }
        }

        private long handshake(DataInputStream in) throws IOException {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new ProtocolException("not a Paddock peer: it began with 0x" + Integer.toHexString(magic)
                        + ", not 0x" + Integer.toHexString(MAGIC));
            }
            long from = in.readLong();
            long to = in.readLong();
            if (to != myId) {
                throw new ProtocolException("it is meant for server " + to + ", and this is server " + myId);
            }
            if (!peers.containsKey(from)) {
                throw new ProtocolException("server " + from + " is not a peer of this server (peers " + peers.keySet()
                        + ")");
            }
            return from;
        }

        void close() {
            closeQuietly(socket);
        }

        /** Closes this connection and waits for its reader to deliver its last message. */
        void closeAndWait() {
            close();
            Thread t = thread;
            if (t != null && t != Thread.currentThread()) {
                try {
                    t.join(REPLACE_WAIT_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // Closing is all that is left to do with it.
        }
    }
}
