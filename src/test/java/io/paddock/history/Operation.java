package io.paddock.history;

import io.paddock.tree.ErrorCode;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of a {@link History}: a session invoked {@code call} at {@code invokeNanos} and
 * got {@code result} at {@code completeNanos}.
 *
 * <p>An operation whose result is {@link Result.Unknown} never completed as far as anyone
 * knows: its completion is {@link #NEVER}, later than everything (Jepsen's treatment of
 * indeterminate operations), and it carries no reply zxid.
 *
 * @param id          unique within the history; the recorder numbers operations as they are invoked
 * @param session     the session (process) that issued it
 * @param call        what was asked
 * @param invokeNanos System.nanoTime-style stamp taken before the request left
 * @param completeNanos stamp taken after the reply arrived, or {@link #NEVER}
 * @param result      what came back
 * @param replyZxid   the answering server's last applied zxid (the {@code Paddock-Zxid}
 *                    header), or {@link Result#NO_ZXID}
 */
public record Operation(int id, long session, Call call, long invokeNanos, long completeNanos,
                        Result result, long replyZxid) {

    /** The completion time of an operation whose outcome is unknown: after everything. */
    public static final long NEVER = Long.MAX_VALUE;

    public Operation {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(result, "result");
        if (result instanceof Result.Unknown) {
            if (completeNanos != NEVER) {
                throw new IllegalArgumentException("an unknown outcome has no completion time: " + call);
            }
            if (replyZxid != Result.NO_ZXID) {
                throw new IllegalArgumentException("an unknown outcome has no reply zxid: " + call);
            }
        } else {
            if (completeNanos == NEVER || completeNanos < invokeNanos) {
                throw new IllegalArgumentException("completion " + completeNanos + " before invocation "
                        + invokeNanos + ": " + call);
            }
            if (replyZxid < Result.NO_ZXID) {
                throw new IllegalArgumentException("negative reply zxid " + replyZxid);
            }
        }
        checkResultFits(call, result);
    }

    /** An operation that completed with a definite result. */
    public static Operation completed(int id, long session, Call call, long invokeNanos, long completeNanos,
                                      Result result, long replyZxid) {
        return new Operation(id, session, call, invokeNanos, completeNanos, result, replyZxid);
    }

    /** An operation whose outcome is unknown. */
    public static Operation indeterminate(int id, long session, Call call, long invokeNanos) {
        return new Operation(id, session, call, invokeNanos, NEVER, Result.unknown(), Result.NO_ZXID);
    }

    public String path() {
        return call.path();
    }

    /** True when no reply came: the operation may or may not have taken effect. */
    public boolean isIndeterminate() {
        return result instanceof Result.Unknown;
    }

    /** True for a write that certainly took effect (it was acknowledged ok). */
    public boolean isAckedWrite() {
        return result instanceof Result.Created || result instanceof Result.Written
                || result instanceof Result.Deleted;
    }

    /** True for a write that took effect or may have (acked ok, or unknown). */
    public boolean mayHaveTakenEffect() {
        return call.isWrite() && (isAckedWrite() || isIndeterminate());
    }

    /** True when this operation completed before {@code other} was invoked (real-time order). */
    public boolean precedes(Operation other) {
        return completeNanos < other.invokeNanos;
    }

    /** The zxid the reply reported for the write itself (create/setData mzxid), or NO_ZXID. */
    public long ackedZxid() {
        if (result instanceof Result.Created c) {
            return c.mzxid();
        }
        if (result instanceof Result.Written w) {
            return w.mzxid();
        }
        return Result.NO_ZXID;
    }

    /**
     * One line for reports, times in ms relative to {@code baseNanos}:
     * {@code #12 s0x1 setData(/k, "v3", any) [1.234..1.567 ms] -> ok(version=3, mzxid=0x5) @0x7}.
     */
    public String describe(long baseNanos) {
        String end = completeNanos == NEVER ? "never" : millis(completeNanos - baseNanos);
        String reply = replyZxid == Result.NO_ZXID ? "" : " @" + Result.zxidText(replyZxid);
        return "#" + id + " s0x" + Long.toHexString(session) + " " + call
                + " [" + millis(invokeNanos - baseNanos) + ".." + end + " ms] -> " + result + reply;
    }

    @Override
    public String toString() {
        return describe(0);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static void checkResultFits(Call call, Result result) {
        if (result instanceof Result.Unknown) {
            return;
        }
        boolean fits;
        if (call instanceof Call.Create) {
            fits = result instanceof Result.Created || failedWith(result, ErrorCode.NODE_EXISTS)
                    || failedWith(result, ErrorCode.NO_NODE);
        } else if (call instanceof Call.SetData) {
            fits = result instanceof Result.Written || failedWith(result, ErrorCode.NO_NODE)
                    || failedWith(result, ErrorCode.BAD_VERSION);
        } else if (call instanceof Call.Delete) {
            fits = result instanceof Result.Deleted || failedWith(result, ErrorCode.NO_NODE)
                    || failedWith(result, ErrorCode.BAD_VERSION);
        } else {
            fits = result instanceof Result.Read || failedWith(result, ErrorCode.NO_NODE);
        }
        if (!fits) {
            throw new IllegalArgumentException(call + " cannot answer " + result);
        }
    }

    private static boolean failedWith(Result result, ErrorCode code) {
        return result instanceof Result.Failed f && f.code() == code;
    }
}
