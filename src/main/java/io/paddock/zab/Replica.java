package io.paddock.zab;

import io.paddock.tree.TxnRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * What one server knows whatever its role: its epochs, its log tail, how far the log is forced
 * and the tree applied, what it knows committed, its role, and the outputs of the step under way.
 * The roles ({@link Election}, {@link Leader}, {@link Learner}) share it; it holds no protocol
 * decisions beyond keeping these numbers consistent.
 */
final class Replica {

    final Ensemble ensemble;
    final Timing timing;
    final Peer.Options options;
    final long myId;
    final History history;

    /** The epochs as last asked to be persisted; durable once {@link #epochsDurable()}. */
    long acceptedEpoch;
    long currentEpoch;
    private int epochWritesPending;
    /** Truncate and InstallSnapshot asked for but not yet reported done. */
    private int rewritesPending;
    /** TakeSnapshot asked for but not yet answered: the history must keep its records meanwhile. */
    int snapshotsPending;

    long persistedZxid;
    long appliedZxid;
    /** The highest zxid known committed (by this server as leader, or told by its leader). */
    long committedZxid;

    /** The vote this server decided on, told to LOOKING servers while it is not LOOKING itself. */
    Vote currentVote;

    ServerState state = ServerState.LOOKING;
    long leaderId = -1;
    long roleEpoch;
    boolean serving;

    List<Output> out = new ArrayList<>();

    Replica(Ensemble ensemble, Timing timing, Peer.Options options, long acceptedEpoch, long currentEpoch,
            long lastLoggedZxid, List<TxnRecord> recentLog) {
        if (currentEpoch > acceptedEpoch) {
            throw new IllegalArgumentException("currentEpoch " + currentEpoch + " is above acceptedEpoch " + acceptedEpoch);
        }
        this.ensemble = ensemble;
        this.timing = timing;
        this.options = options;
        this.myId = ensemble.myId();
        this.history = new History(options.historyWindow(), lastLoggedZxid, recentLog);
        this.acceptedEpoch = acceptedEpoch;
        this.currentEpoch = currentEpoch;
        // At start-up the log is durable and the tree was rebuilt from all of it (as ZooKeeper does).
        this.persistedZxid = lastLoggedZxid;
        this.appliedZxid = lastLoggedZxid;
        this.roleEpoch = currentEpoch;
    }

    List<Output> drain() {
        List<Output> o = out;
        out = new ArrayList<>();
        return o;
    }

    void send(long to, PeerMessage m) {
        out.add(new Output.Send(to, m));
    }

    void persistEpochs(long accepted, long current) {
        acceptedEpoch = accepted;
        currentEpoch = current;
        epochWritesPending++;
        out.add(new Output.PersistEpochs(accepted, current));
    }

    void epochsPersisted() {
        if (epochWritesPending > 0) {
            epochWritesPending--;
        }
    }

    boolean epochsDurable() {
        return epochWritesPending == 0;
    }

    void append(History.Entry e) {
        history.append(e);
        out.add(new Output.Append(e.record()));
    }

    void truncate(long zxid) {
        history.truncate(zxid);
        committedZxid = Math.min(committedZxid, zxid);
        rewritesPending++;
        out.add(new Output.Truncate(zxid));
    }

    void installSnapshot(long zxid, byte[] snapshot) {
        history.resetTo(zxid);
        committedZxid = Math.min(committedZxid, zxid);
        rewritesPending++;
        out.add(new Output.InstallSnapshot(zxid, snapshot));
    }

    /** Persisted: ignored while a rewrite is pending, as it then speaks of records the rewrite drops. */
    void persisted(long zxid) {
        if (rewritesPending == 0) {
            persistedZxid = Math.max(persistedZxid, Math.min(zxid, history.lastZxid()));
        }
    }

    /** Truncated or SnapshotInstalled: the log is durable up to {@code zxid} and the tree is at it. */
    void rewritten(long zxid) {
        if (rewritesPending > 0) {
            rewritesPending--;
        }
        persistedZxid = zxid;
        appliedZxid = zxid;
    }

    /** Every record logged so far is forced, and no rewrite of the log is pending. */
    boolean logDurable() {
        return rewritesPending == 0 && persistedZxid >= history.lastZxid();
    }

    boolean rewriting() {
        return rewritesPending > 0;
    }

    /** Applies the logged records after the applied zxid up to {@code limit}, in order. */
    void applyUpTo(long limit) {
        long to = Math.min(limit, history.lastZxid());
        if (to <= appliedZxid || rewriting()) {
            return;
        }
        if (!history.covers(appliedZxid)) {
            throw new IllegalStateException("server " + myId + " must apply after " + Zxid.hex(appliedZxid)
                    + " but its history no longer holds those records");
        }
        for (History.Entry e : history.between(appliedZxid, to)) {
            out.add(new Output.Apply(e.record(), e.origin(), e.tag()));
            appliedZxid = e.zxid();
        }
        trimHistory();
    }

    void trimHistory() {
        history.trim(appliedZxid, snapshotsPending > 0);
    }

    /** Records the role and reports it when (state, leader, epoch, serving) changed. */
    void role(ServerState newState, long newLeader, long epoch, boolean nowServing) {
        if (newState == state && newLeader == leaderId && epoch == roleEpoch && nowServing == serving) {
            return;
        }
        state = newState;
        leaderId = newLeader;
        roleEpoch = epoch;
        serving = nowServing;
        out.add(new Output.RoleChanged(newState, newLeader, epoch, nowServing));
    }

    /**
     * The leadership this server follows or leads is established in {@code epoch}: its vote says
     * so from now on (ZooKeeper's QuorumPeer.updateElectionVote), so that servers still looking
     * see one agreed (leader, epoch) whatever round each of us decided in.
     */
    void voteEstablished(long epoch) {
        if (currentVote != null) {
            currentVote = new Vote(currentVote.leader(), currentVote.zxid(), currentVote.electionEpoch(), epoch);
        }
    }

    /** The election's view of this server: its last logged zxid and currentEpoch. */
    Vote ownVote(long electionEpoch) {
        return new Vote(myId, history.lastZxid(), electionEpoch, currentEpoch);
    }

    /** (currentEpoch, lastZxid) of another server is more recent than ours (ZooKeeper's StateSummary). */
    boolean isBehind(long otherCurrentEpoch, long otherLastZxid) {
        return otherCurrentEpoch > currentEpoch
                || (otherCurrentEpoch == currentEpoch && otherLastZxid > history.lastZxid());
    }
}
