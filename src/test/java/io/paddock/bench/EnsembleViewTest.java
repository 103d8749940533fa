package io.paddock.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.paddock.bench.EnsembleView.Server;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnsembleViewTest {

    private static Server leader(long id) {
        return new Server(id, "leader", id, true);
    }

    private static Server follower(long id, long leader, boolean serving) {
        return new Server(id, "follower", leader, serving);
    }

    private static EnsembleView view(Server... servers) {
        Map<Long, Server> map = new TreeMap<>();
        for (Server s : servers) {
            map.put(s.id(), s);
        }
        return new EnsembleView(map);
    }

    @Test
    void quorumIsTheSmallestMajority() {
        assertEquals(2, EnsembleView.quorum(3));
        assertEquals(3, EnsembleView.quorum(4));
        assertEquals(3, EnsembleView.quorum(5));
    }

    @Test
    void aNewLeaderCountsOnceAMajorityOfTheWholeEnsembleServesUnderIt() {
        // Server 1 was killed; 2 leads; of 3, two serving under 2 is a majority.
        assertEquals(2, view(leader(2), follower(3, 2, true)).servingLeader(3, 1));
        // The follower is still syncing: the leader alone is no majority of three.
        assertEquals(-1, view(leader(2), follower(3, 2, false)).servingLeader(3, 1));
        // Five servers, one killed: the leader and one follower are not three.
        assertEquals(-1, view(leader(2), follower(3, 2, true), follower(4, -1, false), Server.noAnswer(5))
                .servingLeader(5, 1));
        assertEquals(2, view(leader(2), follower(3, 2, true), follower(4, 2, true), Server.noAnswer(5))
                .servingLeader(5, 1));
    }

    @Test
    void theKilledLeaderOrAStaleViewOfItNeverCountsAsTheNewLeader() {
        // Just after the kill the survivors may still say they follow 1, serving.
        assertEquals(-1, view(follower(2, 1, true), follower(3, 1, true)).servingLeader(3, 1));
        assertEquals(-1, view(leader(1), follower(2, 1, true), follower(3, 1, true)).servingLeader(3, 1));
    }

    @Test
    void aLeaderThatIsNotServingYetHasNotTakenOver() {
        assertEquals(-1, view(new Server(2, "leader", 2, false), follower(3, 2, true)).servingLeader(3, 1));
        assertEquals(-1, view(new Server(2, "looking", -1, false), new Server(3, "looking", -1, false))
                .servingLeader(3, 1));
    }

    @Test
    void allServingNeedsEveryServerToAnswerAndServeUnderTheOneLeader() {
        List<Long> all = List.of(1L, 2L, 3L);
        assertEquals(3, view(follower(1, 3, true), follower(2, 3, true), leader(3)).allServing(all));
        assertEquals(-1, view(follower(1, 3, false), follower(2, 3, true), leader(3)).allServing(all));
        assertEquals(-1, view(Server.noAnswer(1), follower(2, 3, true), leader(3)).allServing(all));
        assertEquals(-1, view(follower(2, 3, true), leader(3)).allServing(all), "server 1 was not asked");
        assertEquals(-1, view(follower(1, 2, true), leader(2), leader(3)).allServing(all), "two leaders");
        assertEquals(-1, view(follower(1, 1, true), follower(2, 1, true), follower(3, 1, true)).allServing(all));
    }

    @Test
    void serverReadsModeLeaderAndServingFromTheStatusJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Server s = Server.of(2, json.readTree("{\"mode\":\"follower\",\"serverId\":2,\"zxid\":\"0x0\","
                + "\"ensemble\":{\"leaderId\":3,\"currentEpoch\":1,\"serving\":true,\"learners\":[]}}"));
        assertEquals(new Server(2, "follower", 3, true), s);
        assertTrue(s.servesUnder(3));
        Server standalone = Server.of(1, json.readTree("{\"mode\":\"standalone\",\"serverId\":0}"));
        assertFalse(standalone.serving());
        assertFalse(standalone.leads());
    }

    @Test
    void toStringSaysWhatEachServerSaid() {
        assertEquals("1=no answer, 2=leader/leader 2/serving, 3=follower/leader 2/not serving",
                view(Server.noAnswer(1), leader(2), follower(3, 2, false)).toString());
    }
}
