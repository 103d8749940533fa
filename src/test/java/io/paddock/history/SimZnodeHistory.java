package io.paddock.history;

import io.paddock.tree.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates histories of a correct ZooKeeper-like ensemble, deterministically from a seed, for
 * testing the checkers: sessions issue overlapping operations on a few znodes; each operation
 * takes effect at a linearization point strictly inside its interval (an unknown write: any time
 * after its invocation, or never); writes go through a leader that assigns zxids in that order.
 *
 * <p>How plain reads are served is the {@link ReadMode}: at the head of the log (the history is
 * linearizable), by a lagging server that keeps each session's view moving forward (sequentially
 * consistent, not linearizable), or by a broken one that forgets what the session saw. Synced
 * reads always see the whole log.
 *
 * <p>Invocations and completions fall on even ticks, linearization points on odd ones, so
 * no point coincides with an interval's end.
 */
final class SimZnodeHistory {

    /** How plain reads are served. */
    enum ReadMode {
        /** From the whole log, like synced reads: every read is linearizable. */
        LINEARIZABLE,
        /** By the session's server, from a prefix of the log no shorter than the session has seen. */
        LAGGING,
        /** From any prefix of the log: a server that forgets the session's view (a bug). */
        BROKEN
    }

    /**
     * What to generate. Rates are probabilities per operation; {@code zxidRate} is the chance a
     * reply carries each zxid it could.
     */
    record Options(int sessions, int servers, List<String> paths, int opsPerSession, double unknownRate,
                   double syncedReadRate, double zxidRate, ReadMode reads) {

        /** 4 sessions, 3 servers, 2 paths, 100 operations. */
        static Options small(ReadMode reads) {
            return new Options(4, 3, List.of("/t/a", "/t/b"), 25, 0.1, 0.3, 0.9, reads);
        }

        Options withZxidRate(double rate) {
            return new Options(sessions, servers, paths, opsPerSession, unknownRate, syncedReadRate, rate, reads);
        }
    }

    /** Planning happens in ticks; the history reports microsecond ticks as nanoseconds. */
    private static final long NANOS_PER_TICK = 1000;

    /** The first zxid a fresh ensemble reports: epoch 1, counter 0. */
    static final long BASE_ZXID = 1L << 32;

    private enum Kind { CREATE, SET, SET_VERSIONED, DELETE, DELETE_VERSIONED, READ }

    /** One planned operation; {@code lp} is its linearization point, or -1 if it never takes effect. */
    private static final class Planned {
        final int id;
        final int session;
        final Kind kind;
        final String path;
        final long invoke;
        final long complete;
        final boolean unknown;
        final long lp;
        Call call;
        Result result;
        long replyZxid = Result.NO_ZXID;

        Planned(int id, int session, Kind kind, String path, long invoke, long complete, boolean unknown, long lp) {
            this.id = id;
            this.session = session;
            this.kind = kind;
            this.path = path;
            this.invoke = invoke;
            this.complete = complete;
            this.unknown = unknown;
            this.lp = lp;
        }
    }

    /** A znode's state: value, version and mzxid. */
    private record Node(String value, int version, long mzxid) {
    }

    /** One committed transaction: the path and its state after (null: deleted). */
    private record Txn(String path, Node after) {
    }

    private final Random random;
    private final Options options;
    private final List<Txn> log = new ArrayList<>();
    private final Map<String, Node> leader = new HashMap<>();
    private final int[] serverApplied;
    private final List<Map<String, Node>> serverState = new ArrayList<>();
    private final int[] sessionServer;
    private final int[] sessionSeen;

    private SimZnodeHistory(long seed, Options options) {
        this.random = new Random(seed);
        this.options = options;
        this.serverApplied = new int[options.servers()];
        for (int i = 0; i < options.servers(); i++) {
            serverState.add(new HashMap<>());
        }
        this.sessionServer = new int[options.sessions()];
        this.sessionSeen = new int[options.sessions()];
    }

    static History generate(long seed, Options options) {
        return new SimZnodeHistory(seed, options).run();
    }

    static long sessionId(int session) {
        return 0x100L + session;
    }

    private History run() {
        List<Planned> plan = plan();
        List<Planned> byLp = new ArrayList<>();
        for (Planned p : plan) {
            if (p.lp >= 0) {
                byLp.add(p);
            }
        }
        byLp.sort(Comparator.comparingLong((Planned p) -> p.lp).thenComparingInt(p -> p.id));
        for (Planned p : byLp) {
            takeEffect(p);
        }
        List<Operation> ops = new ArrayList<>();
        for (Planned p : plan) {
            if (p.call == null) {
                p.call = callFor(p, null); // never took effect: its arguments matter to no one
            }
            long session = sessionId(p.session);
            long invoke = p.invoke * NANOS_PER_TICK;
            ops.add(p.unknown ? Operation.indeterminate(p.id, session, p.call, invoke)
                    : Operation.completed(p.id, session, p.call, invoke, p.complete * NANOS_PER_TICK, p.result,
                            p.replyZxid));
        }
        return History.of(ops);
    }

    private List<Planned> plan() {
        List<Planned> plan = new ArrayList<>();
        int id = 0;
        for (int s = 0; s < options.sessions(); s++) {
            sessionServer[s] = random.nextInt(options.servers());
            long t = 2L * random.nextInt(500);
            for (int i = 0; i < options.opsPerSession(); i++) {
                Kind kind = pickKind();
                String path = options.paths().get(random.nextInt(options.paths().size()));
                long duration = 2L + 2L * random.nextInt(200);
                long invoke = t;
                long complete = t + duration;
                boolean unknown = random.nextDouble() < options.unknownRate();
                long lp;
                if (!unknown) {
                    lp = invoke + 1 + 2L * random.nextInt((int) (duration / 2));
                } else if (kind != Kind.READ && random.nextBoolean()) {
                    lp = invoke + 1 + 2L * random.nextInt((int) (duration * 2)); // may land after it gave up
                } else {
                    lp = -1;
                }
                plan.add(new Planned(id++, s, kind, path, invoke, complete, unknown, lp));
                t = complete + 2L * random.nextInt(100);
            }
        }
        return plan;
    }

    private Kind pickKind() {
        int n = random.nextInt(100);
        if (n < 18) {
            return Kind.CREATE;
        } else if (n < 40) {
            return Kind.SET;
        } else if (n < 50) {
            return Kind.SET_VERSIONED;
        } else if (n < 57) {
            return Kind.DELETE;
        } else if (n < 62) {
            return Kind.DELETE_VERSIONED;
        }
        return Kind.READ;
    }

    /** The call, its expected version chosen from the leader's current state so some succeed. */
    private Call callFor(Planned p, Node current) {
        String value = "s" + p.session + "-" + p.id;
        return switch (p.kind) {
            case CREATE -> Call.create(p.path, value);
            case SET -> Call.setData(p.path, value, Call.ANY_VERSION);
            case SET_VERSIONED -> Call.setData(p.path, value, guessVersion(current));
            case DELETE -> Call.delete(p.path, Call.ANY_VERSION);
            case DELETE_VERSIONED -> Call.delete(p.path, guessVersion(current));
            case READ -> random.nextDouble() < options.syncedReadRate() ? Call.syncedRead(p.path) : Call.read(p.path);
        };
    }

    private int guessVersion(Node current) {
        int v = current == null ? 0 : current.version();
        return random.nextInt(3) == 0 ? v + 1 : v;
    }

    private long zxidAt(int logIndex) {
        return BASE_ZXID + logIndex;
    }

    private long maybeZxid(long zxid) {
        return random.nextDouble() < options.zxidRate() ? zxid : Result.NO_ZXID;
    }

    private void takeEffect(Planned p) {
        Node current = leader.get(p.path);
        p.call = callFor(p, current);
        if (p.call.isWrite()) {
            applyWrite(p, current);
            catchUp(sessionServer[p.session], log.size());
        } else {
            boolean synced = ((Call.GetData) p.call).synced();
            ReadMode mode = synced ? ReadMode.LINEARIZABLE : options.reads();
            if (mode == ReadMode.BROKEN) {
                // Answers from any prefix, as a server that lost track of the session would.
                int index = random.nextInt(log.size() + 1);
                p.result = readResult(stateAt(index, p.path));
                p.replyZxid = maybeZxid(zxidAt(index));
                return;
            }
            int server = sessionServer[p.session];
            int floor = Math.max(serverApplied[server], sessionSeen[p.session]);
            catchUp(server, mode == ReadMode.LINEARIZABLE ? log.size()
                    : floor + random.nextInt(log.size() - floor + 1));
            p.result = readResult(serverState.get(server).get(p.path));
        }
        int server = sessionServer[p.session];
        sessionSeen[p.session] = Math.max(sessionSeen[p.session], serverApplied[server]);
        p.replyZxid = maybeZxid(zxidAt(serverApplied[server]));
        if (random.nextInt(10) == 0) {
            sessionServer[p.session] = random.nextInt(options.servers()); // reconnects elsewhere
        }
    }

    private void applyWrite(Planned p, Node current) {
        long zxid = zxidAt(log.size() + 1);
        Node after;
        if (p.call instanceof Call.Create c) {
            if (current != null) {
                p.result = Result.failed(ErrorCode.NODE_EXISTS);
                return;
            }
            after = new Node(c.value(), 0, zxid);
            p.result = Result.created(maybeZxid(zxid));
        } else if (current == null) {
            p.result = Result.failed(ErrorCode.NO_NODE);
            return;
        } else if (p.call instanceof Call.SetData sd) {
            if (sd.expectedVersion() != Call.ANY_VERSION && sd.expectedVersion() != current.version()) {
                p.result = Result.failed(ErrorCode.BAD_VERSION);
                return;
            }
            after = new Node(sd.value(), current.version() + 1, zxid);
            p.result = Result.written(after.version(), maybeZxid(zxid));
        } else {
            Call.Delete d = (Call.Delete) p.call;
            if (d.expectedVersion() != Call.ANY_VERSION && d.expectedVersion() != current.version()) {
                p.result = Result.failed(ErrorCode.BAD_VERSION);
                return;
            }
            after = null;
            p.result = Result.deleted();
        }
        log.add(new Txn(p.path, after));
        if (after == null) {
            leader.remove(p.path);
        } else {
            leader.put(p.path, after);
        }
    }

    private Result readResult(Node n) {
        return n == null ? Result.failed(ErrorCode.NO_NODE) : Result.read(n.value(), n.version(), maybeZxid(n.mzxid()));
    }

    /** The path's state after the first {@code index} transactions. */
    private Node stateAt(int index, String path) {
        Node n = null;
        for (int i = 0; i < index; i++) {
            Txn t = log.get(i);
            if (t.path().equals(path)) {
                n = t.after();
            }
        }
        return n;
    }

    /** Server applies the log up to {@code index} (never backwards). */
    private void catchUp(int server, int index) {
        Map<String, Node> state = serverState.get(server);
        while (serverApplied[server] < index) {
            Txn t = log.get(serverApplied[server]++);
            if (t.after() == null) {
                state.remove(t.path());
            } else {
                state.put(t.path(), t.after());
            }
        }
    }
}
