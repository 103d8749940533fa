package io.paddock.api.http;

import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paddock.server.ServerGateway;
import io.paddock.server.ServerStatus;

/** {@code GET /v1/status}: what the server is and holds; {@code GET /health}: that it answers. */
final class StatusRoutes extends ApiDirectives {

    StatusRoutes(ServerGateway gateway, int maxDataBytes) {
        super(gateway, maxDataBytes);
    }

    /** The routes below /v1. */
    Route route() {
        return path("status", () -> get(() -> respond(() -> call(gateway::status).thenApply(s -> JsonModel.ok(json(s))))));
    }

    /** The route at the top level, outside /v1: a liveness probe that does not touch the server's actors. */
    Route health() {
        return path("health", () -> get(() -> {
            ObjectNode n = JsonModel.object();
            n.put("status", "ok");
            return complete(JsonModel.ok(n));
        }));
    }

    static ObjectNode json(ServerStatus s) {
        ObjectNode n = JsonModel.object();
        n.put("mode", s.mode());
        n.put("serverId", s.serverId());
        n.put("zxid", HexIds.hex(s.zxid()));
        n.put("nodeCount", s.nodeCount());
        n.put("sessionCount", s.sessionCount());
        n.put("watchCount", s.watchCount());
        n.put("version", s.version());
        ServerStatus.Ensemble e = s.ensemble();
        if (e != null) {
            ObjectNode en = n.putObject("ensemble");
            en.put("leaderId", e.leaderId());
            en.put("acceptedEpoch", e.acceptedEpoch());
            en.put("currentEpoch", e.currentEpoch());
            en.put("serving", e.serving());
            en.put("lastLoggedZxid", HexIds.hex(e.lastLoggedZxid()));
            en.put("lastCommittedZxid", HexIds.hex(e.lastCommittedZxid()));
            var learners = en.putArray("learners");
            for (ServerStatus.Learner l : e.learners()) {
                ObjectNode ln = learners.addObject();
                ln.put("id", l.id());
                ln.put("role", l.observer() ? "observer" : "follower");
                ln.put("synced", l.synced());
                ln.put("ackedZxid", HexIds.hex(l.ackedZxid()));
                ln.put("lastHeardMs", l.lastHeardMs());
            }
        }
        return n;
    }
}
