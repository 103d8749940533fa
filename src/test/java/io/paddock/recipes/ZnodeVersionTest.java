package io.paddock.recipes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZnodeVersionTest {

    @Test
    void anyValueIsNewsBeforeTheFirst() {
        assertTrue(ZnodeVersion.NONE.isNewer(0));
        assertFalse(ZnodeVersion.NONE.isDeletionNews());
    }

    @Test
    void onlyALargerMzxidIsNewer() {
        ZnodeVersion v = ZnodeVersion.NONE.delivered(0x20);
        assertTrue(v.isNewer(0x21));
        assertFalse(v.isNewer(0x20), "the same value read again");
        assertFalse(v.isNewer(0x1f), "an older value read late");
    }

    @Test
    void aDeletionIsNewsOnlyOnceAndOnlyAfterAValue() {
        ZnodeVersion v = ZnodeVersion.NONE.delivered(7);
        assertTrue(v.isDeletionNews());
        ZnodeVersion deleted = v.deleted();
        assertFalse(deleted.isDeletionNews());
    }

    @Test
    void aValueOlderThanADeletionIsNeverDeliveredAgain() {
        ZnodeVersion deleted = ZnodeVersion.NONE.delivered(7).delivered(9).deleted();
        assertFalse(deleted.isNewer(9));
        assertFalse(deleted.isNewer(8));
    }

    @Test
    void aReCreatedNodeIsNewerThoughItsVersionStartsAgain() {
        // Version 5 at mzxid 9, deleted, created again: version 0 but mzxid (its czxid) 12.
        ZnodeVersion deleted = ZnodeVersion.NONE.delivered(9).deleted();
        assertTrue(deleted.isNewer(12));
        assertTrue(deleted.delivered(12).isDeletionNews());
    }
}
