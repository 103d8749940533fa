package io.paddock.zab;

import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A fault-free ensemble for unit tests: messages are delivered at once in send order, disk work
 * completes at once, and a leader's Prepare comes back as the next Propose. (The deterministic
 * simulation with faults is in the sim package.)
 */
final class MiniCluster {

    record Msg(long from, long to, PeerMessage m) {
    }

    final TreeMap<Long, Peer> peers = new TreeMap<>();
    final Map<Long, List<TxnRecord>> applied = new TreeMap<>();
    final Map<Long, ServerState> states = new TreeMap<>();
    private final Map<Long, Long> prepEpoch = new TreeMap<>();
    private final Map<Long, Long> prepCounter = new TreeMap<>();
    private final ArrayDeque<Msg> net = new ArrayDeque<>();
    private final ArrayDeque<Object[]> local = new ArrayDeque<>();

    MiniCluster(Set<Long> voters, Set<Long> observers, Map<Long, List<TxnRecord>> logs, Map<Long, long[]> epochs) {
        List<Long> all = new ArrayList<>(voters);
        all.addAll(observers);
        for (long id : all) {
            List<TxnRecord> log = logs.getOrDefault(id, List.of());
            long[] ep = epochs.getOrDefault(id, new long[] {0, 0});
            long last = log.isEmpty() ? 0 : log.get(log.size() - 1).zxid();
            peers.put(id, new Peer(Ensemble.of(id, voters, observers), PeerDriver.TIMING, Peer.Options.DEFAULTS,
                    ep[0], ep[1], last, log));
            applied.put(id, new ArrayList<>(log));
            states.put(id, ServerState.LOOKING);
        }
    }

    void step(long id, Input in) {
        local.add(new Object[] {id, in});
        drain();
    }

    /** Ticks every server {@code n} times, draining messages between rounds. */
    void ticks(int n) {
        for (int i = 0; i < n; i++) {
            for (long id : peers.keySet()) {
                step(id, new Input.Tick());
            }
        }
    }

    void submit(long id, long tag, int value) {
        step(id, new Input.Submit(tag, new byte[] {(byte) value}));
    }

    Long servingLeader() {
        for (long id : peers.keySet()) {
            PeerStatus s = peers.get(id).status();
            if (s.state() == ServerState.LEADING && s.serving()) {
                return id;
            }
        }
        return null;
    }

    private void drain() {
        while (!local.isEmpty() || !net.isEmpty()) {
            if (!local.isEmpty()) {
                Object[] e = local.poll();
                run((Long) e[0], (Input) e[1]);
            } else {
                Msg m = net.poll();
                run(m.to(), new Input.Received(m.from(), m.m()));
            }
        }
    }

    private void run(long id, Input in) {
        for (Output o : peers.get(id).step(in)) {
            if (o instanceof Output.Send s) {
                net.add(new Msg(id, s.to(), s.message()));
            } else if (o instanceof Output.Append a) {
                local.add(new Object[] {id, new Input.Persisted(a.record().zxid())});
            } else if (o instanceof Output.PersistEpochs p) {
                local.add(new Object[] {id, new Input.EpochsPersisted(p.acceptedEpoch(), p.currentEpoch())});
            } else if (o instanceof Output.Truncate t) {
                List<TxnRecord> l = applied.get(id);
                l.removeIf(r -> r.zxid() > t.zxid());
                local.add(new Object[] {id, new Input.Truncated(t.zxid())});
            } else if (o instanceof Output.TakeSnapshot t) {
                throw new AssertionError("MiniCluster does not snapshot");
            } else if (o instanceof Output.Apply a) {
                applied.get(id).add(a.record());
            } else if (o instanceof Output.RoleChanged rc) {
                states.put(id, rc.state());
                if (rc.state() == ServerState.LEADING && rc.serving()) {
                    prepEpoch.put(id, rc.epoch());
                    prepCounter.put(id, 0L);
                }
            } else if (o instanceof Output.Prepare p) {
                long c = prepCounter.merge(id, 1L, Long::sum);
                TxnRecord r = new TxnRecord(Zxid.make(prepEpoch.get(id), c), p.origin(), p.request()[0], 0,
                        new Txn.CreateSession(p.request()[0]));
                local.add(new Object[] {id, new Input.Propose(r, p.origin(), p.tag())});
            }
        }
    }
}
