package io.paddock.server;

/** GET /v1/status: what the server is and holds now. */
public record ServerStatus(
        String mode,
        long serverId,
        long zxid,
        long nodeCount,
        long sessionCount,
        long watchCount,
        String version) {
}
