package io.paddock.tree;

import java.util.List;

/** The answer to an {@link Op}. */
public sealed interface OpResult {

    /** A created znode: its actual path (with the sequential suffix) and its Stat. */
    record Created(String path, Stat stat) implements OpResult {
    }

    /** A delete (or deleteall) that took effect. */
    record Deleted() implements OpResult {
    }

    /** A Stat: answers setData, setACL and exists. */
    record StatResult(Stat stat) implements OpResult {
    }

    /** A check inside a multi that held. */
    record Checked() implements OpResult {
    }

    record Data(byte[] data, Stat stat) implements OpResult {
    }

    record Children(List<String> children, Stat stat) implements OpResult {
    }

    /** A list of paths: recursive listing, ephemerals. */
    record Paths(List<String> paths) implements OpResult {
    }

    record Count(int count) implements OpResult {
    }

    record AclList(List<Acl> acl, Stat stat) implements OpResult {
    }

    /** A sync that completed. */
    record Synced(String path) implements OpResult {
    }

    /**
     * A multi's results, one per op. When the multi failed, nothing was applied and every entry
     * is an {@link Error}: code OK for ops before the failing one, the failing op's own code,
     * RuntimeInconsistency for the ops after it, as ZooKeeper answers.
     */
    record Multi(List<OpResult> results) implements OpResult {
        /** The first failing entry, or null when the multi succeeded. */
        public Error firstError() {
            for (OpResult r : results) {
                if (r instanceof Error e && e.code() != ErrorCode.OK) {
                    return e;
                }
            }
            return null;
        }
    }

    /** The identities a request acted with, in the order they were added (whoAmI). */
    record Identities(List<Id> ids) implements OpResult {
    }

    /** A request that succeeded with nothing to return (addWatch, removeWatches, auth). */
    record Done() implements OpResult {
    }

    /** A refused request: ZooKeeper's code, the path it concerns (may be null), and why. */
    record Error(ErrorCode code, String path, String message) implements OpResult {
    }
}
