package io.paddock.server;

/** An open session: its id, the negotiated timeout, and the password a reconnect must present. */
public record SessionInfo(long sessionId, int timeoutMs, byte[] password) {
}
