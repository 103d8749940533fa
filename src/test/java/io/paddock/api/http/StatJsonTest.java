package io.paddock.api.http;

import io.paddock.tree.Stat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Stat written straight to text is byte for byte what the Jackson tree writes. */
class StatJsonTest {

    @Test
    void statTextMatchesTheTreeForOrdinaryAndExtremeValues() {
        Stat[] stats = {
                new Stat(1, 2, 3, 4, 5, 6, 7, 0, 100, 2, 9),
                new Stat(Long.MIN_VALUE, -1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, -1,
                        0x1234_5678_9abc_def0L, Integer.MAX_VALUE, 0, Long.MAX_VALUE),
        };
        for (Stat s : stats) {
            assertEquals(JsonModel.compact(JsonModel.stat(s)), JsonModel.statJson(s));
            var tree = JsonModel.object();
            tree.set("stat", JsonModel.stat(s));
            assertEquals(JsonModel.compact(tree) + "\n", new String(
                    ((akka.http.javadsl.model.HttpEntity.Strict) JsonModel.okStat(s).entity()).getData().toArray(),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(200, JsonModel.okStat(s).status().intValue());
        }
    }
}
