package io.paddock.zab;

/**
 * The messages peers exchange (election notifications and ZAB's packets). Each is a record whose
 * fields are primitives, enums, Strings, byte arrays, lists of longs, {@link io.paddock.tree.TxnRecord}s
 * or lists of them, so that akka-serialization-jackson can carry it between servers.
 */
public interface PeerMessage {
}
