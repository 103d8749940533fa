package io.paddock.api.zk;

import java.util.Arrays;
import java.util.Objects;

/**
 * A client's ConnectRequest, the first frame of a connection.
 *
 * @param protocolVersion  what the client sent (always 0 in practice; the server answers 0)
 * @param lastZxidSeen     the last zxid the client saw; a server behind it must not serve it
 * @param timeoutMs        the session timeout the client asks for
 * @param sessionId        0 for a new session, otherwise the session to resume
 * @param password         the session's password (empty when the client sent none)
 * @param readOnly         whether the client accepts a read-only server
 * @param readOnlyFlagSent true when the client appended the readOnly byte (clients since 3.4 do); the
 *                         ConnectResponse then ends with one too, as ZooKeeper answers
 */
public record ZkConnect(int protocolVersion, long lastZxidSeen, int timeoutMs, long sessionId, byte[] password,
                        boolean readOnly, boolean readOnlyFlagSent) {

    public ZkConnect {
        password = password == null ? new byte[0] : password;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZkConnect c
                && protocolVersion == c.protocolVersion
                && lastZxidSeen == c.lastZxidSeen
                && timeoutMs == c.timeoutMs
                && sessionId == c.sessionId
                && Arrays.equals(password, c.password)
                && readOnly == c.readOnly
                && readOnlyFlagSent == c.readOnlyFlagSent;
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocolVersion, lastZxidSeen, timeoutMs, sessionId, Arrays.hashCode(password), readOnly,
                readOnlyFlagSent);
    }

    /** Without the password, which is the session's only secret. */
    @Override
    public String toString() {
        return "ZkConnect[protocolVersion=" + protocolVersion + ", lastZxidSeen=0x" + Long.toHexString(lastZxidSeen)
                + ", timeoutMs=" + timeoutMs + ", sessionId=0x" + Long.toHexString(sessionId)
                + ", password=" + password.length + " bytes, readOnly=" + readOnly
                + ", readOnlyFlagSent=" + readOnlyFlagSent + "]";
    }
}
