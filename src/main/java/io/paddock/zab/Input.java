package io.paddock.zab;

import io.paddock.tree.TxnRecord;
import java.util.List;

/**
 * What steps a {@link Peer}: time, peer messages, the completion of disk work it asked for, and
 * the requests of this server's clients. Disk completions arrive in the order the work was
 * asked for.
 */
public sealed interface Input {

    /** Half a tick has passed (the actor sends one every tickTime / 2). */
    record Tick() implements Input {
    }

    /**
     * A short while has passed (ZooKeeper's finalizeWait; the actor sends one every 200 ms, or
     * every half tick when that is shorter). A decision that waits for a late voter to answer
     * (election, and the new leader's choice of epoch) is taken at the next Settle or Tick,
     * whichever comes first, so that one dead server does not cost half a tick twice over.
     * Nothing else counts Settles: every limit is in Ticks.
     */
    record Settle() implements Input {
    }

    /** A message from server {@code from}. Links keep order, but may drop messages or break. */
    record Received(long from, PeerMessage message) implements Input {
    }

    /** Every record appended up to and including {@code zxid} is forced to the log. */
    record Persisted(long zxid) implements Input {
    }

    /** The log holds nothing after {@code zxid}, durably, and the tree is back at {@code zxid}. */
    record Truncated(long zxid) implements Input {
    }

    /** The snapshot of {@link Output.InstallSnapshot} is the durable state, tree included. */
    record SnapshotInstalled(long zxid) implements Input {
    }

    record EpochsPersisted(long acceptedEpoch, long currentEpoch) implements Input {
    }

    /** The answer to {@link Output.TakeSnapshot}: the applied tree at {@code zxid}, serialized. */
    record SnapshotReady(long forServer, long zxid, byte[] snapshot) implements Input {
    }

    /** The leader's tree prepared a request (its own client's or a learner's) into this record. */
    record Propose(TxnRecord record, long origin, long tag) implements Input {
    }

    /** A write from one of this server's clients; {@code tag} is unique to this server's run. */
    record Submit(long tag, byte[] request) implements Input {
    }

    /** A sync from one of this server's clients. */
    record SubmitSync(long tag) implements Input {
    }

    /**
     * The transport lost touch with server {@code id} (Akka Cluster marked it unreachable, or its
     * peer port refuses connections): a hint, never a decision. A learner whose leader it is stops
     * waiting out syncLimit and looks for a leader at once, as a ZooKeeper follower does when its
     * leader's TCP connection resets. Going LOOKING is always safe; nothing else changes.
     */
    record PeerUnreachable(long id) implements Input {
    }

    /** Sessions whose clients this server has heard from since the last Touched. */
    record Touched(List<Long> sessionIds) implements Input {
    }
}
