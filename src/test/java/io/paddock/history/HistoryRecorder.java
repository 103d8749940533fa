package io.paddock.history;

import io.paddock.tree.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Records what test clients do, from any number of threads at once. A client calls
 * {@link #invoke} just before its request leaves, and completes the returned {@link Pending}
 * exactly once when it knows the outcome:
 *
 * <pre>{@code
 * Pending p = recorder.invoke(session, Call.setData("/t/k", value, Call.ANY_VERSION));
 * try {
 *     Reply r = http.put(...);
 *     if (r.ok()) p.ok(Result.written(r.stat().version(), r.stat().mzxid()), r.paddockZxid());
 *     else p.fail(r.errorCode(), r.paddockZxid());   // NoNode, NodeExists or BadVersion only
 * } catch (IOException | TimeoutException e) {
 *     p.unknown();                                   // may or may not have taken effect
 * }
 * }</pre>
 *
 * <p>{@link #history()} snapshots what was recorded; an operation still pending at that point
 * counts as unknown (its client may have died with the request in flight).
 */
public final class HistoryRecorder {

    private final LongSupplier clockNanos;
    private final AtomicInteger nextId = new AtomicInteger();
    private final ConcurrentLinkedQueue<Pending> invoked = new ConcurrentLinkedQueue<>();

    /** A recorder stamping times with System.nanoTime. */
    public HistoryRecorder() {
        this(System::nanoTime);
    }

    /** A recorder with its own clock, for tests that need exact times. */
    public HistoryRecorder(LongSupplier clockNanos) {
        this.clockNanos = Objects.requireNonNull(clockNanos, "clockNanos");
    }

    /** Records that {@code session} is about to send {@code call}; stamps the invocation time now. */
    public Pending invoke(long session, Call call) {
        Objects.requireNonNull(call, "call");
        Pending p = new Pending(nextId.getAndIncrement(), session, call, clockNanos.getAsLong());
        invoked.add(p);
        return p;
    }

    /** Everything recorded so far; still-pending operations count as unknown. */
    public History history() {
        List<Operation> ops = new ArrayList<>();
        for (Pending p : invoked) {
            ops.add(p.operationOrUnknown());
        }
        return History.of(ops);
    }

    /** How many operations were invoked. */
    public int size() {
        return nextId.get();
    }

    /** How many operations are still waiting for their outcome. */
    public int pendingCount() {
        int n = 0;
        for (Pending p : invoked) {
            if (p.operation() == null) {
                n++;
            }
        }
        return n;
    }

    /** One invoked operation waiting for its outcome; complete it exactly once. */
    public final class Pending {
        private final int id;
        private final long session;
        private final Call call;
        private final long invokeNanos;
        private Operation completed;

        private Pending(int id, long session, Call call, long invokeNanos) {
            this.id = id;
            this.session = session;
            this.call = call;
            this.invokeNanos = invokeNanos;
        }

        public Call call() {
            return call;
        }

        /** It succeeded; the reply carried no Paddock-Zxid header. */
        public Operation ok(Result result) {
            return ok(result, Result.NO_ZXID);
        }

        /** It succeeded with {@code result} (Created, Written, Deleted or Read). */
        public Operation ok(Result result, long replyZxid) {
            if (!result.isKnown() || result instanceof Result.Failed) {
                throw new IllegalArgumentException("ok() takes a success, not " + result
                        + ": use fail() or unknown()");
            }
            return complete(result, replyZxid);
        }

        /** It failed definitely with NoNode, NodeExists or BadVersion; no reply zxid. */
        public Operation fail(ErrorCode code) {
            return fail(code, Result.NO_ZXID);
        }

        /** It failed definitely with NoNode, NodeExists or BadVersion. */
        public Operation fail(ErrorCode code, long replyZxid) {
            return complete(Result.failed(code), replyZxid);
        }

        /** No definite answer (timeout, connection loss, any other error): it may have taken effect. */
        public Operation unknown() {
            return finish(Operation.indeterminate(id, session, call, invokeNanos));
        }

        private Operation complete(Result result, long replyZxid) {
            long now = clockNanos.getAsLong();
            return finish(Operation.completed(id, session, call, invokeNanos, now, result, replyZxid));
        }

        private synchronized Operation finish(Operation op) {
            if (completed != null) {
                throw new IllegalStateException("operation #" + id + " " + call + " was already completed: "
                        + completed.result());
            }
            completed = op;
            return op;
        }

        synchronized Operation operation() {
            return completed;
        }

        synchronized Operation operationOrUnknown() {
            return completed != null ? completed : Operation.indeterminate(id, session, call, invokeNanos);
        }
    }
}
