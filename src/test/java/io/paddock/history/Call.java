package io.paddock.history;

import java.util.Objects;

/**
 * What a client asked the ensemble to do to one znode: the invocation half of an
 * {@link Operation}. Keys are flat children of one parent that exists for the whole run, so
 * a call names its path and nothing else in the tree matters to it.
 *
 * <p>Values are strings the recorder makes unique per path (a checker relies on it to tell
 * which write a read saw), and expected versions follow ZooKeeper: {@code -1} matches any.
 */
public sealed interface Call permits Call.Create, Call.SetData, Call.Delete, Call.GetData {

    /** The version that matches any version in setData and delete, as in ZooKeeper. */
    int ANY_VERSION = -1;

    /** The znode this call is about; the unit of P-compositionality. */
    String path();

    /** True for create, setData and delete: calls that may change the tree. */
    default boolean isWrite() {
        return !(this instanceof GetData);
    }

    /** The value this call writes, or null for delete and getData. */
    default String writtenValue() {
        return null;
    }

    static Create create(String path, String value) {
        return new Create(path, value);
    }

    static SetData setData(String path, String value, int expectedVersion) {
        return new SetData(path, value, expectedVersion);
    }

    static Delete delete(String path, int expectedVersion) {
        return new Delete(path, expectedVersion);
    }

    /** A read served by whichever server the session is on: sequentially consistent only. */
    static GetData read(String path) {
        return new GetData(path, false);
    }

    /**
     * A read the test made linearizable (sync then read on the same server, or a read served by
     * the leader): the linearizability checker includes it.
     */
    static GetData syncedRead(String path) {
        return new GetData(path, true);
    }

    /** create(path, value), persistent. */
    record Create(String path, String value) implements Call {
        public Create {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String writtenValue() {
            return value;
        }

        @Override
        public String toString() {
            return "create(" + path + ", \"" + value + "\")";
        }
    }

    /** setData(path, value, expectedVersion); {@link #ANY_VERSION} for an unconditional write. */
    record SetData(String path, String value, int expectedVersion) implements Call {
        public SetData {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(value, "value");
            if (expectedVersion < ANY_VERSION) {
                throw new IllegalArgumentException("expectedVersion " + expectedVersion + " < -1");
            }
        }

        @Override
        public String writtenValue() {
            return value;
        }

        @Override
        public String toString() {
            return "setData(" + path + ", \"" + value + "\", " + versionText(expectedVersion) + ")";
        }
    }

    /** delete(path, expectedVersion); {@link #ANY_VERSION} for an unconditional delete. */
    record Delete(String path, int expectedVersion) implements Call {
        public Delete {
            Objects.requireNonNull(path, "path");
            if (expectedVersion < ANY_VERSION) {
                throw new IllegalArgumentException("expectedVersion " + expectedVersion + " < -1");
            }
        }

        @Override
        public String toString() {
            return "delete(" + path + ", " + versionText(expectedVersion) + ")";
        }
    }

    /** getData(path); {@code synced} marks a read the test made linearizable. */
    record GetData(String path, boolean synced) implements Call {
        public GetData {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return (synced ? "syncedRead(" : "read(") + path + ")";
        }
    }

    private static String versionText(int expectedVersion) {
        return expectedVersion == ANY_VERSION ? "any" : "v" + expectedVersion;
    }
}
