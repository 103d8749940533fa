package io.paddock.zab;

import io.paddock.tree.TxnRecord;
import java.util.List;

/**
 * The messages peers exchange (election notifications and ZAB's packets), each a record. The
 * server's serialization carries them between servers: those of every write are written by hand
 * (a {@link io.paddock.tree.TxnRecord} as its log bytes), the rest, whose fields are primitives,
 * enums and byte arrays, by akka-serialization-jackson.
 *
 * <p>Links keep order but may lose messages, so the packets are built to make a loss visible:
 * a proposal names the record before it, COMMIT and ACK are cumulative, NEWLEADER names the last record of
 * the sync stream, and REQUEST/SYNC are numbered per connection. A learner numbers its
 * connections, and the leader echoes that number in LEADERINFO, so that packets meant for an
 * earlier connection are ignored.
 *
 * <p>Not sealed: the transport's tests carry messages of their own through the same serializer.
 * The core ignores any message type it does not know.
 */
public interface PeerMessage {

    /**
     * FastLeaderElection's notification: the sender's vote (proposed leader, that leader's last
     * logged zxid and currentEpoch — "peerEpoch"), its round ({@code electionEpoch}) and its state.
     * A LOOKING observer sends {@code leader = -1}: it only asks for the voters' votes.
     */
    record Notification(long leader, long zxid, long electionEpoch, long peerEpoch, ServerState state)
            implements PeerMessage {
    }

    /**
     * FOLLOWERINFO (or OBSERVERINFO when {@code observer}): a learner opens connection number
     * {@code connection} to the leader it elected, telling its acceptedEpoch and last logged zxid.
     */
    record LearnerInfo(long connection, long acceptedEpoch, long lastZxid, boolean observer)
            implements PeerMessage {
    }

    /** LEADERINFO: the epoch the leader proposes, in answer to connection {@code connection}. */
    record LeaderInfo(long connection, long newEpoch) implements PeerMessage {
    }

    /**
     * ACKEPOCH: the learner accepted the new epoch; its currentEpoch ({@code -1} when it had
     * already accepted this epoch before, which the leader must not count) and last logged zxid.
     */
    record AckEpoch(long currentEpoch, long lastZxid) implements PeerMessage {
    }

    /** DIFF: the learner's log is a prefix of the leader's; the records after {@code zxid} follow. */
    record Diff(long zxid) implements PeerMessage {
    }

    /** TRUNC: the learner drops its records after {@code zxid}; the leader's records after it follow. */
    record Trunc(long zxid) implements PeerMessage {
    }

    /** SNAP: the leader's tree at {@code zxid}, serialized; the records after {@code zxid} follow. */
    record Snap(long zxid, byte[] snapshot) implements PeerMessage {
    }

    /**
     * NEWLEADER: the end of the sync stream. {@code zxid} is the last record of the stream, which
     * the learner must have, durably, before it acknowledges.
     */
    record NewLeader(long epoch, long zxid) implements PeerMessage {
    }

    /**
     * ACK of NEWLEADER: every record of the sync stream and the new currentEpoch are durable at the
     * learner (in that order).
     */
    record AckNewLeader(long epoch) implements PeerMessage {
    }

    /**
     * UPTODATE: the leader is serving; the learner may serve too. Everything up to
     * {@code committedZxid} is committed.
     */
    record UpToDate(long committedZxid) implements PeerMessage {
    }

    /**
     * PROPOSAL: a record to log, after {@code prevZxid} (the record before it in the leader's log:
     * a learner that does not end there lost a message). {@code origin} and {@code tag} name the
     * server and Submit the record came from (0 when unknown), so the origin can answer its client
     * on commit.
     */
    record Proposal(TxnRecord record, long prevZxid, long origin, long tag) implements PeerMessage {
    }

    /** ACK: every proposal up to and including {@code zxid} is durable at the follower (cumulative). */
    record Ack(long zxid) implements PeerMessage {
    }

    /** COMMIT: every proposal up to and including {@code zxid} is committed (cumulative). */
    record Commit(long zxid) implements PeerMessage {
    }

    /** INFORM: a committed record after {@code prevZxid}, for an observer (which never sees its PROPOSAL). */
    record Inform(TxnRecord record, long prevZxid, long origin, long tag) implements PeerMessage {
    }

    /**
     * PING from the leader, every Tick, to each synced learner. {@code committedZxid} is its last
     * commit (a lost COMMIT heals); {@code lastZxid} is the last record it sent on this link, which
     * the learner holds by then since proposals travel first (a lost tail of proposals shows);
     * {@code syncsAnswered} counts the SYNCs answered on this connection (a lost answer shows).
     */
    record Ping(long committedZxid, long lastZxid, long syncsAnswered) implements PeerMessage {
    }

    /**
     * PING from a learner: its answer, with the sessions its clients touched since the last one,
     * its last ACK again (a lost ACK heals) and the number of its last REQUEST or SYNC (a lost
     * one shows).
     */
    record PingAnswer(List<Long> sessionIds, long ackedZxid, long lastSeq) implements PeerMessage {
    }

    /** REQUEST: a client's write, forwarded to the leader; {@code seq} numbers it on this connection. */
    record Request(long seq, long tag, byte[] request) implements PeerMessage {
    }

    /** SYNC from a learner: answer once everything proposed so far is committed. Numbered like REQUEST. */
    record Sync(long seq, long tag) implements PeerMessage {
    }

    /** SYNC from the leader: the answer, sent after the COMMITs it waited for, on the same link. */
    record SyncReply(long tag, long zxid) implements PeerMessage {
    }
}
