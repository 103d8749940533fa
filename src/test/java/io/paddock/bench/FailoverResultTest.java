package io.paddock.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paddock.bench.FailoverResult.Trial;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class FailoverResultTest {

    private static final FailoverResult FOUR = new FailoverResult(3, 2000, List.of(
            new Trial(1, 3, 2, 4_100_000, 9_000_000),
            new Trial(2, 2, 3, 3_900_500, 8_000_000),
            new Trial(3, 3, 1, 6_000_250, 12_000_000),
            new Trial(4, 1, 3, 4_000_000, 7_000_000)));

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertEquals(5, FailoverResult.median(List.of(9L, 1L, 5L)));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertEquals(4_050_000, FOUR.medianElectedUs());
        assertEquals(8_500_000, FOUR.medianRejoinedUs());
        assertEquals(0, FailoverResult.median(List.of()));
    }

    @Test
    void maxIsTheSlowestTrial() {
        assertEquals(6_000_250, FOUR.maxElectedUs());
    }

    @Test
    void jsonLineCarriesMedianMaxAndEveryTrialInOrder() throws Exception {
        String line = FOUR.jsonLine();
        assertFalse(line.contains("\n"));
        assertEquals("{\"workload\":\"failover\",\"servers\":3,\"tickTimeMs\":2000,\"trials\":4,\"medianMs\":4050.000,"
                + "\"maxMs\":6000.250,\"medianRejoinedMs\":8500.000,\"electedMs\":[4100.000,3900.500,6000.250,4000.000],"
                + "\"rejoinedMs\":[9000.000,8000.000,12000.000,7000.000],\"killed\":[3,2,3,1],\"newLeaders\":[2,3,1,3]}",
                line);
        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals(4, json.get("electedMs").size());
    }

    @Test
    void tableRowsLineUpWithTheHeader() {
        String header = FailoverResult.tableHeader();
        String row = FailoverResult.tableRow(FOUR.trials().get(0));
        assertEquals("trial    killed  new leader    elected ms   rejoined ms", header);
        assertEquals("1             3           2      4100.000      9000.000", row);
        assertEquals(List.of("median                           4050.000      8500.000",
                "max                              6000.250     12000.000"), FOUR.summaryRows());
        assertEquals(header.length(), row.length());
    }

    @Test
    void templateTickIsReadFromTheConfigLines() {
        assertEquals(2000, FailoverBench.templateTick(List.of("# tick", "tickTime=2000", "initLimit=10")));
        assertEquals(0, FailoverBench.templateTick(List.of("initLimit=10")));
        assertEquals(0, FailoverBench.templateTick(List.of("tickTime=soon")));
    }
}
