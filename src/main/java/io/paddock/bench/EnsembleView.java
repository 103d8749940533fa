package io.paddock.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collection;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What the servers of an ensemble said in one round of {@code GET /v1/status}, and the two
 * questions the failover benchmark asks of it: has a new leader taken over (it serves, and a
 * majority of the ensemble serves with it), and is the whole ensemble back (every server serves
 * under one leader). Pure: the answers depend on the statuses only.
 */
final class EnsembleView {

    /** One server's answer; {@code mode} "none" when it did not answer. */
    record Server(long id, String mode, long leaderId, boolean serving) {

        static Server noAnswer(long id) {
            return new Server(id, "none", -1, false);
        }

        /** From the JSON of GET /v1/status; a standalone server or a missing field reads as not serving an ensemble. */
        static Server of(long id, JsonNode status) {
            JsonNode ensemble = status.path("ensemble");
            return new Server(id, status.path("mode").asText("none"), ensemble.path("leaderId").asLong(-1),
                    ensemble.path("serving").asBoolean(false));
        }

        boolean leads() {
            return mode.equals("leader") && serving && leaderId == id;
        }

        boolean servesUnder(long leader) {
            return serving && leaderId == leader;
        }
    }

    private final SortedMap<Long, Server> servers;

    EnsembleView(Map<Long, Server> servers) {
        this.servers = new TreeMap<>(servers);
    }

    /** The smallest majority of an ensemble of {@code size} participants. */
    static int quorum(int size) {
        return size / 2 + 1;
    }

    /**
     * The leader that has taken over: a server other than {@code excluded} that leads and serves,
     * with at least a majority of the {@code ensembleSize} participants (itself included) serving
     * under it. -1 when there is none yet.
     */
    long servingLeader(int ensembleSize, long excluded) {
        for (Server candidate : servers.values()) {
            if (candidate.id() == excluded || !candidate.leads()) {
                continue;
            }
            int following = 0;
            for (Server s : servers.values()) {
                if (s.servesUnder(candidate.id())) {
                    following++;
                }
            }
            if (following >= quorum(ensembleSize)) {
                return candidate.id();
            }
        }
        return -1;
    }

    /** The one leader when every server of {@code ids} answered and serves under it; -1 otherwise. */
    long allServing(Collection<Long> ids) {
        long leader = -1;
        for (Server s : servers.values()) {
            if (s.leads()) {
                if (leader >= 0) {
                    return -1; // two servers think they lead: an election is not over yet
                }
                leader = s.id();
            }
        }
        if (leader < 0) {
            return -1;
        }
        for (long id : ids) {
            Server s = servers.get(id);
            if (s == null || !s.servesUnder(leader)) {
                return -1;
            }
        }
        return leader;
    }

    /** For messages: {@code 1=follower/leader 3/serving, 2=none, ...}. */
    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(", ");
        for (Server s : servers.values()) {
            text.add(s.id() + "=" + (s.mode().equals("none") ? "no answer"
                    : s.mode() + "/leader " + s.leaderId() + "/" + (s.serving() ? "serving" : "not serving")));
        }
        return text.toString();
    }
}
