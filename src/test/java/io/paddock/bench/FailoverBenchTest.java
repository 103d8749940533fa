package io.paddock.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One real trial: three `bin/paddock server` processes of this build (Surefire passes
 * paddock.buildDir, and the build copies the runtime jars before the tests), a short tick so
 * that the whole run takes well under a minute.
 */
class FailoverBenchTest {

    @Test
    void killingTheLeaderYieldsAnotherLeaderAndEveryServerIsStoppedAtTheEnd() throws Exception {
        Path repo = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        String buildDir = System.getProperty("paddock.buildDir", repo.resolve("target").toString());
        List<String> template = Files.readAllLines(repo.resolve("conf/paddock.cfg"));
        FailoverBench.Launch launch = new FailoverBench.Launch(template,
                cfg -> List.of(repo.resolve("bin/paddock").toString(), "server", cfg.toString()),
                Map.of("PADDOCK_BUILD_DIR", buildDir, "JAVA_HOME", System.getProperty("java.home"),
                        "PADDOCK_CONF_DIR", repo.resolve("conf").toString(), "JAVA_OPTS", ""));
        BenchOptions options = BenchOptions.parse(List.of("--workload", "failover", "--trials", "1",
                "--tick-time", "100"), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        List<ProcessHandle> before = ProcessHandle.current().children().toList();

        FailoverResult result = FailoverBench.run(options, launch, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertEquals(1, result.trials().size());
        FailoverResult.Trial t = result.trials().get(0);
        assertNotEquals(t.killedId(), t.newLeaderId());
        assertTrue(t.electedUs() > 0 && t.rejoinedUs() > 0, result.jsonLine());
        assertEquals(100, result.tickTimeMs());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains(FailoverResult.tableRow(t)), printed);
        assertTrue(printed.contains(result.jsonLine()), printed);
        List<ProcessHandle> left = ProcessHandle.current().children().filter(p -> !before.contains(p))
                .filter(ProcessHandle::isAlive).toList();
        assertEquals(List.of(), left, "servers outlived the benchmark");
    }
}
