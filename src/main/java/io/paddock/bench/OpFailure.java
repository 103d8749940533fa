package io.paddock.bench;

/**
 * One op of a {@link LoopClient} failed: counted under {@code cause} (an HTTP status, a
 * ZooKeeper error name, "ConnectionLoss", ...), with {@code getMessage()} saying what happened.
 * A fatal failure also ends the client (its session is gone), as a lost connection ends a
 * {@link ZkBenchClient}.
 */
final class OpFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final String cause;
    private final boolean fatal;

    OpFailure(String cause, String message, boolean fatal) {
        super(message);
        this.cause = cause;
        this.fatal = fatal;
    }

    /** A refusal with a ZooKeeper error code: counted, and the client goes on. */
    static OpFailure zk(int err, String what, ZkConnection connection) {
        return zk(err, what, connection, false);
    }

    /** As above; {@code fatal} when the client cannot go on after it. */
    static OpFailure zk(int err, String what, ZkConnection connection, boolean fatal) {
        String name = ZkWire.errorName(err);
        return new OpFailure(name, name + " (" + err + ") from " + connection.describe() + " for " + what, fatal);
    }

    /** The connection failed: {@code RequestTimeout} when a reply did not come in time, else {@code ConnectionLoss}. */
    static OpFailure lost(java.io.IOException e, String where, boolean fatal) {
        String cause = e instanceof java.net.SocketTimeoutException ? ZkBenchClient.REQUEST_TIMEOUT
                : ZkBenchClient.CONNECTION_LOSS;
        return new OpFailure(cause, where + ": " + e, fatal);
    }

    /** What the failure counts under. */
    String countedAs() {
        return cause;
    }

    boolean fatal() {
        return fatal;
    }
}
