package io.paddock.bench;

import org.junit.jupiter.api.Test;

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
    void plannedWorkloadsAreNamedAsNotYetAvailable() {
        BenchOptions.BadOption mixed = refused("--workload", "mixed");
        assertEquals("--workload", mixed.option());
        assertTrue(mixed.getMessage().contains("not available in this version yet"), mixed.getMessage());
        assertTrue(mixed.getMessage().contains("available: write, read, failover"), mixed.getMessage());
        BenchOptions.BadOption other = refused("--workload", "scan");
        assertTrue(other.getMessage().contains("is not a workload"), other.getMessage());
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
