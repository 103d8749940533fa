package io.paddock.api.zk;

import io.paddock.api.zk.FourLetterReport.Connection;
import io.paddock.api.zk.FourLetterReport.Counters;
import io.paddock.api.zk.FourLetterReport.Latency;
import io.paddock.api.zk.FourLetterReport.Part;
import io.paddock.server.PaddockConfig;
import io.paddock.server.ServerStatus;
import org.apache.zookeeper.server.ServerStats;
import org.apache.zookeeper.server.command.FourLetterCommands;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FourLetterWordsTest {

    private static final Set<String> ALL = FourLetterWords.parseWhitelist("*");
    private static final String VERSION_LINE = "Zookeeper version: 3.9.5-paddock-0.1.0, built on unknown\n";
    private static final Path DATA_DIR = Path.of("/var/lib/paddock");
    private static final long EST = 1_700_000_000_000L;

    // ---- which four bytes are a word

    @Test
    void everyWordZooKeeperKnowsIsRecognisedByItsFourBytes() throws Exception {
        Set<Integer> zkCodes = new HashSet<>();
        for (Field f : FourLetterCommands.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                f.setAccessible(true);
                zkCodes.add(f.getInt(null));
            }
        }
        Set<Integer> ours = new HashSet<>();
        for (String word : FourLetterWords.KNOWN) {
            ours.add(FourLetterWords.codeOf(word));
        }
        assertEquals(zkCodes, ours);
        for (int code : zkCodes) {
            assertTrue(FourLetterWords.isFourLetterWord(code));
            assertEquals(FourLetterCommands.getCommandString(code), FourLetterWords.wordOf(code));
        }
    }

    @Test
    void wordCodeIsTheFourAsciiBytesBigEndian() {
        int ruok = ByteBuffer.wrap("ruok".getBytes(StandardCharsets.US_ASCII)).getInt();
        assertEquals(ruok, FourLetterWords.codeOf("ruok"));
        assertEquals("ruok", FourLetterWords.wordOf(ruok));
        assertEquals("telnet close", FourLetterWords.wordOf(0xfff4fffd));
    }

    @Test
    void otherFourBytesAreNotAWordButAFrameLength() {
        for (String notAWord : List.of("RUOK", "abcd", "kill", "reqs", "icfg", "sysp", "ruo ")) {
            int code = ByteBuffer.wrap(notAWord.getBytes(StandardCharsets.US_ASCII)).getInt();
            assertFalse(FourLetterWords.isFourLetterWord(code), notAWord);
            assertNull(FourLetterWords.wordOf(code), notAWord);
        }
        for (int length : new int[] {0, 44, 48, 1 << 20, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertFalse(FourLetterWords.isFourLetterWord(length), Integer.toString(length));
        }
    }

    // ---- the whitelist

    @Test
    void defaultWhitelistIsOnlySrvr() {
        assertEquals(Set.of("srvr"), FourLetterWords.parseWhitelist(null));
        assertEquals(Set.of("srvr"), FourLetterWords.parseWhitelist(""));
        assertEquals(Set.of("srvr"), FourLetterWords.parseWhitelist(" , "));
        assertEquals(Set.of("srvr"), FourLetterWords.DEFAULT_WHITELIST);
    }

    @Test
    void starWhitelistsEveryWordPaddockExecutes() {
        assertEquals(FourLetterWords.SUPPORTED, ALL);
        assertEquals(ALL, FourLetterWords.parseWhitelist("ruok, *"));
    }

    @Test
    void explicitListTakesCommasAndSpacesAndAlwaysAddsSrvr() {
        assertEquals(Set.of("srvr", "stat", "ruok", "conf", "isro"),
                FourLetterWords.parseWhitelist("stat, ruok, conf,isro"));
        assertEquals(Set.of("srvr", "mntr", "ruok"), FourLetterWords.parseWhitelist("mntr ruok"));
    }

    @Test
    void unknownOrUnimplementedWordsAreLeftOutWithAReason() {
        List<String> reasons = new ArrayList<>();
        Set<String> whitelist = FourLetterWords.parseWhitelist("ruok,dump,Stat,kill", reasons::add);
        assertEquals(Set.of("srvr", "ruok"), whitelist);
        assertEquals(3, reasons.size());
        assertTrue(reasons.get(0).contains("'dump'") && reasons.get(0).contains("does not implement"), reasons.get(0));
        assertTrue(reasons.get(1).contains("'Stat'") && reasons.get(1).contains("not a four-letter word"));
        assertTrue(reasons.get(2).contains("'kill'"));
    }

    @Test
    void wordNotInTheWhitelistGetsZooKeepersRefusal() {
        Set<String> whitelist = FourLetterWords.parseWhitelist(null);
        assertEquals("mntr is not executed because it is not in the whitelist.\n",
                FourLetterWords.answer("mntr", whitelist, standalone()));
        assertEquals("ruok is not executed because it is not in the whitelist.\n",
                FourLetterWords.answer("ruok", whitelist, standalone()));
        assertTrue(FourLetterWords.answer("srvr", whitelist, standalone()).startsWith(VERSION_LINE));
    }

    @Test
    void wordPaddockDoesNotImplementIsRefusedEvenUnderStar() {
        for (String word : List.of("dump", "gtmk", "stmk", "hash", "telnet close")) {
            assertEquals(word + " is not executed because it is not in the whitelist.\n",
                    FourLetterWords.answer(word, ALL, standalone()));
            assertEquals(FourLetterWords.Effect.NONE, FourLetterWords.effect(word, ALL, standalone()));
        }
        // A hand-made whitelist naming one does not make it executable either.
        assertTrue(FourLetterWords.answer("dump", Set.of("dump"), standalone()).endsWith("whitelist.\n"));
    }

    @Test
    void unknownWordIsNotAnswered() {
        assertThrows(IllegalArgumentException.class, () -> FourLetterWords.answer("kill", ALL, standalone()));
    }

    // ---- ruok, isro, srvr, stat

    @Test
    void ruokAnswersImokWithoutANewlineEvenWhenNotServing() {
        assertEquals("imok", FourLetterWords.answer("ruok", ALL, standalone()));
        assertEquals("imok", FourLetterWords.answer("ruok", ALL, looking()));
    }

    @Test
    void isroAnswersRwWhileServingAndNullOtherwise() {
        assertEquals("rw", FourLetterWords.answer("isro", ALL, standalone()));
        assertEquals("rw", FourLetterWords.answer("isro", ALL, follower()));
        assertEquals("null", FourLetterWords.answer("isro", ALL, looking()));
    }

    @Test
    void srvrOnAStandaloneServer() {
        assertEquals(VERSION_LINE
                + "Latency min/avg/max: 1/1.5/2\n"
                + "Received: 12\n"
                + "Sent: 10\n"
                + "Connections: 2\n"
                + "Outstanding: 1\n"
                + "Zxid: 0x1f\n"
                + "Mode: standalone\n"
                + "Node count: 7\n", FourLetterWords.answer("srvr", ALL, standalone()));
    }

    @Test
    void srvrOnALeaderAndAFollower() {
        String leader = FourLetterWords.answer("srvr", ALL, leader());
        assertTrue(leader.contains("Zxid: 0x100000005\nMode: leader\nNode count: 9\n"), leader);
        String follower = FourLetterWords.answer("srvr", ALL, follower());
        assertTrue(follower.contains("Zxid: 0x100000005\nMode: follower\nNode count: 9\n"), follower);
    }

    @Test
    void statusLinesAreServerStatsToStringOfZooKeeper() {
        ServerStats zk = new ServerStats(new ServerStats.Provider() {
            public long getOutstandingRequests() {
                return 1;
            }

            public long getLastProcessedZxid() {
                return 0x1f;
            }

            public String getState() {
                return "standalone";
            }

            public int getNumAliveConnections() {
                return 2;
            }

            public long getDataDirSize() {
                return 0;
            }

            public long getLogDirSize() {
                return 0;
            }
        });
        // ServerStats.updateLatency needs ZooKeeper's metrics library, which the tests lack: no latencies.
        for (int i = 0; i < 12; i++) {
            zk.incrementPacketsReceived();
        }
        for (int i = 0; i < 10; i++) {
            zk.incrementPacketsSent();
        }
        FourLetterReport r = standalone();
        Counters c = r.counters();
        FourLetterReport noLatencies = new FourLetterReport(r.status(), r.config(), new Counters(c.packetsReceived(),
                c.packetsSent(), c.outstandingRequests(), Latency.NONE, c.aliveConnections(), c.uptimeMs(),
                c.ephemeralsCount(), c.approximateDataSize(), c.openFileDescriptors(), c.maxFileDescriptors(),
                c.pendingSyncs()), r.connections(), r.watchesBySession(), r.dataDirSizeBytes(), r.environment());
        assertEquals(VERSION_LINE + zk + "Node count: 7\n", FourLetterWords.answer("srvr", ALL, noLatencies));
    }

    @Test
    void statListsEveryConnectionBriefly() {
        assertEquals(VERSION_LINE
                + "Clients:\n"
                + " /127.0.0.1:52710[1](queued=1,recved=5,sent=4)\n"
                + " /127.0.0.1:52711[0](queued=0,recved=1,sent=0)\n"
                + "\n"
                + "Latency min/avg/max: 1/1.5/2\n"
                + "Received: 12\n"
                + "Sent: 10\n"
                + "Connections: 2\n"
                + "Outstanding: 1\n"
                + "Zxid: 0x1f\n"
                + "Mode: standalone\n"
                + "Node count: 7\n", FourLetterWords.answer("stat", ALL, standalone()));
    }

    @Test
    void versionLineKeepsZooKeepersShapeAndRelease() {
        String zk = org.apache.zookeeper.Version.getFullVersion(); // "3.9.5-<hash>, built on <date>"
        String ours = FourLetterWords.fullVersion("0.1.0");
        String shape = "\\d+\\.\\d+\\.\\d+-[^,]+, built on .+";
        assertTrue(zk.matches(shape), zk);
        assertTrue(ours.matches(shape), ours);
        assertEquals(org.apache.zookeeper.Version.getVersion(), FourLetterWords.ZOOKEEPER_VERSION);
        assertTrue(ours.contains("paddock-0.1.0"));
    }

    @Test
    void latencyAverageIsRoundedToFourDecimalsLikeZooKeeper() {
        assertEquals("0.0", Double.toString(Latency.NONE.average()));
        assertEquals(0.3333, Latency.NONE.plus(0).plus(0).plus(1).average());
        assertEquals(0.6667, Latency.NONE.plus(0).plus(1).plus(1).average());
        assertEquals(0, Latency.NONE.plus(0).plus(1).plus(1).wholeAverage());
        assertEquals(Latency.NONE.plus(3), Latency.NONE.plus(3).plus(-1));
    }

    // ---- mntr

    @Test
    void mntrLinesAreAllKeyTabValueWithVersionFirst() {
        for (FourLetterReport report : List.of(standalone(), leader(), follower())) {
            String mntr = FourLetterWords.answer("mntr", ALL, report);
            assertTrue(mntr.endsWith("\n"));
            String[] lines = mntr.split("\n");
            assertTrue(lines[0].startsWith("zk_version\t3.9.5-paddock-0.1.0, built on unknown"), lines[0]);
            assertTrue(lines[1].startsWith("zk_server_state\t"), lines[1]);
            Set<String> keys = new HashSet<>();
            for (String line : lines) {
                assertTrue(line.matches("zk_[a-z_]+\t[^\t]+"), line);
                assertTrue(keys.add(line.substring(0, line.indexOf('\t'))), "repeated " + line);
            }
        }
    }

    @Test
    void mntrOnAStandaloneServer() {
        Map<String, String> values = mntr(standalone());
        assertEquals("standalone", values.get("zk_server_state"));
        assertEquals("1.5", values.get("zk_avg_latency"));
        assertEquals("2", values.get("zk_max_latency"));
        assertEquals("1", values.get("zk_min_latency"));
        assertEquals("12", values.get("zk_packets_received"));
        assertEquals("10", values.get("zk_packets_sent"));
        assertEquals("2", values.get("zk_num_alive_connections"));
        assertEquals("1", values.get("zk_outstanding_requests"));
        assertEquals("5000", values.get("zk_uptime"));
        assertEquals("7", values.get("zk_znode_count"));
        assertEquals("3", values.get("zk_watch_count"));
        assertEquals("2", values.get("zk_global_sessions"));
        assertEquals("40", values.get("zk_open_file_descriptor_count"));
        assertEquals("1024", values.get("zk_max_file_descriptor_count"));
        // What the report does not know is left out, and so are the ensemble's keys.
        for (String absent : List.of("zk_ephemerals_count", "zk_approximate_data_size", "zk_peer_state",
                "zk_quorum_size", "zk_learners", "zk_followers", "zk_synced_followers", "zk_pending_syncs")) {
            assertFalse(values.containsKey(absent), absent);
        }
    }

    @Test
    void mntrOnALeaderCountsItsLearners() {
        Map<String, String> values = mntr(leader());
        assertEquals("leader", values.get("zk_server_state"));
        assertEquals("leading - broadcast", values.get("zk_peer_state"));
        assertEquals("3", values.get("zk_quorum_size"));
        assertEquals("3", values.get("zk_learners"));
        assertEquals("3", values.get("zk_followers"));
        assertEquals("1", values.get("zk_synced_followers"));
        assertEquals("0", values.get("zk_synced_non_voting_followers"));
        assertEquals("1", values.get("zk_synced_observers"));
        assertEquals("0", values.get("zk_pending_syncs"));
        assertEquals("4", values.get("zk_ephemerals_count"));
        assertEquals("321", values.get("zk_approximate_data_size"));
    }

    @Test
    void mntrOnAFollowerHasNoLeaderKeys() {
        Map<String, String> values = mntr(follower());
        assertEquals("follower", values.get("zk_server_state"));
        assertEquals("following - broadcast", values.get("zk_peer_state"));
        assertEquals("3", values.get("zk_quorum_size"));
        assertFalse(values.containsKey("zk_learners"));
        assertFalse(values.containsKey("zk_synced_followers"));
        assertFalse(values.containsKey("zk_pending_syncs"));
    }

    @Test
    void serverNotServingAnswersNotServingToStatusWords() {
        for (String word : List.of("srvr", "stat", "mntr", "conf", "cons", "wchs", "wchc", "wchp", "dirs", "srst",
                "crst")) {
            assertEquals("This ZooKeeper instance is not currently serving requests\n",
                    FourLetterWords.answer(word, ALL, looking()), word);
            assertEquals(FourLetterWords.Effect.NONE, FourLetterWords.effect(word, ALL, looking()));
        }
    }

    // ---- conf, cons, dirs

    @Test
    void confOnAStandaloneServer() {
        assertEquals("clientPort=2181\n"
                + "secureClientPort=-1\n"
                + "dataDir=/var/lib/paddock\n"
                + "dataDirSize=4096\n"
                + "dataLogDir=/var/lib/paddock\n"
                + "dataLogSize=4096\n"
                + "tickTime=2000\n"
                + "maxClientCnxns=0\n"
                + "minSessionTimeout=4000\n"
                + "maxSessionTimeout=40000\n"
                + "clientPortListenBacklog=-1\n"
                + "serverId=0\n", FourLetterWords.answer("conf", ALL, standalone()));
    }

    @Test
    void confInAnEnsembleAddsQuorumSettingsAndMembership() {
        String expectedTail = "serverId=2\n"
                + "initLimit=10\n"
                + "syncLimit=5\n"
                + "electionAlg=3\n"
                + "electionPort=3889\n"
                + "quorumPort=2889\n"
                + "peerType=0\n"
                + "membership: \n"
                + "server.1=zk1:2888:3888:participant\n"
                + "server.2=zk2:2889:3889:participant\n"
                + "server.3=zk3:2890:3890:participant\n"
                + "server.4=fd00::4:2891:3891:observer\n"
                + "version=0";
        String conf = FourLetterWords.answer("conf", ALL, follower());
        assertTrue(conf.startsWith("clientPort=2181\n"), conf);
        assertTrue(conf.endsWith(expectedTail.replace("fd00::4", "[fd00::4]")), conf);
    }

    @Test
    void consPrintsEveryConnectionInFullAndSessionlessOnesBriefly() {
        assertEquals(" /127.0.0.1:52710[1](queued=1,recved=5,sent=4,sid=0x100000a2b,lop=GETD,est=1700000000000,"
                + "to=30000,lcxid=0x3,lzxid=0x1f,lresp=123456,llat=2,minlat=1,avglat=1,maxlat=2)\n"
                + " /127.0.0.1:52711[0](queued=0,recved=1,sent=0)\n"
                + "\n", FourLetterWords.answer("cons", ALL, standalone()));
    }

    @Test
    void consLeavesOutLcxidBeforeTheFirstRealRequest() {
        Connection fresh = new Connection(address(52712), 1, 0, 1, 1, 0x42, 4000, "SESS", EST, -1, -1, 99, 0,
                Latency.NONE.plus(0));
        FourLetterReport report = standalone(List.of(fresh));
        assertEquals(" /127.0.0.1:52712[1](queued=0,recved=1,sent=1,sid=0x42,lop=SESS,est=1700000000000,to=4000,"
                + "lzxid=0xffffffffffffffff,lresp=99,llat=0,minlat=0,avglat=0,maxlat=0)\n\n",
                FourLetterWords.answer("cons", ALL, report));
    }

    @Test
    void dirsPrintsTheDataDirSizeForBothDirectories() {
        assertEquals("datadir_size: 4096\nlogdir_size: 4096\n", FourLetterWords.answer("dirs", ALL, standalone()));
    }

    // ---- wchs, wchc, wchp

    @Test
    void wchsSummarisesWatches() {
        assertEquals("2 connections watching 3 paths\nTotal watches:4\n",
                FourLetterWords.answer("wchs", ALL, standalone()));
    }

    @Test
    void wchcListsPathsBySession() {
        assertEquals("0x100000a2b\n\t/a\n\t/b\n0x100000a2c\n\t/a\n\t/c\n\n",
                FourLetterWords.answer("wchc", ALL, standalone()));
    }

    @Test
    void wchpListsSessionsByPath() {
        assertEquals("/a\n\t0x100000a2b\n\t0x100000a2c\n/b\n\t0x100000a2b\n/c\n\t0x100000a2c\n\n",
                FourLetterWords.answer("wchp", ALL, standalone()));
    }

    @Test
    void watchWordsRefuseAReportWithoutWatches() {
        FourLetterReport r = standalone();
        FourLetterReport noWatches = new FourLetterReport(r.status(), r.config(), r.counters(), r.connections(), null,
                r.dataDirSizeBytes(), r.environment());
        assertThrows(IllegalArgumentException.class, () -> FourLetterWords.answer("wchs", ALL, noWatches));
        assertTrue(FourLetterWords.answer("mntr", ALL, noWatches).startsWith("zk_version"));
    }

    // ---- envi

    @Test
    void enviPrintsZooKeepersKeysInOrderThenExtras() {
        String envi = FourLetterWords.answer("envi", ALL, looking());
        String[] lines = envi.split("\n");
        assertEquals("Environment:", lines[0]);
        assertEquals("zookeeper.version=3.9.5-paddock-0.1.0, built on unknown", lines[1]);
        assertEquals("host.name=zk1.example.com", lines[2]);
        assertEquals("java.version=17.0.9", lines[3]);
        assertEquals("java.vendor=<NA>", lines[4]);
        assertEquals("os.memory.total=256MB", lines[18]);
        assertEquals("paddock.httpPort=8080", lines[19]);
        assertEquals(20, lines.length);
        assertTrue(envi.endsWith("\n"));
    }

    // ---- what the caller gathers and does

    @Test
    void needsNamesThePartsEachWordReads() {
        assertEquals(EnumSet.of(Part.CONNECTIONS), FourLetterWords.needs("stat", ALL));
        assertEquals(EnumSet.of(Part.CONNECTIONS), FourLetterWords.needs("cons", ALL));
        assertEquals(EnumSet.of(Part.WATCHES), FourLetterWords.needs("wchp", ALL));
        assertEquals(EnumSet.of(Part.DATA_DIR_SIZE), FourLetterWords.needs("conf", ALL));
        assertEquals(EnumSet.of(Part.ENVIRONMENT), FourLetterWords.needs("envi", ALL));
        assertEquals(EnumSet.noneOf(Part.class), FourLetterWords.needs("mntr", ALL));
        assertEquals(EnumSet.noneOf(Part.class), FourLetterWords.needs("stat", Set.of("srvr")));
    }

    @Test
    void srstAndCrstAskTheCallerToResetCounters() {
        assertEquals("Server stats reset.\n", FourLetterWords.answer("srst", ALL, standalone()));
        assertEquals(FourLetterWords.Effect.RESET_SERVER_STATS, FourLetterWords.effect("srst", ALL, standalone()));
        assertEquals("Connection stats reset.\n", FourLetterWords.answer("crst", ALL, leader()));
        assertEquals(FourLetterWords.Effect.RESET_CONNECTION_STATS, FourLetterWords.effect("crst", ALL, leader()));
        assertEquals(FourLetterWords.Effect.NONE, FourLetterWords.effect("srst", Set.of("srvr"), standalone()));
        assertEquals(FourLetterWords.Effect.NONE, FourLetterWords.effect("mntr", ALL, standalone()));
    }

    @Test
    void lastOperationNamesAreFinalRequestProcessors() {
        assertEquals("GETD", FourLetterWords.lastOperationName(ZkOpCode.GET_DATA));
        assertEquals("CREA", FourLetterWords.lastOperationName(ZkOpCode.CREATE_TTL));
        assertEquals("GETC", FourLetterWords.lastOperationName(ZkOpCode.GET_CHILDREN2));
        assertEquals("PING", FourLetterWords.lastOperationName(ZkOpCode.PING));
        assertEquals("SESS", FourLetterWords.lastOperationName(ZkOpCode.CREATE_SESSION));
        assertEquals("HOMI", FourLetterWords.lastOperationName(ZkOpCode.WHO_AM_I));
        assertNull(FourLetterWords.lastOperationName(ZkOpCode.AUTH));
        assertEquals("NA", FourLetterWords.lastOperationName(999));
    }

    // ---- fixtures

    private static Map<String, String> mntr(FourLetterReport report) {
        Map<String, String> values = new TreeMap<>();
        for (String line : FourLetterWords.answer("mntr", ALL, report).split("\n")) {
            int tab = line.indexOf('\t');
            values.put(line.substring(0, tab), line.substring(tab + 1));
        }
        return values;
    }

    private static InetSocketAddress address(int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Connection> twoConnections() {
        Connection client = new Connection(address(52710), 1, 1, 5, 4, 0x100000a2bL, 30000, "GETD", EST, 3, 0x1f,
                123456, 2, Latency.NONE.plus(1).plus(2));
        Connection asking = new Connection(address(52711), 0, 0, 1, 0, 0, 0, "NA", EST + 5, -1, -1, 0, 0,
                Latency.NONE);
        return List.of(client, asking);
    }

    private static SortedMap<Long, SortedSet<String>> watches() {
        SortedMap<Long, SortedSet<String>> watches = new TreeMap<>();
        watches.put(0x100000a2cL, new TreeSet<>(List.of("/c", "/a")));
        watches.put(0x100000a2bL, new TreeSet<>(List.of("/b", "/a")));
        return watches;
    }

    private static Counters counters(long ephemerals, long dataSize, long pendingSyncs) {
        return new Counters(12, 10, 1, Latency.NONE.plus(1).plus(2), 2, 5000, ephemerals, dataSize, 40, 1024,
                pendingSyncs);
    }

    private static Map<String, String> environment() {
        return Map.of("host.name", "zk1.example.com", "java.version", "17.0.9", "os.memory.total", "256MB",
                "paddock.httpPort", "8080", "zookeeper.version", "ignored");
    }

    private static FourLetterReport standalone() {
        return standalone(twoConnections());
    }

    private static FourLetterReport standalone(List<Connection> connections) {
        ServerStatus status = new ServerStatus("standalone", 0, 0x1f, 7, 2, 3, "0.1.0");
        return new FourLetterReport(status, PaddockConfig.defaults(DATA_DIR), counters(-1, -1, -1), connections,
                watches(), 4096, environment());
    }

    private static PaddockConfig ensembleConfig() {
        return PaddockConfig.defaults(DATA_DIR).withServers(Map.of(
                1L, new PaddockConfig.ServerSpec(1, "zk1", 2888, 3888, false),
                2L, new PaddockConfig.ServerSpec(2, "zk2", 2889, 3889, false),
                3L, new PaddockConfig.ServerSpec(3, "zk3", 2890, 3890, false),
                4L, new PaddockConfig.ServerSpec(4, "fd00::4", 2891, 3891, true)));
    }

    private static FourLetterReport leader() {
        List<ServerStatus.Learner> learners = List.of(
                new ServerStatus.Learner(2, false, true, 0x100000005L, 0),
                new ServerStatus.Learner(3, false, false, 0x100000001L, 1000),
                new ServerStatus.Learner(4, true, true, 0x100000005L, 0));
        ServerStatus status = new ServerStatus("leader", 1, 0x100000005L, 9, 2, 3, "0.1.0")
                .withEnsemble(new ServerStatus.Ensemble(1, 1, 1, true, 0x100000005L, 0x100000005L, learners));
        return new FourLetterReport(status, ensembleConfig(), counters(4, 321, 0), twoConnections(), watches(), 4096,
                environment());
    }

    private static FourLetterReport follower() {
        ServerStatus status = new ServerStatus("follower", 2, 0x100000005L, 9, 2, 3, "0.1.0")
                .withEnsemble(new ServerStatus.Ensemble(1, 1, 1, true, 0x100000005L, 0x100000005L, List.of()));
        return new FourLetterReport(status, ensembleConfig(), counters(-1, -1, -1), twoConnections(), watches(), 4096,
                environment());
    }

    private static FourLetterReport looking() {
        ServerStatus status = new ServerStatus("looking", 2, 0x100000005L, 9, 2, 3, "0.1.0")
                .withEnsemble(new ServerStatus.Ensemble(-1, 1, 1, false, 0x100000005L, 0x100000005L, List.of()));
        return new FourLetterReport(status, ensembleConfig(), counters(-1, -1, -1), twoConnections(), watches(), 4096,
                environment());
    }
}
