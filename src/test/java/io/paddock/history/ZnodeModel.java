package io.paddock.history;

import io.paddock.tree.ErrorCode;

/**
 * The sequential specification of one znode, as ZooKeeper's PrepRequestProcessor and DataTree
 * define it, for the linearizability checker: a state is "absent" or (value, version), and an
 * operation either fits the state (giving the next state) or does not.
 *
 * <p>Checks in ZooKeeper's order: setData and delete answer NoNode before BadVersion; create
 * answers NodeExists. The parent is assumed to exist throughout (keys are flat children of one
 * parent the test never deletes), so create answering NoNode never fits. An operation whose
 * outcome is unknown fits any state and does what it would have done there.
 */
final class ZnodeModel {

    /** One state of the znode; {@link #ABSENT} when it does not exist. */
    record State(String value, int version) {
        static final State ABSENT = new State(null, -1);

        boolean exists() {
            return value != null;
        }

        @Override
        public String toString() {
            return exists() ? "(\"" + value + "\", version " + version + ")" : "absent";
        }
    }

    private ZnodeModel() {
    }

    /** The state after {@code op} in {@code s}, or null when {@code op}'s result cannot happen in {@code s}. */
    static State step(State s, Operation op) {
        Call call = op.call();
        Result r = op.result();
        boolean unknown = r instanceof Result.Unknown;
        if (call instanceof Call.Create c) {
            if (s.exists()) {
                return unknown || failedWith(r, ErrorCode.NODE_EXISTS) ? s : null;
            }
            return unknown || r instanceof Result.Created ? new State(c.value(), 0) : null;
        }
        if (call instanceof Call.SetData sd) {
            if (!s.exists()) {
                return unknown || failedWith(r, ErrorCode.NO_NODE) ? s : null;
            }
            if (!versionMatches(sd.expectedVersion(), s)) {
                return unknown || failedWith(r, ErrorCode.BAD_VERSION) ? s : null;
            }
            if (unknown || (r instanceof Result.Written w && w.newVersion() == s.version() + 1)) {
                return new State(sd.value(), s.version() + 1);
            }
            return null;
        }
        if (call instanceof Call.Delete d) {
            if (!s.exists()) {
                return unknown || failedWith(r, ErrorCode.NO_NODE) ? s : null;
            }
            if (!versionMatches(d.expectedVersion(), s)) {
                return unknown || failedWith(r, ErrorCode.BAD_VERSION) ? s : null;
            }
            return unknown || r instanceof Result.Deleted ? State.ABSENT : null;
        }
        // getData changes nothing; the linearizability checker drops reads of unknown outcome.
        if (!s.exists()) {
            return unknown || failedWith(r, ErrorCode.NO_NODE) ? s : null;
        }
        if (unknown || (r instanceof Result.Read rd && rd.value().equals(s.value()) && rd.version() == s.version())) {
            return s;
        }
        return null;
    }

    /** Why {@code op} does not fit {@code s}, or what it would do there if it does: for reports. */
    static String explain(State s, Operation op) {
        State next = step(s, op);
        if (next != null) {
            return "fits state " + s + " (-> " + next + ") but every order placing it here fails later";
        }
        return "cannot answer " + op.result() + " in state " + s + ": it would answer " + expected(s, op.call());
    }

    /** What {@code call} answers in state {@code s}, in words. */
    static String expected(State s, Call call) {
        if (call instanceof Call.Create) {
            return s.exists() ? "NodeExists" : "ok";
        }
        if (!s.exists()) {
            return "NoNode";
        }
        if (call instanceof Call.SetData sd) {
            return versionMatches(sd.expectedVersion(), s) ? "ok(version=" + (s.version() + 1) + ")" : "BadVersion";
        }
        if (call instanceof Call.Delete d) {
            return versionMatches(d.expectedVersion(), s) ? "ok" : "BadVersion";
        }
        return "ok(\"" + s.value() + "\", version=" + s.version() + ")";
    }

    private static boolean versionMatches(int expectedVersion, State s) {
        return expectedVersion == Call.ANY_VERSION || expectedVersion == s.version();
    }

    private static boolean failedWith(Result r, ErrorCode code) {
        return r instanceof Result.Failed f && f.code() == code;
    }
}
