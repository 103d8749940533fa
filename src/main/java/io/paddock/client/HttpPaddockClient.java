package io.paddock.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paddock.client.ClientConnection.Answer;
import io.paddock.client.ClientConnection.Call;
import io.paddock.client.ClientWatches.Kind;
import io.paddock.tree.Acl;
import io.paddock.tree.EventType;
import io.paddock.tree.Id;
import io.paddock.tree.PathUtils;
import io.paddock.tree.Stat;
import io.paddock.tree.TreeException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@link PaddockClient} over the HTTP API (docs/http-api.md), with the JDK's HttpClient: no Akka
 * on the client's side, so a plain Java application takes nothing but Paddock's jar and Jackson;
 * HTTP/1.1 connections are pooled and every call is asynchronous. The session, failover, retries
 * and watch events are {@link ClientConnection}'s; this class maps each operation to its request.
 */
final class HttpPaddockClient implements PaddockClient {

    private final ClientConnection connection;

    private HttpPaddockClient(PaddockClientBuilder settings) {
        this.connection = new ClientConnection(this, settings);
    }

    static PaddockClient open(PaddockClientBuilder settings) throws PaddockException, InterruptedException {
        HttpPaddockClient client = new HttpPaddockClient(settings);
        try {
            client.connection.open();
        } catch (PaddockException | InterruptedException | RuntimeException e) {
            client.connection.close();
            throw e;
        }
        return client;
    }

    // ---- The session and the connection ----

    @Override
    public long sessionId() {
        ClientConnection.Session s = connection.session();
        return s == null ? 0L : s.id();
    }

    @Override
    public int sessionTimeoutMs() {
        ClientConnection.Session s = connection.session();
        return s == null ? 0 : s.timeoutMs();
    }

    @Override
    public ConnectionState state() {
        return connection.state();
    }

    @Override
    public String currentServer() {
        return connection.currentServer();
    }

    @Override
    public long lastZxidSeen() {
        return connection.lastZxidSeen();
    }

    @Override
    public void addConnectionStateListener(ConnectionStateListener listener) {
        connection.events().addStateListener(listener);
    }

    @Override
    public void removeConnectionStateListener(ConnectionStateListener listener) {
        connection.events().removeStateListener(listener);
    }

    @Override
    public void addWatchListener(Watcher listener) {
        connection.events().addWatchListener(listener);
    }

    @Override
    public void removeWatchListener(Watcher listener) {
        connection.events().removeWatchListener(listener);
    }

    @Override
    public CompletionStage<ServerInfo> serverInfoAsync() {
        return map(connection.call(new Call("GET", "/v1/status", null, true)), n -> new ServerInfo(
                n.path("mode").asText(), n.path("serverId").asLong(), ClientJson.id(n, "zxid"),
                n.path("nodeCount").asLong(), n.path("sessionCount").asLong(), n.path("watchCount").asLong(),
                n.path("version").asText()));
    }

    @Override
    public void close() {
        connection.close();
    }

    // ---- Operations ----

    @Override
    public CompletionStage<Created> createAsync(String path, byte[] data, CreateOptions options) {
        return checked(path, options.mode().isSequential(), () -> {
            ObjectNode body = ClientJson.object();
            body.put("data", ClientJson.base64(data));
            body.put("mode", options.mode().name());
            if (options.ttlMs() != 0) {
                body.put("ttlMs", options.ttlMs());
            }
            body.set("acl", ClientJson.aclJson(options.acl()));
            String target = url("/v1/znodes", path) + (options.parents() ? "?parents=true" : "");
            return map(connection.call(new Call("POST", target, body, false)),
                    n -> new Created(n.path("path").asText(), ClientJson.stat(n.get("stat"))));
        });
    }

    @Override
    public CompletionStage<NodeData> getDataAsync(String path, Watcher watcher) {
        return checked(path, () -> watched(Kind.DATA, path, watcher, Kind.EXIST,
                () -> connection.call(new Call("GET", url("/v1/znodes", path) + watchQuery(watcher), null, true)),
                n -> new NodeData(n.path("path").asText(path), ClientJson.data(n), ClientJson.stat(n.get("stat")))));
    }

    @Override
    public CompletionStage<Optional<Stat>> existsAsync(String path, Watcher watcher) {
        return checked(path, () -> {
            if (watcher != null) {
                connection.watches(w -> {
                    w.add(Kind.EXIST, path, watcher);
                    return null;
                });
            }
            CompletableFuture<Answer> answer = connection.call(
                    new Call("GET", url("/v1/stat", path) + watchQuery(watcher), null, true));
            return answer.handle((a, failure) -> {
                if (failure == null) {
                    // ZooKeeper's client: an exists watch on a node that is there is a data watch.
                    if (watcher != null) {
                        connection.watches(w -> {
                            w.move(Kind.EXIST, Kind.DATA, path, watcher);
                            w.armed(Kind.DATA, path, a.zxid());
                            return null;
                        });
                    }
                    return Optional.of(ClientJson.stat(json(a).get("stat")));
                }
                PaddockException e = PaddockClient.asPaddockException(failure);
                if (e instanceof PaddockException.NoNodeException) {
                    if (watcher != null) {
                        connection.watches(w -> {
                            w.armed(Kind.EXIST, path, connection.lastZxidSeen());
                            return null;
                        });
                    }
                    return Optional.<Stat>empty();
                }
                forget(Kind.EXIST, path, watcher);
                throw new CompletionException(e);
            });
        });
    }

    @Override
    public CompletionStage<Children> getChildrenAsync(String path, Watcher watcher) {
        return checked(path, () -> watched(Kind.CHILD, path, watcher, null,
                () -> connection.call(new Call("GET", url("/v1/children", path) + watchQuery(watcher), null, true)),
                n -> new Children(n.path("path").asText(path), ClientJson.strings(n.get("children")),
                        ClientJson.stat(n.get("stat")))));
    }

    @Override
    public CompletionStage<List<String>> getDescendantsAsync(String path) {
        return checked(path, () -> map(connection.call(
                        new Call("GET", url("/v1/children", path) + "?recursive=true", null, true)),
                n -> ClientJson.strings(n.get("children"))));
    }

    @Override
    public CompletionStage<Stat> setDataAsync(String path, byte[] data, int version) {
        return checked(path, () -> {
            ObjectNode body = ClientJson.object();
            body.put("data", ClientJson.base64(data));
            body.put("version", version);
            return map(connection.call(new Call("PUT", url("/v1/znodes", path), body, false)),
                    n -> ClientJson.stat(n.get("stat")));
        });
    }

    @Override
    public CompletionStage<Void> deleteAsync(String path, int version) {
        return checked(path, () -> done(connection.call(
                new Call("DELETE", url("/v1/znodes", path) + "?version=" + version, null, false))));
    }

    @Override
    public CompletionStage<Void> deleteRecursiveAsync(String path) {
        return checked(path, () -> done(connection.call(
                new Call("DELETE", url("/v1/znodes", path) + "?recursive=true", null, false))));
    }

    @Override
    public CompletionStage<AclStat> getAclAsync(String path) {
        return checked(path, () -> map(connection.call(new Call("GET", url("/v1/acl", path), null, true)),
                n -> new AclStat(ClientJson.acl(n.get("acl")), ClientJson.stat(n.get("stat")))));
    }

    @Override
    public CompletionStage<Stat> setAclAsync(String path, List<Acl> acl, int version) {
        return checked(path, () -> {
            ObjectNode body = ClientJson.object();
            body.set("acl", ClientJson.aclJson(acl));
            body.put("version", version);
            return map(connection.call(new Call("PUT", url("/v1/acl", path), body, false)),
                    n -> ClientJson.stat(n.get("stat")));
        });
    }

    @Override
    public CompletionStage<List<MultiResult>> multiAsync(List<MultiOp> ops) {
        for (MultiOp op : ops) {
            String problem = pathProblem(op.path(),
                    op instanceof MultiOp.Create c && c.mode().isSequential());
            if (problem != null) {
                return CompletableFuture.failedFuture(new PaddockException.BadArgumentsException(op.path(), problem));
            }
        }
        ObjectNode body = ClientJson.object();
        ArrayNode array = body.putArray("ops");
        for (MultiOp op : ops) {
            ObjectNode o = array.addObject();
            o.put("path", op.path());
            if (op instanceof MultiOp.Create c) {
                o.put("op", "create");
                o.put("data", ClientJson.base64(c.data()));
                o.put("mode", c.mode().name());
                if (c.ttlMs() != 0) {
                    o.put("ttlMs", c.ttlMs());
                }
                o.set("acl", ClientJson.aclJson(c.acl()));
            } else if (op instanceof MultiOp.SetData s) {
                o.put("op", "setData");
                o.put("data", ClientJson.base64(s.data()));
                o.put("version", s.version());
            } else if (op instanceof MultiOp.Delete d) {
                o.put("op", "delete");
                o.put("version", d.version());
            } else {
                o.put("op", "check");
                o.put("version", ((MultiOp.Check) op).version());
            }
        }
        return map(connection.call(new Call("POST", "/v1/multi", body, false)), n -> {
            List<MultiResult> results = new ArrayList<>();
            for (JsonNode r : n.path("results")) {
                switch (r.path("op").asText()) {
                    case "create" -> results.add(new MultiResult.Create(r.path("path").asText(),
                            ClientJson.stat(r.get("stat"))));
                    case "setData" -> results.add(new MultiResult.SetData(ClientJson.stat(r.get("stat"))));
                    case "delete" -> results.add(new MultiResult.Delete());
                    default -> results.add(new MultiResult.Check());
                }
            }
            return results;
        });
    }

    @Override
    public CompletionStage<Void> syncAsync(String path) {
        return checked(path, () -> done(connection.call(new Call("POST", url("/v1/sync", path), null, true))));
    }

    @Override
    public CompletionStage<Void> addWatchAsync(String path, AddWatchMode mode, Watcher watcher) {
        return checked(path, () -> {
            Kind kind = mode == AddWatchMode.PERSISTENT ? Kind.PERSISTENT : Kind.PERSISTENT_RECURSIVE;
            ObjectNode body = ClientJson.object();
            body.put("mode", mode.name());
            return watched(kind, path, watcher, null,
                    () -> connection.call(new Call("POST", url("/v1/watches", path), body, true)), n -> null);
        });
    }

    @Override
    public CompletionStage<Void> removeWatchesAsync(String path, WatcherType type) {
        return checked(path, () -> connection.call(new Call("DELETE",
                url("/v1/watches", path) + "?type=" + type.name().toLowerCase(java.util.Locale.ROOT), null, false))
                .thenApply(a -> {
                    deliverRemoved(path, type);
                    return null;
                }));
    }

    /** The client's watchers of the removed kinds hear that they were removed, as ZooKeeper's do. */
    private void deliverRemoved(String path, WatcherType type) {
        List<Kind> data = List.of(Kind.DATA, Kind.EXIST);
        List<Kind> exist = List.of(Kind.EXIST);
        List<Kind> child = List.of(Kind.CHILD);
        List<Kind> persistent = List.of(Kind.PERSISTENT, Kind.PERSISTENT_RECURSIVE);
        switch (type) {
            case DATA -> notifyRemoved(path, data, EventType.DataWatchRemoved);
            case EXISTS -> notifyRemoved(path, exist, EventType.DataWatchRemoved);
            case CHILD -> notifyRemoved(path, child, EventType.ChildWatchRemoved);
            case PERSISTENT -> notifyRemoved(path, List.of(Kind.PERSISTENT), EventType.PersistentWatchRemoved);
            case PERSISTENT_RECURSIVE -> notifyRemoved(path, List.of(Kind.PERSISTENT_RECURSIVE),
                    EventType.PersistentWatchRemoved);
            case ANY -> {
                notifyRemoved(path, data, EventType.DataWatchRemoved);
                notifyRemoved(path, child, EventType.ChildWatchRemoved);
                notifyRemoved(path, persistent, EventType.PersistentWatchRemoved);
            }
        }
    }

    private void notifyRemoved(String path, List<Kind> kinds, EventType type) {
        List<Watcher> removed = connection.watches(w -> w.removeAll(path, kinds));
        if (!removed.isEmpty()) {
            // To the removed watchers only: the server's own removal event reaches the listeners.
            connection.events().deliverToWatchers(removed, new WatchEvent(type, EventState.SyncConnected, path, -1L));
        }
    }

    @Override
    public CompletionStage<List<String>> getEphemeralsAsync(String prefix) {
        String p = prefix == null || prefix.isEmpty() ? "/" : prefix;
        return map(connection.call(new Call("GET", "/v1/ephemerals?path=" + encode(p, true), null, true)),
                n -> ClientJson.strings(n.get("ephemerals")));
    }

    @Override
    public CompletionStage<Void> addAuthAsync(String scheme, byte[] auth) {
        String authText = new String(auth, StandardCharsets.UTF_8);
        ObjectNode body = ClientJson.object();
        body.put("scheme", scheme);
        body.put("auth", authText);
        return sessionCall("POST", "/auth", body).thenApply(a -> {
            connection.rememberAuth(scheme, authText);
            return null;
        });
    }

    @Override
    public CompletionStage<List<Id>> whoAmIAsync() {
        return map(sessionCall("GET", "/whoami", null), n -> ClientJson.identities(n.get("identities")));
    }

    private CompletableFuture<Answer> sessionCall(String method, String suffix, JsonNode body) {
        ClientConnection.Session s = connection.session();
        if (s == null) {
            return CompletableFuture.failedFuture(new PaddockException.ConnectionLossException(null,
                    "the client has no session now (a new one is being opened)"));
        }
        return connection.call(new Call(method, "/v1/sessions/" + ClientJson.hex(s.id()) + suffix, body, true));
    }

    // ---- Helpers ----

    /**
     * A read that may leave a one-shot watch: the watcher is registered before the request goes
     * (an event may overtake the answer on its own connection), armed at the answer's zxid, moved
     * to {@code onNoNode} when the node is missing (or forgotten), and forgotten on any other failure.
     */
    private <T> CompletionStage<T> watched(Kind kind, String path, Watcher watcher, Kind onNoNode,
                                           java.util.function.Supplier<CompletableFuture<Answer>> send,
                                           JsonMapper<T> ok) {
        if (watcher != null) {
            connection.watches(w -> {
                w.add(kind, path, watcher);
                return null;
            });
        }
        // Sent only now: an event may overtake the answer, and must find the watcher there.
        CompletableFuture<Answer> answer = send.get();
        return answer.handle((a, failure) -> {
            if (failure == null) {
                if (watcher != null) {
                    connection.watches(w -> {
                        w.armed(kind, path, a.zxid());
                        return null;
                    });
                }
                try {
                    return ok.apply(a.body().length == 0 ? null : a.json());
                } catch (PaddockException e) {
                    throw new CompletionException(e);
                }
            }
            PaddockException e = PaddockClient.asPaddockException(failure);
            if (watcher != null) {
                if (e instanceof PaddockException.NoNodeException && onNoNode != null) {
                    connection.watches(w -> {
                        w.move(kind, onNoNode, path, watcher);
                        w.armed(onNoNode, path, connection.lastZxidSeen());
                        return null;
                    });
                } else {
                    forget(kind, path, watcher);
                }
            }
            throw new CompletionException(e);
        });
    }

    private void forget(Kind kind, String path, Watcher watcher) {
        if (watcher != null) {
            connection.watches(w -> w.remove(kind, path, watcher));
        }
    }

    @FunctionalInterface
    private interface JsonMapper<T> {
        T apply(JsonNode n) throws PaddockException;
    }

    private static <T> CompletionStage<T> map(CompletableFuture<Answer> answer, JsonMapper<T> ok) {
        return answer.thenApply(a -> {
            try {
                return ok.apply(a.body().length == 0 ? null : a.json());
            } catch (PaddockException e) {
                throw new CompletionException(e);
            }
        });
    }

    private static JsonNode json(Answer a) {
        try {
            return a.json();
        } catch (PaddockException e) {
            throw new CompletionException(e);
        }
    }

    private static CompletionStage<Void> done(CompletableFuture<Answer> answer) {
        return answer.thenApply(a -> null);
    }

    private static String watchQuery(Watcher watcher) {
        return watcher != null ? "?watch=true" : "";
    }

    /** Runs the request unless the path is malformed, which fails at once, as ZooKeeper's client checks it. */
    private static <T> CompletionStage<T> checked(String path, java.util.function.Supplier<CompletionStage<T>> request) {
        return checked(path, false, request);
    }

    private static <T> CompletionStage<T> checked(String path, boolean sequential,
                                                  java.util.function.Supplier<CompletionStage<T>> request) {
        String problem = pathProblem(path, sequential);
        if (problem != null) {
            return CompletableFuture.failedFuture(new PaddockException.BadArgumentsException(path, problem));
        }
        return request.get();
    }

    /** What is wrong with a path, by ZooKeeper's rules (a sequential create may end in '/'), or null. */
    static String pathProblem(String path, boolean sequential) {
        if (path == null) {
            return "the path is null";
        }
        try {
            PathUtils.validate(path, sequential);
            return null;
        } catch (TreeException e) {
            return e.getMessage();
        }
    }

    /** The URL of a znode below an endpoint: each segment percent-encoded on its own. */
    static String url(String endpoint, String path) {
        return endpoint + (path.equals("/") ? "/" : encode(path, false));
    }

    /** Percent-encodes UTF-8 bytes except RFC 3986's unreserved characters (and '/' unless asked). */
    static String encode(String text, boolean slashToo) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || (c == '/' && !slashToo);
            if (plain) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
