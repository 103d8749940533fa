package io.paddock.tree;

import java.util.List;

/**
 * The body of a transaction: an idempotent description of one change, with every decision
 * (sequential names, versions, times) already taken by {@link TxnPrep}. Applying the same
 * transactions in zxid order to an empty {@link DataTree} always gives the same tree.
 */
public sealed interface Txn {

    record CreateSession(int timeoutMs) implements Txn {
    }

    /** Ends the session of the record's header and deletes all its ephemerals atomically. */
    record CloseSession() implements Txn {
    }

    /**
     * Creates {@code path} (already carrying its sequential suffix). {@code parentCversion} is the
     * parent's cversion after this create. Ephemeral nodes are owned by the header's session.
     */
    record Create(String path, byte[] data, List<Acl> acl, CreateMode mode, long ttlMs, int parentCversion)
            implements Txn {
    }

    record Delete(String path) implements Txn {
    }

    /** Sets data; {@code version} is the node's new data version. */
    record SetData(String path, byte[] data, int version) implements Txn {
    }

    /** Sets the ACL; {@code version} is the node's new aversion. */
    record SetAcl(String path, List<Acl> acl, int version) implements Txn {
    }

    /** A version check that held (changes nothing). */
    record Check(String path, int version) implements Txn {
    }

    /** All-or-nothing; a failed multi holds only {@link Error} entries and changes nothing. */
    record Multi(List<Txn> txns) implements Txn {
    }

    /** A write that was refused: it still takes its zxid, as in ZooKeeper. */
    record Error(ErrorCode code) implements Txn {
    }
}
