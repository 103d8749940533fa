package io.paddock.bench;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsTest {

    private static final URI DEFAULT_URL = URI.create("http://127.0.0.1:8080");

    private static BenchOptions parse(String... args) throws BenchOptions.BadOption {
        return BenchOptions.parse(List.of(args), DEFAULT_URL);
    }

    private static BenchOptions.BadOption refused(String... args) {
        return assertThrows(BenchOptions.BadOption.class, () -> parse(args));
    }

    @Test
    void noArgumentsGiveTheDocumentedDefaults() throws Exception {
        BenchOptions o = parse();
        assertEquals(List.of(DEFAULT_URL), o.urls());
        assertEquals(List.of(1, 8, 64), o.clients());
        assertEquals(1, o.outstanding());
        assertEquals(Duration.ofSeconds(10), o.duration());
        assertEquals(Duration.ofSeconds(2), o.warmup());
        assertEquals(100, o.valueSize());
        assertEquals(1000, o.keys());
        assertEquals(WorkloadKind.WRITE, o.workload());
    }

    @Test
    void everyOptionTakesItsValueSeparatelyOrAfterAnEqualsSign() throws Exception {
        BenchOptions o = parse("--url", "http://10.0.0.5:9090/", "--clients=2,4", "--outstanding", "3",
                "--duration=1500ms", "--warmup", "0", "--value-size", "0", "--keys=7", "--workload", "WRITE");
        assertEquals(List.of(URI.create("http://10.0.0.5:9090")), o.urls());
        assertEquals(List.of(2, 4), o.clients());
        assertEquals(3, o.outstanding());
        assertEquals(Duration.ofMillis(1500), o.duration());
        assertEquals(Duration.ZERO, o.warmup());
        assertEquals(0, o.valueSize());
        assertEquals(7, o.keys());
        assertEquals(WorkloadKind.WRITE, o.workload());
    }

    @Test
    void clientListKeepsTheOrderGivenAsTheOrderOfRuns() throws Exception {
        assertEquals(List.of(64, 1, 8, 8), parse("--clients", "64, 1,8,8").clients());
    }

    @Test
    void durationsTakeMillisecondsSecondsMinutesHoursAndBareSeconds() throws Exception {
        assertEquals(Duration.ofMillis(250), parse("--duration", "250ms").duration());
        assertEquals(Duration.ofSeconds(3), parse("--duration", "3s").duration());
        assertEquals(Duration.ofMinutes(2), parse("--duration", "2m").duration());
        assertEquals(Duration.ofHours(1), parse("--duration", "1h").duration());
        assertEquals(Duration.ofSeconds(5), parse("--duration", "5").duration());
    }

    @Test
    void aZeroDurationIsRefusedButAZeroWarmupIsNot() throws Exception {
        assertEquals("--duration", refused("--duration", "0s").option());
        assertEquals(Duration.ZERO, parse("--warmup", "0s").warmup());
    }

    @Test
    void badValuesAreRefusedNamingTheOption() {
        assertEquals("--clients", refused("--clients", "1,x").option());
        assertEquals("--clients", refused("--clients", "1,,8").option());
        assertEquals("--clients", refused("--clients", "0").option());
        assertEquals("--outstanding", refused("--outstanding", "-1").option());
        assertEquals("--duration", refused("--duration", "10 seconds").option());
        assertEquals("--warmup", refused("--warmup", "2d").option());
        assertEquals("--value-size", refused("--value-size", "big").option());
        assertEquals("--keys", refused("--keys", "0").option());
        assertEquals("--url", refused("--url", "ftp://host/").option());
        assertEquals("--url", refused("--url", "http://").option());
        assertEquals("--url", refused("--url", "http://host:8080/?q=1").option());
    }

    @Test
    void theMessageStartsWithTheOptionAndQuotesTheBadValue() {
        BenchOptions.BadOption e = refused("--outstanding", "many");
        assertEquals("--outstanding: 'many' is not a whole number", e.getMessage());
    }

    @Test
    void outOfRangeNumbersSayTheRange() {
        BenchOptions.BadOption e = refused("--clients", "1," + (BenchOptions.MAX_CLIENTS + 1));
        assertEquals("--clients: " + (BenchOptions.MAX_CLIENTS + 1) + " is out of range; it must be from 1 to "
                + BenchOptions.MAX_CLIENTS, e.getMessage());
    }

    @Test
    void unknownOptionsAndStrayWordsAreRefusedByName() {
        assertEquals("--client", refused("--client", "8").option());
        assertEquals("--bogus", refused("--bogus=1").option());
        assertEquals("8", refused("8").option());
    }

    @Test
    void anOptionWithoutItsValueIsRefused() {
        BenchOptions.BadOption e = refused("--clients", "8", "--duration");
        assertEquals("--duration", e.option());
        assertTrue(e.getMessage().contains("needs a value"), e.getMessage());
    }

    @Test
    void anOptionGivenTwiceIsRefused() {
        assertEquals("--clients", refused("--clients", "1", "--clients=8").option());
    }

    @Test
    void anUnknownWorkloadIsRefusedListingTheAvailableOnes() {
        BenchOptions.BadOption other = refused("--workload", "scan");
        assertEquals("--workload", other.option());
        assertTrue(other.getMessage().contains("is not a workload"), other.getMessage());
        assertTrue(other.getMessage().contains("available: write, read, mixed, create, churn, watch, lock, failover"),
                other.getMessage());
    }

    @Test
    void mixedTakesAReadRatioThatDefaultsToNineTenths() throws Exception {
        assertEquals(WorkloadKind.MIXED, parse("--workload", "mixed").workload());
        assertEquals(0.9, parse("--workload", "mixed").readRatio());
        assertEquals(0.5, parse("--workload", "mixed", "--read-ratio", ".5").readRatio());
        assertEquals(1.0, parse("--read-ratio=1", "--workload=mixed").readRatio());
        assertEquals(0.0, parse("--workload", "mixed", "--read-ratio", "0").readRatio());
    }

    @Test
    void theReadRatioOfWriteAndReadIsZeroAndOne() throws Exception {
        assertEquals(0.0, parse().readRatio());
        assertEquals(1.0, parse("--workload", "read").readRatio());
    }

    @Test
    void aReadRatioOutsideZeroToOneOrNotADecimalIsRefused() {
        assertEquals("--read-ratio", refused("--workload", "mixed", "--read-ratio", "1.5").option());
        assertEquals("--read-ratio", refused("--workload", "mixed", "--read-ratio", "-0.1").option());
        assertEquals("--read-ratio", refused("--workload", "mixed", "--read-ratio", "90%").option());
        assertEquals("--read-ratio", refused("--workload", "mixed", "--read-ratio", "NaN").option());
    }

    @Test
    void aReadRatioIsRefusedWithAnyWorkloadButMixed() {
        BenchOptions.BadOption e = refused("--read-ratio", "0.5");
        assertEquals("--read-ratio", e.option());
        assertTrue(e.getMessage().contains("mixed only"), e.getMessage());
        assertEquals("--read-ratio", refused("--workload", "read", "--read-ratio", "0.5").option());
        assertEquals("--read-ratio", refused("--workload", "failover", "--read-ratio", "0.5").option());
    }

    @Test
    void httpIsTheDefaultProtocol() throws Exception {
        BenchOptions o = parse();
        assertEquals(BenchOptions.Protocol.HTTP, o.protocol());
        assertEquals(List.of(), o.zkServers());
        assertEquals(1, o.serverCount());
    }

    @Test
    void zkTakesHostPortAddressesInTheOrderGiven() throws Exception {
        BenchOptions o = parse("--protocol", "zk", "--url", "127.0.0.1:2181, zk2.example:2182,[::1]:2183,[fe80::1],zk3");
        assertEquals(BenchOptions.Protocol.ZK, o.protocol());
        assertEquals(List.of(), o.urls());
        assertEquals(List.of(InetSocketAddress.createUnresolved("127.0.0.1", 2181),
                InetSocketAddress.createUnresolved("zk2.example", 2182),
                InetSocketAddress.createUnresolved("::1", 2183),
                InetSocketAddress.createUnresolved("fe80::1", 2181),
                InetSocketAddress.createUnresolved("zk3", 2181)), o.zkServers());
        assertEquals(5, o.serverCount());
        assertEquals(InetSocketAddress.createUnresolved("zk2.example", 2182), o.zkServerOf(6));
        assertTrue(o.zkServers().stream().allMatch(InetSocketAddress::isUnresolved), "names are looked up on connect");
    }

    @Test
    void zkWithoutAUrlTakesTheZkDefaultNotTheHttpOne() throws Exception {
        InetSocketAddress zkDefault = InetSocketAddress.createUnresolved("127.0.0.1", 2181);
        BenchOptions o = BenchOptions.parse(List.of("--protocol", "zk"), DEFAULT_URL, zkDefault);
        assertEquals(List.of(zkDefault), o.zkServers());
        BenchOptions.BadOption e = assertThrows(BenchOptions.BadOption.class,
                () -> BenchOptions.parse(List.of("--protocol", "zk"), DEFAULT_URL, null));
        assertEquals("--url", e.option());
        assertTrue(e.getMessage().contains("127.0.0.1:2181"), e.getMessage());
    }

    @Test
    void zkRefusesUrlsPathsBadPortsAndBareIpv6ByName() {
        BenchOptions.BadOption url = refused("--protocol", "zk", "--url", "http://127.0.0.1:8080");
        assertEquals("--url", url.option());
        assertTrue(url.getMessage().contains("takes host:port"), url.getMessage());
        assertEquals("--url", refused("--protocol", "zk", "--url", "h:2181/chroot").option());
        assertEquals("--url", refused("--protocol", "zk", "--url", "h:0").option());
        assertEquals("--url", refused("--protocol", "zk", "--url", "h:65536").option());
        assertEquals("--url", refused("--protocol", "zk", "--url", "h:").option());
        assertEquals("--url", refused("--protocol", "zk", "--url", ":2181").option());
        assertEquals("--url", refused("--protocol", "zk", "--url", "h:1,,h:2").option());
        assertEquals("--url", refused("--protocol", "zk", "--url", "[::1").option());
        BenchOptions.BadOption v6 = refused("--protocol", "zk", "--url", "::1:2181");
        assertTrue(v6.getMessage().contains("[::1]:2181"), v6.getMessage());
    }

    @Test
    void aHostPortGivenToHttpSuggestsTheZkProtocol() {
        BenchOptions.BadOption e = refused("--url", "127.0.0.1:2181");
        assertEquals("--url", e.option());
        assertTrue(e.getMessage().contains("--protocol zk"), e.getMessage());
    }

    @Test
    void anUnknownProtocolIsRefusedAndFailoverTakesNone() {
        BenchOptions.BadOption e = refused("--protocol", "grpc");
        assertEquals("--protocol", e.option());
        assertTrue(e.getMessage().contains("available: http, zk"), e.getMessage());
        assertEquals("--protocol", refused("--workload", "failover", "--protocol", "zk").option());
    }

    @Test
    void withoutADefaultUrlTheUrlMustBeGiven() throws Exception {
        BenchOptions.BadOption e = assertThrows(BenchOptions.BadOption.class,
                () -> BenchOptions.parse(List.of(), null));
        assertEquals("--url", e.option());
        assertEquals(List.of(URI.create("http://h:1")), BenchOptions.parse(List.of("--url", "http://h:1"), null).urls());
    }

    @Test
    void readIsAWorkload() throws Exception {
        assertEquals(WorkloadKind.READ, parse("--workload", "read").workload());
    }

    @Test
    void urlListIsCommaSeparatedAndClientsTakeItRoundRobin() throws Exception {
        BenchOptions o = parse("--url", "http://a:1, http://b:2/,http://c:3");
        assertEquals(List.of(URI.create("http://a:1"), URI.create("http://b:2"), URI.create("http://c:3")), o.urls());
        assertEquals(URI.create("http://a:1"), o.urlOf(0));
        assertEquals(URI.create("http://b:2"), o.urlOf(1));
        assertEquals(URI.create("http://c:3"), o.urlOf(2));
        assertEquals(URI.create("http://a:1"), o.urlOf(3));
        assertEquals(URI.create("http://b:2"), o.urlOf(64));
    }

    @Test
    void aUrlListWithAnEmptyOrBadItemIsRefused() {
        assertEquals("--url", refused("--url", "http://a:1,,http://b:2").option());
        assertEquals("--url", refused("--url", "http://a:1,").option());
        assertEquals("--url", refused("--url", "http://a:1,ftp://b/").option());
    }

    @Test
    void failoverTakesServersTrialsAndTickTimeWithDefaultsAndNeedsNoUrl() throws Exception {
        BenchOptions d = BenchOptions.parse(List.of("--workload", "failover"), null);
        assertEquals(WorkloadKind.FAILOVER, d.workload());
        assertEquals(List.of(), d.urls());
        assertEquals(3, d.servers());
        assertEquals(10, d.trials());
        assertEquals(0, d.tickTimeMs(), "0: the template's tickTime");
        BenchOptions o = parse("--workload=failover", "--servers", "5", "--trials=2", "--tick-time", "100");
        assertEquals(5, o.servers());
        assertEquals(2, o.trials());
        assertEquals(100, o.tickTimeMs());
    }

    @Test
    void failoverNeedsAtLeastThreeServersForAMajorityToSurvive() {
        BenchOptions.BadOption e = refused("--workload", "failover", "--servers", "2");
        assertEquals("--servers", e.option());
        assertTrue(e.getMessage().contains("from 3 to 9"), e.getMessage());
        assertEquals("--servers", refused("--workload", "failover", "--servers", "10").option());
        assertEquals("--trials", refused("--workload", "failover", "--trials", "0").option());
        assertEquals("--tick-time", refused("--workload", "failover", "--tick-time", "0").option());
    }

    @Test
    void failoverOptionsAreRefusedWithAClientWorkloadWhateverTheOrder() {
        BenchOptions.BadOption e = refused("--trials", "3");
        assertEquals("--trials", e.option());
        assertTrue(e.getMessage().contains("failover only"), e.getMessage());
        assertEquals("--servers", refused("--servers", "3", "--workload", "read").option());
    }

    @Test
    void clientOptionsAreRefusedWithFailoverWhateverTheOrder() {
        BenchOptions.BadOption e = refused("--clients", "8", "--workload", "failover");
        assertEquals("--clients", e.option());
        assertTrue(e.getMessage().contains("does not apply to --workload failover"), e.getMessage());
        assertEquals("--url", refused("--workload", "failover", "--url", "http://h:1").option());
        assertEquals("--duration", refused("--workload", "failover", "--duration", "1s").option());
    }
}
