package io.paddock.zab;

import io.paddock.tree.TxnRecord;
import java.util.List;

/**
 * What a {@link Peer} asks of the world, to be carried out in the order given. Disk work is
 * asynchronous: each piece is reported back as an {@link Input} once durable, and the core sends
 * nothing that depends on it before then.
 */
public sealed interface Output {

    record Send(long to, PeerMessage message) implements Output {
    }

    /** Append to the log; {@link Input.Persisted} reports it forced. */
    record Append(TxnRecord record) implements Output {
    }

    /**
     * Drop every logged record after {@code zxid} and roll the tree back to it; then
     * {@link Input.Truncated}. Rolling back means reloading the tree from snapshot and log, as
     * ZooKeeper does: afterwards it holds every logged record up to {@code zxid}, including any the
     * core had not yet applied.
     */
    record Truncate(long zxid) implements Output {
    }

    /** Make this snapshot the whole durable state (tree and log); then {@link Input.SnapshotInstalled}. */
    record InstallSnapshot(long zxid, byte[] snapshot) implements Output {
    }

    /** Persist both epochs; then {@link Input.EpochsPersisted}. */
    record PersistEpochs(long acceptedEpoch, long currentEpoch) implements Output {
    }

    /** Leader: serialize the applied tree for a learner; answered by {@link Input.SnapshotReady}. */
    record TakeSnapshot(long forServer) implements Output {
    }

    /**
     * A committed record: apply it to the tree, strictly in the order given. {@code origin} and
     * {@code tag} name the server and {@link Input.Submit} it came from (0 and 0 when unknown),
     * so that the origin can answer its client.
     */
    record Apply(TxnRecord record, long origin, long tag) implements Output {
    }

    /** Leader: prepare this request against the tree and hand the record back as {@link Input.Propose}. */
    record Prepare(long origin, long tag, byte[] request) implements Output {
    }

    /** A submitted write or sync that cannot be carried out (no leader, not in sync). */
    record Refused(long tag, String reason) implements Output {
    }

    /** A sync is done once the tree has applied {@code zxid}. */
    record SyncDone(long tag, long zxid) implements Output {
    }

    /** Leader: sessions that learners report active. */
    record SessionsTouched(List<Long> sessionIds) implements Output {
    }

    /**
     * The peer's role changed. {@code serving}: clients may be served (a leader whose NEWLEADER a
     * quorum acknowledged, or a learner after UPTODATE). When it stops serving, every write and
     * sync still waiting for an answer has failed. A leader that starts serving numbers its first
     * proposal {@code Zxid.make(epoch, 1)}.
     */
    record RoleChanged(ServerState state, long leaderId, long epoch, boolean serving) implements Output {
    }
}
