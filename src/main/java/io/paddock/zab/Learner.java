package io.paddock.zab;

import io.paddock.tree.TxnRecord;
import io.paddock.zab.PeerMessage.NewLeader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The FOLLOWING and OBSERVING roles (ZooKeeper's Learner, Follower and Observer) for one
 * connection to the elected leader.
 *
 * <p>FOLLOWERINFO → LEADERINFO → persist acceptedEpoch → ACKEPOCH → DIFF/TRUNC/SNAP and records →
 * NEWLEADER → every synced record durable, then currentEpoch durable → ACK of NEWLEADER → UPTODATE
 * → serving. Then proposals are logged and acknowledged once forced (cumulative ACKs), and
 * applied once committed. Anything that shows a lost message (a gap in proposals, a commit of a
 * record it lacks, a sync answer out of turn) or an unexpected packet ends the connection
 * ({@link #failed()}), as a broken TCP connection does in ZooKeeper.
 */
final class Learner {

    private enum Phase { CONNECTING, EPOCH_PERSIST, AWAIT_SYNC, SYNCING, NEWLEADER_PERSIST, AWAIT_UPTODATE, SERVING }

    private final Replica r;
    private final long leaderId;
    private final long connection;
    private final boolean observer;
    private final ServerState role;
    private Phase phase = Phase.CONNECTING;
    private long newEpoch = -1;
    private long ackEpochValue;
    private long newLeaderZxid;
    private boolean epochWriteAsked;
    private boolean newLeaderAcked;
    private long lastAckSent;
    private int halfTicksSinceHeard;
    private int halfTicksSinceStart;
    private long requestSeq;
    /** Syncs sent and not answered, by tag. */
    private final ArrayDeque<Long> pendingSyncs = new ArrayDeque<>();
    private long syncsAnswered;
    private final List<Long> touched = new ArrayList<>();
    private String failed;

    Learner(Replica r, long leaderId, long connection) {
        this.r = r;
        this.leaderId = leaderId;
        this.connection = connection;
        this.observer = r.ensemble.isObserver();
        this.role = observer ? ServerState.OBSERVING : ServerState.FOLLOWING;
    }

    void start() {
        r.role(role, leaderId, r.currentEpoch, false);
        sendInfo();
    }

    private void sendInfo() {
        r.send(leaderId, new PeerMessage.LearnerInfo(connection, r.acceptedEpoch, r.history.lastZxid(), observer));
    }

    /** The transport says the leader is gone: no point waiting out syncLimit for it. */
    void leaderUnreachable() {
        fail("leader " + leaderId + " unreachable");
    }

    /**
     * The leader sent a LOOKING notification: once it has answered this connection (LEADERINFO),
     * that can only mean it stopped leading, since a link keeps order. Before that, the
     * notification may be one it sent before it led, still on the link. True when this ends the
     * connection.
     */
    boolean leaderIsLooking() {
        if (phase == Phase.CONNECTING) {
            return false;
        }
        fail("leader " + leaderId + " is LOOKING");
        return true;
    }

    long leaderId() {
        return leaderId;
    }

    /** Why this connection ended, or null while it lasts. */
    String failed() {
        return failed;
    }

    private void fail(String reason) {
        if (failed == null) {
            failed = reason;
        }
    }

    void receive(long from, PeerMessage m) {
        if (from != leaderId || failed != null) {
            return;
        }
        halfTicksSinceHeard = 0;
        if (m instanceof PeerMessage.LeaderInfo li) {
            onLeaderInfo(li);
        } else if (phase == Phase.CONNECTING || phase == Phase.EPOCH_PERSIST) {
            // Packets of an earlier connection to this leader, still on the link: not ours.
            return;
        } else if (m instanceof PeerMessage.Diff d) {
            if (expect(Phase.AWAIT_SYNC, "DIFF")) {
                if (d.zxid() != r.history.lastZxid()) {
                    fail("DIFF after " + Zxid.hex(d.zxid()) + " but our log ends at " + Zxid.hex(r.history.lastZxid()));
                    return;
                }
                phase = Phase.SYNCING;
            }
        } else if (m instanceof PeerMessage.Trunc t) {
            if (expect(Phase.AWAIT_SYNC, "TRUNC")) {
                if (t.zxid() > r.history.lastZxid()) {
                    fail("TRUNC to " + Zxid.hex(t.zxid()) + " beyond our log at " + Zxid.hex(r.history.lastZxid()));
                    return;
                }
                r.truncate(t.zxid());
                phase = Phase.SYNCING;
            }
        } else if (m instanceof PeerMessage.Snap s) {
            if (expect(Phase.AWAIT_SYNC, "SNAP")) {
                r.installSnapshot(s.zxid(), s.snapshot());
                phase = Phase.SYNCING;
            }
        } else if (m instanceof PeerMessage.Proposal p) {
            if (synced("PROPOSAL") && continues(p.record(), p.prevZxid())) {
                r.append(new History.Entry(p.record(), p.origin(), p.tag()));
            }
        } else if (phase == Phase.SYNCING && !(m instanceof NewLeader)) {
            // Only the sync records and NEWLEADER come before NEWLEADER: it was lost.
            fail(m.getClass().getSimpleName() + " before NEWLEADER: the sync stream lost messages");
        } else if (m instanceof PeerMessage.Inform i) {
            if (!observer) {
                fail("INFORM sent to a follower");
            } else if (synced("INFORM") && continues(i.record(), i.prevZxid())) {
                r.append(new History.Entry(i.record(), i.origin(), i.tag()));
                learnCommitted(i.record().zxid());
            }
        } else if (m instanceof PeerMessage.Commit c) {
            if (synced("COMMIT")) {
                if (c.zxid() > r.history.lastZxid()) {
                    fail("COMMIT of " + Zxid.hex(c.zxid()) + " which we never received");
                    return;
                }
                learnCommitted(c.zxid());
            }
        } else if (m instanceof NewLeader nl) {
            onNewLeader(nl);
        } else if (m instanceof PeerMessage.UpToDate u) {
            if (expect(Phase.AWAIT_UPTODATE, "UPTODATE")) {
                phase = Phase.SERVING;
                r.role(role, leaderId, newEpoch, true);
                learnCommitted(Math.min(u.committedZxid(), r.history.lastZxid()));
            }
        } else if (m instanceof PeerMessage.Ping ping) {
            if (ping.lastZxid() != r.history.lastZxid() || ping.committedZxid() > ping.lastZxid()) {
                fail("the leader sent up to " + Zxid.hex(ping.lastZxid()) + " but our log ends at "
                        + Zxid.hex(r.history.lastZxid()) + ": proposals were lost");
                return;
            }
            if (ping.syncsAnswered() > syncsAnswered) {
                fail("the leader answered " + ping.syncsAnswered() + " SYNCs, we got " + syncsAnswered
                        + ": an answer was lost");
                return;
            }
            learnCommitted(ping.committedZxid());
            r.send(leaderId, new PeerMessage.PingAnswer(List.copyOf(touched), observer ? 0 : lastAckSent, requestSeq));
            touched.clear();
        } else if (m instanceof PeerMessage.SyncReply s) {
            Long head = pendingSyncs.peekFirst();
            if (head == null || head != s.tag()) {
                fail("SYNC answer for " + s.tag() + " out of turn: a message was lost");
                return;
            }
            if (s.zxid() > r.history.lastZxid()) {
                fail("SYNC answered at " + Zxid.hex(s.zxid()) + " beyond our log: proposals were lost");
                return;
            }
            pendingSyncs.pollFirst();
            syncsAnswered++;
            // The leader answers after the commits up to zxid: they hold even if a COMMIT was lost.
            learnCommitted(s.zxid());
            r.out.add(new Output.SyncDone(s.tag(), s.zxid()));
        }
    }

    private void onLeaderInfo(PeerMessage.LeaderInfo li) {
        if (phase != Phase.CONNECTING || li.connection() != connection) {
            return; // an answer to an earlier connection, or a duplicate
        }
        newEpoch = li.newEpoch();
        if (newEpoch < r.acceptedEpoch) {
            fail("leader's epoch " + newEpoch + " is below our acceptedEpoch " + r.acceptedEpoch);
            return;
        }
        if (newEpoch > r.acceptedEpoch) {
            ackEpochValue = r.currentEpoch;
            r.persistEpochs(newEpoch, r.currentEpoch);
        } else {
            // Already accepted this epoch (from this or another leader): ack, but it must not count.
            ackEpochValue = -1;
        }
        phase = Phase.EPOCH_PERSIST;
        r.role(role, leaderId, newEpoch, false);
        diskProgress();
    }

    private void onNewLeader(NewLeader nl) {
        if (!expect(Phase.SYNCING, "NEWLEADER")) {
            return;
        }
        if (nl.epoch() != newEpoch) {
            fail("NEWLEADER of epoch " + nl.epoch() + " but LEADERINFO said " + newEpoch);
            return;
        }
        if (nl.zxid() != r.history.lastZxid()) {
            fail("NEWLEADER at " + Zxid.hex(nl.zxid()) + " but the sync stream ended at "
                    + Zxid.hex(r.history.lastZxid()) + ": records were lost");
            return;
        }
        newLeaderZxid = nl.zxid();
        phase = Phase.NEWLEADER_PERSIST;
        if (r.options.ackNewLeaderBeforePersist()) {
            // The bug this option exists to demonstrate (ZOOKEEPER-3911 and kin): see Peer.Options.
            r.persistEpochs(r.acceptedEpoch, newEpoch);
            r.voteEstablished(newEpoch);
            ackNewLeader();
            return;
        }
        diskProgress();
    }

    /** Moves on with whatever waited for the disk: ACKEPOCH, the NEWLEADER ack, ACKs. */
    void diskProgress() {
        if (failed != null) {
            return;
        }
        if (phase == Phase.EPOCH_PERSIST && r.epochsDurable()) {
            phase = Phase.AWAIT_SYNC;
            r.send(leaderId, new PeerMessage.AckEpoch(ackEpochValue, r.history.lastZxid()));
        }
        if (phase == Phase.NEWLEADER_PERSIST) {
            // Records first, then the epoch: a currentEpoch must never be durable over a log that
            // lacks what its NEWLEADER carried (ZOOKEEPER-4643/-4646/-4785).
            // Up to NEWLEADER's record only: proposals arriving after it must not hold the ack back.
            if (!epochWriteAsked && !r.rewriting() && r.persistedZxid >= newLeaderZxid) {
                epochWriteAsked = true;
                r.persistEpochs(r.acceptedEpoch, newEpoch);
                r.voteEstablished(newEpoch);
            }
            if (epochWriteAsked && r.epochsDurable()) {
                ackNewLeader();
            }
        }
        sendAck();
    }

    private void ackNewLeader() {
        newLeaderAcked = true;
        phase = Phase.AWAIT_UPTODATE;
        r.send(leaderId, new PeerMessage.AckNewLeader(newEpoch));
        lastAckSent = newLeaderZxid;
    }

    private void sendAck() {
        if (observer || !newLeaderAcked || r.rewriting()) {
            return;
        }
        if (r.persistedZxid > lastAckSent) {
            lastAckSent = r.persistedZxid;
            r.send(leaderId, new PeerMessage.Ack(lastAckSent));
        }
    }

    private void learnCommitted(long zxid) {
        r.committedZxid = Math.max(r.committedZxid, zxid);
        if (phase == Phase.SERVING) {
            r.applyUpTo(r.committedZxid);
        }
    }

    private boolean expect(Phase p, String packet) {
        if (phase != p) {
            fail(packet + " while " + phase);
            return false;
        }
        return true;
    }

    private boolean synced(String packet) {
        if (phase == Phase.AWAIT_SYNC) {
            fail(packet + " before DIFF, TRUNC or SNAP");
            return false;
        }
        return true;
    }

    /**
     * A proposal must follow the last record we hold, as in the leader's log; anything else means
     * a message was lost (within an epoch the counters must also be consecutive, a check on the
     * leader's numbering).
     */
    private boolean continues(TxnRecord record, long prevZxid) {
        long last = r.history.lastZxid();
        long z = record.zxid();
        boolean ok = prevZxid == last && z > last
                && (Zxid.epoch(z) != Zxid.epoch(last) || Zxid.counter(z) == Zxid.counter(last) + 1);
        if (!ok) {
            fail("proposal " + Zxid.hex(z) + " after " + Zxid.hex(prevZxid) + " does not follow our "
                    + Zxid.hex(last) + ": a message was lost");
        }
        return ok;
    }

    /**
     * Until the leader answers, FOLLOWERINFO goes again each Settle too: the first often reaches
     * the leader before its own election has decided, and is dropped there.
     */
    void settle() {
        if (phase == Phase.CONNECTING) {
            sendInfo();
        }
    }

    void tick() {
        halfTicksSinceHeard++;
        halfTicksSinceStart++;
        if (phase == Phase.CONNECTING) {
            // Until the leader answers: it may not lead yet, or the packet was lost (ZooKeeper's
            // learners likewise retry connecting to the leader).
            sendInfo();
        }
        if (phase != Phase.SERVING && halfTicksSinceStart > 2 * r.timing.initLimit()) {
            fail("not in sync with leader " + leaderId + " within initLimit (" + phase + ")");
        } else if (phase == Phase.SERVING && halfTicksSinceHeard > 2 * r.timing.syncLimit()) {
            fail("leader " + leaderId + " unheard for syncLimit");
        }
    }

    void submit(long tag, byte[] request) {
        if (phase != Phase.SERVING) {
            r.out.add(new Output.Refused(tag, "not in sync with a leader"));
            return;
        }
        r.send(leaderId, new PeerMessage.Request(++requestSeq, tag, request));
    }

    void submitSync(long tag) {
        if (phase != Phase.SERVING) {
            r.out.add(new Output.Refused(tag, "not in sync with a leader"));
            return;
        }
        pendingSyncs.addLast(tag);
        r.send(leaderId, new PeerMessage.Sync(++requestSeq, tag));
    }

    void touched(List<Long> sessionIds) {
        touched.addAll(sessionIds);
    }
}
