package io.paddock;

import io.paddock.EnsembleLayout.Member;
import io.paddock.server.ConfigFile;
import io.paddock.server.PaddockConfig;
import io.paddock.server.PaddockConfig.ServerSpec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The files of a local ensemble, as EnsembleLayout computes them (no disk, no processes). */
class EnsembleCommandLayoutTest {

    private static final Path BASE = Path.of("/tmp/ens");
    private static final List<String> TEMPLATE = List.of(
            "# The basic time unit.",
            "tickTime=2000",
            "",
            "# Where data lives.",
            "dataDir=./data",
            "clientPort=2181",
            "# The HTTP API's port.",
            "httpPort=8080",
            "forceSync=yes",
            "#server.1=zk1.example.com:2888:3888",
            "server.7=old.example.com:2888:3888",
            "");

    private static List<Integer> ports(int servers) {
        return IntStream.range(0, servers * EnsembleLayout.PORTS_PER_SERVER).map(i -> 20000 + i).boxed().toList();
    }

    private static PaddockConfig parse(List<String> lines) throws Exception {
        return ConfigFile.parse(lines, "generated");
    }

    @Test
    void participantsTakeIdsOneToNAndObserversTheIdsAfterThem() {
        List<Member> members = EnsembleLayout.plan(BASE, 3, 2, ports(5));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), members.stream().map(Member::id).toList());
        assertEquals(List.of(false, false, false, true, true), members.stream().map(Member::observer).toList());
        assertEquals(List.of("participant", "participant", "participant", "observer", "observer"),
                members.stream().map(Member::role).toList());
        assertEquals(BASE.resolve("server-4"), members.get(3).dir());
        assertEquals(BASE.resolve("server-4/data/myid"), members.get(3).myidFile());
        assertEquals(BASE.resolve("server-4/paddock.cfg"), members.get(3).configFile());
        assertEquals(BASE.resolve("server-4/server.log"), members.get(3).logFile());
    }

    @Test
    void everyServerTakesFourOfTheGivenPortsInOrder() {
        List<Member> members = EnsembleLayout.plan(BASE, 2, 1, ports(3));
        assertEquals(new EnsembleLayout.Ports(20000, 20001, 20002, 20003), members.get(0).ports());
        assertEquals(new EnsembleLayout.Ports(20008, 20009, 20010, 20011), members.get(2).ports());
        Set<Integer> all = new HashSet<>();
        for (Member m : members) {
            all.addAll(List.of(m.ports().clientPort(), m.ports().httpPort(), m.ports().peerPort(), m.ports().electionPort()));
        }
        assertEquals(12, all.size());
        assertEquals("http://127.0.0.1:20009", members.get(2).httpUrl());
    }

    @Test
    void planRefusesARepeatedPortTooFewPortsAndCountsOutOfRange() {
        List<Integer> repeated = new ArrayList<>(ports(3));
        repeated.set(5, repeated.get(0));
        assertThrows(IllegalArgumentException.class, () -> EnsembleLayout.plan(BASE, 3, 0, repeated));
        assertThrows(IllegalArgumentException.class, () -> EnsembleLayout.plan(BASE, 3, 0, ports(2)));
        assertThrows(IllegalArgumentException.class, () -> EnsembleLayout.plan(BASE, 0, 0, ports(1)));
        assertThrows(IllegalArgumentException.class, () -> EnsembleLayout.plan(BASE, 10, 0, ports(10)));
        assertThrows(IllegalArgumentException.class, () -> EnsembleLayout.plan(BASE, 3, 10, ports(13)));
    }

    @Test
    void serverLinesMarkObserversAndMyidIsTheDecimalId() {
        List<Member> members = EnsembleLayout.plan(BASE, 1, 1, ports(2));
        assertEquals("server.1=127.0.0.1:20002:20003;127.0.0.1:20000", members.get(0).serverLine());
        assertEquals("server.2=127.0.0.1:20006:20007:observer;127.0.0.1:20004", members.get(1).serverLine());
        assertEquals("2\n", members.get(1).myid());
    }

    @Test
    void configGivesEachServerItsOwnDataDirAndPortsAndEveryServerLine() throws Exception {
        List<Member> members = EnsembleLayout.plan(BASE, 3, 1, ports(4));
        for (Member me : members) {
            PaddockConfig config = parse(EnsembleLayout.config(TEMPLATE, me, members, 0));
            assertEquals(me.dataDir().toAbsolutePath(), config.dataDir());
            assertEquals(me.ports().clientPort(), config.clientPort());
            assertEquals(me.ports().httpPort(), config.httpPort());
            assertEquals("127.0.0.1", config.clientPortAddress());
            assertEquals(2000, config.tickTime());
            assertEquals(List.of(1L, 2L, 3L, 4L), List.copyOf(config.servers().keySet()));
            for (Member m : members) {
                assertEquals(new ServerSpec(m.id(), "127.0.0.1", m.ports().peerPort(), m.ports().electionPort(),
                        m.observer(), "127.0.0.1", m.ports().clientPort()), config.servers().get(m.id()));
            }
        }
    }

    @Test
    void configReplacesTemplateKeysInPlaceAndKeepsItsComments() {
        List<Member> members = EnsembleLayout.plan(BASE, 1, 0, ports(1));
        List<String> lines = EnsembleLayout.config(TEMPLATE, members.get(0), members, 0);
        int httpComment = lines.indexOf("# The HTTP API's port.");
        assertEquals("httpPort=20001", lines.get(httpComment + 1));
        assertEquals("dataDir=" + BASE.resolve("server-1/data").toAbsolutePath(), lines.get(lines.indexOf("# Where data lives.") + 1));
        assertTrue(lines.contains("forceSync=yes"));
        assertTrue(lines.contains("#server.1=zk1.example.com:2888:3888"), "commented lines stay as they are");
        // clientPortAddress is not in the template: it goes to the generated block at the end.
        assertTrue(lines.indexOf("clientPortAddress=127.0.0.1") > lines.indexOf(EnsembleLayout.GENERATED_MARK));
        assertEquals("server.1=127.0.0.1:20002:20003;127.0.0.1:20000", lines.get(lines.size() - 1));
    }

    @Test
    void configDropsTheTemplatesOwnServerLines() throws Exception {
        List<Member> members = EnsembleLayout.plan(BASE, 2, 0, ports(2));
        List<String> lines = EnsembleLayout.config(TEMPLATE, members.get(0), members, 0);
        assertFalse(lines.stream().anyMatch(l -> l.contains("old.example.com")), String.join("\n", lines));
        assertFalse(parse(lines).servers().containsKey(7L));
    }

    @Test
    void tickTimeReplacesTheTemplatesOnlyWhenGiven() throws Exception {
        List<Member> members = EnsembleLayout.plan(BASE, 1, 0, ports(1));
        assertEquals(500, parse(EnsembleLayout.config(TEMPLATE, members.get(0), members, 500)).tickTime());
        assertEquals(1000, parse(EnsembleLayout.config(TEMPLATE, members.get(0), members, 500)).minSessionTimeout());
        assertEquals(2000, parse(EnsembleLayout.config(TEMPLATE, members.get(0), members, 0)).tickTime());
        List<String> noTick = List.of("dataDir=./data");
        assertEquals(750, parse(EnsembleLayout.config(noTick, members.get(0), members, 750)).tickTime());
    }

    @Test
    void regeneratingFromAGeneratedFileGivesTheSameFile() {
        List<Member> members = EnsembleLayout.plan(BASE, 2, 1, ports(3));
        List<String> once = EnsembleLayout.config(TEMPLATE, members.get(2), members, 300);
        assertEquals(once, EnsembleLayout.config(once, members.get(2), members, 300));
        // New ports on a later run replace the old ones rather than adding a second block.
        List<Member> later = EnsembleLayout.plan(BASE, 2, 1, ports(3).stream().map(p -> p + 100).toList());
        List<String> again = EnsembleLayout.config(once, later.get(2), later, 300);
        assertEquals(EnsembleLayout.config(TEMPLATE, later.get(2), later, 300), again);
    }

    @Test
    void theShippedTemplateGivesConfigsThatConfigFileAccepts() throws Exception {
        Path repo = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        List<String> shipped = Files.readAllLines(repo.resolve("conf/paddock.cfg"), StandardCharsets.UTF_8);
        List<Member> members = EnsembleLayout.plan(BASE, 5, 2, ports(7));
        for (Member me : members) {
            PaddockConfig config = parse(EnsembleLayout.config(shipped, me, members, 0));
            assertEquals(7, config.servers().size());
            assertEquals(2, config.servers().values().stream().filter(ServerSpec::observer).count());
            assertEquals(me.ports().httpPort(), config.httpPort());
        }
    }
}
