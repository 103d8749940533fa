package io.paddock.api.http;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.Location;
import akka.stream.Materializer;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Reading and writing znodes: {@code /v1/znodes/{path}} (create, get, setData, delete),
 * {@code /v1/stat/{path}}, {@code /v1/children/{path}}, {@code /v1/acl/{path}} and
 * {@code /v1/sync/{path}}. Data travels base64 in JSON, or bare with {@code ?raw} and
 * {@code Content-Type: application/octet-stream}.
 *
 * <p>These are the requests clients make most, so they are dispatched in plain code ahead of the
 * routing DSL ({@link #handle}): each directive of a route costs a callback on the answer's
 * future, and with a dozen of them the routing took more time than reading the znode. What the
 * request is checked for, and in which order, is as in the routes: the path, then the caller,
 * then the method.
 */
final class ZnodeRoutes extends ApiDirectives {

    /** The header that carries the Stat, as compact JSON, beside bare data ({@code ?raw}). */
    static final String STAT_HEADER = "Paddock-Stat";
    private static final PaddockHeader.Name STAT_HEADER_NAME = PaddockHeader.Name.of(STAT_HEADER);

    /** The endpoints, each with the methods it takes. */
    private enum Endpoint {
        ZNODES("/v1/znodes", HttpMethods.POST, HttpMethods.GET, HttpMethods.PUT, HttpMethods.DELETE),
        STAT("/v1/stat", HttpMethods.GET),
        CHILDREN("/v1/children", HttpMethods.GET),
        ACL("/v1/acl", HttpMethods.GET, HttpMethods.PUT),
        SYNC("/v1/sync", HttpMethods.POST);

        final String prefix;
        final List<HttpMethod> methods;

        Endpoint(String prefix, HttpMethod... methods) {
            this.prefix = prefix;
            this.methods = List.of(methods);
        }

        /** The endpoint of a URL path: its prefix, alone or followed by "/…". */
        static Endpoint of(String urlPath) {
            for (Endpoint e : values()) {
                if (urlPath.startsWith(e.prefix)
                        && (urlPath.length() == e.prefix.length() || urlPath.charAt(e.prefix.length()) == '/')) {
                    return e;
                }
            }
            return null;
        }
    }

    private final CreateWithParents withParents;
    private final Materializer materializer;

    ZnodeRoutes(ServerGateway gateway, int maxDataBytes, Materializer materializer) {
        super(gateway, maxDataBytes);
        this.withParents = new CreateWithParents(gateway);
        this.materializer = materializer;
    }

    /**
     * The answer to a request for one of these endpoints from {@code clientAddress}; null when the
     * request is for another.
     */
    CompletionStage<HttpResponse> handle(HttpRequest request, String clientAddress) {
        String rawTarget = rawTargetOf(request);
        String plainPath = plainPathOf(rawTarget);
        String urlPath = plainPath != null ? plainPath : request.getUri().path();
        Endpoint endpoint = Endpoint.of(urlPath);
        if (endpoint == null) {
            return null;
        }
        return answering(() -> {
            String path = znodePathOf(rawTarget, endpoint.prefix, urlPath.substring(endpoint.prefix.length()));
            Caller c = callerOf(request, clientAddress);
            HttpMethod method = request.method();
            if (!endpoint.methods.contains(method)) {
                return CompletableFuture.completedFuture(ApiErrors.methodNotAllowed(endpoint.methods));
            }
            Map<String, String> q = queryOf(request, rawTarget);
            return switch (endpoint) {
                case ZNODES -> method == HttpMethods.POST ? withBody(request, dataBodyLimit(), b -> create(path, c, q, b))
                        : method == HttpMethods.GET ? read(path, c, q)
                        : method == HttpMethods.PUT ? withBody(request, dataBodyLimit(), b -> setData(path, c, q, b))
                        : remove(path, c, q);
                case STAT -> stat(path, c, q);
                case CHILDREN -> children(path, c, q);
                case ACL -> method == HttpMethods.GET ? getAcl(path, c)
                        : withBody(request, SMALL_BODY_BYTES, b -> setAcl(path, c, q, b));
                case SYNC -> sync(path, c);
            };
        });
    }

    /**
     * The path of a raw request target when it is already what akka-http's parsed URL path would
     * render as: origin-form, nothing percent-encoded, no dot segment. The usual target is, and
     * taking its path saves rendering the parsed one again. Null for any other target (or none).
     */
    static String plainPathOf(String rawTarget) {
        if (rawTarget == null || rawTarget.isEmpty() || rawTarget.charAt(0) != '/') {
            return null;
        }
        int end = rawTarget.length();
        for (int i = 0; i < end; i++) {
            char ch = rawTarget.charAt(i);
            if (ch == '?') {
                end = i;
                break;
            }
            if (ch == '%' || ch == '#' || ch == '\\' || (ch == '.' && rawTarget.charAt(i - 1) == '/')) {
                return null;
            }
        }
        return rawTarget.substring(0, end);
    }

    /**
     * The query's parameters, the last value of each name. A plain query ("raw",
     * "watch=true&version=3": letters, digits, "=", "&", "-", "_", ".") is split here, as most
     * are; any other is left to akka-http's parser, which decodes it. The query is taken from the
     * request's raw target when it has one (null: none), the same characters as akka-http's raw
     * query string, without making the Java view of the parsed URL.
     */
    static Map<String, String> queryOf(HttpRequest request, String rawTarget) {
        String query;
        if (rawTarget != null) {
            int mark = rawTarget.indexOf('?');
            query = mark < 0 ? "" : rawTarget.substring(mark + 1);
        } else {
            query = request.getUri().rawQueryString().orElse("");
        }
        if (query.isEmpty()) {
            return Map.of();
        }
        for (int i = 0; i < query.length(); i++) {
            char ch = query.charAt(i);
            boolean plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                    || ch == '=' || ch == '&' || ch == '-' || ch == '_' || ch == '.';
            if (!plain) {
                return request.getUri().query().toMap();
            }
        }
        if (query.indexOf('&') < 0) {
            // One parameter, as most queries have ("raw", "watch=true"): no table and no split.
            int eq = query.indexOf('=');
            return eq < 0 ? Map.of(query, "") : Map.of(query.substring(0, eq), query.substring(eq + 1));
        }
        Map<String, String> params = new HashMap<>();
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            params.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        return params;
    }

    private CompletionStage<HttpResponse> withBody(HttpRequest request, long limitBytes,
                                                   Function<Body, CompletionStage<HttpResponse>> handler) {
        return readBody(request, limitBytes, materializer).thenCompose(handler);
    }

    private CompletionStage<Reply> submit(Caller c, Op op) {
        return call(() -> gateway.submit(c.sessionId(), op, c.address()));
    }

    // ---- /v1/znodes ----------------------------------------------------------------------

    private CompletionStage<HttpResponse> create(String path, Caller c, Map<String, String> q, Body b) {
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
    }

    /** The URL path of a znode, each segment percent-encoded. */
    static String znodeUrl(String path) {
        StringBuilder sb = new StringBuilder("/v1/znodes");
        for (String segment : path.substring(1).split("/", -1)) {
            sb.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    private CompletionStage<HttpResponse> read(String path, Caller c, Map<String, String> q) {
        boolean watch = watchFlag(c, q);
        boolean raw = flag(q, "raw");
        CompletionStage<Reply> reply = watch ? getDataWatching(c, path, 3) : submit(c, new Op.GetData(path, false));
        return reply.thenApply(r -> answer(r, OpResult.Data.class, path, d -> {
            if (raw) {
                return HttpResponse.create()
                        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, bytes(d.data())))
                        .addHeader(new PaddockHeader(STAT_HEADER_NAME, JsonModel.statJson(d.stat())));
            }
            ObjectNode n = JsonModel.object();
            n.put("path", path);
            n.put("data", JsonModel.base64(d.data()));
            n.set("stat", JsonModel.stat(d.stat()));
            return JsonModel.ok(n);
        }));
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

    private CompletionStage<HttpResponse> setData(String path, Caller c, Map<String, String> q, Body b) {
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
    }

    private CompletionStage<HttpResponse> remove(String path, Caller c, Map<String, String> q) {
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
    }

    // ---- /v1/stat, /v1/children, /v1/acl, /v1/sync ----------------------------------------

    private CompletionStage<HttpResponse> stat(String path, Caller c, Map<String, String> q) {
        boolean watch = watchFlag(c, q);
        return submit(c, new Op.Exists(path, watch)).thenApply(r -> answer(r, OpResult.StatResult.class, path,
                s -> s.stat() == null
                        ? ApiErrors.response(404, ErrorCode.NO_NODE, path, "NoNode for " + path)
                        : statBody(s)));
    }

    private static HttpResponse statBody(OpResult.StatResult s) {
        return JsonModel.okStat(s.stat());
    }

    private CompletionStage<HttpResponse> children(String path, Caller c, Map<String, String> q) {
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
    }

    private CompletionStage<HttpResponse> getAcl(String path, Caller c) {
        return submit(c, new Op.GetAcl(path)).thenApply(r -> answer(r, OpResult.AclList.class, path, a -> {
            ObjectNode n = JsonModel.object();
            n.put("path", path);
            n.set("acl", JsonModel.acl(a.acl()));
            n.set("stat", JsonModel.stat(a.stat()));
            return JsonModel.ok(n);
        }));
    }

    private CompletionStage<HttpResponse> setAcl(String path, Caller c, Map<String, String> q, Body b) {
        JsonFields f = JsonFields.parseBody(b.bytes(), OpJson.SET_ACL_FIELDS);
        if (!f.has("acl")) {
            throw f.missing("acl");
        }
        Op op = new Op.SetAcl(path, OpJson.acl(f, "acl"), OpJson.version(f, intParam(q, "version"), path));
        return submit(c, op).thenApply(r -> answer(r, OpResult.StatResult.class, path, ZnodeRoutes::statBody));
    }

    private CompletionStage<HttpResponse> sync(String path, Caller c) {
        return submit(c, new Op.Sync(path)).thenApply(r -> answer(r, OpResult.class, path, s -> {
            ObjectNode n = JsonModel.object();
            n.put("path", s instanceof OpResult.Synced synced && synced.path() != null ? synced.path() : path);
            return JsonModel.ok(n);
        }));
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
