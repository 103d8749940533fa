package io.paddock.bench;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options of the create, churn, watch and lock workloads and of etcd's matrix (--connections, --key-size, --target). */
class ScenarioOptionsTest {

    private static final URI DEFAULT_URL = URI.create("http://127.0.0.1:8080");

    private static BenchOptions parse(String... args) throws BenchOptions.BadOption {
        return BenchOptions.parse(List.of(args), DEFAULT_URL);
    }

    private static BenchOptions.BadOption refused(String... args) {
        return assertThrows(BenchOptions.BadOption.class, () -> parse(args));
    }

    @Test
    void createChurnWatchAndLockAreWorkloadsOfWritesOnly() throws Exception {
        for (String name : List.of("create", "churn", "watch", "lock")) {
            BenchOptions o = parse("--workload", name);
            assertEquals(name, o.workload().optionName());
            assertEquals(0.0, o.readRatio(), name);
        }
    }

    @Test
    void theNewSettingsDefaultToTodaysBehaviour() throws Exception {
        BenchOptions o = parse();
        assertEquals(List.of(), o.connections());
        assertEquals(1, o.connectionsOf(0));
        assertEquals(64, o.connectionsOf(2), "one connection per client");
        assertEquals(8, o.keySize(), "k0000000 is 8 bytes");
        assertEquals(BenchOptions.Target.ALL, o.target());
    }

    @Test
    void watchRunsOncePerWatchersValueAndRefusesClients() throws Exception {
        assertEquals(List.of(100), parse("--workload", "watch").clients());
        assertEquals(List.of(5, 50), parse("--workload", "watch", "--watchers", "5,50").clients());
        BenchOptions.BadOption e = refused("--workload", "watch", "--clients", "8");
        assertEquals("--clients", e.option());
        assertTrue(e.getMessage().contains("--watchers"), e.getMessage());
        assertEquals("--watchers", refused("--watchers", "5").option());
        assertEquals("--watchers", refused("--workload", "watch", "--watchers", "0").option());
    }

    @Test
    void connectionsTakeOneValueForEveryRunOrOnePerClientsValue() throws Exception {
        BenchOptions one = parse("--clients", "4,8", "--connections", "2");
        assertEquals(2, one.connectionsOf(0));
        assertEquals(2, one.connectionsOf(1));
        BenchOptions paired = parse("--clients", "1,1000", "--connections", "1,100", "--protocol", "zk",
                "--url", "h:2181");
        assertEquals(1, paired.connectionsOf(0));
        assertEquals(100, paired.connectionsOf(1));
        assertEquals("--connections", refused("--clients", "1,8,64", "--connections", "1,2").option());
    }

    @Test
    void moreConnectionsThanClientsAreRefused() {
        BenchOptions.BadOption e = refused("--clients", "8,2", "--connections", "4");
        assertEquals("--connections", e.option());
        assertTrue(e.getMessage().contains("4 connections for 2 clients"), e.getMessage());
    }

    @Test
    void optionsAWorkloadWouldIgnoreAreRefusedNamingTheWorkload() {
        assertEquals("--connections", refused("--workload", "churn", "--connections", "1").option());
        assertEquals("--connections", refused("--workload", "lock", "--connections", "1").option());
        assertEquals("--connections", refused("--workload", "watch", "--connections", "1").option());
        assertEquals("--outstanding", refused("--workload", "lock", "--outstanding", "2").option());
        assertEquals("--outstanding", refused("--workload", "churn", "--outstanding", "2").option());
        assertEquals("--keys", refused("--workload", "create", "--keys", "10").option());
        assertEquals("--keys", refused("--workload", "watch", "--keys", "10").option());
        assertEquals("--key-size", refused("--workload", "lock", "--key-size", "8").option());
        assertEquals("--value-size", refused("--workload", "lock", "--value-size", "8").option());
        BenchOptions.BadOption e = refused("--workload", "failover", "--target", "leader");
        assertTrue(e.getMessage().contains("does not apply to --workload failover"), e.getMessage());
    }

    @Test
    void createTakesOutstandingConnectionsAndKeySize() throws Exception {
        BenchOptions o = parse("--workload", "create", "--clients", "10", "--connections", "2", "--outstanding", "4",
                "--key-size", "12", "--value-size", "256");
        assertEquals(2, o.connectionsOf(0));
        assertEquals(4, o.outstanding());
        assertEquals(12, o.keySize());
        assertEquals(0, o.keysUsed(), "create spreads over no keys");
    }

    @Test
    void aKeySizeTooShortForTheKeysIsRefusedSayingHowManyFit() throws Exception {
        assertEquals(3, parse("--key-size", "3", "--keys", "100").keySize());
        BenchOptions.BadOption e = refused("--key-size", "3", "--keys", "101");
        assertEquals("--key-size", e.option());
        assertTrue(e.getMessage().contains("at most 100 keys"), e.getMessage());
        assertEquals("--key-size", refused("--key-size", "1").option());
        assertEquals(3, parse("--workload", "create", "--key-size", "3").keySize(), "create's names grow past the width");
    }

    @Test
    void targetIsAllLeaderOrFollowers() throws Exception {
        assertEquals(BenchOptions.Target.LEADER, parse("--target", "leader").target());
        assertEquals(BenchOptions.Target.FOLLOWERS, parse("--target", "Followers").target());
        BenchOptions.BadOption e = refused("--target", "observers");
        assertTrue(e.getMessage().contains("available: all, leader, followers"), e.getMessage());
    }

    @Test
    void namesAreALetterAndZeroPaddedDigitsGrowingOnlyPastTheirWidth() {
        assertEquals("k0000042", BenchKeys.keyName(42));
        assertEquals("k0000042", BenchKeys.keyName(42, 8));
        assertEquals("c07", BenchKeys.name('c', 7, 3));
        assertEquals("c123", BenchKeys.name('c', 123, 3));
        assertEquals(100, BenchKeys.nameCapacity(3));
        assertEquals(Long.MAX_VALUE, BenchKeys.nameCapacity(1000));
    }

    @Test
    void targetPicksServersByRoleAndAStandaloneServerLeads() {
        assertTrue(ServerRoles.picks(BenchOptions.Target.LEADER, "leader"));
        assertTrue(ServerRoles.picks(BenchOptions.Target.LEADER, "standalone"));
        assertFalse(ServerRoles.picks(BenchOptions.Target.LEADER, "follower"));
        assertTrue(ServerRoles.picks(BenchOptions.Target.FOLLOWERS, "follower"));
        assertFalse(ServerRoles.picks(BenchOptions.Target.FOLLOWERS, "standalone"));
        assertFalse(ServerRoles.picks(BenchOptions.Target.FOLLOWERS, "observer"));
        assertTrue(ServerRoles.picks(BenchOptions.Target.ALL, "looking"));
    }

    @Test
    void theRoleIsTheModeLineOfASrvrAnswer() {
        String answer = "Zookeeper version: 3.9.5\nLatency min/avg/max: 0/0.0/0\nReceived: 3\nMode: follower\nNode count: 5\n";
        assertEquals("follower", ServerRoles.modeOfSrvr(answer));
        assertNull(ServerRoles.modeOfSrvr("srvr is not executed because it is not in the whitelist.\n"));
    }

    @Test
    void theLockWaitsOnTheContenderJustBeforeItInSequenceOrder() throws Exception {
        List<String> children = List.of("lock-0000000012", "lock-0000000003", "other", "lock-0000000007");
        assertNull(ZkLockOp.predecessor(children, "lock-0000000003"));
        assertEquals("lock-0000000003", ZkLockOp.predecessor(children, "lock-0000000007"));
        assertEquals("lock-0000000007", ZkLockOp.predecessor(children, "lock-0000000012"));
        OpFailure gone = assertThrows(OpFailure.class, () -> ZkLockOp.predecessor(children, "lock-0000000099"));
        assertTrue(gone.fatal());
    }
}
