package io.paddock.zab.sim;

import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import io.paddock.zab.Ensemble;
import io.paddock.zab.Input;
import io.paddock.zab.Output;
import io.paddock.zab.Peer;
import io.paddock.zab.PeerMessage;
import io.paddock.zab.ServerState;
import io.paddock.zab.Timing;
import io.paddock.zab.Zxid;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeSet;

/**
 * A deterministic simulation of a ZAB ensemble: every {@link Peer} of it, a simulated disk per
 * server, a network of FIFO links that lose messages, break and partition, crashes and restarts,
 * and clients writing at random servers, all scheduled by one seeded {@link Random}. The
 * {@link SimChecker} checks the invariants after every step. A fault phase is followed by a quiet
 * phase (everything healed and restarted) at whose end the ensemble must be serving writes.
 * One seed replays one run exactly.
 */
public final class Simulation {

    /** The outcome of one run; {@code failure} starts with the seed. */
    public record Result(long seed, SimConfig config, boolean ok, String invariant, String failure, long traceHash,
            long steps, int committed, int acked) {
    }

    static final Timing TIMING = new Timing(5, 3);
    private static final int TICK = SimConfig.HALF_TICK_UNITS;
    private static final int TRACE = 48;

    private enum Kind { TICK, DELIVER, DISK, TREE, CLIENT, FAULT, RESTART, HEAL, QUIET, UNREACHABLE, SETTLE }

    private record Event(long time, long seq, Kind kind, int server, int incarnation, Object payload) {
    }

    private record Msg(int from, long generation, PeerMessage message) {
    }

    private static final class Client {
        final int id;
        int nextSeq = 1;
        int inflight;
        boolean failed;
        boolean submitting;

        Client(int id) {
            this.id = id;
        }
    }

    private final long seed;
    private final SimConfig config;
    private final Random rnd;
    private final Peer.Options options;
    private final List<SimServer> servers = new ArrayList<>();
    private final SimNetwork net;
    private final SimChecker checker;
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.time != b.time
            ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private final List<List<TxnRecord>> snapshots = new ArrayList<>();
    private final Client[] clients;
    private final Object[][] trace = new Object[TRACE][];
    private final int diskDelayMax;
    private final int slowMessageOdds;
    private long eventSeq;
    private long now;
    private long steps;
    private long traced;
    private long hash = 1125899906842597L;
    private boolean quiet;
    private int partitionId;
    private int acked;
    private int ackedLate;
    private java.util.function.Consumer<String> log;
    private boolean narrateSteps;

    public Simulation(SimConfig config, long seed) {
        this.seed = seed;
        this.config = config;
        this.rnd = new Random(seed);
        this.options = new Peer.Options(3 + rnd.nextInt(40), config.ackNewLeaderBeforePersist());
        this.diskDelayMax = new int[] {2, 6, 15, 30}[rnd.nextInt(4)];
        this.slowMessageOdds = new int[] {10, 30, 1000}[rnd.nextInt(3)];
        TreeSet<Long> voters = new TreeSet<>();
        TreeSet<Long> observers = new TreeSet<>();
        for (long i = 1; i <= config.servers(); i++) {
            (i <= config.voters() ? voters : observers).add(i);
        }
        for (int i = 1; i <= config.servers(); i++) {
            servers.add(new SimServer(i, Ensemble.of(i, voters, observers)));
        }
        this.net = new SimNetwork(config.servers());
        this.checker = new SimChecker(servers, config.voters());
        this.clients = new Client[config.clients()];
        for (int c = 0; c < clients.length; c++) {
            clients[c] = new Client(c + 1);
        }
    }

    /** Narrates role changes, crashes and restarts (for studying one seed). */
    public Simulation narrate(java.util.function.Consumer<String> log, boolean everyStep) {
        this.log = log;
        this.narrateSteps = everyStep;
        return this;
    }

    public static Result run(SimConfig config, long seed) {
        return new Simulation(config, seed).run();
    }

    public Result run() {
        try {
            for (SimServer s : servers) {
                s.start(TIMING, options);
                schedule(1 + rnd.nextInt(TICK), Kind.TICK, s, null);
            }
            for (Client c : clients) {
                schedule(20 + rnd.nextInt(100), Kind.CLIENT, null, c);
            }
            schedule(50 + rnd.nextInt(200), Kind.FAULT, null, null);
            schedule(config.faultUnits(), Kind.QUIET, null, null);
            long end = (long) config.faultUnits() + config.quietUnits();
            while (!events.isEmpty() && events.peek().time <= end) {
                Event e = events.poll();
                now = e.time;
                steps++;
                handle(e);
            }
            now = end;
            checkLiveness();
            return new Result(seed, config, true, null, null, hash, steps, checker.committedCount(), acked);
        } catch (SimChecker.Violation v) {
            return new Result(seed, config, false, v.invariant, report(v.getMessage(), null), hash, steps,
                    checker.committedCount(), acked);
        } catch (RuntimeException ex) {
            return new Result(seed, config, false, "Exception", report(ex.toString(), ex), hash, steps,
                    checker.committedCount(), acked);
        }
    }

    private SimServer server(long id) {
        return servers.get((int) id - 1);
    }

    private void schedule(long at, Kind kind, SimServer s, Object payload) {
        events.add(new Event(at, eventSeq++, kind, s == null ? 0 : s.id, s == null ? 0 : s.incarnation, payload));
    }

    private boolean current(Event e) {
        SimServer s = server(e.server);
        return s.up && s.incarnation == e.incarnation;
    }

    private void handle(Event e) {
        switch (e.kind) {
            case TICK:
                if (current(e)) {
                    step(server(e.server), new Input.Tick());
                    schedule(now + TICK, Kind.TICK, server(e.server), null);
                    // One Settle somewhere in each tick: decisions that wait for a late voter come sooner.
                    schedule(now + 1 + rnd.nextInt(TICK - 1), Kind.SETTLE, server(e.server), null);
                }
                break;
            case SETTLE:
                if (current(e)) {
                    step(server(e.server), new Input.Settle());
                }
                break;
            case DELIVER:
                Msg m = (Msg) e.payload;
                if (current(e) && net.deliverable(m.from, e.server, m.generation)) {
                    step(server(e.server), new Input.Received(m.from, m.message));
                }
                break;
            case DISK:
                if (current(e)) {
                    disk(server(e.server));
                }
                break;
            case TREE:
                if (current(e)) {
                    tree(server(e.server), (Output) e.payload);
                }
                break;
            case CLIENT:
                clientAct((Client) e.payload);
                break;
            case FAULT:
                if (!quiet) {
                    fault();
                    schedule(now + 30 + rnd.nextInt(250), Kind.FAULT, null, null);
                }
                break;
            case RESTART:
                SimServer r = server(e.server);
                if (!r.up && r.incarnation == e.incarnation) {
                    restart(r);
                }
                break;
            case UNREACHABLE:
                if (current(e)) {
                    step(server(e.server), new Input.PeerUnreachable((Long) e.payload));
                }
                break;
            case HEAL:
                if ((Integer) e.payload == partitionId) {
                    net.heal();
                }
                break;
            case QUIET:
                quiet = true;
                net.heal();
                for (SimServer s : servers) {
                    if (!s.up) {
                        restart(s);
                    }
                }
                break;
            default:
                throw new IllegalStateException(e.kind.name());
        }
    }

    // ---- stepping a peer and carrying out its outputs ----------------------------------------

    private void step(SimServer s, Input input) {
        trace[(int) (traced++ % TRACE)] = new Object[] {now, s.id, input};
        hash = hash * 31 + now;
        hash = hash * 31 + s.id;
        hash = hash * 31 + fingerprint(input);
        List<Output> outputs = s.peer.step(input);
        if (log != null && narrateSteps) {
            log.accept("  t=" + now + " s" + s.id + " <- " + input + "  => " + outputs);
        }
        hash = hash * 31 + outputs.size();
        for (Output o : outputs) {
            output(s, o);
        }
    }

    private static long fingerprint(Input in) {
        if (in instanceof Input.Received rc) {
            return rc.from() * 7919 + rc.message().getClass().getSimpleName().hashCode();
        }
        if (in instanceof Input.Persisted p) {
            return p.zxid();
        }
        return in.getClass().getSimpleName().hashCode();
    }

    private void output(SimServer s, Output o) {
        if (o instanceof Output.Send send) {
            SimServer to = server(send.to());
            if (!to.up || !net.canSend(s.id, to.id, now)) {
                return;
            }
            // Latency spikes (beyond syncLimit on a round trip) are a fault: the quiet phase has none.
            long delay = !quiet && rnd.nextInt(slowMessageOdds) == 0 ? 5 + rnd.nextInt(30) : 1 + rnd.nextInt(4);
            long at = net.deliverAt(s.id, to.id, now, delay);
            schedule(at, Kind.DELIVER, to, new Msg(s.id, net.generation(s.id, to.id), send.message()));
        } else if (o instanceof Output.Append a) {
            queueDisk(s, new SimServer.AppendOp(a.record()));
        } else if (o instanceof Output.Truncate t) {
            queueDisk(s, new SimServer.TruncateOp(t.zxid()));
        } else if (o instanceof Output.InstallSnapshot i) {
            int id = (int) ByteBuffer.wrap(i.snapshot()).getLong();
            queueDisk(s, new SimServer.InstallOp(i.zxid(), snapshots.get(id)));
        } else if (o instanceof Output.PersistEpochs p) {
            queueDisk(s, new SimServer.EpochsOp(p.acceptedEpoch(), p.currentEpoch()));
        } else if (o instanceof Output.TakeSnapshot || o instanceof Output.Prepare) {
            s.treeBusyUntil = Math.max(now, s.treeBusyUntil) + rnd.nextInt(4);
            schedule(s.treeBusyUntil, Kind.TREE, s, o);
        } else if (o instanceof Output.Apply a) {
            apply(s, a);
        } else if (o instanceof Output.Refused r) {
            failWrite(s, r.tag());
        } else if (o instanceof Output.SyncDone d) {
            if (s.lastTreeZxid() < d.zxid()) {
                throw SimChecker.violation("SyncTimeliness", "server " + s.id + " answered a sync at "
                        + Zxid.hex(d.zxid()) + " with its tree at " + Zxid.hex(s.lastTreeZxid()));
            }
        } else if (o instanceof Output.RoleChanged rc) {
            roleChanged(s, rc);
        }
    }

    private void roleChanged(SimServer s, Output.RoleChanged rc) {
        if (log != null) {
            log.accept("t=" + now + " s" + s.id + " " + rc + (rc.state() == ServerState.LOOKING
                    ? " because " + s.peer.lastLookingReason() : ""));
        }
        s.state = rc.state();
        s.leaderId = rc.leaderId();
        s.epoch = rc.epoch();
        s.serving = rc.serving();
        if (rc.serving()) {
            s.trustedLen = s.tree.size();
            checker.verifyTree(s);
            if (rc.state() == ServerState.LEADING) {
                checker.leaderServing(s, rc.epoch());
                s.prepEpoch = rc.epoch();
                s.prepCounter = 0;
            }
        } else {
            s.prepEpoch = -1;
            failAll(s);
        }
    }

    private void apply(SimServer s, Output.Apply a) {
        TxnRecord r = a.record();
        if (r.zxid() <= s.lastTreeZxid()) {
            throw SimChecker.violation("ApplyOrder", "server " + s.id + " applied " + Zxid.hex(r.zxid())
                    + " with its tree already at " + Zxid.hex(s.lastTreeZxid()));
        }
        s.tree.add(r);
        s.trustedLen = s.tree.size();
        checker.verifyTree(s);
        if (a.origin() == s.id) {
            int[] w = s.pendingWrites.remove(a.tag());
            if (w != null) {
                if (r.sessionId() != w[0] || r.cxid() != w[1]) {
                    throw SimChecker.violation("Origin", "server " + s.id + " tag " + a.tag() + " was client " + w[0]
                            + "'s write " + w[1] + " but applied as " + r);
                }
                resolve(w[0], true);
            }
        }
    }

    // ---- the disk and the tree ----------------------------------------------------------------

    private void queueDisk(SimServer s, SimServer.DiskOp op) {
        s.diskQueue.add(op);
        s.diskBusyUntil = Math.max(now, s.diskBusyUntil) + 1 + rnd.nextInt(diskDelayMax);
        schedule(s.diskBusyUntil, Kind.DISK, s, null);
    }

    /** Carries out the next disk work; consecutive appends are forced together (group commit). */
    private void disk(SimServer s) {
        SimServer.DiskOp op = s.diskQueue.poll();
        if (op == null) {
            return;
        }
        if (op instanceof SimServer.AppendOp a) {
            long last = forceAppend(s, a.record());
            // Group commit: the log writer forces whatever is queued. While faults run, batches
            // are cut at random to vary persist orders; once quiet, a follower whose disk is slow
            // must still be able to catch up with the clients' write rate, as the real one does.
            while (s.diskQueue.peek() instanceof SimServer.AppendOp next && (quiet || rnd.nextBoolean())) {
                s.diskQueue.poll();
                last = forceAppend(s, next.record());
            }
            step(s, new Input.Persisted(last));
        } else if (op instanceof SimServer.TruncateOp t) {
            while (!s.durableLog.isEmpty() && s.lastDurableZxid() > t.zxid()) {
                checker.durableRemoved(s, s.durableLog.remove(s.durableLog.size() - 1));
            }
            // Rolling the tree back means reloading it from the log, as ZooKeeper does.
            ArrayList<TxnRecord> reloaded = new ArrayList<>(s.durableLog);
            checker.treeReloaded(s, reloaded);
            s.tree = reloaded;
            s.verifiedLen = Math.min(s.verifiedLen, s.trustedLen);
            step(s, new Input.Truncated(t.zxid()));
        } else if (op instanceof SimServer.InstallOp i) {
            checker.snapshotInstalled(s, i.snapshot());
            List<TxnRecord> old = new ArrayList<>(s.durableLog);
            s.durableLog.clear();
            s.durableLog.addAll(i.snapshot());
            for (TxnRecord r : i.snapshot()) {
                if (!containsRecord(old, r)) {
                    checker.durableAdded(s, r);
                }
            }
            for (TxnRecord r : old) {
                if (!r.equals(s.durable(r.zxid()))) {
                    checker.durableRemoved(s, r);
                }
            }
            s.tree = new ArrayList<>(i.snapshot());
            s.trustedLen = 0;
            s.verifiedLen = 0;
            step(s, new Input.SnapshotInstalled(i.zxid()));
        } else if (op instanceof SimServer.EpochsOp e) {
            s.durableAccepted = e.accepted();
            s.durableCurrent = e.current();
            step(s, new Input.EpochsPersisted(e.accepted(), e.current()));
        }
    }

    private static boolean containsRecord(List<TxnRecord> sorted, TxnRecord r) {
        int lo = 0;
        int hi = sorted.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long z = sorted.get(mid).zxid();
            if (z < r.zxid()) {
                lo = mid + 1;
            } else if (z > r.zxid()) {
                hi = mid - 1;
            } else {
                return sorted.get(mid).equals(r);
            }
        }
        return false;
    }

    private long forceAppend(SimServer s, TxnRecord r) {
        if (r.zxid() <= s.lastDurableZxid()) {
            throw SimChecker.violation("LogOrder", "server " + s.id + " appended " + Zxid.hex(r.zxid())
                    + " after " + Zxid.hex(s.lastDurableZxid()));
        }
        s.durableLog.add(r);
        checker.durableAdded(s, r);
        return r.zxid();
    }

    /** The tree's work: preparing a write into the leader's next zxid, or serializing itself. */
    private void tree(SimServer s, Output work) {
        if (work instanceof Output.TakeSnapshot t) {
            snapshots.add(new ArrayList<>(s.tree));
            byte[] id = ByteBuffer.allocate(8).putLong(snapshots.size() - 1).array();
            step(s, new Input.SnapshotReady(t.forServer(), s.lastTreeZxid(), id));
        } else if (work instanceof Output.Prepare p && s.prepEpoch >= 0) {
            ByteBuffer b = ByteBuffer.wrap(p.request());
            int client = b.getInt();
            int seq = b.getInt();
            TxnRecord r = new TxnRecord(Zxid.make(s.prepEpoch, ++s.prepCounter), client, seq, now,
                    new Txn.Check("/client/" + client, seq));
            step(s, new Input.Propose(r, p.origin(), p.tag()));
        }
    }

    // ---- clients ------------------------------------------------------------------------------

    private void clientAct(Client c) {
        List<SimServer> up = new ArrayList<>();
        for (SimServer s : servers) {
            if (s.up) {
                up.add(s);
            }
        }
        if (up.isEmpty()) {
            schedule(now + 50, Kind.CLIENT, null, c);
            return;
        }
        SimServer s = up.get(rnd.nextInt(up.size()));
        int writes = rnd.nextInt(3) == 0 ? 2 : 1;
        c.failed = false;
        c.submitting = true;
        for (int k = 0; k < writes; k++) {
            int seq = c.nextSeq++;
            long tag = s.nextTag++;
            s.pendingWrites.put(tag, new int[] {c.id, seq});
            c.inflight++;
            step(s, new Input.Submit(tag, ByteBuffer.allocate(8).putInt(c.id).putInt(seq).array()));
            if (!s.up) {
                break;
            }
        }
        if (rnd.nextInt(6) == 0 && s.up) {
            step(s, new Input.SubmitSync(s.nextTag++));
        }
        c.submitting = false;
        if (c.inflight == 0) {
            nextClientAction(c);
        }
    }

    private void resolve(int clientId, boolean ok) {
        Client c = clients[clientId - 1];
        c.inflight--;
        if (ok) {
            acked++;
            if (now > config.faultUnits() + config.quietUnits() / 2) {
                ackedLate++;
            }
        } else {
            c.failed = true;
        }
        if (c.inflight == 0 && !c.submitting) {
            nextClientAction(c);
        }
    }

    /**
     * After a failure the client waits longer than any message can linger, so a write it gave up
     * on cannot still be ordered after its next one (ZooKeeper closes that gap with sessions).
     */
    private void nextClientAction(Client c) {
        schedule(now + (c.failed ? 100 + rnd.nextInt(100) : 1 + rnd.nextInt(30)), Kind.CLIENT, null, c);
    }

    private void failWrite(SimServer s, long tag) {
        int[] w = s.pendingWrites.remove(tag);
        if (w != null) {
            resolve(w[0], false);
        }
    }

    private void failAll(SimServer s) {
        while (!s.pendingWrites.isEmpty()) {
            failWrite(s, s.pendingWrites.firstKey());
        }
    }

    // ---- faults -------------------------------------------------------------------------------

    private void fault() {
        int k = rnd.nextInt(100);
        int n = servers.size();
        if (k < 25) {
            SimServer s = servers.get(rnd.nextInt(n));
            if (s.up) {
                crash(s);
                schedule(now + 20 + rnd.nextInt(400), Kind.RESTART, s, null);
            }
        } else if (k < 45) {
            int[] groups = new int[n + 1];
            for (int i = 1; i <= n; i++) {
                groups[i] = rnd.nextInt(2);
            }
            partitionId++;
            net.partition(groups);
            schedule(now + 50 + rnd.nextInt(500), Kind.HEAL, null, partitionId);
        } else if (k < 90) {
            int a = 1 + rnd.nextInt(n);
            int b = 1 + rnd.nextInt(n);
            if (a != b) {
                long window = rnd.nextInt(60);
                net.breakLink(a, b, now, window);
                if (rnd.nextBoolean()) {
                    net.breakLink(b, a, now, window);
                }
            }
        } else {
            net.heal();
        }
    }

    private void crash(SimServer s) {
        s.up = false;
        s.incarnation++;
        s.diskQueue.clear();
        s.diskBusyUntil = now;
        s.treeBusyUntil = now;
        net.isolate(s.id);
        failAll(s);
        // The transport's hint that s is gone reaches every other server a tick later, as Akka's
        // failure detector would report it; the core may only use it to stop waiting.
        for (SimServer o : servers) {
            if (o != s && o.up) {
                schedule(now + TICK, Kind.UNREACHABLE, o, (long) s.id);
            }
        }
        s.state = ServerState.LOOKING;
        s.serving = false;
        s.prepEpoch = -1;
        trace[(int) (traced++ % TRACE)] = new Object[] {now, s.id, "CRASH"};
        if (log != null) {
            log.accept("t=" + now + " s" + s.id + " CRASH");
        }
    }

    private void restart(SimServer s) {
        s.up = true;
        s.incarnation++;
        s.start(TIMING, options);
        trace[(int) (traced++ % TRACE)] = new Object[] {now, s.id, "RESTART"};
        if (log != null) {
            log.accept("t=" + now + " s" + s.id + " RESTART");
        }
        schedule(now + 1 + rnd.nextInt(TICK), Kind.TICK, s, null);
    }

    // ---- liveness and reports -----------------------------------------------------------------

    private void checkLiveness() {
        long leader = -1;
        for (SimServer s : servers) {
            if (s.state == ServerState.LEADING && s.serving) {
                leader = s.id;
            }
        }
        for (SimServer s : servers) {
            if (!s.up || !s.serving || s.leaderId != leader) {
                throw SimChecker.violation("Liveness", "after " + config.quietUnits() + " quiet units server " + s.id
                        + " is not serving under leader " + leader);
            }
        }
        if (ackedLate == 0) {
            throw SimChecker.violation("Liveness", "no client write was acknowledged in the second half of the quiet phase");
        }
    }

    private String report(String what, Throwable ex) {
        StringBuilder sb = new StringBuilder();
        sb.append("seed=").append(seed).append(" (").append(config).append(") failed at step ").append(steps)
                .append(", time ").append(now).append(": ").append(what).append('\n');
        sb.append("replay: mvn -Dpaddock.buildDir=... test -Dtest=ZabSimulationTest -Dpaddock.sim.seed=").append(seed)
                .append('\n');
        sb.append("options: ").append(options).append(", disk delay <= ").append(diskDelayMax)
                .append(", partition groups ").append(net.describe()).append(", committed records ")
                .append(checker.committedCount()).append('\n');
        for (SimServer s : servers) {
            sb.append("  ").append(s.describe()).append('\n');
        }
        sb.append("last steps (time, server, input):\n");
        for (int i = 0; i < TRACE; i++) {
            Object[] t = trace[(int) ((traced + i) % TRACE)];
            if (t != null) {
                String in = String.valueOf(t[2]);
                sb.append("  t=").append(t[0]).append(" s").append(t[1]).append(" <- ")
                        .append(in.length() > 220 ? in.substring(0, 220) + "…" : in).append('\n');
            }
        }
        if (ex != null) {
            for (StackTraceElement el : ex.getStackTrace()) {
                sb.append("    at ").append(el).append('\n');
            }
        }
        return sb.toString();
    }
}
