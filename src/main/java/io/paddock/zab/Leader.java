package io.paddock.zab;

import io.paddock.tree.TxnRecord;
import io.paddock.zab.LearnerHandler.Stage;
import io.paddock.zab.PeerMessage.AckEpoch;
import io.paddock.zab.PeerMessage.AckNewLeader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The LEADING role (ZooKeeper's Leader and its LearnerHandlers): discovery, sync and broadcast.
 *
 * <ol>
 * <li>Discovery: once FOLLOWERINFO from a quorum (itself included), the new epoch is one above
 * every acceptedEpoch heard, persisted as its own acceptedEpoch, and sent in LEADERINFO. A quorum
 * of ACKEPOCH (itself included; an ACKEPOCH of -1 does not count) must arrive with nobody more
 * recent than the leader, else it gives up.</li>
 * <li>Sync: the leader persists currentEpoch, and sends each learner DIFF, TRUNC or SNAP, then its
 * records, then NEWLEADER; later proposals follow on the same link. Once a quorum (itself included,
 * its log and currentEpoch durable) acknowledged NEWLEADER, its whole log is committed: it applies
 * it, sends UPTODATE and starts serving.</li>
 * <li>Broadcast: proposals are appended and sent to streaming followers; a quorum of cumulative ACKs
 * (its own from Persisted) commits in zxid order: COMMIT to followers, INFORM to observers.</li>
 * </ol>
 * It gives up ({@link #gaveUp()}) when it cannot establish itself within initLimit, or, serving,
 * when the synced voters it heard from within syncLimit, itself included, are no longer a quorum.
 */
final class Leader {

    private enum Phase { DISCOVERY, EPOCH_PERSIST, EPOCH_ACK, SYNC, SERVING }

    /** A sync waiting for the commits before it; {@code learner} 0 means this server's own client. */
    private record PendingSync(long learner, long connection, long tag, long zxid) {
    }

    private final Replica r;
    private Phase phase = Phase.DISCOVERY;
    private long newEpoch = -1;
    private long maxAcceptedSeen;
    private final TreeSet<Long> connectingVoters = new TreeSet<>();
    private final TreeSet<Long> epochAckers = new TreeSet<>();
    private final TreeSet<Long> newLeaderAckers = new TreeSet<>();
    private final TreeMap<Long, LearnerHandler> handlers = new TreeMap<>();
    private final ArrayDeque<PendingSync> syncs = new ArrayDeque<>();
    private long lastProposed;
    private int halfTicks;
    /** A quorum of FOLLOWERINFO arrived but not from every voter: choose the epoch at the next Settle or Tick. */
    private boolean epochArmed;
    private String gaveUp;

    Leader(Replica r) {
        this.r = r;
        this.maxAcceptedSeen = r.acceptedEpoch;
    }

    /** Why it gave up leading, or null while it leads. */
    String gaveUp() {
        return gaveUp;
    }

    void start() {
        r.role(ServerState.LEADING, r.myId, r.currentEpoch, false);
        connectingVoters.add(r.myId);
        checkEpochQuorum();
    }

    List<LearnerStatus> learners() {
        List<LearnerStatus> l = new ArrayList<>();
        for (LearnerHandler h : handlers.values()) {
            l.add(h.status());
        }
        return l;
    }

    // ---- discovery -------------------------------------------------------------------------

    void receive(long from, PeerMessage m) {
        if (m instanceof PeerMessage.LearnerInfo li) {
            onLearnerInfo(from, li);
            return;
        }
        LearnerHandler h = handlers.get(from);
        if (h == null) {
            return;
        }
        h.halfTicksSinceHeard = 0;
        if (m instanceof AckEpoch ae) {
            onAckEpoch(h, ae);
        } else if (m instanceof AckNewLeader a) {
            onAckNewLeader(h, a);
        } else if (m instanceof PeerMessage.Ack a) {
            if (h.stage == Stage.SYNCED && !h.observer) {
                h.ackedZxid = Math.max(h.ackedZxid, Math.min(a.zxid(), h.sentZxid));
                tryCommit();
            }
        } else if (m instanceof PeerMessage.PingAnswer p) {
            if (!p.sessionIds().isEmpty()) {
                r.out.add(new Output.SessionsTouched(List.copyOf(p.sessionIds())));
            }
            if (p.lastSeq() >= h.nextRequestSeq) {
                dropHandler(h.id); // a REQUEST or SYNC was lost on the link: the learner must reconnect
            } else if (h.stage == Stage.SYNCED && !h.observer && p.ackedZxid() > h.ackedZxid) {
                h.ackedZxid = Math.min(p.ackedZxid(), h.sentZxid);
                tryCommit();
            }
        } else if (m instanceof PeerMessage.Request q) {
            onRequest(h, q);
        } else if (m instanceof PeerMessage.Sync s) {
            onSync(h, s);
        }
    }

    private void onLearnerInfo(long from, PeerMessage.LearnerInfo li) {
        boolean observer = r.ensemble.observers().contains(from);
        if ((!observer && !r.ensemble.voters().contains(from)) || li.observer() != observer || from == r.myId) {
            return;
        }
        LearnerHandler known = handlers.get(from);
        if (known != null && known.connection == li.connection()) {
            // The learner repeats FOLLOWERINFO until it hears LEADERINFO, which may have been lost.
            if (known.stage == Stage.AWAIT_ACKEPOCH) {
                r.send(from, new PeerMessage.LeaderInfo(known.connection, newEpoch));
            }
            return;
        }
        if (newEpoch >= 0 && li.acceptedEpoch() > newEpoch) {
            // It promised never to accept our epoch: it could never join. Step down so that the
            // next leader chooses an epoch above its promise (else it stays out until then).
            gaveUp = "server " + from + " accepted epoch " + li.acceptedEpoch() + ", above our " + newEpoch;
            return;
        }
        dropHandler(from);
        LearnerHandler h = new LearnerHandler(from, observer, li.connection(), li.lastZxid());
        handlers.put(from, h);
        switch (phase) {
            case DISCOVERY:
                maxAcceptedSeen = Math.max(maxAcceptedSeen, li.acceptedEpoch());
                if (!observer) {
                    connectingVoters.add(from);
                }
                checkEpochQuorum();
                break;
            case EPOCH_PERSIST:
                break; // LEADERINFO goes out once the epoch is durable
            default:
                sendLeaderInfo(h);
        }
    }

    /**
     * Chooses the epoch once a quorum sent FOLLOWERINFO, and either every voter did or a Settle or Tick passed
     * since the quorum formed, so that the acceptedEpochs of servers a moment late count too.
     */
    private void checkEpochQuorum() {
        if (phase != Phase.DISCOVERY || !r.ensemble.isQuorum(connectingVoters)) {
            return;
        }
        if (!connectingVoters.containsAll(r.ensemble.voters()) && !epochArmed) {
            epochArmed = true;
            return;
        }
        newEpoch = Math.max(maxAcceptedSeen, r.acceptedEpoch) + 1;
        phase = Phase.EPOCH_PERSIST;
        r.persistEpochs(newEpoch, r.currentEpoch);
        r.role(ServerState.LEADING, r.myId, newEpoch, false);
    }

    void epochsPersisted() {
        if (!r.epochsDurable()) {
            return;
        }
        if (phase == Phase.EPOCH_PERSIST) {
            phase = Phase.EPOCH_ACK;
            epochAckers.add(r.myId);
            for (LearnerHandler h : new ArrayList<>(handlers.values())) {
                if (h.stage == Stage.INFO) {
                    sendLeaderInfo(h);
                }
            }
            checkEpochAckQuorum();
        } else if (phase == Phase.SYNC) {
            checkNewLeaderQuorum();
        }
    }

    private void sendLeaderInfo(LearnerHandler h) {
        h.stage = Stage.AWAIT_ACKEPOCH;
        r.send(h.id, new PeerMessage.LeaderInfo(h.connection, newEpoch));
    }

    private void onAckEpoch(LearnerHandler h, AckEpoch ae) {
        if (h.stage != Stage.AWAIT_ACKEPOCH) {
            return;
        }
        h.lastZxid = ae.lastZxid();
        h.stage = Stage.EPOCH_ACKED;
        if (phase == Phase.EPOCH_ACK) {
            if (ae.currentEpoch() != -1 && !h.observer) {
                if (r.isBehind(ae.currentEpoch(), ae.lastZxid())) {
                    gaveUp = "server " + h.id + " is more recent (currentEpoch " + ae.currentEpoch() + ", last zxid "
                            + Zxid.hex(ae.lastZxid()) + ") than this leader";
                    return;
                }
                epochAckers.add(h.id);
            }
            checkEpochAckQuorum();
        } else {
            startSync(h);
        }
    }

    private void checkEpochAckQuorum() {
        if (phase != Phase.EPOCH_ACK || !r.ensemble.isQuorum(epochAckers)) {
            return;
        }
        phase = Phase.SYNC;
        // Persisting currentEpoch before counting our own NEWLEADER ack, as learners do.
        r.persistEpochs(newEpoch, newEpoch);
        r.voteEstablished(newEpoch);
        for (LearnerHandler h : new ArrayList<>(handlers.values())) {
            if (h.stage == Stage.EPOCH_ACKED) {
                startSync(h);
            }
        }
        checkNewLeaderQuorum();
    }

    // ---- sync ------------------------------------------------------------------------------

    private void startSync(LearnerHandler h) {
        History.SyncPlan plan = r.history.planSync(h.lastZxid);
        switch (plan.kind()) {
            case SNAP:
                h.stage = Stage.AWAIT_SNAPSHOT;
                r.snapshotsPending++;
                r.out.add(new Output.TakeSnapshot(h.id));
                break;
            case TRUNC:
                r.send(h.id, new PeerMessage.Trunc(plan.zxid()));
                stream(h, plan.zxid());
                break;
            default:
                r.send(h.id, new PeerMessage.Diff(plan.zxid()));
                stream(h, plan.zxid());
        }
    }

    /** The records after {@code from}, then NEWLEADER naming the last of them. */
    private void stream(LearnerHandler h, long from) {
        long prev = from;
        for (History.Entry e : r.history.after(from)) {
            r.send(h.id, new PeerMessage.Proposal(e.record(), prev, e.origin(), e.tag()));
            prev = e.zxid();
        }
        h.sentZxid = Math.max(from, r.history.lastZxid());
        h.newLeaderZxid = h.sentZxid;
        h.stage = Stage.AWAIT_NEWLEADER_ACK;
        r.send(h.id, new PeerMessage.NewLeader(newEpoch, h.newLeaderZxid));
    }

    /** Called after the Replica counted the SnapshotReady. */
    void snapshotReady(long forServer, long zxid, byte[] snapshot) {
        LearnerHandler h = handlers.get(forServer);
        if (h == null || h.stage != Stage.AWAIT_SNAPSHOT) {
            return;
        }
        if (zxid > r.history.lastZxid()) {
            throw new IllegalStateException("snapshot at " + Zxid.hex(zxid) + " is ahead of the log at "
                    + Zxid.hex(r.history.lastZxid()));
        }
        if (!r.history.covers(zxid)) {
            // The tree lagged behind the history window: try again, it will have caught up.
            r.snapshotsPending++;
            r.out.add(new Output.TakeSnapshot(h.id));
            return;
        }
        r.send(h.id, new PeerMessage.Snap(zxid, snapshot));
        stream(h, zxid);
    }

    private void onAckNewLeader(LearnerHandler h, AckNewLeader a) {
        if (h.stage != Stage.AWAIT_NEWLEADER_ACK || a.epoch() != newEpoch) {
            return;
        }
        h.stage = Stage.SYNCED;
        if (!h.observer) {
            h.ackedZxid = Math.max(h.ackedZxid, h.newLeaderZxid);
        }
        if (phase == Phase.SYNC) {
            if (!h.observer) {
                newLeaderAckers.add(h.id);
            }
            checkNewLeaderQuorum();
        } else if (phase == Phase.SERVING) {
            sendUpToDate(h);
            tryCommit();
        }
    }

    /** Persisted, Truncated or SnapshotInstalled changed how much of our log is durable. */
    void logProgress() {
        if (phase == Phase.SYNC) {
            checkNewLeaderQuorum();
        } else if (phase == Phase.SERVING) {
            tryCommit();
        }
    }

    private void checkNewLeaderQuorum() {
        boolean selfReady = r.currentEpoch == newEpoch && r.epochsDurable() && r.logDurable();
        if (phase != Phase.SYNC || !selfReady) {
            return;
        }
        TreeSet<Long> acked = new TreeSet<>(newLeaderAckers);
        acked.add(r.myId);
        if (r.ensemble.isQuorum(acked)) {
            startServing();
        }
    }

    private void startServing() {
        phase = Phase.SERVING;
        lastProposed = r.history.lastZxid();
        // A quorum holds our whole log under the new epoch: all of it is committed.
        r.committedZxid = Math.max(r.committedZxid, lastProposed);
        r.role(ServerState.LEADING, r.myId, newEpoch, true);
        r.applyUpTo(r.committedZxid);
        for (LearnerHandler h : handlers.values()) {
            if (h.stage == Stage.SYNCED) {
                sendUpToDate(h);
            }
        }
    }

    private void sendUpToDate(LearnerHandler h) {
        h.upToDateSent = true;
        r.send(h.id, new PeerMessage.UpToDate(Math.min(r.committedZxid, h.sentZxid)));
    }

    // ---- broadcast -------------------------------------------------------------------------

    void propose(TxnRecord record, long origin, long tag) {
        if (phase != Phase.SERVING) {
            refuse(origin, tag, "not a serving leader");
            return;
        }
        long counter = Zxid.epoch(lastProposed) == newEpoch ? Zxid.counter(lastProposed) : 0;
        if (counter == 0xffffffffL) {
            refuse(origin, tag, "zxid counter exhausted");
            gaveUp = "the zxid counter of epoch " + newEpoch + " is exhausted";
            return;
        }
        long expected = Zxid.make(newEpoch, counter + 1);
        if (record.zxid() != expected) {
            refuse(origin, tag, "proposal " + Zxid.hex(record.zxid()) + " is not the next zxid " + Zxid.hex(expected));
            return;
        }
        PeerMessage.Proposal p = new PeerMessage.Proposal(record, lastProposed, origin, tag);
        lastProposed = record.zxid();
        // To the followers first, as ZooKeeper's leader does: a quorum needs a follower's fsync
        // too, which starts only when its PROPOSAL arrives, while our own log is next door.
        for (LearnerHandler h : handlers.values()) {
            if (h.streaming() && !h.observer) {
                r.send(h.id, p);
                h.sentZxid = lastProposed;
            }
        }
        r.append(new History.Entry(record, origin, tag));
    }

    /** A learner's request cannot be refused to it directly; it fails when that learner stops serving. */
    private void refuse(long origin, long tag, String reason) {
        if (origin == r.myId) {
            r.out.add(new Output.Refused(tag, reason));
        }
    }

    private void tryCommit() {
        if (phase != Phase.SERVING) {
            return;
        }
        List<Long> acks = new ArrayList<>();
        if (!r.rewriting()) {
            acks.add(r.persistedZxid);
        }
        for (LearnerHandler h : handlers.values()) {
            if (h.votingFollower(r.ensemble)) {
                acks.add(h.ackedZxid);
            }
        }
        int quorum = r.ensemble.voters().size() / 2 + 1;
        if (acks.size() < quorum) {
            return;
        }
        acks.sort((a, b) -> Long.compare(b, a));
        long target = Math.min(acks.get(quorum - 1), lastProposed);
        if (target > r.committedZxid) {
            commit(target);
        }
    }

    private void commit(long target) {
        long from = r.committedZxid;
        List<History.Entry> newly = r.history.between(from, target);
        r.committedZxid = target;
        // The COMMITs go before our own apply, as ZooKeeper's do: most clients wait on a follower.
        // One message for every follower: the peer actor encodes it once.
        PeerMessage.Commit toFollowers = new PeerMessage.Commit(target);
        for (LearnerHandler h : handlers.values()) {
            if (!h.streaming()) {
                continue;
            }
            if (!h.observer) {
                r.send(h.id, toFollowers);
                continue;
            }
            if (h.sentZxid > from) {
                r.send(h.id, new PeerMessage.Commit(Math.min(target, h.sentZxid)));
            }
            for (History.Entry e : newly) {
                if (e.zxid() > h.sentZxid) {
                    r.send(h.id, new PeerMessage.Inform(e.record(), h.sentZxid, e.origin(), e.tag()));
                    h.sentZxid = e.zxid();
                }
            }
        }
        r.applyUpTo(target);
        answerSyncs();
    }

    private void answerSyncs() {
        while (!syncs.isEmpty() && syncs.peekFirst().zxid() <= r.committedZxid) {
            PendingSync s = syncs.pollFirst();
            if (s.learner() == 0) {
                r.out.add(new Output.SyncDone(s.tag(), s.zxid()));
            } else {
                LearnerHandler h = handlers.get(s.learner());
                if (h != null && h.connection == s.connection()) {
                    h.syncsAnswered++;
                    r.send(h.id, new PeerMessage.SyncReply(s.tag(), s.zxid()));
                }
            }
        }
    }

    // ---- requests --------------------------------------------------------------------------

    void submit(long tag, byte[] request) {
        if (phase != Phase.SERVING) {
            r.out.add(new Output.Refused(tag, "the leader is not serving yet"));
            return;
        }
        r.out.add(new Output.Prepare(r.myId, tag, request));
    }

    void submitSync(long tag) {
        if (phase != Phase.SERVING) {
            r.out.add(new Output.Refused(tag, "the leader is not serving yet"));
            return;
        }
        if (r.committedZxid >= lastProposed) {
            r.out.add(new Output.SyncDone(tag, lastProposed));
        } else {
            syncs.addLast(new PendingSync(0, 0, tag, lastProposed));
        }
    }

    void touched(List<Long> sessionIds) {
        if (!sessionIds.isEmpty()) {
            r.out.add(new Output.SessionsTouched(List.copyOf(sessionIds)));
        }
    }

    /** A numbered request: a gap means the link lost one, so the learner must reconnect. */
    private boolean inSequence(LearnerHandler h, long seq) {
        if (phase != Phase.SERVING || h.stage != Stage.SYNCED || !h.upToDateSent) {
            return false;
        }
        if (seq != h.nextRequestSeq) {
            dropHandler(h.id);
            return false;
        }
        h.nextRequestSeq++;
        return true;
    }

    private void onRequest(LearnerHandler h, PeerMessage.Request q) {
        if (inSequence(h, q.seq())) {
            r.out.add(new Output.Prepare(h.id, q.tag(), q.request()));
        }
    }

    private void onSync(LearnerHandler h, PeerMessage.Sync s) {
        if (!inSequence(h, s.seq())) {
            return;
        }
        if (r.committedZxid >= lastProposed) {
            h.syncsAnswered++;
            r.send(h.id, new PeerMessage.SyncReply(s.tag(), lastProposed));
        } else {
            syncs.addLast(new PendingSync(h.id, h.connection, s.tag(), lastProposed));
        }
    }

    // ---- time ------------------------------------------------------------------------------

    void settle() {
        if (epochArmed) {
            checkEpochQuorum();
        }
    }

    void tick() {
        halfTicks++;
        checkEpochQuorum();
        for (LearnerHandler h : new ArrayList<>(handlers.values())) {
            h.halfTicksSinceHeard++;
            h.halfTicksSinceStart++;
            boolean late = h.stage == Stage.SYNCED
                    ? h.halfTicksSinceHeard > 2 * r.timing.syncLimit()
                    : h.halfTicksSinceStart > 2 * r.timing.initLimit();
            if (late) {
                dropHandler(h.id);
            }
        }
        if (phase != Phase.SERVING) {
            if (halfTicks > 2 * r.timing.initLimit()) {
                gaveUp = "no quorum established within initLimit (phase " + phase + ")";
            }
            return;
        }
        TreeSet<Long> alive = new TreeSet<>();
        alive.add(r.myId);
        for (LearnerHandler h : handlers.values()) {
            if (h.stage == Stage.SYNCED) {
                alive.add(h.id);
            }
        }
        if (!r.ensemble.isQuorum(alive)) {
            gaveUp = "only " + alive + " synced and heard within syncLimit";
            return;
        }
        for (LearnerHandler h : handlers.values()) {
            if (h.stage == Stage.SYNCED) {
                r.send(h.id, new PeerMessage.Ping(Math.min(r.committedZxid, h.sentZxid), h.sentZxid, h.syncsAnswered));
            }
        }
    }

    private void dropHandler(long id) {
        if (handlers.remove(id) == null) {
            return;
        }
        newLeaderAckers.remove(id);
        Iterator<PendingSync> it = syncs.iterator();
        while (it.hasNext()) {
            if (it.next().learner() == id) {
                it.remove();
            }
        }
    }
}
