package io.paddock.client;

/** What {@code GET /v1/status} says of the server a client is using. */
public record ServerInfo(String mode, long serverId, long zxid, long nodeCount, long sessionCount, long watchCount,
                         String version) {
}
