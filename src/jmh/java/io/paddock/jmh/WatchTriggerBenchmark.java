package io.paddock.jmh;

import io.paddock.tree.EventType;
import io.paddock.tree.WatchKind;
import io.paddock.tree.WatchManager;
import io.paddock.tree.WatchedEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Watch triggering in {@link WatchManager}, for the NodeDataChanged of a setData (what
 * TreeActor.deliver asks of it for each event; sending the deliveries to session actors is not
 * timed). DATA watches are one-shot: a trigger consumes them, so their benchmarks arm them again
 * first, as clients do (getData with watch) — the score is arm plus fire. PERSISTENT watches stay,
 * so theirs is the trigger alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WatchTriggerBenchmark {

    static final String WATCHED = "/bench/watched";

    /** One path watched by {@code watchers} sessions. */
    @State(Scope.Thread)
    public static class OnePath {
        @Param({"1", "100", "10000"})
        int watchers;
        @Param({"DATA", "PERSISTENT"})
        WatchKind kind;

        WatchManager watches;
        WatchedEvent event;
        long zxid = 0x100000001L;

        @Setup
        public void setup() {
            watches = new WatchManager();
            arm();
            event = new WatchedEvent(EventType.NodeDataChanged, WATCHED, zxid);
            List<WatchManager.Delivery> fired = fire(this);
            TreeDriver.require(fired.size() == watchers, "the trigger reached " + fired.size() + " of " + watchers + " watchers");
            TreeDriver.require(fired.get(0).sessionId() == 1 && fired.get(fired.size() - 1).sessionId() == watchers,
                    "deliveries go to sessions 1.." + watchers);
            int left = kind == WatchKind.DATA ? 0 : watchers;
            TreeDriver.require(watches.watchCount() == left * (kind == WatchKind.PERSISTENT ? 2 : 1),
                    kind + " watches left after firing: " + watches.watchCount());
        }

        void arm() {
            for (long s = 1; s <= watchers; s++) {
                watches.add(WATCHED, s, kind);
            }
        }
    }

    /** {@code paths} paths, each watched by one session (sessions hold 100 paths each). */
    @State(Scope.Thread)
    public static class ManyPaths {
        @Param({"100000"})
        int paths;
        @Param({"DATA", "PERSISTENT"})
        WatchKind kind;

        WatchManager watches;
        WatchedEvent[] events;
        long[] owners;
        int next;

        @Setup
        public void setup() {
            watches = new WatchManager();
            events = new WatchedEvent[paths];
            owners = new long[paths];
            for (int i = 0; i < paths; i++) {
                String path = String.format("/bench/p%03d/k%07d", i % 1000, i);
                owners[i] = i / 100 + 1;
                watches.add(path, owners[i], kind);
                events[i] = new WatchedEvent(EventType.NodeDataChanged, path, 0x100000001L + i);
            }
            int count = watches.watchCount();
            for (int i = 0; i < 3; i++) {
                List<WatchManager.Delivery> fired = fire(this);
                TreeDriver.require(fired.size() == 1 && fired.get(0).sessionId() == owners[i],
                        "the trigger of path " + i + " reached its one watcher: " + fired);
            }
            TreeDriver.require(watches.watchCount() == count, "the watch count is steady: " + watches.watchCount());
            next = 0;
        }
    }

    @Benchmark
    public List<WatchManager.Delivery> onePath(OnePath s) {
        return fire(s);
    }

    private static List<WatchManager.Delivery> fire(OnePath s) {
        if (s.kind == WatchKind.DATA) {
            s.arm();
        }
        return s.watches.trigger(s.event);
    }

    @Benchmark
    public List<WatchManager.Delivery> manyPaths(ManyPaths s) {
        return fire(s);
    }

    private static List<WatchManager.Delivery> fire(ManyPaths s) {
        int i = s.next;
        s.next = i + 1 == s.paths ? 0 : i + 1;
        List<WatchManager.Delivery> fired = s.watches.trigger(s.events[i]);
        if (s.kind == WatchKind.DATA) {
            s.watches.add(s.events[i].path(), s.owners[i], s.kind);
        }
        return fired;
    }
}
