package io.paddock.api.http;

import akka.http.javadsl.marshalling.sse.EventStreamMarshalling;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.Location;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paddock.server.Reply;
import io.paddock.server.ServerGateway;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Sessions: {@code POST /v1/sessions} opens one; {@code /v1/sessions/{id}/heartbeat} keeps it
 * alive, {@code DELETE /v1/sessions/{id}} closes it, {@code /auth} adds an identity (addauth),
 * {@code /whoami} lists its identities, {@code /watches} re-arms its watches on this server
 * (setWatches, for a client that moves here), and {@code GET /v1/sessions/{id}/events} streams its
 * watch events as Server-Sent Events.
 */
final class SessionRoutes extends ApiDirectives {

    /** The timeout asked for when the body names none (what zkCli asks for). */
    static final int DEFAULT_TIMEOUT_MS = 30_000;

    static final String LAST_EVENT_ID = "Last-Event-ID";

    /** How often an idle event stream sends a keep-alive comment. */
    private final Duration keepAlive;

    SessionRoutes(ServerGateway gateway, int maxDataBytes, Duration keepAlive) {
        super(gateway, maxDataBytes);
        this.keepAlive = keepAlive;
    }

    /** The routes below /v1. */
    Route route() {
        return pathPrefix("sessions", () -> serving(() -> concat(
                pathEndOrSingleSlash(() -> post(this::open)),
                pathPrefix(PathMatchers.segment(), idText -> concat(
                        pathEndOrSingleSlash(() -> delete(() -> close(idText))),
                        path("heartbeat", () -> post(() -> heartbeat(idText))),
                        path("auth", () -> post(() -> auth(idText))),
                        path("whoami", () -> get(() -> clientAddress(address -> whoAmI(idText, address)))),
                        path("watches", () -> post(() -> clientAddress(address -> setWatches(idText, address)))),
                        path("events", () -> get(() -> events(idText))))))));
    }

    private static long sessionId(String idText) {
        return HexIds.parseSessionId(idText, "the session id in the URL");
    }

    private Route open() {
        return body(SMALL_BODY_BYTES, b -> {
            JsonFields f = JsonFields.parseBody(b.bytes(), Set.of("timeoutMs"));
            int timeoutMs = f.integer("timeoutMs").orElse(DEFAULT_TIMEOUT_MS);
            if (timeoutMs <= 0) {
                throw ApiException.badInput(null, "\"timeoutMs\" must be greater than 0, not " + timeoutMs);
            }
            return call(() -> gateway.createSession(timeoutMs)).thenApply(info -> {
                ObjectNode n = JsonModel.object();
                n.put("sessionId", HexIds.hex(info.sessionId()));
                n.put("timeoutMs", info.timeoutMs());
                return JsonModel.response(201, n)
                        .addHeader(Location.create("/v1/sessions/" + HexIds.hex(info.sessionId())));
            });
        });
    }

    private Route heartbeat(String idText) {
        return respond(() -> {
            long id = sessionId(idText);
            return done(call(() -> gateway.heartbeat(id)), r -> {
                ObjectNode n = JsonModel.object();
                n.put("sessionId", HexIds.hex(id));
                return JsonModel.ok(n);
            });
        });
    }

    private Route close(String idText) {
        return respond(() -> {
            long id = sessionId(idText);
            return done(call(() -> gateway.closeSession(id)), r -> noContent());
        });
    }

    private Route auth(String idText) {
        return body(SMALL_BODY_BYTES, b -> {
            long id = sessionId(idText);
            JsonFields f = JsonFields.parseBody(b.bytes(), Set.of("scheme", "auth"));
            String scheme = f.requiredString("scheme");
            byte[] auth = f.requiredString("auth").getBytes(StandardCharsets.UTF_8);
            return done(call(() -> gateway.addAuth(id, scheme, auth)), r -> {
                ObjectNode n = JsonModel.object();
                n.put("sessionId", HexIds.hex(id));
                n.put("scheme", scheme);
                return JsonModel.ok(n);
            });
        });
    }

    /**
     * whoAmI: the identities the session acts with on this server, in the server's order (the
     * client's ip first, then what it added with /auth).
     */
    private Route whoAmI(String idText, String address) {
        return respond(() -> {
            long id = sessionId(idText);
            return call(() -> gateway.submit(id, new Op.WhoAmI(), address))
                    .thenApply(r -> answer(r, OpResult.Identities.class, null, ids -> {
                        ObjectNode n = JsonModel.object();
                        n.set("identities", JsonModel.identities(ids.ids()));
                        return JsonModel.ok(n);
                    }));
        });
    }

    /**
     * setWatches, as a ZooKeeper client sends it when it reconnects to another server: the watches
     * it holds are set again for the session here, and each one whose node changed after
     * relativeZxid fires at once, into the session's event stream (the server passes those events
     * on before it answers). A body may be as large as one carrying data; a client with more
     * watches sends several.
     */
    private Route setWatches(String idText, String address) {
        return body(dataBodyLimit(), b -> {
            long id = sessionId(idText);
            Op.SetWatches op = SetWatchesBody.parse(b.bytes());
            // The client has seen relativeZxid: a server behind it would fire too little now and
            // show the client the past afterwards, as with the Paddock-Zxid header.
            refuseIfBehind(op.relativeZxid());
            return call(() -> gateway.submit(id, op, address))
                    .thenApply(r -> answer(r, OpResult.class, null, done -> {
                        ObjectNode n = JsonModel.object();
                        n.put("sessionId", HexIds.hex(id));
                        return JsonModel.ok(n);
                    }));
        });
    }

    private static CompletionStage<HttpResponse> done(CompletionStage<Reply> reply,
                                                      Function<OpResult, HttpResponse> ok) {
        return reply.thenApply(r -> answer(r, OpResult.class, null, ok));
    }

    /**
     * The event stream. An unknown session answers 410 before any stream starts; a
     * Last-Event-ID ("0x…" or decimal) resumes after that zxid.
     */
    private Route events(String idText) {
        long id = sessionId(idText);
        return optionalHeaderValueByName(LAST_EVENT_ID, last -> {
            OptionalLong lastZxid = last.isPresent()
                    ? OptionalLong.of(HexIds.parse(last.get(), "the " + LAST_EVENT_ID + " header"))
                    : OptionalLong.empty();
            return onComplete(call(() -> gateway.events(id, lastZxid)), outcome -> outcome.isSuccess()
                    ? completeOK(SseEvents.stream(outcome.get(), keepAlive), EventStreamMarshalling.toEventStream())
                    : complete(ApiErrors.fromThrowable(outcome.failed().get())));
        });
    }
}
