package io.paddock.api.zk;

import io.paddock.server.Reply;
import io.paddock.tree.CreateMode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Op;
import io.paddock.tree.WatchedEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * ZooKeeper's client wire protocol as pure functions: frames in, {@link ZkConnect} and
 * {@link ZkRequest} out; Paddock's {@link Reply} and events in, frames out. Decoding takes a
 * frame's payload without its 4-byte length; every encoder returns a complete frame with it.
 *
 * <p>Decoding throws nothing but {@link ZkProtocolException}, for input after which the connection
 * must close; every length a frame declares is bounded by the bytes the frame holds. Requests that
 * parse but that ZooKeeper refuses with an error reply come back as {@link ZkRequest.Invalid}.
 * Encoding a result that cannot answer the opcode (a Data for a create) is a server bug:
 * IllegalArgumentException.
 */
public final class ZkCodec {

    private static final int CONNECT_PROTOCOL_VERSION = 0;
    private static final int PASSWORD_BYTES = 16;

    private ZkCodec() {
    }

    // ---- the handshake ----------------------------------------------------------------------

    /** The ConnectRequest, and whether the client appended the readOnly byte after it. */
    public static ZkConnect decodeConnect(ByteBuffer frame) throws ZkProtocolException {
        ZkInput in = new ZkInput(frame);
        try {
            int protocolVersion = in.readInt("protocolVersion");
            long lastZxidSeen = in.readLong("lastZxidSeen");
            int timeoutMs = in.readInt("timeOut");
            long sessionId = in.readLong("sessionId");
            byte[] password = in.readBuffer("passwd");
            // Clients before 3.4 end the record here; ZooKeeper reads the flag only if it is there.
            boolean flagSent = in.remaining() > 0;
            boolean readOnly = flagSent && in.readBool("readOnly");
            return new ZkConnect(protocolVersion, lastZxidSeen, timeoutMs, sessionId, password, readOnly, flagSent);
        } catch (IOException | RuntimeException e) {
            throw new ZkProtocolException("malformed ConnectRequest (" + frame.remaining() + " bytes): " + why(e), e);
        }
    }

    /**
     * The ConnectResponse: protocol version 0, the negotiated timeout, the session and its
     * password, then the readOnly byte (false) if the client sent one. An unknown or expired
     * session is answered with timeout 0, session 0 and 16 zero bytes, as ZooKeeper does; a null
     * password is sent as those 16 zero bytes.
     */
    public static byte[] connectResponse(ZkConnect request, int timeoutMs, long sessionId, byte[] password) {
        byte[] passwd = password == null ? new byte[PASSWORD_BYTES] : password;
        // Written field by field: jute 3.9.5's ConnectResponse always appends readOnly, but a
        // client that sent no readOnly byte expects none back.
        return ZkReplies.frame(out -> {
            out.writeInt(CONNECT_PROTOCOL_VERSION, "protocolVersion");
            out.writeInt(timeoutMs, "timeOut");
            out.writeLong(sessionId, "sessionId");
            out.writeBuffer(passwd, "passwd");
            if (request.readOnlyFlagSent()) {
                out.writeBool(false, "readOnly");
            }
        });
    }

    // ---- requests ---------------------------------------------------------------------------

    /** A request frame of an open connection: RequestHeader(xid, type), then the body. */
    public static ZkRequest decodeRequest(ByteBuffer frame) throws ZkProtocolException {
        ZkInput in = new ZkInput(frame);
        int xid;
        int type;
        try {
            xid = in.readInt("xid");
            type = in.readInt("type");
        } catch (IOException | RuntimeException e) {
            throw new ZkProtocolException("malformed RequestHeader (" + frame.remaining() + " bytes): " + why(e), e);
        }
        try {
            return ZkRequestDecoder.decode(xid, type, in);
        } catch (IOException | RuntimeException e) {
            throw new ZkProtocolException("malformed " + ZkOpCode.name(type) + " request (xid " + xid + "): " + why(e), e);
        }
    }

    // ---- replies ----------------------------------------------------------------------------

    /**
     * The reply to a request: ReplyHeader(xid, reply's zxid, err) and the body ZooKeeper sends
     * for {@code opCode} (a path for create, path and Stat for create2/createContainer/createTTL,
     * children without Stat for getChildren, with it for getChildren2, ...). An
     * {@link io.paddock.tree.OpResult.Error} is the header alone with its code.
     *
     * <p>Inside a multi each created node is reported as a plain create (a path); ZooKeeper reports
     * containers and TTL nodes created in a multi with their Stat (create2). Use
     * {@link #reply(ZkRequest.Operation, Reply)}, which knows the ops, to match that too.
     */
    public static byte[] reply(int xid, int opCode, Reply reply) {
        return ZkReplies.reply(xid, opCode, reply, i -> ZkOpCode.CREATE);
    }

    /** The reply to {@code request}, exactly as ZooKeeper shapes it, multis included. */
    public static byte[] reply(ZkRequest.Operation request, Reply reply) {
        return ZkReplies.reply(request.xid(), request.opCode(), reply, createTypes(request.op()));
    }

    /**
     * ZooKeeper's FinalRequestProcessor reports a create inside a multi as create (a path) and a
     * createContainer or createTTL as create2 (a path and Stat); the sub-op's type comes from its
     * flags alone (MultiOperationRecord rebuilds it with Op.create(..., flags)).
     */
    private static IntUnaryOperator createTypes(Op op) {
        if (!(op instanceof Op.Multi multi)) {
            return i -> ZkOpCode.CREATE;
        }
        List<Op> ops = multi.ops();
        return i -> {
            if (i < ops.size() && ops.get(i) instanceof Op.Create c) {
                CreateMode mode = c.mode();
                return mode != null && (mode.isContainer() || mode.isTtl()) ? ZkOpCode.CREATE2 : ZkOpCode.CREATE;
            }
            return ZkOpCode.CREATE;
        };
    }

    /** A ping's reply: xid -2 and the server's last zxid. */
    public static byte[] pingReply(long zxid) {
        return ZkReplies.header(ZkOpCode.PING_XID, zxid, ErrorCode.OK);
    }

    /**
     * An auth packet's reply: xid -4, zxid 0 (as ZooKeeper sends it), and OK or the failure. After
     * AuthFailed the client's state is AUTH_FAILED and ZooKeeper closes the connection.
     */
    public static byte[] authReply(ErrorCode code) {
        return ZkReplies.header(ZkOpCode.AUTH_XID, 0, code);
    }

    /** The reply to the setWatches a reconnecting client sends with xid -8. */
    public static byte[] setWatchesReply(long zxid) {
        return ZkReplies.header(ZkOpCode.SET_WATCHES_XID, zxid, ErrorCode.OK);
    }

    /** A header-only error reply to request {@code xid}. */
    public static byte[] errorReply(int xid, long zxid, ErrorCode code) {
        return ZkReplies.header(xid, zxid, code);
    }

    /**
     * A watch notification: xid -1, the zxid of the change that fired it (ZooKeeper 3.9), and
     * WatcherEvent(type, SyncConnected, path).
     */
    public static byte[] notification(WatchedEvent event) {
        return ZkReplies.notification(event);
    }

    private static String why(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
