package io.paddock.zab;

/**
 * The leader's view of one learner connection (ZooKeeper's LearnerHandler, without the thread):
 * where it is in discovery and sync, what it was sent and what it acknowledged.
 */
final class LearnerHandler {

    enum Stage {
        /** FOLLOWERINFO received; LEADERINFO waits for the epoch to be chosen and persisted. */
        INFO,
        /** LEADERINFO sent. */
        AWAIT_ACKEPOCH,
        /** ACKEPOCH received while the leader still waits for a quorum of them. */
        EPOCH_ACKED,
        /** SNAP chosen: waiting for the leader's tree to be serialized. */
        AWAIT_SNAPSHOT,
        /** Sync stream and NEWLEADER sent; new proposals are forwarded after them. */
        AWAIT_NEWLEADER_ACK,
        /** NEWLEADER acknowledged: its ACKs count, it gets PINGs and (once the leader serves) UPTODATE. */
        SYNCED
    }

    final long id;
    final boolean observer;
    final long connection;
    Stage stage = Stage.INFO;
    /** The learner's last logged zxid, from FOLLOWERINFO then ACKEPOCH. */
    long lastZxid;
    /** The last record sent to it (sync stream, PROPOSAL or INFORM). */
    long sentZxid;
    /** The zxid its NEWLEADER named. */
    long newLeaderZxid;
    /** Everything up to here is durable at the learner (followers only). */
    long ackedZxid;
    boolean upToDateSent;
    long nextRequestSeq = 1;
    long syncsAnswered;
    int halfTicksSinceHeard;
    int halfTicksSinceStart;

    LearnerHandler(long id, boolean observer, long connection, long lastZxid) {
        this.id = id;
        this.observer = observer;
        this.connection = connection;
        this.lastZxid = lastZxid;
    }

    /** Its sync stream was sent: it gets every later proposal (or, an observer, every later commit). */
    boolean streaming() {
        return stage == Stage.AWAIT_NEWLEADER_ACK || stage == Stage.SYNCED;
    }

    /** Its ACKs count toward commits. */
    boolean votingFollower(Ensemble ensemble) {
        return stage == Stage.SYNCED && !observer && ensemble.voters().contains(id);
    }

    LearnerStatus status() {
        return new LearnerStatus(id, observer, stage == Stage.SYNCED, ackedZxid, halfTicksSinceHeard);
    }
}
