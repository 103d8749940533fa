package io.paddock.api.zk;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.util.ByteString;
import io.paddock.api.net.ClientSocket;
import io.paddock.api.net.PortSelector;
import io.paddock.server.PaddockConfig;
import io.paddock.server.ServerGateway;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZooKeeper's client protocol on clientPort, beside the HTTP API and over the same sessions, tree
 * and watches: a {@link PortSelector} thread does the socket I/O, as ZooKeeper's NIO server does,
 * and every connection is a {@link ZkConnection} actor that reads only as fast as it answers. A
 * client that stops reading its replies is closed once they pass a limit, alone; so is one that
 * sends what is not ZooKeeper's protocol.
 *
 * <p>Why not Akka Streams' TCP: a connection took 2.7 ms from accept to its first answer there
 * (against 0.1 ms for ZooKeeper), since each one materializes a stream and its actors; and every
 * request crossed two more hand-overs on its way in and its reply two on its way out.
 */
public final class ZkServer {

    private static final Logger LOG = LoggerFactory.getLogger(ZkServer.class);

    /** jute.maxbuffer's extra allowance for a request's path, ACLs and headers beyond its data. */
    static final int FRAME_OVERHEAD_BYTES = 1024;

    private static final AtomicLong BINDINGS = new AtomicLong();

    private final PortSelector selector;
    private final ZkFrontEnd frontEnd;

    private ZkServer(PortSelector selector, ZkFrontEnd frontEnd) {
        this.selector = selector;
        this.frontEnd = frontEnd;
    }

    /**
     * Binds clientPortAddress:clientPort (port 0: a free port) and serves every connection until
     * {@link #unbind} and {@link #closeConnections}, or until the actor system terminates.
     */
    public static CompletionStage<ZkServer> bind(ServerGateway gateway, PaddockConfig config, ZkFrontEnd frontEnd,
                                                 ActorSystem<?> system) {
        // Connection actors are named per binding: a node embedded again in the same system must
        // not meet the names of the last one's connections, which may still be stopping.
        long binding = BINDINGS.incrementAndGet();
        String prefix = "zk-" + binding + "-connection-";
        AtomicLong connections = new AtomicLong();
        PortSelector selector;
        try {
            selector = PortSelector.open(new InetSocketAddress(config.clientPortAddress(), config.clientPort()),
                    "the ZooKeeper port", Integer.MAX_VALUE,
                    socket -> accept(socket, gateway, config, frontEnd, system, prefix + connections.incrementAndGet()),
                    "paddock-zk-selector-" + binding);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new IOException("cannot bind the ZooKeeper port "
                    + config.clientPortAddress() + ":" + config.clientPort() + ": " + e.getMessage(), e));
        }
        system.getWhenTerminated().thenRun(selector::shutdown);
        LOG.info("ZooKeeper protocol on {}", selector.localAddress());
        return CompletableFuture.completedFuture(new ZkServer(selector, frontEnd));
    }

    private static ClientSocket.Receiver accept(ClientSocket socket, ServerGateway gateway, PaddockConfig config,
                                                ZkFrontEnd frontEnd, ActorSystem<?> system, String name) {
        ZkConnectionStats stats = new ZkConnectionStats(socket.remote(), System.currentTimeMillis());
        ActorRef<ZkConnection.Command> actor = system.systemActorOf(
                ZkConnection.create(gateway, config, frontEnd, socket, stats), name, Props.empty());
        frontEnd.opened(stats);
        return new ClientSocket.Receiver() {
            @Override
            public void received(ByteString bytes) {
                actor.tell(new ZkConnection.Inbound(bytes));
            }

            @Override
            public void written(int n) {
                stats.written(n);
            }

            @Override
            public void ended(Throwable failure) {
                frontEnd.closed(stats);
                actor.tell(failure == null ? ZkConnection.InboundDone.INSTANCE : new ZkConnection.InboundFailed(failure));
            }
        };
    }

    public InetSocketAddress localAddress() {
        return selector.localAddress();
    }

    public ZkFrontEnd frontEnd() {
        return frontEnd;
    }

    /** Stops accepting connections; open ones end with the actor system, or {@link #closeConnections}. */
    public CompletionStage<Done> unbind() {
        selector.stopAccepting();
        return CompletableFuture.completedFuture(Done.getInstance());
    }

    /**
     * Ends every open connection (each connection's actor sees its input end and stops): for a
     * node that stops inside an actor system that goes on.
     */
    public void closeConnections() {
        selector.closeConnections();
    }

    /** The largest frame a client may send: the largest data plus room for the rest of a request. */
    static int maxFrameBytes(PaddockConfig config) {
        return config.maxDataBytes() + FRAME_OVERHEAD_BYTES;
    }
}
