package io.paddock.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunResultTest {

    private static RunResult sample(Map<String, Long> errors) {
        return new RunResult("write", "http", 0.0, 8, 3, 1, 100, 1000, 10_000, 12_345, 812, 1_234, 20_001, 51_000,
                new TreeMap<>(errors));
    }

    @Test
    void jsonLineHasTheRequiredFieldsFirstAndInOrder() {
        String line = sample(Map.of()).jsonLine();
        assertEquals("{\"workload\":\"write\",\"clients\":8,\"ops\":12345,\"opsPerSec\":1234.5,\"p50Ms\":0.812,"
                + "\"p99Ms\":1.234,\"p999Ms\":20.001,\"errors\":0,\"maxMs\":51.000,\"protocol\":\"http\",\"readRatio\":0.0,\"urls\":3,\"outstanding\":1,\"valueSize\":100,"
                + "\"keys\":1000,\"durationMs\":10000,\"errorsByStatus\":{}}", line);
    }

    @Test
    void jsonLineIsOneLineOfValidJson() throws Exception {
        String line = sample(Map.of("503", 2L, "timeout", 1L)).jsonLine();
        assertFalse(line.contains("\n"));
        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals(3, json.get("errors").asLong());
        assertEquals(2, json.get("errorsByStatus").get("503").asLong());
        assertEquals(1, json.get("errorsByStatus").get("timeout").asLong());
    }

    @Test
    void errorsAreTheSumOverCausesListedInSortedOrder() {
        RunResult r = sample(Map.of("timeout", 1L, "503", 4L, "409", 2L));
        assertEquals(7, r.errors());
        assertTrue(r.jsonLine().endsWith("\"errorsByStatus\":{\"409\":2,\"503\":4,\"timeout\":1}}"), r.jsonLine());
    }

    @Test
    void opsPerSecondIsOpsOverMeasuredTimeToOneDecimal() {
        assertEquals(new BigDecimal("1234.5"), sample(Map.of()).opsPerSec());
        RunResult third = new RunResult("write", "zk", 0.0, 1, 1, 1, 0, 1, 3_000, 1_000, 0, 0, 0, 0, new TreeMap<>());
        assertEquals(new BigDecimal("333.3"), third.opsPerSec());
    }

    @Test
    void tableRowLinesUpWithTheHeader() {
        String header = RunResult.tableHeader();
        String row = sample(Map.of("503", 3L)).tableRow();
        assertEquals("workload   clients  urls  outst        ops       ops/s    p50 ms    p99 ms  p99.9 ms    max ms  errors",
                header);
        assertEquals("write            8     3      1      12345      1234.5     0.812     1.234    20.001    51.000       3",
                row);
        assertEquals(header.length(), row.length());
    }

    @Test
    void percentilesComeFromTheHistogramInMicroseconds() {
        Histogram h = ClientTally.newHistogram();
        for (int us = 1; us <= 1000; us++) {
            h.recordValue(us);
        }
        RunResult r = RunResult.of("write", "http", 0.0, 2, 1, 1, 100, 10, 1_000, h, Map.of("io", 1L));
        assertEquals(1000, r.ops());
        assertEquals(500, r.p50Us());
        assertEquals(990, r.p99Us());
        assertEquals(999, r.p999Us());
        assertEquals(1000, r.maxUs());
        assertEquals(1, r.errors());
        assertEquals(new BigDecimal("1000.0"), r.opsPerSec());
    }

    @Test
    void aRunWithoutSuccessesReportsZerosNotGarbage() {
        RunResult r = RunResult.of("write", "http", 0.0, 1, 1, 1, 100, 10, 1_000, ClientTally.newHistogram(), Map.of("503", 9L));
        assertEquals(0, r.ops());
        assertEquals(0, r.p50Us());
        assertEquals(0, r.maxUs());
        assertEquals(9, r.errors());
    }
}
