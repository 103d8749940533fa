package io.paddock.server;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.stream.javadsl.Source;
import io.paddock.tree.Op;

import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.CompletionStage;

/**
 * What one Paddock server offers its client front ends (the HTTP API, the ZooKeeper wire
 * protocol): sessions, requests, and each session's ordered stream of events. Front ends talk
 * to the server only through this interface.
 *
 * <p>Every stage completes normally with a {@link Reply}; refusals are {@code OpResult.Error}
 * results, never failed stages, except where a method says otherwise.
 *
 * <p>Stages complete on the thread of the actor that answered, and their dependent stages run
 * there too: keep continuations short, and hand blocking or long work to an executor.
 */
public interface ServerGateway {

    /** Session id 0: a request that acts for no session (no ephemerals, no watches). */
    long NO_SESSION = 0L;

    /**
     * Opens a session. The requested timeout is negotiated into [2×tickTime, 20×tickTime] (or the
     * configured min/max). The stage fails only when the server cannot take writes.
     */
    CompletionStage<SessionInfo> createSession(int requestedTimeoutMs);

    /**
     * Runs one request for a session (or {@link #NO_SESSION}). Requests of one session are
     * answered in the order they were submitted. {@code clientAddress} is the client's IP, the
     * identity the ip ACL scheme checks. A request of a session fails with a TimeoutException
     * when the server has not answered in 30 s; one of no session has no timer of its own, so its
     * caller bounds the wait (the HTTP API's request timeout does).
     */
    CompletionStage<Reply> submit(long sessionId, Op op, String clientAddress);

    /**
     * Like {@link #submit(long, Op, String)}, the reply told to {@code replyTo}. A front end that is
     * an actor and also {@link #subscribe}s the session's events to itself receives the session's
     * replies and events in the order the tree produced them, so an event always comes before any
     * reply that shows the change behind it (ZooKeeper's watch-ordering guarantee); replies to
     * separate stages could overtake events.
     */
    void submit(long sessionId, Op op, String clientAddress, ActorRef<Reply> replyTo);

    /**
     * Attaches {@code stream} as the receiver of the session's events from now on, replacing (and
     * completing) any earlier one; held events are not replayed, since a ZooKeeper client re-arms
     * the watches it knows with {@link Op.SetWatches}. The session lives on its requests and
     * heartbeats, not on the attachment.
     * When the session is unknown the stream gets {@link SessionEvent.State} "Expired" and completes.
     */
    void subscribe(long sessionId, ActorRef<EventStream.Message> stream);

    /**
     * A sign of life from a session's client, told without an answer (a ZooKeeper ping): it keeps
     * the session from expiring, and does nothing for an unknown one.
     */
    void touch(long sessionId);

    /** Keeps a session alive; SessionExpired when it is unknown. */
    CompletionStage<Reply> heartbeat(long sessionId);

    /** Closes a session, deleting its ephemerals; SessionExpired when it is unknown. */
    CompletionStage<Reply> closeSession(long sessionId);

    /** Adds an identity to a session (ZooKeeper's addauth); AuthFailed for an unknown scheme. */
    CompletionStage<Reply> addAuth(long sessionId, String scheme, byte[] auth);

    /**
     * The session's events, in order: watch notifications, and a final state event when the session
     * closes or expires. While the stream is open it keeps the session alive. With
     * {@code lastEventZxid}, events after that zxid that the session still holds are replayed
     * first, or one {@link SessionEvent.Resync} says they are no longer held. The stage fails with
     * a {@code TreeException} (SessionExpired) when the session is unknown.
     */
    CompletionStage<Source<SessionEvent, NotUsed>> events(long sessionId, OptionalLong lastEventZxid);

    /** What the server is and holds now. */
    CompletionStage<ServerStatus> status();

    /** Every session that holds watches on this server, with the paths it watches, in order. */
    CompletionStage<SortedMap<Long, SortedSet<String>>> watchesBySession();

    /**
     * The zxid of the last transaction this server has applied, read without asking an actor:
     * a client that has seen a later zxid (on another server of the ensemble) must not be served
     * an older view here, as ZooKeeper refuses a reconnect whose lastZxidSeen is ahead of it.
     */
    long appliedZxid();

    /**
     * Whether this server serves clients now, read without asking an actor: always standalone; in
     * an ensemble only while in sync with a leader. A ZooKeeper server that is not serving has no
     * client connections, so its clients move to another server; the wire front end does likewise.
     */
    boolean serving();
}
