package io.paddock.api.zk;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One server of each kind for a whole test class, started on first use and stopped after the
 * class's last test ({@code @RegisterExtension static final SharedTargets TARGETS = ...}).
 * Starting a server per test would cost a second each; tests share it by working under a root
 * of their own ({@link #uniqueRoot}).
 */
final class SharedTargets implements AfterAllCallback {

    private final Map<ZkTarget.Kind, ZkTarget> started = new EnumMap<>(ZkTarget.Kind.class);
    private final AtomicInteger roots = new AtomicInteger();
    private final int tickMs;

    SharedTargets() {
        this(ZkTarget.DEFAULT_TICK_MS);
    }

    /** Servers with this tick: session timeouts from 2 to 20 ticks. */
    SharedTargets(int tickMs) {
        this.tickMs = tickMs;
    }

    synchronized ZkTarget get(ZkTarget.Kind kind) throws Exception {
        ZkTarget t = started.get(kind);
        if (t == null) {
            t = ZkTarget.start(kind, tickMs);
            started.put(kind, t);
        }
        return t;
    }

    /** A path no other test of the class uses, e.g. "/t7"; the test creates it. */
    String uniqueRoot() {
        return "/t" + roots.incrementAndGet();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        RuntimeException failure = null;
        for (ZkTarget t : started.values()) {
            try {
                t.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        started.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
