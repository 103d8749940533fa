package io.paddock.tree;

/**
 * What {@link TxnPrep} made of a request.
 *
 * @param record the transaction to log, replicate and apply; null only when there is nothing to
 *               log (a Reap that is no longer due), in which case the zxid was not used
 * @param error  null when the write was accepted; otherwise why it was refused, and the record
 *               then holds a {@link Txn.Error} (or, for a multi, a {@link Txn.Multi} of them) that
 *               still takes its zxid
 */
public record Prepared(TxnRecord record, OpResult.Error error) {

    /** True when the write was refused. */
    public boolean refused() {
        return error != null;
    }
}
