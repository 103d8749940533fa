package io.paddock.zab;

import static io.paddock.zab.PeerDriver.log;
import static io.paddock.zab.PeerDriver.rec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.zab.PeerMessage.Notification;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LearnerTest {

    private static final long Z13 = Zxid.make(1, 3);
    private static final long Z15 = Zxid.make(1, 5);

    private long connection;

    /** Server 2 of {1,2,3}, records (1,1)..(1,3), following 1, epoch 2 accepted and ACKEPOCH sent. */
    private PeerDriver follower(Peer.Options options) {
        PeerDriver p = new PeerDriver(2, Set.of(1L, 2L, 3L), Set.of(), 1, 1, log(1, 1, 3), options);
        p.tick();
        p.recv(1, new Notification(1, Z15, 1, 1, ServerState.LOOKING));
        p.recv(3, new Notification(1, Z15, 1, 1, ServerState.LOOKING));
        assertEquals(ServerState.FOLLOWING, p.state());
        PeerMessage.LearnerInfo info = p.sent(1, PeerMessage.LearnerInfo.class).get(0);
        connection = info.connection();
        assertEquals(Z13, info.lastZxid());
        p.recv(1, new PeerMessage.LeaderInfo(connection, 2));
        assertEquals(List.of(new Output.PersistEpochs(2, 1)), p.outputs(Output.PersistEpochs.class));
        assertTrue(p.sent(1, PeerMessage.AckEpoch.class).isEmpty(), "ACKEPOCH before acceptedEpoch is durable");
        p.step(new Input.EpochsPersisted(2, 1));
        assertEquals(List.of(new PeerMessage.AckEpoch(1, Z13)), p.sent(1, PeerMessage.AckEpoch.class));
        return p;
    }

    private PeerDriver serving() {
        PeerDriver p = follower(Peer.Options.DEFAULTS);
        p.recv(1, new PeerMessage.Diff(Z13));
        p.recv(1, new PeerMessage.NewLeader(2, Z13));
        p.step(new Input.EpochsPersisted(2, 2));
        p.recv(1, new PeerMessage.UpToDate(Z13));
        assertTrue(p.peer.status().serving());
        return p;
    }

    @Test
    void followerAcksNewLeaderOnlyAfterItsRecordsAndThenItsEpochAreDurable() {
        PeerDriver p = follower(Peer.Options.DEFAULTS);
        p.recv(1, new PeerMessage.Diff(Z13));
        p.recv(1, new PeerMessage.Proposal(rec(1, 4), Z13, 0, 0));
        p.recv(1, new PeerMessage.Proposal(rec(1, 5), Zxid.make(1, 4), 0, 0));
        p.recv(1, new PeerMessage.NewLeader(2, Z15));
        assertTrue(p.outputs(Output.PersistEpochs.class).isEmpty(), "currentEpoch before the records are forced");
        assertTrue(p.sent(1, PeerMessage.AckNewLeader.class).isEmpty());
        p.step(new Input.Persisted(Zxid.make(1, 4)));
        assertTrue(p.outputs(Output.PersistEpochs.class).isEmpty());
        p.step(new Input.Persisted(Z15));
        assertEquals(List.of(new Output.PersistEpochs(2, 2)), p.outputs(Output.PersistEpochs.class));
        assertTrue(p.sent(1, PeerMessage.AckNewLeader.class).isEmpty(), "ACK before currentEpoch is durable");
        p.step(new Input.EpochsPersisted(2, 2));
        assertEquals(List.of(new PeerMessage.AckNewLeader(2)), p.sent(1, PeerMessage.AckNewLeader.class));
    }

    @Test
    void proposalsAfterNewLeaderDoNotHoldItsAckBack() {
        PeerDriver p = follower(Peer.Options.DEFAULTS);
        p.recv(1, new PeerMessage.Diff(Z13));
        p.recv(1, new PeerMessage.Proposal(rec(1, 4), Z13, 0, 0));
        p.recv(1, new PeerMessage.NewLeader(2, Zxid.make(1, 4)));
        p.recv(1, new PeerMessage.Proposal(rec(2, 1), Zxid.make(1, 4), 0, 0));
        p.step(new Input.Persisted(Zxid.make(1, 4)));
        assertEquals(List.of(new Output.PersistEpochs(2, 2)), p.outputs(Output.PersistEpochs.class));
        p.step(new Input.EpochsPersisted(2, 2));
        assertEquals(List.of(new PeerMessage.AckNewLeader(2)), p.sent(1, PeerMessage.AckNewLeader.class));
        assertTrue(p.sent(1, PeerMessage.Ack.class).isEmpty(), "ACK of (2,1) before it is forced");
        p.step(new Input.Persisted(Zxid.make(2, 1)));
        assertEquals(List.of(new PeerMessage.Ack(Zxid.make(2, 1))), p.sent(1, PeerMessage.Ack.class));
    }

    @Test
    void theBrokenOptionAcksNewLeaderAtOnce() {
        PeerDriver p = follower(new Peer.Options(100, true));
        p.recv(1, new PeerMessage.Diff(Z13));
        p.recv(1, new PeerMessage.Proposal(rec(1, 4), Z13, 0, 0));
        p.recv(1, new PeerMessage.NewLeader(2, Zxid.make(1, 4)));
        assertEquals(List.of(new PeerMessage.AckNewLeader(2)), p.sent(1, PeerMessage.AckNewLeader.class));
    }

    @Test
    void syncedRecordsAreAppliedAtUpToDateUpToTheCommittedZxid() {
        PeerDriver p = follower(Peer.Options.DEFAULTS);
        p.recv(1, new PeerMessage.Diff(Z13));
        p.recv(1, new PeerMessage.Proposal(rec(1, 4), Z13, 0, 0));
        p.recv(1, new PeerMessage.Proposal(rec(1, 5), Zxid.make(1, 4), 0, 0));
        p.recv(1, new PeerMessage.NewLeader(2, Z15));
        p.step(new Input.Persisted(Z15));
        p.step(new Input.EpochsPersisted(2, 2));
        assertTrue(p.allOutputs(Output.Apply.class).isEmpty());
        p.recv(1, new PeerMessage.UpToDate(Zxid.make(1, 4)));
        assertEquals(List.of(new Output.Apply(rec(1, 4), 0, 0)), p.outputs(Output.Apply.class));
        p.recv(1, new PeerMessage.Commit(Z15));
        assertEquals(List.of(new Output.Apply(rec(1, 5), 0, 0)), p.outputs(Output.Apply.class));
    }

    @Test
    void followerAcksCumulativelyWhatIsForced() {
        PeerDriver p = serving();
        p.recv(1, new PeerMessage.Proposal(rec(2, 1), Z13, 2, 5));
        p.recv(1, new PeerMessage.Proposal(rec(2, 2), Zxid.make(2, 1), 0, 0));
        assertTrue(p.sent(1, PeerMessage.Ack.class).isEmpty());
        p.step(new Input.Persisted(Zxid.make(2, 2)));
        assertEquals(List.of(new PeerMessage.Ack(Zxid.make(2, 2))), p.sent(1, PeerMessage.Ack.class));
        p.recv(1, new PeerMessage.Commit(Zxid.make(2, 1)));
        assertEquals(List.of(new Output.Apply(rec(2, 1), 2, 5)), p.outputs(Output.Apply.class));
    }

    @Test
    void aGapInProposalsEndsTheConnection() {
        PeerDriver p = serving();
        p.recv(1, new PeerMessage.Proposal(rec(2, 2), Zxid.make(2, 1), 0, 0));
        assertEquals(ServerState.LOOKING, p.state());
        assertEquals(List.of(new Output.RoleChanged(ServerState.LOOKING, -1, 2, false)),
                p.outputs(Output.RoleChanged.class));
    }

    @Test
    void aLostTailOfAnEpochShowsAtTheFirstProposalOfTheNext() {
        PeerDriver p = follower(Peer.Options.DEFAULTS);
        p.recv(1, new PeerMessage.Diff(Z13));
        // (1,4) and NEWLEADER were lost; the first record of epoch 2 names (1,4) as its predecessor.
        p.recv(1, new PeerMessage.Proposal(rec(2, 1), Zxid.make(1, 4), 0, 0));
        assertEquals(ServerState.LOOKING, p.state());
        assertTrue(p.allOutputs(Output.Append.class).isEmpty());
    }

    @Test
    void anythingButRecordsBeforeNewLeaderShowsTheSyncStreamWasCut() {
        PeerDriver p = follower(Peer.Options.DEFAULTS);
        p.recv(1, new PeerMessage.Diff(Z13));
        p.recv(1, new PeerMessage.Commit(Z13));
        assertEquals(ServerState.LOOKING, p.state());
    }

    @Test
    void aCommitOfARecordNeverReceivedEndsTheConnection() {
        PeerDriver p = serving();
        p.recv(1, new PeerMessage.Commit(Zxid.make(2, 1)));
        assertEquals(ServerState.LOOKING, p.state());
    }

    @Test
    void truncDropsTheRecordsTheLeaderLacks() {
        PeerDriver p = follower(Peer.Options.DEFAULTS);
        p.recv(1, new PeerMessage.Trunc(Zxid.make(1, 2)));
        assertEquals(List.of(new Output.Truncate(Zxid.make(1, 2))), p.outputs(Output.Truncate.class));
        p.recv(1, new PeerMessage.Proposal(rec(2, 1), Zxid.make(1, 2), 0, 0));
        p.recv(1, new PeerMessage.NewLeader(2, Zxid.make(2, 1)));
        p.step(new Input.Truncated(Zxid.make(1, 2)));
        assertTrue(p.outputs(Output.PersistEpochs.class).isEmpty());
        p.step(new Input.Persisted(Zxid.make(2, 1)));
        assertEquals(List.of(new Output.PersistEpochs(2, 2)), p.outputs(Output.PersistEpochs.class));
        assertEquals(Zxid.make(1, 2), p.peer.status().appliedZxid());
    }

    @Test
    void packetsOfAnEarlierConnectionAreIgnored() {
        PeerDriver p = new PeerDriver(2, Set.of(1L, 2L, 3L), Set.of(), 1, 1, log(1, 1, 3));
        p.tick();
        p.recv(1, new Notification(1, Z15, 1, 1, ServerState.LOOKING));
        p.recv(3, new Notification(1, Z15, 1, 1, ServerState.LOOKING));
        long conn = p.sent(1, PeerMessage.LearnerInfo.class).get(0).connection();
        p.recv(1, new PeerMessage.Diff(Z13));
        p.recv(1, new PeerMessage.LeaderInfo(conn - 1, 2));
        assertTrue(p.outputs(Output.PersistEpochs.class).isEmpty());
        assertEquals(ServerState.FOLLOWING, p.state());
    }

    @Test
    void aLeaderInfoBelowTheAcceptedEpochEndsTheConnection() {
        PeerDriver p = new PeerDriver(2, Set.of(1L, 2L, 3L), Set.of(), 4, 1, log(1, 1, 3));
        p.tick();
        p.recv(1, new Notification(1, Z15, 1, 1, ServerState.LOOKING));
        p.recv(3, new Notification(1, Z15, 1, 1, ServerState.LOOKING));
        long conn = p.sent(1, PeerMessage.LearnerInfo.class).get(0).connection();
        p.recv(1, new PeerMessage.LeaderInfo(conn, 3));
        assertEquals(ServerState.LOOKING, p.state());
    }

    @Test
    void pingIsAnsweredWithTheSessionsTouchedSinceTheLastAnswer() {
        PeerDriver p = serving();
        p.step(new Input.Touched(List.of(11L, 12L)));
        p.recv(1, new PeerMessage.Ping(Z13, Z13, 0));
        assertEquals(List.of(new PeerMessage.PingAnswer(List.of(11L, 12L), Z13, 0)), p.sent(1, PeerMessage.PingAnswer.class));
        p.recv(1, new PeerMessage.Ping(Z13, Z13, 0));
        assertEquals(List.of(new PeerMessage.PingAnswer(List.of(), Z13, 0)), p.sent(1, PeerMessage.PingAnswer.class));
    }

    @Test
    void aPingNamingARecordWeLackShowsLostProposals() {
        PeerDriver p = serving();
        p.recv(1, new PeerMessage.Ping(Z13, Zxid.make(2, 1), 0));
        assertEquals(ServerState.LOOKING, p.state());
    }

    @Test
    void aPingHealsALostCommit() {
        PeerDriver p = serving();
        p.recv(1, new PeerMessage.Proposal(rec(2, 1), Z13, 0, 0));
        p.recv(1, new PeerMessage.Ping(Zxid.make(2, 1), Zxid.make(2, 1), 0));
        assertEquals(List.of(new Output.Apply(rec(2, 1), 0, 0)), p.outputs(Output.Apply.class));
    }

    @Test
    void aLearnerNotServingRefusesWrites() {
        PeerDriver p = follower(Peer.Options.DEFAULTS);
        p.step(new Input.Submit(4, new byte[0]));
        assertEquals(4, p.outputs(Output.Refused.class).get(0).tag());
    }

    @Test
    void aSilentLeaderIsDroppedAfterSyncLimit() {
        PeerDriver p = serving();
        for (int i = 0; i < 2 * PeerDriver.TIMING.syncLimit() + 1; i++) {
            p.tick();
        }
        assertEquals(ServerState.LOOKING, p.state());
    }
}
