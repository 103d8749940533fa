package io.paddock.zab;

import java.util.List;

/**
 * A snapshot of a {@link Peer}, for GET /v1/status and tests. {@code leaderId} is -1 without a
 * leader; {@code learners} is filled on a leader only, in id order.
 */
public record PeerStatus(ServerState state, long myId, long leaderId, long acceptedEpoch, long currentEpoch,
        long lastLoggedZxid, long lastCommittedZxid, long appliedZxid, boolean serving,
        List<LearnerStatus> learners) {

    public PeerStatus {
        learners = List.copyOf(learners);
    }
}
