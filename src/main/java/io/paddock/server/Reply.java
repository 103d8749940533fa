package io.paddock.server;

import io.paddock.tree.OpResult;

/**
 * The answer to one request: its result and the zxid ZooKeeper would put in the reply header
 * (the request's own zxid for a write, the last applied zxid for a read).
 */
public record Reply(long zxid, OpResult result) {
}
