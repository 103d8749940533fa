package io.paddock.api.http;

import akka.NotUsed;
import akka.actor.Cancellable;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.event.Logging;
import akka.event.LoggingAdapter;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.RemoteAddress;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.settings.ServerSettings;
import akka.japi.function.Function;
import akka.stream.Materializer;
import akka.stream.TLSProtocol.SendBytes;
import akka.stream.TLSProtocol.SessionBytes;
import akka.stream.TLSProtocol.SslTlsInbound;
import akka.stream.TLSProtocol.SslTlsOutbound;
import akka.stream.javadsl.BidiFlow;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.scaladsl.TLSPlacebo$;
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
import javax.net.ssl.SSLSession;

/**
 * Paddock's HTTP API (prefix /v1, JSON via Jackson, events as Server-Sent Events): a front end
 * that talks to the server only through {@link ServerGateway}. docs/http-api.md is its reference.
 */
public final class HttpApi extends AllDirectives {

    private static final AtomicLong BINDINGS = new AtomicLong();
    /** The session of plain (not TLS) session bytes, TLSPlacebo's. */
    private static final SSLSession PLAIN_SESSION = TLSPlacebo$.MODULE$.dummySession();

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
     * The answer to every request of a connection from {@code remote}: the znode endpoints in
     * their own plain dispatch (see {@link ZnodeRoutes}), everything else through {@link #routes},
     * which read the client's address from the request's attribute. The server layer does not
     * set that attribute on every request (a copy of the request each): the znode endpoints
     * take the address made once per connection, and only the others get the attribute.
     */
    private static Function<HttpRequest, CompletionStage<HttpResponse>> handler(
            ZnodeRoutes znodes, Function<HttpRequest, CompletionStage<HttpResponse>> routed, InetSocketAddress remote) {
        String clientAddress = remote.getAddress() == null ? "" : remote.getAddress().getHostAddress();
        RemoteAddress remoteAddress = RemoteAddress.create(remote);
        return request -> {
            CompletionStage<HttpResponse> answer = znodes.handle(request, clientAddress);
            return answer != null ? answer : routed.apply(request.addAttribute(AttributeKeys.remoteAddress, remoteAddress));
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
     * <p>akka-http's server layer (parsing, rendering, keep-alive, pipelining) runs on the
     * sockets of a {@link PortSelector} thread, as the ZooKeeper port does, rather than on Akka's
     * TCP: there a request and its answer crossed four more hand-overs between threads, and cost
     * twice the system calls. Each connection is its own stream; past
     * akka.http.server.max-connections, a new connection is closed as it is accepted. The
     * request-timeout and idle-timeout settings are kept by {@link ConnectionTimeouts} instead.
     */
    public CompletionStage<HttpBinding> bind(String host, int port) {
        ServerSettings configured = ServerSettings.create(Adapter.toClassic(system));
        ServerSettings settings = configured
                .withRemoteAddressAttribute(false)
                .withRawRequestUriHeader(true)
                .withParsingErrorHandler(JsonParsingErrorHandler.class.getName())
                .withTimeouts(configured.getTimeouts().withRequestTimeout(scala.concurrent.duration.Duration.Zero()));
        Duration requestTimeout = timeoutOf(configured.getTimeouts().requestTimeout());
        Duration idleTimeout = timeoutOf(configured.getTimeouts().idleTimeout());
        ConnectionTimeouts timeouts = requestTimeout == null && idleTimeout == null ? null
                : new ConnectionTimeouts(requestTimeout, idleTimeout);
        Function<HttpRequest, CompletionStage<HttpResponse>> routed = routes().handler(system);
        LoggingAdapter log = Logging.getLogger(Adapter.toClassic(system), HttpApi.class);
        long binding = BINDINGS.incrementAndGet();
        PortSelector selector;
        try {
            selector = PortSelector.open(new InetSocketAddress(host, port), "the HTTP port", settings.getMaxConnections(),
                    socket -> serve(socket, settings, handler(znodes, routed, socket.remote()), timeouts, log),
                    "paddock-http-selector-" + binding);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new IOException("cannot bind the HTTP port " + host + ":" + port
                    + ": " + e.getMessage(), e));
        }
        Cancellable sweeping = timeouts == null ? null
                : system.scheduler().scheduleAtFixedRate(timeouts.period(), timeouts.period(),
                        timeouts::sweep, system.executionContext());
        system.getWhenTerminated().thenRun(selector::shutdown);
        return CompletableFuture.completedFuture(new HttpBinding(selector, sweeping));
    }

    /** A timeout setting as a duration, or null when it is off (infinite or zero). */
    private static Duration timeoutOf(scala.concurrent.duration.Duration setting) {
        return setting.isFinite() && setting.toNanos() > 0 ? Duration.ofNanos(setting.toNanos()) : null;
    }

    /**
     * Starts one connection's stream: the socket, akka-http's server layer, and the handler. The
     * server layer takes its bytes as TLS session bytes; the socket flow wraps and unwraps them
     * itself, as TLSPlacebo would with a stage each way. The request and idle timeouts are kept
     * by {@code timeouts} (null: neither is on), not by stages of the stream.
     */
    private ClientSocket.Receiver serve(ClientSocket socket, ServerSettings settings,
                                        Function<HttpRequest, CompletionStage<HttpResponse>> handler,
                                        ConnectionTimeouts timeouts, LoggingAdapter log) {
        BidiFlow<HttpResponse, SslTlsOutbound, SslTlsInbound, HttpRequest, NotUsed> layers =
                Http.get(system).serverLayer(settings, Optional.of(socket.remote()), log);
        Flow<SslTlsOutbound, SslTlsInbound, ClientSocket.Receiver> socketFlow = Flow.fromGraph(SocketFlow.wrapping(socket,
                (SslTlsOutbound out) -> out instanceof SendBytes send ? send.bytes() : null,
                bytes -> (SslTlsInbound) new SessionBytes(PLAIN_SESSION, bytes)));
        ConnectionTimeouts.Connection timed = timeouts == null ? null : timeouts.open(settings.getPipeliningLimit(), socket::abort);
        Flow<HttpRequest, HttpResponse, NotUsed> handlerFlow = Flow.of(HttpRequest.class).mapAsync(
                settings.getPipeliningLimit(),
                timed == null ? handler::apply : request -> timed.bound(handler.apply(request)));
        ClientSocket.Receiver receiver = handlerFlow
                .joinMat(layers.join(socketFlow, Keep.right()), Keep.right())
                .run(system);
        return timed == null ? receiver : new TimedReceiver(receiver, timed);
    }

    /** A connection's receiver that also tells its timeouts of activity, and of the end. */
    private record TimedReceiver(ClientSocket.Receiver receiver, ConnectionTimeouts.Connection timeouts)
            implements ClientSocket.Receiver {
        @Override
        public void received(ByteString bytes) {
            timeouts.active();
            receiver.received(bytes);
        }

        @Override
        public void written(int n) {
            timeouts.active();
            receiver.written(n);
        }

        @Override
        public void drained() {
            receiver.drained();
        }

        @Override
        public void ended(Throwable failure) {
            timeouts.close();
            receiver.ended(failure);
        }
    }
}
