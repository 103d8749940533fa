package io.paddock.zab;

import io.paddock.zab.PeerMessage.Notification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fast leader election (ZooKeeper's FastLeaderElection.lookForLeader) for a LOOKING server.
 *
 * <p>A voter proposes itself, adopts any better vote (peerEpoch, then zxid, then id), follows the
 * highest round (electionEpoch) it hears of, and decides once a quorum holds its vote and either
 * every voter has answered or a further Settle or Tick passed without a better vote. A LOOKING server that
 * hears from FOLLOWING/LEADING servers follows their leader once a quorum of them agree and the
 * leader itself says LEADING (ZooKeeper's "outofelection" votes), which is how a restarted server
 * joins an established ensemble. Observers do not vote: they only ask, and learn the leader from
 * the voters that are no longer LOOKING.
 *
 * <p>Election decides nothing that safety depends on: a wrong or duplicate leader is stopped by
 * discovery (a quorum must accept its epoch). It only has to converge.
 */
final class Election {

    private final Replica r;
    private long logicalClock;
    private Vote proposal;
    private final TreeMap<Long, Notification> recvSet = new TreeMap<>();
    private final TreeMap<Long, Notification> outOfElection = new TreeMap<>();
    private boolean armed;

    Election(Replica r) {
        this.r = r;
    }

    /** Starts a new round: proposes itself (a voter) and tells the voters. May decide at once (one voter). */
    Vote start() {
        logicalClock++;
        recvSet.clear();
        outOfElection.clear();
        armed = false;
        proposal = r.ensemble.isObserver() ? null : r.ownVote(logicalClock);
        broadcast();
        return proposal == null ? null : evaluate();
    }

    /** A Tick while LOOKING: decide if armed, else resend (links lose messages). */
    Vote tick() {
        if (armed && proposal != null) {
            return decide(proposal);
        }
        broadcast();
        return null;
    }

    /** A Settle while LOOKING: decide if armed; no resend (that is the Tick's). */
    Vote settle() {
        return armed && proposal != null ? decide(proposal) : null;
    }

    /** What this server answers a LOOKING server while it is LOOKING too. */
    Notification current() {
        if (proposal == null) {
            return new Notification(-1, r.history.lastZxid(), logicalClock, r.currentEpoch, ServerState.LOOKING);
        }
        return proposal.notification(ServerState.LOOKING);
    }

    /** A notification received while LOOKING; returns the decided vote, or null. */
    Vote receive(long from, Notification n) {
        boolean fromVoter = r.ensemble.voters().contains(from);
        if (!fromVoter) {
            // An observer asking who leads: answer with our vote (it ignores LOOKING answers).
            if (n.state() == ServerState.LOOKING && proposal != null) {
                r.send(from, current());
            }
            return null;
        }
        switch (n.state()) {
            case LOOKING:
                return proposal == null ? null : receiveLooking(from, n);
            case FOLLOWING:
            case LEADING:
                return receiveEstablished(from, n);
            default:
                return null;
        }
    }

    private Vote receiveLooking(long from, Notification n) {
        if (n.leader() < 0) {
            return null;
        }
        if (n.electionEpoch() > logicalClock) {
            logicalClock = n.electionEpoch();
            recvSet.clear();
            Vote own = r.ownVote(logicalClock);
            proposal = own.losesTo(n.leader(), n.zxid(), n.peerEpoch())
                    ? new Vote(n.leader(), n.zxid(), logicalClock, n.peerEpoch())
                    : own;
            broadcast();
        } else if (n.electionEpoch() < logicalClock) {
            // A straggler: tell it the current round so that it catches up.
            r.send(from, current());
            return null;
        } else if (proposal.losesTo(n.leader(), n.zxid(), n.peerEpoch())) {
            proposal = new Vote(n.leader(), n.zxid(), logicalClock, n.peerEpoch());
            broadcast();
        }
        recvSet.put(from, n);
        return evaluate();
    }

    private Vote receiveEstablished(long from, Notification n) {
        Vote theirs = Vote.of(n);
        if (proposal != null && n.electionEpoch() == logicalClock) {
            recvSet.put(from, n);
            if (establishedQuorum(recvSet, n) && checkLeader(recvSet, n.leader(), n.electionEpoch())) {
                return decide(theirs);
            }
        }
        outOfElection.put(from, n);
        if (establishedQuorum(outOfElection, n) && checkLeader(outOfElection, n.leader(), n.electionEpoch())) {
            logicalClock = Math.max(logicalClock, n.electionEpoch());
            return decide(theirs);
        }
        return null;
    }

    /**
     * Whether a quorum reports the leadership {@code n} reports. Servers out of election are
     * compared on (leader, peerEpoch) only: their rounds and zxids differ with when they joined,
     * and an established leader's peerEpoch is its epoch, used once (ZooKeeper's Vote.equals,
     * ZOOKEEPER-1805/1732).
     */
    private boolean establishedQuorum(Map<Long, Notification> votes, Notification n) {
        List<Long> agreeing = new ArrayList<>();
        for (Map.Entry<Long, Notification> e : votes.entrySet()) {
            Notification v = e.getValue();
            if (v.state() != ServerState.LOOKING && v.leader() == n.leader() && v.peerEpoch() == n.peerEpoch()) {
                agreeing.add(e.getKey());
            }
        }
        return r.ensemble.isQuorum(agreeing);
    }

    /** Our vote holds a quorum: decide now if every voter answered, else at the next Settle or Tick. */
    private Vote evaluate() {
        recvSet.put(r.myId, proposal.notification(ServerState.LOOKING));
        if (!quorumFor(recvSet, proposal)) {
            armed = false;
            return null;
        }
        if (recvSet.keySet().containsAll(r.ensemble.voters())) {
            return decide(proposal);
        }
        armed = true;
        return null;
    }

    private Vote decide(Vote v) {
        armed = false;
        recvSet.clear();
        outOfElection.clear();
        return v;
    }

    private boolean quorumFor(Map<Long, Notification> votes, Vote v) {
        List<Long> agreeing = new ArrayList<>();
        for (Map.Entry<Long, Notification> e : votes.entrySet()) {
            if (v.sameAs(e.getValue())) {
                agreeing.add(e.getKey());
            }
        }
        return r.ensemble.isQuorum(agreeing);
    }

    /** FastLeaderElection.checkLeader: the leader must say LEADING, or be us in this very round. */
    private boolean checkLeader(Map<Long, Notification> votes, long leader, long electionEpoch) {
        if (leader != r.myId) {
            Notification l = votes.get(leader);
            return l != null && l.state() == ServerState.LEADING;
        }
        return logicalClock == electionEpoch;
    }

    private void broadcast() {
        Notification n = current();
        for (long v : r.ensemble.voters()) {
            if (v != r.myId) {
                r.send(v, n);
            }
        }
    }
}
