package io.paddock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.PaddockConfig.ServerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    private static final String SOURCE = "conf/paddock.cfg";
    private static final String DIGEST = "super:lK75jTNcA+U9vtVEw5vB51mj/w4=";

    private static PaddockConfig parse(String... lines) throws ConfigException {
        return ConfigFile.parse(List.of(lines), SOURCE);
    }

    private static ConfigException refused(String... lines) {
        return assertThrows(ConfigException.class, () -> parse(lines));
    }

    /** The error names the file, the line and the key, in that order. */
    private static void assertNames(ConfigException e, int line, String key) {
        assertEquals(SOURCE, e.source());
        assertEquals(line, e.line());
        assertEquals(key, e.key());
        String where = line > 0 ? SOURCE + ":" + line + ": " : SOURCE + ": ";
        assertTrue(e.getMessage().startsWith(where + (key == null ? "" : key + ": ")), e.getMessage());
    }

    @Test
    void shippedConfigParsesToTheDefaultsWithTheMonitoringWordsOpen() throws ConfigException {
        PaddockConfig config = ConfigFile.load(Path.of("conf", "paddock.cfg"));
        assertEquals(PaddockConfig.defaults(Path.of("./data"))
                .withFourLetterWordWhitelist("ruok, srvr, stat, mntr, conf, isro"), config);
        assertTrue(config.standalone());
    }

    @Test
    void everyKeyIsParsed() throws ConfigException {
        PaddockConfig config = parse(
                "tickTime=1000",
                "initLimit=7",
                "syncLimit=3",
                "dataDir=/var/lib/paddock",
                "clientPort=2281",
                "clientPortAddress=127.0.0.1",
                "httpPort=8181",
                "minSessionTimeout=3000",
                "maxSessionTimeout=30000",
                "maxDataBytes=4096",
                "superDigest=" + DIGEST,
                "containerCheckIntervalMs=250",
                "eventWindow=64",
                "snapCount=5000",
                "forceSync=no",
                "preAllocSize=1024",
                "autopurge.snapRetainCount=5",
                "autopurge.purgeInterval=24",
                "server.1=10.0.0.1:2888:3888",
                "server.2=10.0.0.2:2889:3889:participant",
                "server.3=zk3.example.com:2890:3890:observer");
        assertEquals(new PaddockConfig(1000, 7, 3, Path.of("/var/lib/paddock"), 2281, "127.0.0.1", 8181, 3000,
                30000, 4096, DIGEST, 250, 64, Map.of(
                        1L, new ServerSpec(1, "10.0.0.1", 2888, 3888, false),
                        2L, new ServerSpec(2, "10.0.0.2", 2889, 3889, false),
                        3L, new ServerSpec(3, "zk3.example.com", 2890, 3890, true)),
                new PaddockConfig.Storage(5000, false, 1024 * 1024, 5, 24, 10_000), false, null), config);
        assertFalse(config.standalone());
    }

    @Test
    void keysLeftOutTakeTheirDefaults() throws ConfigException {
        assertEquals(PaddockConfig.defaults(Path.of("/data")), parse("dataDir=/data"));
        assertNull(parse("dataDir=/data").superDigest());
    }

    @Test
    void sessionTimeoutDefaultsFollowTickTimeWhereverItIsSet() throws ConfigException {
        PaddockConfig config = parse("dataDir=/d", "tickTime=500");
        assertEquals(1000, config.minSessionTimeout());
        assertEquals(10000, config.maxSessionTimeout());
        assertEquals(PaddockConfig.defaults(Path.of("/d")).withTickTime(500), config);
    }

    @Test
    void commentsBlankLinesAndSurroundingWhitespaceAreIgnored() throws ConfigException {
        PaddockConfig config = parse(
                "# a comment",
                "",
                "   ",
                "  # an indented comment",
                "\ttickTime =  3000  ",
                "dataDir= /d ");
        assertEquals(3000, config.tickTime());
        assertEquals(Path.of("/d"), config.dataDir());
    }

    @Test
    void relativeDataDirStaysRelativeToTheWorkingDirectory() throws ConfigException {
        Path dataDir = parse("dataDir=./data").dataDir();
        assertFalse(dataDir.isAbsolute());
        assertEquals(Path.of("").toAbsolutePath().resolve("data"), dataDir.toAbsolutePath().normalize());
    }

    @Test
    void badNumberNamesFileLineAndKey() {
        ConfigException e = refused("dataDir=/d", "", "# x", "", "", "", "tickTime=abc");
        assertEquals("conf/paddock.cfg:7: tickTime: not a positive integer: 'abc'", e.getMessage());
        assertNames(e, 7, "tickTime");
    }

    @Test
    void everyNumericKeyRefusesZeroNegativesAndJunk() {
        for (String key : List.of("tickTime", "initLimit", "syncLimit", "minSessionTimeout", "maxSessionTimeout",
                "maxDataBytes", "containerCheckIntervalMs", "eventWindow", "snapCount", "preAllocSize",
                "autopurge.snapRetainCount")) {
            for (String bad : List.of("0", "-5", "1.5", "ten", "99999999999999999999")) {
                assertNames(refused("dataDir=/d", key + "=" + bad), 2, key);
            }
        }
        assertNames(refused("dataDir=/d", "tickTime=3000000000"), 2, "tickTime");
    }

    @Test
    void storageKeysLeftOutTakeZooKeepersDefaults() throws ConfigException {
        PaddockConfig.Storage storage = parse("dataDir=/d").storage();
        assertEquals(100_000, storage.snapCount());
        assertTrue(storage.forceSync());
        assertEquals(64L * 1024 * 1024, storage.preAllocSizeBytes());
        assertEquals(3, storage.snapRetainCount());
        assertEquals(1, storage.purgeIntervalHours());
    }

    @Test
    void preAllocSizeIsInKilobytesAsInZooCfg() throws ConfigException {
        assertEquals(4096, parse("dataDir=/d", "preAllocSize=4").storage().preAllocSizeBytes());
        assertEquals(1L << 40, parse("dataDir=/d", "preAllocSize=1073741824").storage().preAllocSizeBytes());
        ConfigException e = refused("dataDir=/d", "preAllocSize=" + (Long.MAX_VALUE / 1024 + 1));
        assertNames(e, 2, "preAllocSize");
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void snapCountIsAPositiveLong() throws ConfigException {
        assertEquals(10_000_000_000L, parse("dataDir=/d", "snapCount=10000000000").storage().snapCount());
        assertEquals(1, parse("dataDir=/d", "snapCount=1").storage().snapCount());
    }

    @Test
    void forceSyncTakesOnlyYesOrNo() throws ConfigException {
        assertTrue(parse("dataDir=/d", "forceSync=yes").storage().forceSync());
        assertFalse(parse("dataDir=/d", "forceSync=no").storage().forceSync());
        for (String bad : List.of("true", "false", "YES", "No", "0", "1", "y")) {
            ConfigException e = refused("dataDir=/d", "forceSync=" + bad);
            assertEquals("conf/paddock.cfg:2: forceSync: must be yes or no: '" + bad + "'", e.getMessage());
        }
    }

    @Test
    void commitLogCountSetsTheLeadersDiffHistory() throws ConfigException {
        assertEquals(10_000, parse("dataDir=/d").storage().commitLogCount());
        assertEquals(500, parse("dataDir=/d", "commitLogCount=500").storage().commitLogCount());
        ConfigException e = refused("dataDir=/d", "commitLogCount=0");
        assertTrue(e.getMessage().startsWith("conf/paddock.cfg:2: commitLogCount: "), e.getMessage());
    }

    @Test
    void quorumListenOnAllIPsBindsThePeerPortEverywhere() throws ConfigException {
        assertEquals(null, parse("dataDir=/d").peerBindAddress());
        assertEquals("0.0.0.0", parse("dataDir=/d", "quorumListenOnAllIPs=true").peerBindAddress());
        assertEquals(null, parse("dataDir=/d", "quorumListenOnAllIPs=false").peerBindAddress());
        ConfigException e = refused("dataDir=/d", "quorumListenOnAllIPs=yes");
        assertEquals("conf/paddock.cfg:2: quorumListenOnAllIPs: must be true or false: 'yes'", e.getMessage());
    }

    @Test
    void snapRetainCountBelowThreeIsRefusedNotRaised() throws ConfigException {
        assertEquals(3, parse("dataDir=/d", "autopurge.snapRetainCount=3").storage().snapRetainCount());
        assertEquals(10, parse("dataDir=/d", "autopurge.snapRetainCount=10").storage().snapRetainCount());
        for (String low : List.of("1", "2")) {
            ConfigException e = refused("dataDir=/d", "autopurge.snapRetainCount=" + low);
            assertEquals("conf/paddock.cfg:2: autopurge.snapRetainCount: must be at least 3, as in ZooKeeper: '"
                    + low + "'", e.getMessage());
        }
    }

    @Test
    void purgeIntervalOfZeroTurnsPurgingOff() throws ConfigException {
        assertEquals(0, parse("dataDir=/d", "autopurge.purgeInterval=0").storage().purgeIntervalHours());
        assertEquals(168, parse("dataDir=/d", "autopurge.purgeInterval=168").storage().purgeIntervalHours());
        for (String bad : List.of("-1", "1.5", "hourly", "99999999999")) {
            assertNames(refused("dataDir=/d", "autopurge.purgeInterval=" + bad), 2, "autopurge.purgeInterval");
        }
        assertEquals("conf/paddock.cfg:2: autopurge.purgeInterval: not a non-negative integer: '-1'",
                refused("dataDir=/d", "autopurge.purgeInterval=-1").getMessage());
    }

    @Test
    void commentAfterAValueIsPartOfTheValueAsInZooCfg() {
        ConfigException e = refused("dataDir=/d", "tickTime=2000 # ms");
        assertEquals("conf/paddock.cfg:2: tickTime: not a positive integer: '2000 # ms'", e.getMessage());
    }

    @Test
    void fourLetterWordWhitelistIsKeptAsWritten() throws ConfigException {
        assertEquals("ruok, srvr,mntr", parse("dataDir=/d", "4lw.commands.whitelist=ruok, srvr,mntr").fourLetterWordWhitelist());
        assertNull(parse("dataDir=/d").fourLetterWordWhitelist());
    }

    @Test
    void unknownKeyIsRefused() {
        assertNames(refused("dataDir=/d", "admin.enableServer=false"), 2, "admin.enableServer");
        assertNames(refused("ticktime=2000", "dataDir=/d"), 1, "ticktime");
    }

    @Test
    void repeatedKeyIsRefusedAtItsSecondLine() {
        ConfigException e = refused("dataDir=/d", "tickTime=2000", "tickTime=3000");
        assertNames(e, 3, "tickTime");
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void lineWithoutKeyOrValueIsRefused() {
        assertNames(refused("dataDir=/d", "tickTime 2000"), 2, null);
        assertNames(refused("dataDir=/d", "=2000"), 2, null);
        assertNames(refused("dataDir=/d", "tickTime="), 2, "tickTime");
        assertNames(refused("dataDir="), 1, "dataDir");
    }

    @Test
    void missingDataDirIsRefused() {
        ConfigException e = refused("tickTime=2000");
        assertNames(e, 0, "dataDir");
    }

    @Test
    void portsOutsideTheirRangeAreRefused() {
        assertNames(refused("dataDir=/d", "clientPort=65536"), 2, "clientPort");
        assertNames(refused("dataDir=/d", "clientPort=-1"), 2, "clientPort");
        assertNames(refused("dataDir=/d", "httpPort=http"), 2, "httpPort");
        assertNames(refused("dataDir=/d", "httpPort=100000"), 2, "httpPort");
    }

    @Test
    void portZeroMeansAnyFreePort() throws ConfigException {
        PaddockConfig config = parse("dataDir=/d", "clientPort=0", "httpPort=0");
        assertEquals(0, config.clientPort());
        assertEquals(0, config.httpPort());
        assertEquals(65535, parse("dataDir=/d", "clientPort=65535").clientPort());
    }

    @Test
    void clientPortAddressMustBeAHostOrAddress() throws ConfigException {
        assertEquals("::", parse("dataDir=/d", "clientPortAddress=::").clientPortAddress());
        assertEquals("localhost", parse("dataDir=/d", "clientPortAddress=localhost").clientPortAddress());
        assertNames(refused("dataDir=/d", "clientPortAddress=local host"), 2, "clientPortAddress");
        assertNames(refused("dataDir=/d", "clientPortAddress=a/b"), 2, "clientPortAddress");
    }

    @Test
    void minSessionTimeoutAboveMaxIsRefused() {
        assertNames(refused("dataDir=/d", "minSessionTimeout=50000", "maxSessionTimeout=40000"), 2,
                "minSessionTimeout");
        // Only max given, below the default min of 2 ticks.
        assertNames(refused("dataDir=/d", "maxSessionTimeout=3000"), 2, "maxSessionTimeout");
        // Only min given, above the default max of 20 ticks.
        assertNames(refused("dataDir=/d", "minSessionTimeout=50000"), 2, "minSessionTimeout");
    }

    @Test
    void equalSessionTimeoutBoundsAreAllowed() throws ConfigException {
        PaddockConfig config = parse("dataDir=/d", "minSessionTimeout=9000", "maxSessionTimeout=9000");
        assertEquals(9000, config.minSessionTimeout());
        assertEquals(9000, config.maxSessionTimeout());
    }

    @Test
    void superDigestMustBeSuperAndABase64Sha1WithoutBeingEchoed() throws ConfigException {
        assertEquals(DIGEST, parse("dataDir=/d", "superDigest=" + DIGEST).superDigest());
        for (String bad : List.of("admin:lK75jTNcA+U9vtVEw5vB51mj/w4=", "super:not*base64", "super:c2VjcmV0",
                "lK75jTNcA+U9vtVEw5vB51mj/w4=", "super:")) {
            ConfigException e = refused("dataDir=/d", "superDigest=" + bad);
            assertNames(e, 2, "superDigest");
            if (!bad.equals("super:")) {
                assertFalse(e.getMessage().contains(bad), e.getMessage());
            }
        }
    }

    @Test
    void serverLinesGiveIdsHostsPortsAndRoles() throws ConfigException {
        Map<Long, ServerSpec> servers = parse(
                "dataDir=/d",
                "server.3=[fe80::1]:2890:3890:OBSERVER",
                "server.1=host-1:2888:3888",
                "server.254=10.1.1.1:2889:3889:participant").servers();
        assertEquals(List.of(1L, 3L, 254L), List.copyOf(servers.keySet()));
        assertEquals(new ServerSpec(1, "host-1", 2888, 3888, false), servers.get(1L));
        assertEquals(new ServerSpec(3, "fe80::1", 2890, 3890, true), servers.get(3L));
        assertEquals(new ServerSpec(254, "10.1.1.1", 2889, 3889, false), servers.get(254L));
    }

    @Test
    void serverIdMustBeFrom1To254() {
        for (String id : List.of("0", "255", "-1", "x", "", "1.5", "99999999999")) {
            assertNames(refused("dataDir=/d", "server." + id + "=h:2888:3888"), 2, "server." + id);
        }
    }

    @Test
    void serverIdGivenTwiceIsRefused() {
        ConfigException e = refused("dataDir=/d", "server.1=a:2888:3888", "server.01=b:2888:3888");
        assertNames(e, 3, "server.01");
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertNames(refused("dataDir=/d", "server.1=a:2888:3888", "server.1=b:2888:3888"), 3, "server.1");
    }

    @Test
    void malformedServerLinesAreRefused() {
        for (String bad : List.of("h", "h:2888", "h:2888:3888:observer:x", ":2888:3888", "h:0:3888",
                "h:2888:70000", "h:2888:2888", "h:2888:3888:leader", "[::1:2888:3888",
                "h h:2888:3888")) {
            assertNames(refused("dataDir=/d", "server.1=" + bad), 2, "server.1");
        }
    }

    @Test
    void aServerLineMayEndWithZooKeepersDynamicConfigClientAddress() throws ConfigException {
        Map<Long, ServerSpec> servers = parse(
                "dataDir=/d",
                "server.1=10.0.0.1:2888:3888;10.0.0.1:2181",
                "server.2=10.0.0.2:2888:3888:participant;2182",
                "server.3=[fe80::3]:2888:3888:observer;[fe80::3]:2183",
                "server.4=zk4:2888:3888:observer ; zk4.example.com:2184",
                "server.5=zk5:2888:3888").servers();
        assertEquals(new ServerSpec(1, "10.0.0.1", 2888, 3888, false, "10.0.0.1", 2181), servers.get(1L));
        assertEquals(new ServerSpec(2, "10.0.0.2", 2888, 3888, false, "0.0.0.0", 2182), servers.get(2L),
                "a port alone means every address, as ZooKeeper reads it");
        assertEquals(new ServerSpec(3, "fe80::3", 2888, 3888, true, "fe80::3", 2183), servers.get(3L));
        assertEquals(new ServerSpec(4, "zk4", 2888, 3888, true, "zk4.example.com", 2184), servers.get(4L));
        assertEquals(new ServerSpec(5, "zk5", 2888, 3888, false), servers.get(5L));
        assertFalse(servers.get(5L).hasClientAddress());
        assertTrue(servers.get(2L).hasClientAddress());
    }

    @Test
    void aMalformedClientAddressIsRefused() {
        for (String bad : List.of("h:2888:3888;", "h:2888:3888;0", "h:2888:3888;70000", "h:2888:3888;x",
                "h:2888:3888;h:", "h:2888:3888;a:b:2181", "h:2888:3888;h:2181;2182", "h:2888:3888;[::1:2181",
                "h:2888:3888;h h:2181", "h:2888:3888:observer:2181")) {
            assertNames(refused("dataDir=/d", "server.1=" + bad), 2, "server.1");
        }
    }

    @Test
    void ensembleOfOnlyObserversIsRefused() {
        assertNames(refused("dataDir=/d", "server.2=a:2888:3888:observer", "server.1=b:2888:3888:observer"), 3,
                "server.1");
    }

    @Test
    void loadNamesTheFileInErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.cfg");
        Files.writeString(file, "dataDir=/d\nclientPort=x\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.load(file));
        assertEquals(file + ":2: clientPort: not a port (0..65535): 'x'", e.getMessage());
    }

    @Test
    void loadOfAMissingFileNamesIt(@TempDir Path dir) {
        Path file = dir.resolve("missing.cfg");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.load(file));
        assertTrue(e.getMessage().startsWith(file + ": cannot read"), e.getMessage());
    }
}
