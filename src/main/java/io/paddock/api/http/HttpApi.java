package io.paddock.api.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import io.paddock.server.PaddockConfig;
import io.paddock.server.ServerGateway;

import java.util.concurrent.CompletionStage;

/**
 * Paddock's HTTP API (prefix /v1, JSON via Jackson, events as Server-Sent Events): a front end
 * that talks to the server only through {@link ServerGateway}. docs/http-api.md is its reference.
 */
public final class HttpApi extends AllDirectives {

    private final ActorSystem<?> system;
    private final SessionRoutes sessions;
    private final ZnodeRoutes znodes;
    private final MultiRoutes multi;
    private final WatchRoutes watches;
    private final StatusRoutes status;

    public HttpApi(ServerGateway gateway, PaddockConfig config, ActorSystem<?> system) {
        this.system = system;
        int maxDataBytes = config.maxDataBytes();
        this.sessions = new SessionRoutes(gateway, maxDataBytes, SseEvents.keepAliveFor(config.tickTime()));
        this.znodes = new ZnodeRoutes(gateway, maxDataBytes);
        this.multi = new MultiRoutes(gateway, maxDataBytes);
        this.watches = new WatchRoutes(gateway, maxDataBytes);
        this.status = new StatusRoutes(gateway, maxDataBytes);
    }

    /**
     * Every endpoint, with rejections and failures answered as the JSON error body. The handlers
     * and the tree of routes are built here once: an inner route given as a lambda is built again
     * for every request that reaches it, and building all of them was a large part of a request's cost.
     */
    public Route routes() {
        Route v1 = concat(
                znodes.route(), // first: the requests most clients make most
                sessions.route(),
                multi.route(),
                watches.route(),
                status.route());
        Route all = concat(pathPrefix("v1", () -> v1), status.health());
        ExceptionHandler exceptions = ApiErrors.exceptionHandler();
        RejectionHandler rejections = ApiErrors.rejectionHandler();
        return handleExceptions(exceptions, () -> handleRejections(rejections, () -> all));
    }

    /**
     * Binds the routes on host:port (port 0: any free port). The client's address is taken from
     * the connection (the ip ACL scheme checks it), znode paths from the URL exactly as sent
     * (akka-http would drop "." and ".." segments), and malformed requests get JSON errors too.
     */
    public CompletionStage<ServerBinding> bind(String host, int port) {
        return Http.get(system).newServerAt(host, port)
                .adaptSettings(s -> s.withRemoteAddressAttribute(true)
                        .withRawRequestUriHeader(true)
                        .withParsingErrorHandler(JsonParsingErrorHandler.class.getName()))
                .bind(routes());
    }
}
