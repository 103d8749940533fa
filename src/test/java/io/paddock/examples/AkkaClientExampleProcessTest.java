package io.paddock.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `bin/paddock example akka`: an application's actor system embedding a node, used through the client actor. */
class AkkaClientExampleProcessTest {

    static final Duration DEADLINE = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    @Test
    void theExampleFollowsEveryConfigChangeAndOutlivesItsEmbeddedNode() throws Exception {
        try (BinPaddock example = BinPaddock.start(dir, "example", "akka")) {
            assertEquals(0, example.awaitExit(DEADLINE), example::output);
            String out = example.output();
            for (String expected : new String[] {
                    "config watcher: /app/config = v1",
                    "config watcher: /app/config = v2",
                    "config watcher: /app/config = v3",
                    "closed the client actor's session",
                    "closed the node; actor system \"app\" still running: true"}) {
                assertTrue(out.contains(expected + "\n"), () -> "missing \"" + expected + "\"\n" + out);
            }
            assertTrue(out.matches("(?s).*joined as /app/members/m-\\d{10}; members: \\[m-\\d{10}\\].*"), out);
        }
    }
}
