package io.paddock.history;

import io.paddock.tree.ErrorCode;
import java.util.Objects;

/**
 * What came back for a {@link Call}: the completion half of an {@link Operation}.
 *
 * <p>{@link Unknown} is the honest answer when the request timed out or the connection failed:
 * the write may or may not have taken effect, and may take effect at any time after it was
 * invoked. Only the three errors a znode's state explains are definite failures (NoNode,
 * NodeExists, BadVersion); anything else (ConnectionLoss, OperationTimeout, SessionExpired…)
 * must be recorded as unknown.
 *
 * <p>zxids are {@link #NO_ZXID} where the reply did not carry one.
 */
public sealed interface Result
        permits Result.Created, Result.Written, Result.Deleted, Result.Read, Result.Failed, Result.Unknown {

    /** "This reply carried no zxid." Real zxids are never negative. */
    long NO_ZXID = -1L;

    static Created created(long mzxid) {
        return new Created(mzxid);
    }

    static Written written(int newVersion, long mzxid) {
        return new Written(newVersion, mzxid);
    }

    static Deleted deleted() {
        return Deleted.INSTANCE;
    }

    static Read read(String value, int version, long mzxid) {
        return new Read(value, version, mzxid);
    }

    static Failed failed(ErrorCode code) {
        return new Failed(code);
    }

    static Unknown unknown() {
        return Unknown.INSTANCE;
    }

    /** True when the outcome is definite (ok or a definite failure). */
    default boolean isKnown() {
        return !(this instanceof Unknown);
    }

    /** create succeeded; {@code mzxid} is the new node's stat.mzxid (= czxid), or NO_ZXID. */
    record Created(long mzxid) implements Result {
        public Created {
            checkZxid(mzxid);
        }

        @Override
        public String toString() {
            return "ok(mzxid=" + zxidText(mzxid) + ")";
        }
    }

    /** setData succeeded: the node's new stat.version and stat.mzxid (NO_ZXID if absent). */
    record Written(int newVersion, long mzxid) implements Result {
        public Written {
            if (newVersion < 1) {
                throw new IllegalArgumentException("a setData makes version >= 1, not " + newVersion);
            }
            checkZxid(mzxid);
        }

        @Override
        public String toString() {
            return "ok(version=" + newVersion + ", mzxid=" + zxidText(mzxid) + ")";
        }
    }

    /** delete succeeded. */
    record Deleted() implements Result {
        static final Deleted INSTANCE = new Deleted();

        @Override
        public String toString() {
            return "ok";
        }
    }

    /** getData found the node: its data, stat.version and stat.mzxid (NO_ZXID if absent). */
    record Read(String value, int version, long mzxid) implements Result {
        public Read {
            Objects.requireNonNull(value, "value");
            if (version < 0) {
                throw new IllegalArgumentException("version " + version + " < 0");
            }
            checkZxid(mzxid);
        }

        @Override
        public String toString() {
            return "ok(\"" + value + "\", version=" + version + ", mzxid=" + zxidText(mzxid) + ")";
        }
    }

    /** A definite failure the znode's state explains: NoNode, NodeExists or BadVersion. */
    record Failed(ErrorCode code) implements Result {
        public Failed {
            Objects.requireNonNull(code, "code");
            if (code != ErrorCode.NO_NODE && code != ErrorCode.NODE_EXISTS && code != ErrorCode.BAD_VERSION) {
                throw new IllegalArgumentException(code.codeName()
                        + " says nothing definite about the znode: record the operation as unknown()");
            }
        }

        @Override
        public String toString() {
            return code.codeName();
        }
    }

    /** No answer (timeout, connection failure): the operation may or may not take effect. */
    record Unknown() implements Result {
        static final Unknown INSTANCE = new Unknown();

        @Override
        public String toString() {
            return "unknown";
        }
    }

    /** A zxid as ZooKeeper prints it, or "?" for NO_ZXID. */
    static String zxidText(long zxid) {
        return zxid == NO_ZXID ? "?" : "0x" + Long.toHexString(zxid);
    }

    private static void checkZxid(long zxid) {
        if (zxid < NO_ZXID) {
            throw new IllegalArgumentException("zxid " + zxid + " is negative");
        }
    }
}
