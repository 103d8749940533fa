package io.paddock.api.http;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.event.Logging;
import akka.event.LoggingAdapter;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.settings.ServerSettings;
import akka.japi.function.Function;
import akka.stream.Materializer;
import akka.stream.TLSProtocol.SslTlsInbound;
import akka.stream.TLSProtocol.SslTlsOutbound;
import akka.stream.javadsl.BidiFlow;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.TLSPlacebo;
import akka.util.ByteString;
import io.paddock.api.net.ClientSocket;
import io.paddock.api.net.PortSelector;
import io.paddock.api.net.SocketFlow;
import io.paddock.server.PaddockConfig;
import io.paddock.server.ServerGateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Paddock's HTTP API (prefix /v1, JSON via Jackson, events as Server-Sent Events): a front end
 * that talks to the server only through {@link ServerGateway}. docs/http-api.md is its reference.
 */
public final class HttpApi extends AllDirectives {

    private static final AtomicLong BINDINGS = new AtomicLong();

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
        this.znodes = new ZnodeRoutes(gateway, maxDataBytes, Materializer.matFromSystem(system));
        this.multi = new MultiRoutes(gateway, maxDataBytes);
        this.watches = new WatchRoutes(gateway, maxDataBytes);
        this.status = new StatusRoutes(gateway, maxDataBytes);
    }

    /**
     * The answer to every request: the znode endpoints in their own plain dispatch (see
     * {@link ZnodeRoutes}), everything else through {@link #routes}.
     */
    private Function<HttpRequest, CompletionStage<HttpResponse>> handler() {
        Function<HttpRequest, CompletionStage<HttpResponse>> routed = routes().handler(system);
        return request -> {
            CompletionStage<HttpResponse> answer = znodes.handle(request);
            return answer != null ? answer : routed.apply(request);
        };
    }

    /**
     * Every endpoint but the znodes', with rejections and failures answered as the JSON error
     * body. The handlers and the tree of routes are built here once: an inner route given as a
     * lambda is built again for every request that reaches it, and building all of them was a
     * large part of a request's cost.
     */
    private Route routes() {
        Route v1 = concat(
                sessions.route(),
                multi.route(),
                watches.route(),
                status.route());
        Route all = concat(pathPrefix("v1", () -> v1), status.health());
        ExceptionHandler exceptions = ApiErrors.exceptionHandler();
        RejectionHandler rejections = ApiErrors.rejectionHandler();
        // The routing's continuations (each directive maps the result's future) run where the answer
        // completes, not as tasks on the dispatcher: they are short, and a task each cost a
        // hand-over and most of the routing's time.
        return withExecutionContext(ApiDirectives.SAME_THREAD,
                () -> handleExceptions(exceptions, () -> handleRejections(rejections, () -> all)));
    }

    /**
     * Binds the routes on host:port (port 0: any free port). The client's address is taken from
     * the connection (the ip ACL scheme checks it), znode paths from the URL exactly as sent
     * (akka-http would drop "." and ".." segments), and malformed requests get JSON errors too.
     *
     * <p>akka-http's server layer (parsing, rendering, keep-alive, pipelining, timeouts) runs on
     * the sockets of a {@link PortSelector} thread, as the ZooKeeper port does, rather than on
     * Akka's TCP: there a request and its answer crossed four more hand-overs between threads, and
     * cost twice the system calls. Each connection is its own stream; past
     * akka.http.server.max-connections, a new connection is closed as it is accepted.
     */
    public CompletionStage<HttpBinding> bind(String host, int port) {
        ServerSettings settings = ServerSettings.create(Adapter.toClassic(system))
                .withRemoteAddressAttribute(true)
                .withRawRequestUriHeader(true)
                .withParsingErrorHandler(JsonParsingErrorHandler.class.getName());
        Flow<HttpRequest, HttpResponse, NotUsed> handlerFlow =
                Flow.of(HttpRequest.class).mapAsync(settings.getPipeliningLimit(), handler()::apply);
        LoggingAdapter log = Logging.getLogger(Adapter.toClassic(system), HttpApi.class);
        long binding = BINDINGS.incrementAndGet();
        PortSelector selector;
        try {
            selector = PortSelector.open(new InetSocketAddress(host, port), "the HTTP port", settings.getMaxConnections(),
                    socket -> serve(socket, settings, handlerFlow, log), "paddock-http-selector-" + binding);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new IOException("cannot bind the HTTP port " + host + ":" + port
                    + ": " + e.getMessage(), e));
        }
        system.getWhenTerminated().thenRun(selector::shutdown);
        return CompletableFuture.completedFuture(new HttpBinding(selector));
    }

    /** Starts one connection's stream: the socket, akka-http's server layer, and the routes. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private ClientSocket.Receiver serve(ClientSocket socket, ServerSettings settings,
                                        Flow<HttpRequest, HttpResponse, NotUsed> handlerFlow, LoggingAdapter log) {
        // TLSPlacebo's inbound side gives SessionBytes, which the server layer takes as SslTlsInbound.
        BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed> plain = (BidiFlow) TLSPlacebo.getInstance();
        BidiFlow<HttpResponse, ByteString, ByteString, HttpRequest, NotUsed> layers =
                Http.get(system).serverLayer(settings, Optional.of(socket.remote()), log).atop(plain);
        scala.concurrent.duration.Duration idle = settings.getTimeouts().idleTimeout();
        if (idle.isFinite()) {
            layers = layers.atop(BidiFlow.bidirectionalIdleTimeout(Duration.ofNanos(idle.toNanos())));
        }
        return handlerFlow
                .joinMat(layers.join(Flow.fromGraph(new SocketFlow(socket)), Keep.right()), Keep.right())
                .run(system);
    }
}
