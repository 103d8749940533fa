package io.paddock.zab;

import static io.paddock.zab.PeerDriver.log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.zab.PeerMessage.Notification;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ElectionTest {

    @Test
    void voteOrderIsPeerEpochThenZxidThenId() {
        Vote v = new Vote(2, Zxid.make(1, 5), 1, 1);
        assertTrue(v.losesTo(1, Zxid.make(1, 1), 2));
        assertFalse(v.losesTo(3, Zxid.make(1, 9), 0));
        assertTrue(v.losesTo(1, Zxid.make(1, 6), 1));
        assertTrue(v.losesTo(3, Zxid.make(1, 5), 1));
        assertFalse(v.losesTo(1, Zxid.make(1, 5), 1));
    }

    @Test
    void theServerWithTheLongestLogOfTheLatestEpochLeads() {
        MiniCluster c = new MiniCluster(Set.of(1L, 2L, 3L), Set.of(),
                Map.of(1L, log(1, 1, 3), 2L, log(1, 1, 5), 3L, log(1, 1, 4)),
                Map.of(1L, new long[] {1, 1}, 2L, new long[] {1, 1}, 3L, new long[] {1, 1}));
        c.ticks(6);
        assertEquals(2L, c.servingLeader());
    }

    @Test
    void aHigherCurrentEpochBeatsALongerLog() {
        MiniCluster c = new MiniCluster(Set.of(1L, 2L, 3L), Set.of(),
                Map.of(1L, log(1, 1, 3), 2L, log(1, 1, 3), 3L, log(1, 1, 9)),
                Map.of(1L, new long[] {2, 2}, 2L, new long[] {2, 1}, 3L, new long[] {1, 1}));
        c.ticks(6);
        assertEquals(1L, c.servingLeader());
    }

    @Test
    void aLookingVoterAdoptsABetterVoteAndTellsEveryone() {
        PeerDriver p = new PeerDriver(1, Set.of(1L, 2L, 3L), Set.of(), 0, 0, List.of());
        p.tick();
        assertEquals(1, p.sent(2, Notification.class).get(0).leader());
        p.recv(3, new Notification(3, Zxid.make(1, 1), 1, 1, ServerState.LOOKING));
        assertEquals(3, p.sent(2, Notification.class).get(0).leader());
        assertEquals(ServerState.LOOKING, p.state());
    }

    @Test
    void decidesAfterATickWhenAQuorumButNotEveryVoterAgrees() {
        PeerDriver p = new PeerDriver(1, Set.of(1L, 2L, 3L), Set.of(), 0, 0, List.of());
        p.tick();
        p.recv(3, new Notification(3, 0, 1, 0, ServerState.LOOKING));
        assertEquals(ServerState.LOOKING, p.state());
        p.tick();
        assertEquals(ServerState.FOLLOWING, p.state());
        assertEquals(1, p.sent(3, PeerMessage.LearnerInfo.class).size());
    }

    @Test
    void aSettleDecidesWhatWaitsForALateVoterWithoutWaitingForTheTick() {
        PeerDriver p = new PeerDriver(1, Set.of(1L, 2L, 3L), Set.of(), 0, 0, List.of());
        p.step(new Input.Settle());
        assertEquals(ServerState.LOOKING, p.state(), "no quorum yet: a Settle decides nothing");
        p.recv(3, new Notification(3, 0, 1, 0, ServerState.LOOKING));
        assertEquals(ServerState.LOOKING, p.state(), "a quorum, but server 2 may yet answer");
        p.step(new Input.Settle());
        assertEquals(ServerState.FOLLOWING, p.state());
        assertEquals(1, p.sent(3, PeerMessage.LearnerInfo.class).size());
        // Until the leader answers, FOLLOWERINFO goes again on every Settle: the first may have
        // reached a leader that had not decided yet.
        p.step(new Input.Settle());
        assertEquals(1, p.sent(3, PeerMessage.LearnerInfo.class).size());
    }

    @Test
    void aFollowerWhoseLeaderSaysLookingJoinsTheElection() {
        PeerDriver p = new PeerDriver(1, Set.of(1L, 2L, 3L), Set.of(), 0, 0, List.of());
        p.tick();
        p.recv(3, new Notification(3, 0, 1, 0, ServerState.LOOKING));
        p.tick();
        assertEquals(ServerState.FOLLOWING, p.state());
        long connection = p.sent(3, PeerMessage.LearnerInfo.class).get(0).connection();
        // Before the leader has answered, a LOOKING notification may be one it sent before it led.
        p.recv(3, new Notification(3, 0, 1, 0, ServerState.LOOKING));
        assertEquals(ServerState.FOLLOWING, p.state());
        p.recv(3, new PeerMessage.LeaderInfo(connection, 1));
        p.recv(3, new Notification(3, 0, 2, 0, ServerState.LOOKING));
        assertEquals(ServerState.LOOKING, p.state(), "a leader that answered and then looks has stopped leading");
    }

    @Test
    void aRestartedServerFollowsAnEstablishedLeaderConfirmedByAQuorum() {
        PeerDriver p = new PeerDriver(3, Set.of(1L, 2L, 3L), Set.of(), 0, 0, List.of());
        p.tick();
        // An established leader's round (7) is not ours (1): only the out-of-election votes decide.
        p.recv(2, new Notification(1, 0, 7, 0, ServerState.FOLLOWING));
        assertEquals(ServerState.LOOKING, p.state());
        p.recv(1, new Notification(1, 0, 7, 0, ServerState.LEADING));
        assertEquals(ServerState.FOLLOWING, p.state());
        assertEquals(1L, p.peer.status().leaderId());
    }

    @Test
    void followersWithoutTheLeaderSayingLeadingDoNotDecide() {
        PeerDriver p = new PeerDriver(3, Set.of(1L, 2L, 3L, 4L, 5L), Set.of(), 0, 0, List.of());
        p.tick();
        p.recv(2, new Notification(1, 0, 7, 0, ServerState.FOLLOWING));
        p.recv(4, new Notification(1, 0, 7, 0, ServerState.FOLLOWING));
        p.recv(5, new Notification(1, 0, 7, 0, ServerState.FOLLOWING));
        assertEquals(ServerState.LOOKING, p.state());
    }

    @Test
    void anObserverLearnsTheLeaderFromTheVoters() {
        MiniCluster c = new MiniCluster(Set.of(1L, 2L, 3L), Set.of(4L), Map.of(), Map.of());
        c.ticks(8);
        Long leader = c.servingLeader();
        assertNotNull(leader);
        PeerStatus o = c.peers.get(4L).status();
        assertEquals(ServerState.OBSERVING, o.state());
        assertEquals(leader, o.leaderId());
        assertTrue(o.serving());
    }
}
