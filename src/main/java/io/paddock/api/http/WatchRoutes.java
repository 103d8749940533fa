package io.paddock.api.http;

import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paddock.server.ServerGateway;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import io.paddock.tree.WatchKind;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A session's standing interest: {@code POST /v1/watches/{path}} adds a persistent or
 * persistent-recursive watch (ZooKeeper 3.6's addWatch), {@code DELETE /v1/watches/{path}?type=}
 * removes watches (removeWatches), {@code GET /v1/ephemerals} lists the session's own ephemeral
 * nodes (getEphemerals). All of them need the Paddock-Session header.
 */
final class WatchRoutes extends ApiDirectives {

    WatchRoutes(ServerGateway gateway, int maxDataBytes) {
        super(gateway, maxDataBytes);
    }

    /** The routes below /v1. */
    Route route() {
        return concat(
                pathPrefix("watches", () -> znodePath("/v1/watches", path -> caller(c -> concat(
                        post(() -> addWatch(path, c)),
                        delete(() -> parameterMap(q -> removeWatches(path, c, q.get("type")))))))),
                path("ephemerals", () -> get(() -> caller(c -> parameterMap(q -> ephemerals(c, q.get("path")))))));
    }

    private Route addWatch(String path, Caller c) {
        return body(SMALL_BODY_BYTES, b -> {
            long session = c.requireSession("a watch");
            JsonFields f = JsonFields.parseBody(b.bytes(), Set.of("mode"));
            String modeText = f.requiredString("mode");
            WatchKind kind = switch (modeText.toUpperCase(Locale.ROOT)) {
                case "PERSISTENT" -> WatchKind.PERSISTENT;
                case "PERSISTENT_RECURSIVE" -> WatchKind.PERSISTENT_RECURSIVE;
                default -> throw ApiException.badInput(path, "\"mode\" is \"" + ApiException.clip(modeText)
                        + "\"; it must be PERSISTENT or PERSISTENT_RECURSIVE");
            };
            return call(() -> gateway.submit(session, new Op.AddWatch(path, kind), c.address()))
                    .thenApply(r -> answer(r, OpResult.class, path, done -> {
                        ObjectNode n = JsonModel.object();
                        n.put("path", path);
                        n.put("mode", kind.name());
                        return JsonModel.ok(n);
                    }));
        });
    }

    private Route removeWatches(String path, Caller c, String type) {
        return respond(() -> {
            long session = c.requireSession("removing watches");
            List<WatchKind> kinds = kinds(type);
            return call(() -> gateway.submit(session, new Op.RemoveWatches(path, kinds), c.address()))
                    .thenApply(r -> answer(r, OpResult.class, path, done -> noContent()));
        });
    }

    /**
     * The watch kinds a ?type= removes, as ZooKeeper's WatcherType does: "data" covers exists
     * watches too (ZooKeeper keeps both as data watches); "exists" alone is Paddock's addition.
     */
    static List<WatchKind> kinds(String type) {
        String t = type == null ? "any" : type.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "data" -> List.of(WatchKind.DATA, WatchKind.EXISTS);
            case "exists" -> List.of(WatchKind.EXISTS);
            case "child", "children" -> List.of(WatchKind.CHILD);
            case "persistent" -> List.of(WatchKind.PERSISTENT);
            case "persistent_recursive" -> List.of(WatchKind.PERSISTENT_RECURSIVE);
            case "any" -> List.of(WatchKind.values());
            default -> throw ApiException.badInput(null, "?type= is \"" + ApiException.clip(type)
                    + "\"; it must be one of data, exists, child, persistent, persistent_recursive, any");
        };
    }

    private Route ephemerals(Caller c, String prefix) {
        return respond(() -> {
            long session = c.requireSession("GET /v1/ephemerals");
            String path = prefix == null || prefix.isEmpty() ? "/" : prefix;
            return call(() -> gateway.submit(session, new Op.GetEphemerals(path), c.address()))
                    .thenApply(r -> answer(r, OpResult.Paths.class, path, p -> {
                        ObjectNode n = JsonModel.object();
                        n.set("ephemerals", JsonModel.strings(p.paths()));
                        return JsonModel.ok(n);
                    }));
        });
    }
}
