package io.paddock.api.zk;

import io.paddock.tree.ErrorCode;
import io.paddock.tree.Op;

/**
 * One request frame of an open connection, decoded by {@link ZkCodec#decodeRequest}: its xid and
 * opcode from the RequestHeader, and what the body asks for.
 */
public sealed interface ZkRequest {

    /** The client's number for the request, echoed in the reply header. */
    int xid();

    /** The request type, a {@link ZkOpCode} number. */
    int opCode();

    /** A heartbeat (xid -2); the client does not match its reply against pending requests. */
    record Ping(int xid) implements ZkRequest {
        @Override
        public int opCode() {
            return ZkOpCode.PING;
        }
    }

    /**
     * addauth (xid -4). {@code scheme} is "" and {@code auth} empty when the client sent none, so
     * that the server refuses it as AuthFailed rather than trip over a null.
     */
    record Auth(int xid, String scheme, byte[] auth) implements ZkRequest {
        public Auth {
            scheme = scheme == null ? "" : scheme;
            auth = auth == null ? new byte[0] : auth;
        }

        @Override
        public int opCode() {
            return ZkOpCode.AUTH;
        }

        /** Without the credential. */
        @Override
        public String toString() {
            return "Auth[xid=" + xid + ", scheme=" + scheme + ", auth=" + auth.length + " bytes]";
        }
    }

    /** The client ends its session; the reply is the last frame of the connection. */
    record CloseSession(int xid) implements ZkRequest {
        @Override
        public int opCode() {
            return ZkOpCode.CLOSE_SESSION;
        }
    }

    /**
     * Any other request, as the {@link Op} the server executes. The opcode tells how the answer is
     * shaped on the wire (create answers a path, create2 a path and a Stat, and so on).
     */
    record Operation(int xid, int opCode, Op op) implements ZkRequest {
    }

    /**
     * A request ZooKeeper answers with an error while the connection stays open: invalid create
     * flags, a null path, an unknown watcher type, reconfig, SASL. The reply is
     * {@link ZkCodec#errorReply} with {@code code}; {@code message} is for the log.
     */
    record Invalid(int xid, int opCode, ErrorCode code, String message) implements ZkRequest {
    }
}
