package io.paddock.api.http;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import io.paddock.server.Reply;
import io.paddock.server.ServerGateway;
import io.paddock.server.ServerStatus;
import io.paddock.server.SessionEvent;
import io.paddock.server.SessionInfo;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A ServerGateway test double for route tests: records what the HTTP API asked for and answers
 * with what the test scripted.
 */
final class ScriptedGateway implements ServerGateway {

    /** The HTTP API uses the CompletionStage form; the actor form is the wire protocol's. */
    @Override
    public void submit(long sessionId, Op op, String clientAddress, akka.actor.typed.ActorRef<Reply> replyTo) {
        throw new UnsupportedOperationException("the HTTP API does not submit with an ActorRef");
    }

    @Override
    public void subscribe(long sessionId, akka.actor.typed.ActorRef<io.paddock.server.EventStream.Message> stream) {
        throw new UnsupportedOperationException("the HTTP API does not subscribe with an ActorRef");
    }

    @Override
    public CompletionStage<java.util.SortedMap<Long, java.util.SortedSet<String>>> watchesBySession() {
        return CompletableFuture.completedFuture(new java.util.TreeMap<>());
    }

    @Override
    public void touch(long sessionId) {
        throw new UnsupportedOperationException("the HTTP API heartbeats with an answer");
    }

    /** Read by the HTTP API on every request, from its own threads. */
    private volatile boolean serving = true;

    @Override
    public boolean serving() {
        return serving;
    }

    /** Whether the server serves clients (in an ensemble: in sync with a leader); true after reset. */
    ScriptedGateway serving(boolean serving) {
        this.serving = serving;
        return this;
    }

    @Override
    public long appliedZxid() {
        return ZXID;
    }

    /** One call the API made: which method, for which session, with which op (or null). */
    record Call(String method, long sessionId, Op op, String clientAddress, String detail) {
    }

    static final long ZXID = 0x1_0000_002AL;

    private final List<Call> calls = new ArrayList<>();
    private Function<Op, OpResult> answer = op -> new OpResult.Done();
    private Function<String, OpResult> sessionAnswer = method -> new OpResult.Done();
    private BiFunction<Long, OptionalLong, CompletionStage<Source<SessionEvent, NotUsed>>> events =
            (id, last) -> CompletableFuture.completedFuture(Source.empty());
    private Throwable failure;
    private boolean throwSynchronously;
    private boolean hang;
    private int negotiatedTimeoutMs = 12_000;

    synchronized void reset() {
        calls.clear();
        answer = op -> new OpResult.Done();
        sessionAnswer = method -> new OpResult.Done();
        events = (id, last) -> CompletableFuture.completedFuture(Source.empty());
        failure = null;
        throwSynchronously = false;
        hang = false;
        serving = true;
    }

    /** Answers every submitted op with {@code f}. */
    synchronized ScriptedGateway answer(Function<Op, OpResult> f) {
        this.answer = f;
        return this;
    }

    /** Answers heartbeat, closeSession and addAuth with {@code f} of the method's name. */
    synchronized ScriptedGateway sessionAnswer(Function<String, OpResult> f) {
        this.sessionAnswer = f;
        return this;
    }

    synchronized ScriptedGateway events(
            BiFunction<Long, OptionalLong, CompletionStage<Source<SessionEvent, NotUsed>>> f) {
        this.events = f;
        return this;
    }

    /** Makes every later stage fail with {@code t} (or, with {@code synchronously}, every call throw it). */
    synchronized ScriptedGateway fail(Throwable t, boolean synchronously) {
        this.failure = t;
        this.throwSynchronously = synchronously;
        return this;
    }

    /** Makes every later stage never complete: a server that has stopped answering. */
    synchronized ScriptedGateway hang() {
        this.hang = true;
        return this;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<Op> ops() {
        return calls.stream().filter(c -> c.op() != null).map(Call::op).toList();
    }

    /** The only op submitted; fails when there was not exactly one. */
    synchronized Op onlyOp() {
        List<Op> ops = ops();
        if (ops.size() != 1) {
            throw new AssertionError("expected one submitted op, got " + ops);
        }
        return ops.get(0);
    }

    synchronized Call lastCall() {
        if (calls.isEmpty()) {
            throw new AssertionError("the gateway was not called");
        }
        return calls.get(calls.size() - 1);
    }

    private synchronized <T> CompletionStage<T> outcome(Call call, java.util.function.Supplier<T> value) {
        calls.add(call);
        if (hang) {
            return new CompletableFuture<>();
        }
        if (failure != null) {
            if (throwSynchronously) {
                throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
            }
            return CompletableFuture.failedFuture(failure);
        }
        return CompletableFuture.completedFuture(value.get());
    }

    @Override
    public CompletionStage<SessionInfo> createSession(int requestedTimeoutMs) {
        return outcome(new Call("createSession", 0, null, null, Integer.toString(requestedTimeoutMs)),
                () -> new SessionInfo(0xCAFE_0000_0001L, negotiatedTimeoutMs, new byte[16]));
    }

    @Override
    public CompletionStage<Reply> submit(long sessionId, Op op, String clientAddress) {
        return outcome(new Call("submit", sessionId, op, clientAddress, null), () -> new Reply(ZXID, answer.apply(op)));
    }

    @Override
    public CompletionStage<Reply> heartbeat(long sessionId) {
        return outcome(new Call("heartbeat", sessionId, null, null, null),
                () -> new Reply(ZXID, sessionAnswer.apply("heartbeat")));
    }

    @Override
    public CompletionStage<Reply> closeSession(long sessionId) {
        return outcome(new Call("closeSession", sessionId, null, null, null),
                () -> new Reply(ZXID, sessionAnswer.apply("closeSession")));
    }

    @Override
    public CompletionStage<Reply> addAuth(long sessionId, String scheme, byte[] auth) {
        return outcome(new Call("addAuth", sessionId, null, null,
                        scheme + ":" + new String(auth, java.nio.charset.StandardCharsets.UTF_8)),
                () -> new Reply(ZXID, sessionAnswer.apply("addAuth")));
    }

    @Override
    public CompletionStage<Source<SessionEvent, NotUsed>> events(long sessionId, OptionalLong lastEventZxid) {
        BiFunction<Long, OptionalLong, CompletionStage<Source<SessionEvent, NotUsed>>> f;
        synchronized (this) {
            calls.add(new Call("events", sessionId, null, null,
                    lastEventZxid.isPresent() ? Long.toString(lastEventZxid.getAsLong()) : "none"));
            f = events;
        }
        return f.apply(sessionId, lastEventZxid);
    }

    @Override
    public CompletionStage<ServerStatus> status() {
        return outcome(new Call("status", 0, null, null, null),
                () -> new ServerStatus("standalone", 0, ZXID, 5, 2, 3, "0.1.0"));
    }
}
