package io.paddock.api.zk;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.japi.Pair;
import akka.stream.KillSwitches;
import akka.stream.OverflowStrategy;
import akka.stream.SharedKillSwitch;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.Tcp;
import akka.stream.typed.javadsl.ActorSink;
import akka.stream.typed.javadsl.ActorSource;
import akka.util.ByteString;
import io.paddock.server.PaddockConfig;
import io.paddock.server.ServerGateway;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZooKeeper's client protocol on clientPort, beside the HTTP API and over the same sessions, tree
 * and watches: an Akka Streams TCP server whose every connection is a {@link ZkConnection} actor
 * between an inbound stream (read only as fast as the actor acknowledges) and an outbound one.
 * A client that stops reading its replies fills its connection's outbound buffer and is closed,
 * alone; so is one that sends what is not ZooKeeper's protocol.
 */
public final class ZkServer {

    private static final Logger LOG = LoggerFactory.getLogger(ZkServer.class);

    /**
     * Frames one connection's outbound stream may hold: a backstop only, since the connection
     * closes itself first when its unwritten bytes pass {@link ZkFrontEnd#maxUnwrittenBytes}.
     */
    static final int OUTBOUND_BUFFER = 10_000;
    /** Replies written to the socket in one go when several are ready (ZooKeeper batches likewise). */
    static final long MAX_WRITE_BATCH_BYTES = 256 * 1024;
    /** jute.maxbuffer's extra allowance for a request's path, ACLs and headers beyond its data. */
    static final int FRAME_OVERHEAD_BYTES = 1024;

    private static final AtomicLong BINDINGS = new AtomicLong();

    private final Tcp.ServerBinding binding;
    private final ZkFrontEnd frontEnd;
    private final SharedKillSwitch open;

    private ZkServer(Tcp.ServerBinding binding, ZkFrontEnd frontEnd, SharedKillSwitch open) {
        this.binding = binding;
        this.frontEnd = frontEnd;
        this.open = open;
    }

    /** Binds clientPortAddress:clientPort (port 0: a free port) and serves every connection. */
    public static CompletionStage<ZkServer> bind(ServerGateway gateway, PaddockConfig config, ZkFrontEnd frontEnd,
                                                 ActorSystem<?> system) {
        // Connection actors are named per binding: a node embedded again in the same system must
        // not meet the names of the last one's connections, which may still be stopping.
        String prefix = "zk-" + BINDINGS.incrementAndGet() + "-connection-";
        AtomicLong connections = new AtomicLong();
        SharedKillSwitch open = KillSwitches.shared("zk-connections");
        return Tcp.get(system).bind(config.clientPortAddress(), config.clientPort())
                .to(Sink.foreach(c -> accept(c, gateway, config, frontEnd, system, prefix + connections.incrementAndGet(), open)))
                .run(system)
                .thenApply(b -> {
                    LOG.info("ZooKeeper protocol on {}", b.localAddress());
                    return new ZkServer(b, frontEnd, open);
                });
    }

    private static void accept(Tcp.IncomingConnection c, ServerGateway gateway, PaddockConfig config,
                               ZkFrontEnd frontEnd, ActorSystem<?> system, String name, SharedKillSwitch open) {
        ZkConnectionStats stats = new ZkConnectionStats(c.remoteAddress(), System.currentTimeMillis());
        Pair<ActorRef<ZkConnection.Outbound>, Source<ZkConnection.Outbound, NotUsed>> out =
                ActorSource.<ZkConnection.Outbound>actorRef(
                        m -> m == ZkConnection.Close.INSTANCE,
                        m -> Optional.empty(),
                        OUTBOUND_BUFFER,
                        OverflowStrategy.fail())
                        .preMaterialize(system);
        ActorRef<ZkConnection.Command> actor = system.systemActorOf(
                ZkConnection.create(gateway, config, frontEnd, out.first(), stats), name, Props.empty());
        Sink<ByteString, NotUsed> in = ActorSink.actorRefWithBackpressure(actor,
                (ack, bytes) -> new ZkConnection.Inbound(bytes, ack),
                ZkConnection.InboundStarted::new,
                ZkConnection.Ack.INSTANCE,
                ZkConnection.InboundDone.INSTANCE,
                ZkConnection.InboundFailed::new);
        Source<ByteString, NotUsed> written = out.second()
                .collectType(ZkConnection.Bytes.class)
                .map(b -> {
                    stats.written(b.bytes().size());
                    return b.bytes();
                })
                .batchWeighted(MAX_WRITE_BATCH_BYTES, b -> (long) b.size(), b -> b, ByteString::concat)
                .watchTermination((mat, done) -> {
                    done.whenComplete((d, error) -> {
                        if (error != null) {
                            LOG.info("Closing the connection from {} (session 0x{}): it does not read its replies ({})",
                                    stats.remote(), Long.toHexString(stats.sessionId()), error.getMessage());
                        }
                    });
                    return mat;
                });
        frontEnd.opened(stats);
        c.handleWith(Flow.<ByteString>create().via(open.flow()).via(Flow.fromSinkAndSourceCoupled(in, written)), system);
    }

    public InetSocketAddress localAddress() {
        return binding.localAddress();
    }

    public ZkFrontEnd frontEnd() {
        return frontEnd;
    }

    /** Stops accepting connections; open ones end with the actor system, or {@link #closeConnections}. */
    public CompletionStage<Done> unbind() {
        return binding.unbind().thenApply(x -> Done.getInstance());
    }

    /**
     * Ends every open connection (each connection's actor sees its inbound stream end and stops):
     * for a node that stops inside an actor system that goes on.
     */
    public void closeConnections() {
        open.shutdown();
    }

    /** The largest frame a client may send: the largest data plus room for the rest of a request. */
    static int maxFrameBytes(PaddockConfig config) {
        return config.maxDataBytes() + FRAME_OVERHEAD_BYTES;
    }
}
