package io.paddock.zab;

import io.paddock.tree.TxnRecord;
import java.util.List;

/**
 * One server's ZooKeeper Atomic Broadcast, as a pure state machine: the peer actor feeds it
 * {@link Input}s and carries out the {@link Output}s it returns, in order. Deterministic: the same
 * inputs give the same outputs (no clock, no randomness, no hash order).
 *
 * <p>A peer starts LOOKING (not serving) and runs fast leader election ({@link Election}); then
 * leads ({@link Leader}) or learns ({@link Learner}) until that role fails, and looks again.
 * Safety rests on discovery and sync, not on the election: a quorum must accept a new epoch
 * (acceptedEpoch durable before ACKEPOCH) and acknowledge NEWLEADER (its records, then
 * currentEpoch, durable before the ACK) before the leader commits anything in it.
 *
 * <p>Assumptions about the transport: each directed link keeps order; it may lose messages; it
 * does not deliver to a restarted server what was sent to its previous run.
 */
public final class Peer {

    /**
     * @param historyWindow how many of the latest records are kept for DIFF (learners further behind
     *     get a SNAP); never fewer than the records not yet applied
     * @param ackNewLeaderBeforePersist a deliberately broken learner that acknowledges NEWLEADER before
     *     its synced records and new currentEpoch are durable. It exists only so that the simulation
     *     can prove it catches that bug; never set it otherwise.
     */
    public record Options(int historyWindow, boolean ackNewLeaderBeforePersist) {

        public static final Options DEFAULTS = new Options(10_000);

        public Options(int historyWindow) {
            this(historyWindow, false);
        }

        public Options {
            if (historyWindow < 1) {
                throw new IllegalArgumentException("historyWindow must be at least 1");
            }
        }
    }

    private final Replica r;
    private final Election election;
    private Leader leader;
    private Learner learner;
    private boolean started;
    private long connections;
    private String lookingReason = "starting";

    /**
     * @param acceptedEpoch the durable acceptedEpoch (0 on a new server)
     * @param currentEpoch the durable currentEpoch (0 on a new server)
     * @param lastLoggedZxid the last zxid in the log (or of the snapshot, if the log is empty after it)
     * @param recentLog the log's last records, ascending, at most historyWindow of them, ending at
     *     lastLoggedZxid; the tree has applied all of them (at start-up the tree is rebuilt from the
     *     snapshot and the whole log, as ZooKeeper does)
     */
    public Peer(Ensemble ensemble, Timing timing, Options options, long acceptedEpoch, long currentEpoch,
            long lastLoggedZxid, List<TxnRecord> recentLog) {
        this.r = new Replica(ensemble, timing, options, acceptedEpoch, currentEpoch, lastLoggedZxid, recentLog);
        this.election = new Election(r);
    }

    /** Steps the core with one input; returns what to do, in order. */
    public List<Output> step(Input input) {
        if (!started) {
            started = true;
            startLooking("starting");
        }
        dispatch(input);
        checkRoles();
        return r.drain();
    }

    public PeerStatus status() {
        return new PeerStatus(r.state, r.myId, r.leaderId, r.acceptedEpoch, r.currentEpoch, r.history.lastZxid(),
                r.committedZxid, r.appliedZxid, r.serving, leader == null ? List.of() : leader.learners());
    }

    /** Why this peer last went LOOKING (for logs and simulation reports). */
    public String lastLookingReason() {
        return lookingReason;
    }

    private void dispatch(Input input) {
        if (input instanceof Input.Tick) {
            tick();
        } else if (input instanceof Input.Settle) {
            settle();
        } else if (input instanceof Input.Received rc) {
            receive(rc.from(), rc.message());
        } else if (input instanceof Input.Persisted p) {
            r.persisted(p.zxid());
            diskProgress();
        } else if (input instanceof Input.Truncated t) {
            r.rewritten(t.zxid());
            diskProgress();
        } else if (input instanceof Input.SnapshotInstalled s) {
            r.rewritten(s.zxid());
            diskProgress();
        } else if (input instanceof Input.EpochsPersisted e) {
            r.epochsPersisted();
            if (leader != null) {
                leader.epochsPersisted();
            }
            diskProgress();
        } else if (input instanceof Input.SnapshotReady s) {
            r.snapshotsPending = Math.max(0, r.snapshotsPending - 1);
            if (leader != null) {
                leader.snapshotReady(s.forServer(), s.zxid(), s.snapshot());
            }
            r.trimHistory();
        } else if (input instanceof Input.Propose p) {
            if (leader != null) {
                leader.propose(p.record(), p.origin(), p.tag());
            } else if (p.origin() == r.myId) {
                r.out.add(new Output.Refused(p.tag(), "no longer the leader"));
            }
        } else if (input instanceof Input.Submit s) {
            if (leader != null) {
                leader.submit(s.tag(), s.request());
            } else if (learner != null) {
                learner.submit(s.tag(), s.request());
            } else {
                r.out.add(new Output.Refused(s.tag(), "looking for a leader"));
            }
        } else if (input instanceof Input.SubmitSync s) {
            if (leader != null) {
                leader.submitSync(s.tag());
            } else if (learner != null) {
                learner.submitSync(s.tag());
            } else {
                r.out.add(new Output.Refused(s.tag(), "looking for a leader"));
            }
        } else if (input instanceof Input.PeerUnreachable u) {
            if (learner != null && learner.leaderId() == u.id()) {
                learner.leaderUnreachable();
            }
        } else if (input instanceof Input.Touched t) {
            if (leader != null) {
                leader.touched(t.sessionIds());
            } else if (learner != null) {
                learner.touched(t.sessionIds());
            }
        }
    }

    private void tick() {
        if (leader != null) {
            leader.tick();
        } else if (learner != null) {
            learner.tick();
        } else {
            decided(election.tick());
        }
    }

    private void settle() {
        if (leader != null) {
            leader.settle();
        } else if (learner != null) {
            learner.settle();
        } else {
            decided(election.settle());
        }
    }

    private void receive(long from, PeerMessage m) {
        if (m instanceof PeerMessage.Notification n) {
            if (learner != null && from == learner.leaderId() && n.state() == ServerState.LOOKING
                    && learner.leaderIsLooking()) {
                // Our leader gave up (a ZooKeeper leader closes its learners' connections then):
                // join its election now rather than wait out a limit, and count its vote.
                startLooking(learner.failed());
            }
            if (r.state == ServerState.LOOKING) {
                decided(election.receive(from, n));
            } else if (n.state() == ServerState.LOOKING && !r.ensemble.isObserver() && r.currentVote != null) {
                // FastLeaderElection's WorkerReceiver: tell a LOOKING server whom we follow.
                r.send(from, r.currentVote.notification(r.state));
            }
        } else if (leader != null) {
            leader.receive(from, m);
        } else if (learner != null) {
            learner.receive(from, m);
        }
    }

    private void diskProgress() {
        if (leader != null) {
            leader.logProgress();
        } else if (learner != null) {
            learner.diskProgress();
        }
    }

    private void decided(Vote v) {
        if (v == null) {
            return;
        }
        r.currentVote = v;
        if (v.leader() == r.myId) {
            leader = new Leader(r);
            leader.start();
        } else {
            // Numbered so that packets answering an earlier connection are recognised and ignored.
            connections++;
            learner = new Learner(r, v.leader(), (r.acceptedEpoch << 20) + connections);
            learner.start();
        }
    }

    private void checkRoles() {
        // A role that fails may end in the same step it began; loop until the role holds.
        for (int guard = 0; guard < 4; guard++) {
            String reason = leader != null ? leader.gaveUp() : learner != null ? learner.failed() : null;
            if (reason == null) {
                return;
            }
            startLooking(reason);
        }
    }

    private void startLooking(String reason) {
        lookingReason = reason;
        leader = null;
        learner = null;
        r.currentVote = null;
        r.role(ServerState.LOOKING, -1, r.currentEpoch, false);
        decided(election.start());
    }
}
