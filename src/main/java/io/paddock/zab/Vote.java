package io.paddock.zab;

/**
 * A vote of fast leader election: the proposed leader, its last logged zxid and its currentEpoch
 * ("peerEpoch"), and the election round it was cast in.
 */
record Vote(long leader, long zxid, long electionEpoch, long peerEpoch) {

    /**
     * FastLeaderElection.totalOrderPredicate: whether a vote for ({@code leader}, {@code zxid},
     * {@code peerEpoch}) beats this one: higher peerEpoch, then higher zxid, then higher id.
     */
    boolean losesTo(long otherLeader, long otherZxid, long otherPeerEpoch) {
        if (otherPeerEpoch != peerEpoch) {
            return otherPeerEpoch > peerEpoch;
        }
        if (otherZxid != zxid) {
            return otherZxid > zxid;
        }
        return otherLeader > leader;
    }

    boolean sameAs(PeerMessage.Notification n) {
        return n.leader() == leader && n.zxid() == zxid && n.electionEpoch() == electionEpoch
                && n.peerEpoch() == peerEpoch;
    }

    static Vote of(PeerMessage.Notification n) {
        return new Vote(n.leader(), n.zxid(), n.electionEpoch(), n.peerEpoch());
    }

    PeerMessage.Notification notification(ServerState state) {
        return new PeerMessage.Notification(leader, zxid, electionEpoch, peerEpoch, state);
    }
}
