package io.paddock.tree;

/**
 * One transaction as logged, replicated and applied: its zxid, the session and client xid
 * (cxid) of the request it came from, the time the server gave it, and its body.
 */
public record TxnRecord(long zxid, long sessionId, int cxid, long timeMs, Txn txn) {
}
