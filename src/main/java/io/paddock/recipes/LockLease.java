package io.paddock.recipes;

import io.paddock.client.PaddockClient;

/**
 * What a lock, read-write lock side or semaphore gives its holder: the holder's znode, the
 * <b>fencing token</b>, and the session that owns the node.
 *
 * <p>The fencing token is the node's czxid, the zxid of the transaction that created it. Zxids
 * only grow, and a contender holds only after every node ahead of it in the queue is gone, so a
 * later holder of a mutex (or of the write side) always has a larger token than any earlier one.
 * A resource guarded by the lock should remember the largest token it has accepted and refuse
 * smaller ones: that, not the lock alone, protects it from a holder that lost its session (and
 * so the lock) without knowing it yet, for example while paused or partitioned.
 *
 * <p>The node is ephemeral: when the session expires the lease is gone. The holder hears of a
 * possible loss through the client's {@link io.paddock.client.ConnectionState}: on SUSPENDED it
 * should stop acting as the holder until RECONNECTED; on LOST the lease is certainly gone.
 */
public record LockLease(String path, long fencingToken, long sessionId) {

    /**
     * Whether the lease can still be held as far as this process can tell: the client is connected
     * and still on the session that created the node. A cheap local check, never proof; false is
     * certain once the session changed.
     */
    public boolean stillHeldBy(PaddockClient client) {
        return client.state().isConnected() && client.sessionId() == sessionId;
    }

    /** The fencing token in hex, as Paddock prints zxids. */
    public String fencingTokenHex() {
        return "0x" + Long.toHexString(fencingToken);
    }
}
