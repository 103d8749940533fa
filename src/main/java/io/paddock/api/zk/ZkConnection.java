package io.paddock.api.zk;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.util.ByteString;
import io.paddock.api.net.ClientSocket;
import io.paddock.server.EventStream;
import io.paddock.server.PaddockConfig;
import io.paddock.server.Reply;
import io.paddock.server.ServerGateway;
import io.paddock.server.SessionEvent;
import io.paddock.server.SessionIds;
import io.paddock.server.SessionInfo;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One client's TCP connection speaking ZooKeeper's protocol: the handshake that opens or resumes a
 * session, then requests passed to the session and replies sent back in exactly the order the
 * requests came (the client matches replies to requests first-in-first-out and drops the
 * connection on a mismatch), watch notifications, pings and auth.
 *
 * <p>Requests go to the session with this actor as the reply address, and the session's events
 * come to this actor too; the session actor sends both in the order the tree produced them, so a
 * notification always leaves before any reply that shows the change behind it. Only requests the
 * session answers are queued for order; pings and auth are not matched by the client and are
 * answered as they complete. Input that breaks the protocol closes this connection alone, with a
 * log line naming the problem.
 */
public final class ZkConnection extends AbstractBehavior<ZkConnection.Command> {

    /** How long a closed connection may take to write its last bytes before its actor stops anyway. */
    static final java.time.Duration CLOSE_GRACE = java.time.Duration.ofSeconds(10);

    /** Requests waiting for their replies before the connection stops reading more. */
    static final int MAX_OUTSTANDING = 1_000;

    public sealed interface Command {
    }

    /** Bytes the client sent. */
    record Inbound(ByteString bytes) implements Command {
    }

    enum InboundDone implements Command {
        INSTANCE
    }

    record InboundFailed(Throwable cause) implements Command {
    }

    private record SessionReply(Reply reply) implements Command {
    }

    private record Event(EventStream.Message message) implements Command {
    }

    private record Opened(ZkConnect request, SessionInfo session, Throwable error) implements Command {
    }

    private record Resumed(ZkConnect request, Reply reply, Throwable error) implements Command {
    }

    private record Authed(Reply reply, Throwable error) implements Command {
    }

    private record SessionClosed(Reply reply, Throwable error) implements Command {
    }

    private record Answered(String text, FourLetterWords.Effect effect) implements Command {
    }

    private enum Phase { HANDSHAKE, CONNECTING, OPEN, CLOSED }

    /** A request awaiting its turn to be answered; {@code frame} is null until the answer is known. */
    private static final class Slot {
        final int xid;
        final int opCode;
        /** The request the session answers, or null for one answered here. */
        final ZkRequest.Operation operation;
        final long receivedNanos;
        byte[] frame;
        long zxid;

        Slot(int xid, int opCode, ZkRequest.Operation operation, long receivedNanos) {
            this.xid = xid;
            this.opCode = opCode;
            this.operation = operation;
            this.receivedNanos = receivedNanos;
        }
    }

    static Behavior<Command> create(ServerGateway gateway, PaddockConfig config, ZkFrontEnd frontEnd,
                                    ClientSocket socket, ZkConnectionStats stats) {
        return Behaviors.setup(ctx -> new ZkConnection(ctx, gateway, config, frontEnd, socket, stats));
    }

    private final ServerGateway gateway;
    private final PaddockConfig config;
    private final ZkFrontEnd frontEnd;
    private final ClientSocket socket;
    private final ZkConnectionStats stats;
    private final ZkFrameDecoder decoder;
    private final ActorRef<Reply> replies;
    private final ActorRef<EventStream.Message> events;

    private Phase phase = Phase.HANDSHAKE;
    private long sessionId;
    /** Requests a client sent before the ConnectResponse (auth, SetWatches): run once the session is open. */
    private final ArrayDeque<ZkRequest> early = new ArrayDeque<>();
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    /** A CloseSession waits until every earlier request is answered; then it is the last slot. */
    private Slot closing;
    private boolean closingAsked;
    /** Reading stopped while too many requests wait for their replies. */
    private boolean readingPaused;

    private ZkConnection(ActorContext<Command> ctx, ServerGateway gateway, PaddockConfig config, ZkFrontEnd frontEnd,
                         ClientSocket socket, ZkConnectionStats stats) {
        super(ctx);
        this.gateway = gateway;
        this.config = config;
        this.frontEnd = frontEnd;
        this.socket = socket;
        this.stats = stats;
        this.decoder = new ZkFrameDecoder(frontEnd.maxFrameBytes(), FourLetterWords::isFourLetterWord);
        this.replies = ctx.messageAdapter(Reply.class, SessionReply::new);
        this.events = ctx.messageAdapter(EventStream.Message.class, Event::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Inbound.class, this::onInbound)
                .onMessageEquals(InboundDone.INSTANCE, this::onInboundDone)
                .onMessage(InboundFailed.class, f -> {
                    getContext().getLog().debug("Connection from {} failed: {}", stats.remote(), f.cause().toString());
                    return onInboundDone();
                })
                .onMessage(SessionReply.class, this::onSessionReply)
                .onMessage(Event.class, this::onEvent)
                .onMessage(Opened.class, this::onOpened)
                .onMessage(Resumed.class, this::onResumed)
                .onMessage(Authed.class, this::onAuthed)
                .onMessage(SessionClosed.class, this::onSessionClosed)
                .onMessage(Answered.class, a -> {
                    frontEnd.apply(a.effect());
                    send(ByteString.fromString(a.text()));
                    return close(null);
                })
                .onSignal(PostStop.class, s -> {
                    // However the actor stopped, its socket goes with it.
                    socket.abort();
                    return this;
                })
                .build();
    }

    // ---- input ------------------------------------------------------------------------------

    private Behavior<Command> onInbound(Inbound in) {
        socket.consumed(in.bytes().size());
        try {
            for (ZkFrameDecoder.Frame frame : decoder.feed(in.bytes())) {
                if (phase == Phase.CLOSED) {
                    break;
                }
                if (frame instanceof ZkFrameDecoder.Word w) {
                    onWord(w.word());
                } else {
                    onPacket(((ZkFrameDecoder.Packet) frame).payload());
                }
            }
        } catch (ZkProtocolException e) {
            return close("closing the connection from " + stats.remote() + ": " + e.getMessage());
        }
        if (phase == Phase.CLOSED) {
            return closing();
        }
        // Backpressure: a client with too many requests in flight is not read until they drain.
        if (slots.size() + early.size() >= MAX_OUTSTANDING && !readingPaused) {
            readingPaused = true;
            socket.pauseReading();
            stats.reading(false);
        }
        return this;
    }

    private Behavior<Command> onInboundDone() {
        // The client went away: the session lives on until its timeout, as in ZooKeeper.
        phase = Phase.CLOSED;
        frontEnd.closed(stats);
        return Behaviors.stopped();
    }

    /**
     * After {@link #close}: the actor lives until the socket has written what was queued and
     * ended, since its stop aborts the socket.
     */
    private Behavior<Command> closing() {
        return Behaviors.withTimers(timers -> {
            timers.startSingleTimer(InboundDone.INSTANCE, CLOSE_GRACE);
            return Behaviors.receive(Command.class)
                    .onMessageEquals(InboundDone.INSTANCE, Behaviors::stopped)
                    .onMessage(InboundFailed.class, f -> Behaviors.stopped())
                    .onSignal(PostStop.class, s -> {
                        socket.abort();
                        return Behaviors.same();
                    })
                    .onAnyMessage(m -> Behaviors.same())
                    .build();
        });
    }

    private void onWord(String word) {
        stats.packetReceived();
        stats.reading(false);
        var blocking = getContext().getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        getContext().pipeToSelf(frontEnd.report(word, gateway, blocking), (report, error) -> answer(word, report, error));
    }

    private Answered answer(String word, FourLetterReport report, Throwable error) {
        if (error == null) {
            try {
                return new Answered(FourLetterWords.answer(word, frontEnd.whitelist(), report),
                        FourLetterWords.effect(word, frontEnd.whitelist(), report));
            } catch (RuntimeException e) {
                error = e;
            }
        }
        getContext().getLog().warn("Cannot answer the four-letter word {}: {}", word, error.toString());
        return new Answered("Paddock could not answer " + word + ": " + error.getMessage() + "\n",
                FourLetterWords.Effect.NONE);
    }

    private void onPacket(ByteBuffer payload) throws ZkProtocolException {
        stats.packetReceived();
        if (phase == Phase.HANDSHAKE) {
            connect(ZkCodec.decodeConnect(payload));
            return;
        }
        ZkRequest request = ZkCodec.decodeRequest(payload);
        if (phase == Phase.CONNECTING) {
            early.add(request);
        } else {
            handle(request);
        }
    }

    // ---- the handshake ----------------------------------------------------------------------

    private void connect(ZkConnect c) {
        phase = Phase.CONNECTING;
        if (!gateway.serving()) {
            // ZooKeeper's server accepts no session while it has no quorum: the client tries the next.
            close("refusing a session from " + stats.remote() + ": this server is not serving (no leader in sync)");
            return;
        }
        long applied = gateway.appliedZxid();
        if (c.lastZxidSeen() > applied) {
            // ZooKeeper's answer: no response, the client tries another server.
            close("refusing session 0x" + Long.toHexString(c.sessionId()) + " from " + stats.remote()
                    + ": the client has seen zxid 0x" + Long.toHexString(c.lastZxidSeen())
                    + ", this server's last is 0x" + Long.toHexString(applied));
            return;
        }
        if (c.sessionId() == 0) {
            getContext().pipeToSelf(gateway.createSession(c.timeoutMs()), (s, e) -> new Opened(c, s, e));
        } else if (!SessionIds.checkPassword(c.sessionId(), c.password())) {
            getContext().getLog().info("Session 0x{} from {} presented a wrong password", Long.toHexString(c.sessionId()),
                    stats.remote());
            expired(c);
        } else {
            // A reconnect: the session's watches go, as ZooKeeper's go with the connection that set
            // them, before this connection hears any event; the client re-arms what it knows with
            // SetWatches after the ConnectResponse. A watch left in place could otherwise fire on
            // this connection just before SetWatches reports the same change again. Like a
            // heartbeat, the request keeps the session alive, and fails with SessionExpired when
            // it is gone.
            getContext().pipeToSelf(gateway.submit(c.sessionId(), new Op.DropWatches(), stats.clientIp()),
                    (r, e) -> new Resumed(c, r, e));
        }
    }

    private Behavior<Command> onOpened(Opened o) {
        if (phase == Phase.CLOSED) {
            return closing();
        }
        if (o.error() != null) {
            return close("cannot open a session for " + stats.remote() + ": " + o.error().getMessage());
        }
        return established(o.request(), o.session().sessionId(), o.session().timeoutMs(), o.session().password());
    }

    private Behavior<Command> onResumed(Resumed r) {
        if (phase == Phase.CLOSED) {
            return closing();
        }
        if (r.error() != null) {
            return close("cannot resume session 0x" + Long.toHexString(r.request().sessionId()) + ": "
                    + r.error().getMessage());
        }
        if (r.reply().result() instanceof OpResult.Error e) {
            if (e.code() == ErrorCode.SESSION_EXPIRED) {
                expired(r.request());
                return phase == Phase.CLOSED ? closing() : this;
            }
            return close("cannot resume session 0x" + Long.toHexString(r.request().sessionId()) + ": " + e.message());
        }
        ZkConnect c = r.request();
        int timeout = Math.max(config.minSessionTimeout(), Math.min(config.maxSessionTimeout(), c.timeoutMs()));
        return established(c, c.sessionId(), timeout, SessionIds.password(c.sessionId()));
    }

    /** An unknown or expired session, or a wrong password: timeout 0 and session 0 tell the client it expired. */
    private void expired(ZkConnect c) {
        send(ZkCodec.connectResponse(c, 0, 0, new byte[16]));
        close(null);
    }

    private Behavior<Command> established(ZkConnect c, long id, int timeoutMs, byte[] password) {
        sessionId = id;
        stats.session(id, timeoutMs);
        send(ZkCodec.connectResponse(c, timeoutMs, id, password));
        gateway.subscribe(id, events);
        phase = Phase.OPEN;
        while (!early.isEmpty() && phase == Phase.OPEN) {
            handle(early.poll());
        }
        return phase == Phase.CLOSED ? closing() : this;
    }

    // ---- requests ---------------------------------------------------------------------------

    private void handle(ZkRequest request) {
        long now = System.nanoTime();
        if (request instanceof ZkRequest.Ping) {
            ping(now);
        } else if (request instanceof ZkRequest.Auth a) {
            getContext().pipeToSelf(gateway.addAuth(sessionId, a.scheme(), a.auth()), Authed::new);
        } else if (request instanceof ZkRequest.CloseSession c) {
            closing = new Slot(c.xid(), c.opCode(), null, now);
            slots.add(closing);
            flush();
        } else if (request instanceof ZkRequest.Operation o) {
            slots.add(new Slot(o.xid(), o.opCode(), o, now));
            stats.outstanding(slots.size());
            gateway.submit(sessionId, o.op(), stats.clientIp(), replies);
        } else if (request instanceof ZkRequest.Invalid i) {
            getContext().getLog().debug("Refusing {} from {}: {}", ZkOpCode.name(i.opCode()), stats.remote(), i.message());
            Slot s = new Slot(i.xid(), i.opCode(), null, now);
            s.zxid = gateway.appliedZxid();
            s.frame = ZkCodec.errorReply(i.xid(), s.zxid, i.code());
            slots.add(s);
            flush();
        }
    }

    private Behavior<Command> onSessionReply(SessionReply r) {
        if (phase == Phase.CLOSED) {
            return closing();
        }
        for (Slot s : slots) {
            if (s.operation != null && s.frame == null) {
                s.frame = ZkCodec.reply(s.operation, r.reply());
                s.zxid = r.reply().zxid();
                break;
            }
        }
        flush();
        if (phase != Phase.CLOSED && r.reply().result() instanceof OpResult.Error e
                && e.code() == ErrorCode.CONNECTION_LOSS && !gateway.serving()) {
            // This server lost its leader: as ZooKeeper's would, it lets the client go elsewhere; the
            // client fails what is still waiting with ConnectionLoss and retries on another server.
            close("closing the connection of session 0x" + Long.toHexString(sessionId)
                    + ": this server is not serving");
        }
        return phase == Phase.CLOSED ? closing() : this;
    }

    /** Sends every answered request at the head of the queue; starts a CloseSession once it is alone. */
    private void flush() {
        while (!slots.isEmpty() && slots.peek().frame != null) {
            Slot s = slots.poll();
            answered(s.xid, s.opCode, s.zxid, s.receivedNanos);
            send(s.frame);
            if (s == closing) {
                close(null);
                return;
            }
        }
        if (closing != null && slots.peek() == closing && closing.frame == null && !closingAsked) {
            closingAsked = true;
            getContext().pipeToSelf(gateway.closeSession(sessionId), SessionClosed::new);
        }
        stats.outstanding(slots.size());
        if (readingPaused && slots.size() + early.size() < MAX_OUTSTANDING) {
            readingPaused = false;
            socket.resumeReading();
            stats.reading(true);
        }
    }

    private Behavior<Command> onSessionClosed(SessionClosed c) {
        if (phase == Phase.CLOSED) {
            return closing();
        }
        // Closing a session that already ended is no error to the client: it is gone either way.
        Reply reply = c.error() != null ? new Reply(gateway.appliedZxid(), new OpResult.Done()) : c.reply();
        if (reply.result() instanceof OpResult.Error) {
            reply = new Reply(reply.zxid(), new OpResult.Done());
        }
        closing.frame = ZkCodec.reply(closing.xid, closing.opCode, reply);
        closing.zxid = reply.zxid();
        flush();
        return phase == Phase.CLOSED ? closing() : this;
    }

    /**
     * A ping touches the session and is answered at once: an expired session ends this connection
     * through its event stream, as ZooKeeper's expiry closes the connection.
     */
    private void ping(long receivedNanos) {
        if (!gateway.serving()) {
            close("closing the idle connection of session 0x" + Long.toHexString(sessionId)
                    + ": this server is not serving");
            return;
        }
        gateway.touch(sessionId);
        long zxid = gateway.appliedZxid();
        answered(ZkOpCode.PING_XID, ZkOpCode.PING, zxid, receivedNanos);
        send(ZkCodec.pingReply(zxid));
    }

    private Behavior<Command> onAuthed(Authed a) {
        if (phase != Phase.OPEN) {
            return phase == Phase.CLOSED ? closing() : this;
        }
        if (a.error() != null) {
            send(ZkCodec.authReply(ErrorCode.AUTH_FAILED));
            return close("auth failed for session 0x" + Long.toHexString(sessionId) + ": " + a.error().getMessage());
        }
        if (a.reply().result() instanceof OpResult.Error e) {
            // As ZooKeeper: AuthFailed, then the connection closes (the client's state becomes AuthFailed).
            send(ZkCodec.authReply(e.code() == ErrorCode.SESSION_EXPIRED ? ErrorCode.SESSION_EXPIRED : ErrorCode.AUTH_FAILED));
            return close("auth failed for session 0x" + Long.toHexString(sessionId) + ": " + e.message());
        }
        send(ZkCodec.authReply(ErrorCode.OK));
        return this;
    }

    // ---- events -----------------------------------------------------------------------------

    private Behavior<Command> onEvent(Event e) {
        if (phase == Phase.CLOSED) {
            return closing();
        }
        if (e.message() instanceof EventStream.Element el) {
            SessionEvent event = el.event();
            if (event instanceof SessionEvent.Watch w) {
                send(ZkCodec.notification(w.event()));
                return this;
            }
            if (event instanceof SessionEvent.State s) {
                if (closingAsked) {
                    // Our own closeSession ended the session: ZooKeeper answers it before it closes
                    // the connection, so its reply (onSessionClosed) closes it, not this event.
                    return this;
                }
                // Expired or closed elsewhere: ZooKeeper closes the connection, and the client's
                // reconnect is answered as expired.
                return close(null);
            }
            return this;
        }
        if (closingAsked) {
            // The end of the stream that follows our own closeSession's State event.
            return this;
        }
        // Complete: another connection took over this session's events.
        return close("session 0x" + Long.toHexString(sessionId) + " moved to another connection");
    }

    // ---- output -----------------------------------------------------------------------------

    private void answered(int xid, int opCode, long zxid, long receivedNanos) {
        long ms = (System.nanoTime() - receivedNanos) / 1_000_000;
        stats.answered(xid, opCode, zxid, ms, System.currentTimeMillis());
        frontEnd.latency(ms);
    }

    private void send(byte[] frame) {
        send(ByteString.fromArrayUnsafe(frame));
    }

    private void send(ByteString bytes) {
        if (phase == Phase.CLOSED) {
            return;
        }
        long queued = stats.queued(bytes.size());
        socket.write(bytes);
        if (queued > frontEnd.maxUnwrittenBytes() && phase != Phase.CLOSED) {
            // A client that does not read its replies would make the server hold them all.
            close("closing the connection from " + stats.remote() + " (session 0x" + Long.toHexString(sessionId)
                    + "): it does not read its replies (" + queued + " bytes waiting)");
        }
    }

    /** Ends the connection after what is already queued for the client; {@code why} is logged if given. */
    private Behavior<Command> close(String why) {
        if (why != null) {
            getContext().getLog().info("{}", why);
        }
        if (phase != Phase.CLOSED) {
            phase = Phase.CLOSED;
            socket.close();
            frontEnd.closed(stats);
        }
        return closing();
    }
}
