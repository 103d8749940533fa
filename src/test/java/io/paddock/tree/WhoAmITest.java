package io.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;

/** whoAmI answers the identities the request carries, in the order ZooKeeper shows them. */
class WhoAmITest {

    private static final Id IP = new Id("ip", "127.0.0.1");
    private static final Id ALICE = new Id("digest", AclCheck.digest("alice:pw"));
    private static final Id BOB = new Id("digest", AclCheck.digest("bob:pw"));

    private static List<Id> whoAmI(List<Id> identities) {
        OpResult r = Reads.read(new DataTree(), 0x11L, identities, new Op.WhoAmI(), null);
        return assertInstanceOf(OpResult.Identities.class, r).ids();
    }

    @Test
    void theClientsIpComesFirstThenAddedAuthInTheOrderItWasAdded() {
        // SessionActor lists added auth first and the connection's ip last.
        assertEquals(List.of(IP, ALICE, BOB), whoAmI(List.of(ALICE, BOB, IP)));
    }

    @Test
    void aSessionWithoutAddedAuthIsItsIpAlone() {
        assertEquals(List.of(IP), whoAmI(List.of(IP)));
    }

    @Test
    void aRequestWithoutIdentitiesIsAnsweredWithNone() {
        assertEquals(List.of(), whoAmI(List.of()));
        assertEquals(List.of(), whoAmI(null));
    }

    @Test
    void anIdentityCarriedTwiceIsShownOnce() {
        assertEquals(List.of(IP, ALICE), whoAmI(List.of(ALICE, IP, ALICE, IP)));
    }

    @Test
    void whoAmINeedsNoSessionAndIsNeverRefused() {
        OpResult r = Reads.read(new DataTree(), 0, List.of(BOB), new Op.WhoAmI(), AclCheck.digest("super:x"));
        assertEquals(List.of(BOB), assertInstanceOf(OpResult.Identities.class, r).ids());
    }
}
