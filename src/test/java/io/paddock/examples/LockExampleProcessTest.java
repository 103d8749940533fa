package io.paddock.examples;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed's lock case as processes: two `bin/paddock example lock` contend for /locks/example. */
class LockExampleProcessTest {

    static final Duration START = Duration.ofSeconds(120);
    static final Pattern ACQUIRED = Pattern.compile("acquired /locks/example with fencing token 0x([0-9a-f]+) at (\\S+)$");
    static final Pattern RELEASING = Pattern.compile("releasing /locks/example with fencing token 0x([0-9a-f]+) at (\\S+)$");

    @TempDir
    Path dir;

    private final List<BinPaddock> processes = new ArrayList<>();

    @AfterEach
    void killAll() {
        processes.forEach(BinPaddock::close);
    }

    /** One hold as the example printed it: the token and the times taken right after acquiring and right before releasing. */
    record Hold(String who, long token, Instant acquired, Instant releasing) {
    }

    static List<Hold> holds(String who, String output) {
        List<Hold> holds = new ArrayList<>();
        Matcher a = null;
        for (String line : output.split("\n")) {
            Matcher m = ACQUIRED.matcher(line);
            if (m.find()) {
                a = m;
                continue;
            }
            Matcher r = RELEASING.matcher(line);
            if (r.find()) {
                assertTrue(a != null, "a release before any acquisition:\n" + output);
                assertEquals(a.group(1), r.group(1), "released with another token:\n" + output);
                holds.add(new Hold(who, Long.parseLong(a.group(1), 16), Instant.parse(a.group(2)), Instant.parse(r.group(2))));
                a = null;
            }
        }
        return holds;
    }

    @Test
    void twoContendersNeverHoldTheLockAtOnceAndTokensGrowWithEachHolder() throws Exception {
        BinPaddock server = BinPaddock.startServer(dir, START);
        processes.add(server);
        String connect = server.connectString();
        BinPaddock first = BinPaddock.start(dir, "example", "lock", "--connect", connect, "--hold", "300ms", "--times", "3");
        processes.add(first);
        BinPaddock second = BinPaddock.start(dir, "example", "lock", "--connect", connect, "--hold", "300ms", "--times", "3");
        processes.add(second);
        assertEquals(0, first.awaitExit(START), first::output);
        assertEquals(0, second.awaitExit(START), second::output);

        List<Hold> all = new ArrayList<>(holds("first", first.output()));
        all.addAll(holds("second", second.output()));
        assertEquals(6, all.size(), () -> first.output() + second.output());
        all.sort(Comparator.comparing(Hold::acquired));
        for (int i = 1; i < all.size(); i++) {
            Hold before = all.get(i - 1);
            Hold after = all.get(i);
            assertTrue(!after.acquired().isBefore(before.releasing()),
                    () -> "two holders at once: " + before + " and " + after);
            assertTrue(after.token() > before.token(), () -> "the token did not grow: " + before + " then " + after);
        }
    }
}
