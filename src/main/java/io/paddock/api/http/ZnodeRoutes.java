package io.paddock.api.http;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.Location;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paddock.server.Reply;
import io.paddock.server.ServerGateway;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reading and writing znodes: {@code /v1/znodes/{path}} (create, get, setData, delete),
 * {@code /v1/stat/{path}}, {@code /v1/children/{path}}, {@code /v1/acl/{path}} and
 * {@code /v1/sync/{path}}. Data travels base64 in JSON, or bare with {@code ?raw} and
 * {@code Content-Type: application/octet-stream}.
 */
final class ZnodeRoutes extends ApiDirectives {

    /** The header that carries the Stat, as compact JSON, beside bare data ({@code ?raw}). */
    static final String STAT_HEADER = "Paddock-Stat";

    private final CreateWithParents withParents;

    ZnodeRoutes(ServerGateway gateway, int maxDataBytes) {
        super(gateway, maxDataBytes);
        this.withParents = new CreateWithParents(gateway);
    }

    /** The routes below /v1. */
    Route route() {
        return concat(
                pathPrefix("znodes", () -> znodePath("/v1/znodes", path -> caller(c -> parameterMap(q -> concat(
                        post(() -> create(path, c, q)),
                        get(() -> read(path, c, q)),
                        put(() -> setData(path, c, q)),
                        delete(() -> remove(path, c, q))))))),
                pathPrefix("stat", () -> znodePath("/v1/stat", path -> caller(c -> parameterMap(q ->
                        get(() -> stat(path, c, q))))))
                , pathPrefix("children", () -> znodePath("/v1/children", path -> caller(c -> parameterMap(q ->
                        get(() -> children(path, c, q)))))),
                pathPrefix("acl", () -> znodePath("/v1/acl", path -> caller(c -> parameterMap(q -> concat(
                        get(() -> getAcl(path, c)),
                        put(() -> setAcl(path, c, q))))))),
                pathPrefix("sync", () -> znodePath("/v1/sync", path -> caller(c ->
                        post(() -> sync(path, c))))));
    }

    private CompletionStage<Reply> submit(Caller c, Op op) {
        return call(() -> gateway.submit(c.sessionId(), op, c.address()));
    }

    // ---- /v1/znodes ----------------------------------------------------------------------

    private Route create(String path, Caller c, Map<String, String> q) {
        return body(dataBodyLimit(), b -> {
            Optional<String> queryMode = Optional.ofNullable(q.get("mode"));
            Op.Create op;
            if (b.octetStream()) {
                CreateMode mode = OpJson.mode(queryMode.orElse(null), "?mode=");
                long ttlMs = OpJson.ttl(mode, longParam(q, "ttlMs"), "ttlMs", path);
                op = new Op.Create(path, OpJson.checkSize(b.bytes(), path, maxDataBytes), Acl.OPEN_ACL_UNSAFE,
                        mode, ttlMs);
            } else {
                op = OpJson.create(JsonFields.parseBody(b.bytes(), OpJson.CREATE_FIELDS), path, maxDataBytes,
                        queryMode, longParam(q, "ttlMs"));
            }
            if (op.mode().isEphemeral()) {
                c.requireSession("an " + op.mode() + " create");
            }
            CompletionStage<Reply> reply = flag(q, "parents") ? withParents.submit(c, op) : submit(c, op);
            return reply.thenApply(r -> answer(r, OpResult.Created.class, path, created -> {
                ObjectNode n = JsonModel.object();
                n.put("path", created.path());
                n.set("stat", JsonModel.stat(created.stat()));
                return JsonModel.response(201, n).addHeader(Location.create(znodeUrl(created.path())));
            }));
        });
    }

    /** The URL path of a znode, each segment percent-encoded. */
    static String znodeUrl(String path) {
        StringBuilder sb = new StringBuilder("/v1/znodes");
        for (String segment : path.substring(1).split("/", -1)) {
            sb.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    private Route read(String path, Caller c, Map<String, String> q) {
        return respond(() -> {
            boolean watch = watchFlag(c, q);
            boolean raw = flag(q, "raw");
            CompletionStage<Reply> reply = watch ? getDataWatching(c, path, 3) : submit(c, new Op.GetData(path, false));
            return reply.thenApply(r -> answer(r, OpResult.Data.class, path, d -> {
                if (raw) {
                    return HttpResponse.create()
                            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, bytes(d.data())))
                            .addHeader(RawHeader.create(STAT_HEADER, JsonModel.statJson(d.stat())));
                }
                ObjectNode n = JsonModel.object();
                n.put("path", path);
                n.put("data", JsonModel.base64(d.data()));
                n.set("stat", JsonModel.stat(d.stat()));
                return JsonModel.ok(n);
            }));
        });
    }

    /**
     * getData with a watch, which on a missing node leaves an exists watch instead (ZooKeeper's
     * getData leaves none there): the 404 then still tells its client when the node appears. If
     * the node appears between the two reads, the data is read again, with its data watch.
     */
    private CompletionStage<Reply> getDataWatching(Caller c, String path, int attemptsLeft) {
        return submit(c, new Op.GetData(path, true)).thenCompose(data -> {
            if (!(data.result() instanceof OpResult.Error e && e.code() == ErrorCode.NO_NODE) || attemptsLeft <= 1) {
                return CompletableFuture.completedFuture(data);
            }
            return submit(c, new Op.Exists(path, true)).thenCompose(exists ->
                    exists.result() instanceof OpResult.StatResult
                            ? getDataWatching(c, path, attemptsLeft - 1)
                            : CompletableFuture.completedFuture(data));
        });
    }

    private static byte[] bytes(byte[] data) {
        return data == null ? new byte[0] : data;
    }

    private Route setData(String path, Caller c, Map<String, String> q) {
        return body(dataBodyLimit(), b -> {
            Op.SetData op;
            OptionalInt queryVersion = intParam(q, "version");
            if (b.octetStream()) {
                op = new Op.SetData(path, OpJson.checkSize(b.bytes(), path, maxDataBytes),
                        OpJson.version(queryVersion, "?version=", path));
            } else {
                JsonFields f = JsonFields.parseBody(b.bytes(), OpJson.SET_DATA_FIELDS);
                op = new Op.SetData(path, OpJson.data(f, "data", path, maxDataBytes),
                        OpJson.version(f, queryVersion, path));
            }
            return submit(c, op).thenApply(r -> answer(r, OpResult.StatResult.class, path, ZnodeRoutes::statBody));
        });
    }

    private Route remove(String path, Caller c, Map<String, String> q) {
        return respond(() -> {
            OptionalInt version = intParam(q, "version");
            Op op;
            if (flag(q, "recursive")) {
                if (version.isPresent()) {
                    throw ApiException.badInput(path, "?version= does not apply to a recursive delete");
                }
                op = new Op.DeleteAll(path);
            } else {
                op = new Op.Delete(path, OpJson.version(version, "?version=", path));
            }
            return submit(c, op).thenApply(r -> answer(r, OpResult.class, path, done -> noContent()));
        });
    }

    // ---- /v1/stat, /v1/children, /v1/acl, /v1/sync ----------------------------------------

    private Route stat(String path, Caller c, Map<String, String> q) {
        return respond(() -> {
            boolean watch = watchFlag(c, q);
            return submit(c, new Op.Exists(path, watch)).thenApply(r -> answer(r, OpResult.StatResult.class, path,
                    s -> s.stat() == null
                            ? ApiErrors.response(404, ErrorCode.NO_NODE, path, "NoNode for " + path)
                            : statBody(s)));
        });
    }

    private static HttpResponse statBody(OpResult.StatResult s) {
        return JsonModel.okStat(s.stat());
    }

    private Route children(String path, Caller c, Map<String, String> q) {
        return respond(() -> {
            boolean watch = watchFlag(c, q);
            if (flag(q, "recursive")) {
                if (watch) {
                    throw ApiException.badInput(path, "?watch=true does not apply to a recursive listing; "
                            + "use a PERSISTENT_RECURSIVE watch (POST /v1/watches)");
                }
                return submit(c, new Op.ListRecursive(path)).thenApply(r -> answer(r, OpResult.Paths.class, path, p -> {
                    ObjectNode n = JsonModel.object();
                    n.put("path", path);
                    n.set("children", JsonModel.strings(p.paths()));
                    return JsonModel.ok(n);
                }));
            }
            return submit(c, new Op.GetChildren(path, watch)).thenApply(r -> answer(r, OpResult.Children.class, path, ch -> {
                ObjectNode n = JsonModel.object();
                n.put("path", path);
                n.set("children", JsonModel.strings(ch.children()));
                n.set("stat", JsonModel.stat(ch.stat()));
                return JsonModel.ok(n);
            }));
        });
    }

    private Route getAcl(String path, Caller c) {
        return respond(() -> submit(c, new Op.GetAcl(path)).thenApply(r -> answer(r, OpResult.AclList.class, path, a -> {
            ObjectNode n = JsonModel.object();
            n.put("path", path);
            n.set("acl", JsonModel.acl(a.acl()));
            n.set("stat", JsonModel.stat(a.stat()));
            return JsonModel.ok(n);
        })));
    }

    private Route setAcl(String path, Caller c, Map<String, String> q) {
        return body(SMALL_BODY_BYTES, b -> {
            JsonFields f = JsonFields.parseBody(b.bytes(), OpJson.SET_ACL_FIELDS);
            if (!f.has("acl")) {
                throw f.missing("acl");
            }
            Op op = new Op.SetAcl(path, OpJson.acl(f, "acl"), OpJson.version(f, intParam(q, "version"), path));
            return submit(c, op).thenApply(r -> answer(r, OpResult.StatResult.class, path, ZnodeRoutes::statBody));
        });
    }

    private Route sync(String path, Caller c) {
        return respond(() -> submit(c, new Op.Sync(path)).thenApply(r -> answer(r, OpResult.class, path, s -> {
            ObjectNode n = JsonModel.object();
            n.put("path", s instanceof OpResult.Synced synced && synced.path() != null ? synced.path() : path);
            return JsonModel.ok(n);
        })));
    }

    /** ?watch=true, which needs a session to deliver the event to. */
    private static boolean watchFlag(Caller c, Map<String, String> q) {
        boolean watch = flag(q, "watch");
        if (watch) {
            c.requireSession("?watch=true");
        }
        return watch;
    }
}
