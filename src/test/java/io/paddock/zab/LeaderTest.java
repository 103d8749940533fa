package io.paddock.zab;

import static io.paddock.zab.PeerDriver.log;
import static io.paddock.zab.PeerDriver.rec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.zab.PeerMessage.AckEpoch;
import io.paddock.zab.PeerMessage.AckNewLeader;
import io.paddock.zab.PeerMessage.LearnerInfo;
import io.paddock.zab.PeerMessage.Notification;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaderTest {

    private static final long Z15 = Zxid.make(1, 5);

    /** Server 1 of {1,2,3} with epoch-1 records 1..5, elected by the other two. */
    private static PeerDriver elected() {
        PeerDriver p = new PeerDriver(1, Set.of(1L, 2L, 3L), Set.of(), 1, 1, log(1, 1, 5));
        p.tick();
        p.recv(2, new Notification(1, Z15, 1, 1, ServerState.LOOKING));
        p.recv(3, new Notification(1, Z15, 1, 1, ServerState.LOOKING));
        assertEquals(ServerState.LEADING, p.state());
        return p;
    }

    /** Elected, epoch 2 chosen with server 2, and both 2 and 3 sent LEADERINFO. */
    private static PeerDriver discovered() {
        PeerDriver p = elected();
        p.recv(2, new LearnerInfo(21, 1, Z15, false));
        p.tick();
        p.step(new Input.EpochsPersisted(2, 1));
        p.recv(3, new LearnerInfo(31, 1, Zxid.make(1, 3), false));
        return p;
    }

    /** Discovered, epoch acked by 2, NEWLEADER acked by 2, own epoch durable: serving epoch 2. */
    private static PeerDriver serving() {
        PeerDriver p = discovered();
        p.recv(2, new AckEpoch(1, Z15));
        p.recv(2, new AckNewLeader(2));
        p.step(new Input.EpochsPersisted(2, 2));
        assertTrue(p.peer.status().serving());
        return p;
    }

    @Test
    void newEpochIsOneAboveEveryAcceptedEpochOfTheConnectingQuorum() {
        PeerDriver p = elected();
        p.recv(2, new LearnerInfo(21, 7, Z15, false));
        assertTrue(p.outputs(Output.PersistEpochs.class).isEmpty(), "chose the epoch without waiting for server 3");
        p.tick();
        assertEquals(List.of(new Output.PersistEpochs(8, 1)), p.outputs(Output.PersistEpochs.class));
        assertTrue(p.sent(2, PeerMessage.LeaderInfo.class).isEmpty(), "LEADERINFO before the epoch is durable");
        p.step(new Input.EpochsPersisted(8, 1));
        assertEquals(List.of(new PeerMessage.LeaderInfo(21, 8)), p.sent(2, PeerMessage.LeaderInfo.class));
        p.recv(3, new LearnerInfo(31, 5, Z15, false));
        assertEquals(List.of(new PeerMessage.LeaderInfo(31, 8)), p.sent(3, PeerMessage.LeaderInfo.class));
    }

    @Test
    void theEpochIsChosenAtOnceWhenEveryVoterSentFollowerInfo() {
        PeerDriver p = elected();
        p.recv(2, new LearnerInfo(21, 1, Z15, false));
        p.recv(3, new LearnerInfo(31, 6, Z15, false));
        assertEquals(List.of(new Output.PersistEpochs(7, 1)), p.outputs(Output.PersistEpochs.class));
    }

    @Test
    void aLearnerThatPromisedAHigherEpochMakesTheLeaderStepDown() {
        PeerDriver p = discovered();
        p.recv(3, new LearnerInfo(32, 9, Z15, false));
        assertEquals(ServerState.LOOKING, p.state());
    }

    @Test
    void aMoreRecentAckerMakesTheLeaderGiveUp() {
        PeerDriver p = discovered();
        p.recv(2, new AckEpoch(1, Zxid.make(1, 6)));
        assertEquals(ServerState.LOOKING, p.state());
        assertTrue(p.peer.lastLookingReason().contains("more recent"));
    }

    @Test
    void anAckEpochOfMinusOneDoesNotCountTowardTheQuorum() {
        PeerDriver p = discovered();
        p.recv(2, new AckEpoch(-1, Z15));
        assertTrue(p.outputs(Output.PersistEpochs.class).isEmpty());
        assertTrue(p.sent(2, PeerMessage.Diff.class).isEmpty());
        p.recv(3, new AckEpoch(1, Zxid.make(1, 3)));
        assertEquals(List.of(new Output.PersistEpochs(2, 2)), p.outputs(Output.PersistEpochs.class));
        assertEquals(List.of(new PeerMessage.Diff(Z15)), p.sent(2, PeerMessage.Diff.class));
        assertEquals(List.of(new PeerMessage.Diff(Zxid.make(1, 3))), p.sent(3, PeerMessage.Diff.class));
        assertEquals(2, p.sent(3, PeerMessage.Proposal.class).size());
        assertEquals(List.of(new PeerMessage.NewLeader(2, Z15)), p.sent(3, PeerMessage.NewLeader.class));
    }

    @Test
    void leaderServesOnlyOnceAQuorumAckedNewLeaderAndItsOwnEpochIsDurable() {
        PeerDriver p = discovered();
        p.recv(2, new AckEpoch(1, Z15));
        p.recv(2, new AckNewLeader(2));
        assertFalse(p.peer.status().serving());
        p.step(new Input.EpochsPersisted(2, 2));
        assertEquals(List.of(new Output.RoleChanged(ServerState.LEADING, 1, 2, true)),
                p.outputs(Output.RoleChanged.class));
        assertEquals(List.of(new PeerMessage.UpToDate(Z15)), p.sent(2, PeerMessage.UpToDate.class));
    }

    @Test
    void proposalsAndCommitsGoToTheFollowersBeforeTheLeadersOwnLogAndTree() {
        PeerDriver p = serving();
        List<Output> proposed = p.step(new Input.Propose(rec(2, 1), 1, 77));
        assertTrue(proposed.get(0) instanceof Output.Send s && s.message() instanceof PeerMessage.Proposal,
                "first out: " + proposed);
        assertTrue(proposed.get(proposed.size() - 1) instanceof Output.Append, "last out: " + proposed);
        p.step(new Input.Persisted(Zxid.make(2, 1)));
        List<Output> committed = p.recv(2, new PeerMessage.Ack(Zxid.make(2, 1)));
        assertTrue(committed.get(0) instanceof Output.Send s && s.message() instanceof PeerMessage.Commit,
                "first out: " + committed);
        assertTrue(committed.get(committed.size() - 1) instanceof Output.Apply, "last out: " + committed);
    }

    @Test
    void commitNeedsAQuorumCountingTheLeadersOwnForcedLog() {
        PeerDriver p = serving();
        p.step(new Input.Propose(rec(2, 1), 1, 77));
        assertEquals(1, p.outputs(Output.Append.class).size());
        assertEquals(1, p.sent(2, PeerMessage.Proposal.class).size());
        p.recv(2, new PeerMessage.Ack(Zxid.make(2, 1)));
        assertTrue(p.outputs(Output.Apply.class).isEmpty(), "committed before the leader's own log was forced");
        p.step(new Input.Persisted(Zxid.make(2, 1)));
        assertEquals(List.of(new Output.Apply(rec(2, 1), 1, 77)), p.outputs(Output.Apply.class));
        assertEquals(List.of(new PeerMessage.Commit(Zxid.make(2, 1))), p.sent(2, PeerMessage.Commit.class));
    }

    @Test
    void aProposalThatIsNotTheNextZxidIsRefused() {
        PeerDriver p = serving();
        p.step(new Input.Propose(rec(2, 2), 1, 5));
        assertEquals(5, p.outputs(Output.Refused.class).get(0).tag());
        assertTrue(p.outputs(Output.Append.class).isEmpty());
    }

    @Test
    void syncIsAnsweredOnceEverythingProposedBeforeItIsCommitted() {
        PeerDriver p = serving();
        p.step(new Input.Propose(rec(2, 1), 1, 1));
        p.step(new Input.SubmitSync(9));
        assertTrue(p.outputs(Output.SyncDone.class).isEmpty());
        p.step(new Input.Persisted(Zxid.make(2, 1)));
        p.recv(2, new PeerMessage.Ack(Zxid.make(2, 1)));
        assertEquals(List.of(new Output.SyncDone(9, Zxid.make(2, 1))), p.outputs(Output.SyncDone.class));
    }

    @Test
    void leaderGivesUpWhenItsSyncedFollowersGoQuiet() {
        PeerDriver p = serving();
        for (int i = 0; i < 2 * PeerDriver.TIMING.syncLimit() + 1; i++) {
            p.tick();
        }
        assertEquals(ServerState.LOOKING, p.state());
        p.step(new Input.Propose(rec(2, 1), 1, 3));
        assertTrue(p.outputs(Output.Append.class).isEmpty(), "a leader that gave up still proposes");
    }

    @Test
    void leaderGivesUpWhenNoQuorumFormsWithinInitLimit() {
        PeerDriver p = elected();
        for (int i = 0; i < 2 * PeerDriver.TIMING.initLimit() + 1; i++) {
            p.tick();
        }
        assertEquals(ServerState.LOOKING, p.state());
    }

    @Test
    void aLearnerBehindTheHistoryGetsASnapshotThenTheRecordsAfterIt() {
        PeerDriver p = discovered();
        p.recv(2, new AckEpoch(1, Z15));
        p.recv(3, new AckEpoch(1, 0));
        assertEquals(List.of(new Output.TakeSnapshot(3)), p.outputs(Output.TakeSnapshot.class));
        p.step(new Input.SnapshotReady(3, Zxid.make(1, 4), new byte[] {1}));
        assertEquals(Zxid.make(1, 4), p.sent(3, PeerMessage.Snap.class).get(0).zxid());
        assertEquals(List.of(new PeerMessage.Proposal(rec(1, 5), Zxid.make(1, 4), 0, 0)), p.sent(3, PeerMessage.Proposal.class));
        assertEquals(List.of(new PeerMessage.NewLeader(2, Z15)), p.sent(3, PeerMessage.NewLeader.class));
    }

    @Test
    void aLearnerRequestIsPreparedWithItsOriginAndAGapDropsTheLearner() {
        PeerDriver p = serving();
        p.recv(2, new PeerMessage.Request(1, 40, new byte[] {7}));
        assertEquals(2, p.outputs(Output.Prepare.class).get(0).origin());
        p.recv(2, new PeerMessage.Request(3, 41, new byte[] {7}));
        assertTrue(p.outputs(Output.Prepare.class).isEmpty());
        assertTrue(p.peer.status().learners().stream().noneMatch(l -> l.id() == 2), "learner 2 kept after a gap");
    }
}
