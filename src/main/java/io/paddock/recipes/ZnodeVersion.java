package io.paddock.recipes;

/**
 * What a reader has delivered of one znode so far, and the rule for whether a new read of it is
 * news. Every change of a znode gives it a new mzxid, and zxids only grow, so the larger mzxid is
 * the newer value, across deletions too (a node created again has an mzxid above anything its
 * predecessor had, where its version starts again at 0). A read that finds the node missing is
 * news only if the reader last delivered it present: the reader's reads are sent one after the
 * other, and a client never sees an older view than one it has seen, so a later "missing" is a
 * later state.
 *
 * @param highestMzxid the largest mzxid delivered, -1 before any
 * @param present      whether the last thing delivered was a value (not a deletion)
 */
record ZnodeVersion(long highestMzxid, boolean present) {

    /** Nothing delivered yet. */
    static final ZnodeVersion NONE = new ZnodeVersion(-1L, false);

    /** Whether a read showing the node with this mzxid is newer than what was delivered. */
    boolean isNewer(long mzxid) {
        return mzxid > highestMzxid;
    }

    /** Whether a read showing the node missing is news (a deletion to deliver). */
    boolean isDeletionNews() {
        return present;
    }

    /** After delivering a value with this mzxid (only ever called when {@link #isNewer}). */
    ZnodeVersion delivered(long mzxid) {
        return new ZnodeVersion(Math.max(highestMzxid, mzxid), true);
    }

    /** After delivering a deletion: the mzxid floor stays, so an older value is never delivered again. */
    ZnodeVersion deleted() {
        return new ZnodeVersion(highestMzxid, false);
    }
}
