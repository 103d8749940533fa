package io.paddock.bench;

import org.apache.jute.Record;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.ConnectResponse;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.WatcherEvent;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * One ZooKeeper session over its own TCP connection, used by one thread: a blocking
 * SocketChannel, the handshake (ConnectRequest, ConnectResponse), then requests written as
 * frames and replies read in the order the server sends them, which for one session is the
 * order of the requests. Replies that answer no request (watch events, pings) are skipped.
 * Nothing here reconnects: a connection that fails is done.
 */
final class ZkConnection implements AutoCloseable {

    /** Replies are read through this much buffer, so that one read takes in many pipelined replies. */
    private static final int READ_BUFFER = 64 << 10;
    /** A ConnectResponse without the readOnly byte that servers before 3.4 left out. */
    private static final int CONNECT_RESPONSE_WITHOUT_READ_ONLY = 4 + 4 + 8 + 4 + ZkWire.PASSWORD_BYTES;

    private final InetSocketAddress address;
    private final SocketChannel channel;
    private final InputStream in;
    private final ZkWire.Encoder encoder = new ZkWire.Encoder();
    private final ZkWire.Frame frame = new ZkWire.Frame();
    private final ReplyHeader header = new ReplyHeader();
    private final byte[] lengthBytes = new byte[4];
    private long sessionId;
    private int sessionTimeoutMs;
    private int lastXid;
    /** True while a frame has been read in part: a read timeout then is no longer a quiet wait. */
    private volatile boolean midFrame;

    private ZkConnection(InetSocketAddress address, SocketChannel channel, InputStream in) {
        this.address = address;
        this.channel = channel;
        this.in = in;
    }

    /**
     * Connects to {@code address} (resolving its name now) and opens a new session. A reply that
     * does not come within {@code readTimeout} fails the read with a SocketTimeoutException.
     */
    static ZkConnection open(InetSocketAddress address, Duration connectTimeout, Duration readTimeout)
            throws IOException {
        InetSocketAddress resolved = address.isUnresolved()
                ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            // The channel's socket adaptor honours both timeouts on a blocking channel.
            channel.socket().connect(resolved, (int) connectTimeout.toMillis());
            channel.socket().setSoTimeout((int) readTimeout.toMillis());
            ZkConnection connection = new ZkConnection(address, channel,
                    new BufferedInputStream(channel.socket().getInputStream(), READ_BUFFER));
            connection.handshake();
            return connection;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void handshake() throws IOException {
        encoder.clear();
        encoder.appendRecord(new ConnectRequest(ZkWire.PROTOCOL_VERSION, 0, ZkWire.SESSION_TIMEOUT_MS, 0,
                new byte[ZkWire.PASSWORD_BYTES], false));
        send();
        readFrame();
        if (frame.length() == CONNECT_RESPONSE_WITHOUT_READ_ONLY) {
            // Read as if the byte were there, and 0: not read-only.
            frame.padTo(CONNECT_RESPONSE_WITHOUT_READ_ONLY + 1);
        }
        ConnectResponse response = new ConnectResponse();
        response.deserialize(frame.archive(), "connect");
        if (response.getTimeOut() <= 0) {
            throw new IOException(describe() + " refused the session (negotiated timeout "
                    + response.getTimeOut() + ")");
        }
        sessionId = response.getSessionId();
        sessionTimeoutMs = response.getTimeOut();
    }

    long sessionId() {
        return sessionId;
    }

    int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    /** host:port as given, for messages. */
    String describe() {
        return address.getHostString() + ":" + address.getPort();
    }

    /** The xid for the next request: increasing from 1, as ZooKeeper's client numbers them. */
    int nextXid() {
        return ++lastXid;
    }

    /** The buffer the next requests are built in: clear it, append them, then {@link #send()}. */
    ZkWire.Encoder requests() {
        return encoder;
    }

    /** Writes every frame appended since the encoder was cleared. */
    void send() throws IOException {
        ByteBuffer frames = encoder.frames();
        while (frames.hasRemaining()) {
            channel.write(frames);
        }
    }

    /**
     * Reads the next reply to one of our requests, skipping watch events and pings (negative
     * xids). Its body, if any, is what the frame's archive reads next, until the next read.
     */
    ReplyHeader readReply() throws IOException {
        while (true) {
            readAny();
            if (header.getXid() >= 0) {
                return header;
            }
        }
    }

    /** Reads the next frame's header, whatever it is: a reply, a watch event (xid -1), a ping's answer (-2). */
    ReplyHeader readAny() throws IOException {
        readFrame();
        header.deserialize(frame.archive(), "header");
        return header;
    }

    /**
     * Waits for the next watch event and returns it; called with no request in flight, so a reply
     * to a request is a broken stream. A reply that does not come within the read timeout fails
     * it with a SocketTimeoutException.
     */
    WatcherEvent awaitEvent() throws IOException {
        while (true) {
            ReplyHeader h = readAny();
            if (h.getXid() == ZkWire.NOTIFICATION_XID) {
                WatcherEvent event = new WatcherEvent();
                event.deserialize(frame.archive(), "event");
                return event;
            }
            if (h.getXid() >= 0) {
                throw new IOException(describe() + " answered xid " + h.getXid() + " while no request was in flight");
            }
        }
    }

    /**
     * Ends the session (closeSession) and waits for the server to confirm it; a failure is thrown,
     * so that a caller that measures sessions sees it. The connection is closed either way.
     */
    void endSession() throws IOException {
        try {
            int xid = nextXid();
            encoder.clear();
            encoder.append(xid, ZkWire.CLOSE_SESSION, null);
            send();
            while (readReply().getXid() != xid) {
                // a reply to a request sent before the close
            }
        } finally {
            close();
        }
    }

    /**
     * Sends {@code request} as {@code type} and waits for its reply; with no error, reads the
     * reply's body into {@code response} (unless null). Returns the reply's error code, 0 for none.
     */
    int call(int type, Record request, Record response) throws IOException {
        int xid = nextXid();
        encoder.clear();
        encoder.append(xid, type, request);
        send();
        ReplyHeader reply = readReply();
        if (reply.getXid() != xid) {
            throw new IOException(describe() + " answered xid " + reply.getXid() + " to request " + xid);
        }
        if (reply.getErr() == 0 && response != null) {
            response.deserialize(frame.archive(), "response");
        }
        return reply.getErr();
    }

    /**
     * Ends the session (closeSession) and waits for the server to confirm it, then closes the
     * connection; any reply still owed arrives first and is dropped. A failure only closes the
     * connection: the session then expires on the server by itself.
     */
    void closeSession() {
        try {
            endSession();
        } catch (IOException e) {
            // The server may close the connection as it confirms; either way the session is over.
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
    }

    /** Whether the last read stopped inside a frame (its length read in part, or its body). */
    boolean midFrame() {
        return midFrame;
    }

    private void readFrame() throws IOException {
        readFully(lengthBytes, 4);
        int length = ((lengthBytes[0] & 0xff) << 24) | ((lengthBytes[1] & 0xff) << 16)
                | ((lengthBytes[2] & 0xff) << 8) | (lengthBytes[3] & 0xff);
        if (length < 0 || length > ZkWire.MAX_FRAME) {
            throw new IOException(describe() + " sent a frame of " + length + " bytes, not a ZooKeeper reply");
        }
        readFully(frame.prepare(length), length);
        midFrame = false;
    }

    private void readFully(byte[] into, int n) throws IOException {
        int done = 0;
        while (done < n) {
            int read = in.read(into, done, n - done);
            if (read < 0) {
                throw new EOFException(describe() + " closed the connection");
            }
            done += read;
            midFrame = true;
        }
    }
}
