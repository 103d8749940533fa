package io.paddock.api.http;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paddock.server.Reply;
import io.paddock.server.ServerGateway;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/multi}: create, setData, delete and check ops applied all or nothing. On
 * failure the answer has the failing op's status and error, its index, and a result per op as
 * ZooKeeper's multi gives them (OK before it, its own code, RuntimeInconsistency after it).
 */
final class MultiRoutes extends ApiDirectives {

    MultiRoutes(ServerGateway gateway, int maxDataBytes) {
        super(gateway, maxDataBytes);
    }

    /** The routes below /v1. */
    Route route() {
        return path("multi", () -> post(() -> caller(c -> body(dataBodyLimit(), b -> {
            List<Op> ops = parse(b.bytes());
            for (Op op : ops) {
                if (op instanceof Op.Create create && create.mode().isEphemeral()) {
                    c.requireSession("an " + create.mode() + " create");
                }
            }
            return call(() -> gateway.submit(c.sessionId(), new Op.Multi(ops), c.address()))
                    .thenApply(reply -> respond(ops, reply));
        }))));
    }

    List<Op> parse(byte[] body) {
        JsonFields f = JsonFields.parseBody(body, Set.of("ops"));
        ArrayNode array = f.array("ops").orElseThrow(() -> f.missing("ops"));
        List<Op> ops = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            ops.add(OpJson.multiOp(array.get(i), i, maxDataBytes));
        }
        return ops;
    }

    static HttpResponse respond(List<Op> ops, Reply reply) {
        if (reply.result() instanceof OpResult.Error e) {
            // Refused as a whole (not a per-op failure): e.g. an op kind a multi may not hold.
            return ApiErrors.of(e, null);
        }
        return answer(reply, OpResult.Multi.class, null, multi -> {
            List<OpResult> results = multi.results();
            OpResult.Error first = multi.firstError();
            return first == null ? success(ops, results) : failure(ops, results, first);
        });
    }

    private static HttpResponse success(List<Op> ops, List<OpResult> results) {
        ArrayNode out = JsonModel.array();
        for (int i = 0; i < results.size(); i++) {
            OpResult r = results.get(i);
            ObjectNode n = out.addObject();
            n.put("op", OpJson.opName(ops.get(i)));
            if (r instanceof OpResult.Created c) {
                n.put("path", c.path());
                n.set("stat", JsonModel.stat(c.stat()));
            } else if (r instanceof OpResult.StatResult s && s.stat() != null) {
                n.set("stat", JsonModel.stat(s.stat()));
            }
        }
        ObjectNode body = JsonModel.object();
        body.set("results", out);
        return JsonModel.ok(body);
    }

    private static HttpResponse failure(List<Op> ops, List<OpResult> results, OpResult.Error first) {
        int index = 0;
        while (results.get(index) != first) {
            index++;
        }
        String path = first.path() != null ? first.path() : index < ops.size() ? ops.get(index).path() : null;
        String message = first.message() != null && !first.message().isEmpty() ? first.message()
                : "op " + index + " (" + (index < ops.size() ? OpJson.opName(ops.get(index)) : "?") + " " + path
                + ") failed: " + first.code().codeName();
        ObjectNode body = ApiErrors.body(first.code(), path, message);
        body.put("index", index);
        ArrayNode perOp = body.putArray("results");
        for (OpResult r : results) {
            ErrorCode code = r instanceof OpResult.Error e ? e.code() : ErrorCode.OK;
            ObjectNode n = perOp.addObject();
            n.put("error", code.codeName());
            n.put("code", code.intValue());
        }
        return JsonModel.response(ApiErrors.statusFor(first.code()), body);
    }
}
