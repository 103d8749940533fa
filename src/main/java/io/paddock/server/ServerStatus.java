package io.paddock.server;

import java.util.List;

/**
 * What GET /v1/status shows.
 *
 * @param mode     standalone, or the role in an ensemble: leader, follower, observer, or looking
 *                 (electing a leader or syncing with one, not serving clients)
 * @param ensemble the replication's state; null for a standalone server
 */
public record ServerStatus(
        String mode,
        long serverId,
        long zxid,
        long nodeCount,
        long sessionCount,
        long watchCount,
        String version,
        Ensemble ensemble) {

    public ServerStatus(String mode, long serverId, long zxid, long nodeCount, long sessionCount, long watchCount,
                        String version) {
        this(mode, serverId, zxid, nodeCount, sessionCount, watchCount, version, null);
    }

    public ServerStatus withEnsemble(Ensemble ensemble) {
        return new ServerStatus(mode, serverId, zxid, nodeCount, sessionCount, watchCount, version, ensemble);
    }

    /**
     * @param leaderId          the leader this server follows or is; -1 while there is none
     * @param serving           whether clients are served: in sync with a leader that a quorum follows
     * @param lastLoggedZxid    the last transaction in this server's log
     * @param lastCommittedZxid the last transaction this server knows committed
     * @param learners          the leader's view of its followers and observers (empty elsewhere)
     */
    public record Ensemble(long leaderId, long acceptedEpoch, long currentEpoch, boolean serving, long lastLoggedZxid,
                           long lastCommittedZxid, List<Learner> learners) {
    }

    /**
     * @param synced         whether the learner finished its sync and is being sent proposals
     * @param ackedZxid      the last proposal it acknowledged
     * @param lastHeardMs    how long since the leader last heard from it
     */
    public record Learner(long id, boolean observer, boolean synced, long ackedZxid, long lastHeardMs) {
    }
}
