package io.paddock.examples;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The seed's membership case as processes: `bin/paddock example servers register|watch` against a server process. */
class ServersExampleProcessTest {

    static final Duration START = Duration.ofSeconds(120);
    /** Session expiry (2 s) plus the server's expiry tick and the watcher's round trip, with room for a busy machine. */
    static final Duration EXPIRY = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<BinPaddock> processes = new ArrayList<>();

    @AfterEach
    void killAll() {
        processes.forEach(BinPaddock::close);
    }

    private BinPaddock example(String... args) throws Exception {
        BinPaddock p = BinPaddock.start(dir, args);
        processes.add(p);
        return p;
    }

    @Test
    void theWatcherSeesBothServersAndAKilledOneLeavesTheList() throws Exception {
        BinPaddock server = BinPaddock.startServer(dir, START);
        processes.add(server);
        String connect = server.connectString();

        BinPaddock watch = example("example", "servers", "watch", "--connect", connect, "--session-timeout", "2s");
        assertNotNull(watch.awaitLine("servers online: []", START), watch::output);

        BinPaddock alpha = example("example", "servers", "register", "alpha", "--connect", connect,
                "--session-timeout", "2s", "--load", "0.25");
        BinPaddock beta = example("example", "servers", "register", "beta", "--connect", connect,
                "--session-timeout", "2s", "--load", "0.75");
        assertNotNull(alpha.awaitLine(l -> l.startsWith("registered alpha as /servers/alpha-"), START), alpha::output);
        assertNotNull(beta.awaitLine(l -> l.startsWith("registered beta as /servers/beta-"), START), beta::output);
        assertNotNull(watch.awaitLine("servers online: [alpha, beta]", START), watch::output);

        // A crash: nothing closes beta's session, so beta leaves once the session expires.
        beta.kill(START);
        assertNotNull(watch.awaitLine("servers online: [alpha]", EXPIRY), watch::output);

        // A clean stop (SIGTERM) closes alpha's session on the way out.
        alpha.terminate();
        assertNotNull(alpha.awaitLine(l -> l.startsWith("alpha stopped: its session is closed"), START), alpha::output);
        assertNotNull(watch.awaitLine("servers online: []", EXPIRY), watch::output);
    }

    @Test
    void aRegisteredServerShowsItsAddressAndLoad() throws Exception {
        BinPaddock server = BinPaddock.startServer(dir, START);
        processes.add(server);
        String connect = server.connectString();
        BinPaddock gamma = example("example", "servers", "register", "gamma", "--connect", connect,
                "--address", "10.0.0.7:9000", "--load", "0.5");
        assertNotNull(gamma.awaitLine(l -> l.startsWith("registered gamma as "), START), gamma::output);
        BinPaddock watch = example("example", "servers", "watch", "--connect", connect);
        assertNotNull(watch.awaitLine("servers online: [gamma]", START), watch::output);
        assertNotNull(watch.awaitLine("  gamma: address=10.0.0.7:9000 load=0.50", START), watch::output);
    }
}
