package io.paddock.api.http;

import akka.Done;
import akka.actor.Cancellable;
import io.paddock.api.net.PortSelector;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The HTTP API's port, bound by {@link HttpApi#bind}: its address, and how it stops. */
public final class HttpBinding {

    private final PortSelector selector;
    /** The sweep of the connections' timeouts (see {@link ConnectionTimeouts}), or null without any. */
    private final Cancellable sweeping;

    HttpBinding(PortSelector selector, Cancellable sweeping) {
        this.selector = selector;
        this.sweeping = sweeping;
    }

    /** The address bound, port included. */
    public InetSocketAddress localAddress() {
        return selector.localAddress();
    }

    /**
     * Stops accepting connections, completing once the port is closed; open connections (event
     * streams among them) go on until they end, {@link #terminate}, or the actor system's end.
     */
    public CompletionStage<Done> unbind() {
        selector.stopAccepting();
        return CompletableFuture.completedFuture(Done.getInstance());
    }

    /** Stops accepting and ends every open connection now, requests in flight and event streams alike. */
    public CompletionStage<Done> terminate() {
        selector.stopAccepting();
        selector.closeConnections();
        if (sweeping != null) {
            sweeping.cancel();
        }
        return CompletableFuture.completedFuture(Done.getInstance());
    }
}
