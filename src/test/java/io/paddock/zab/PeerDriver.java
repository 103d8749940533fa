package io.paddock.zab;

import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Drives one {@link Peer} by hand in unit tests and keeps what it output. */
final class PeerDriver {

    static final Timing TIMING = new Timing(5, 3);

    final Peer peer;
    final List<Output> all = new ArrayList<>();
    List<Output> last = List.of();

    PeerDriver(long myId, Set<Long> voters, Set<Long> observers, long acceptedEpoch, long currentEpoch,
            List<TxnRecord> log) {
        this(myId, voters, observers, acceptedEpoch, currentEpoch, log, Peer.Options.DEFAULTS);
    }

    PeerDriver(long myId, Set<Long> voters, Set<Long> observers, long acceptedEpoch, long currentEpoch,
            List<TxnRecord> log, Peer.Options options) {
        long last = log.isEmpty() ? 0 : log.get(log.size() - 1).zxid();
        peer = new Peer(Ensemble.of(myId, voters, observers), TIMING, options, acceptedEpoch, currentEpoch, last, log);
    }

    static TxnRecord rec(long epoch, long counter) {
        return new TxnRecord(Zxid.make(epoch, counter), 1, (int) counter, 0, new Txn.CreateSession((int) counter));
    }

    static List<TxnRecord> log(long epoch, int from, int to) {
        List<TxnRecord> l = new ArrayList<>();
        for (int c = from; c <= to; c++) {
            l.add(rec(epoch, c));
        }
        return l;
    }

    List<Output> step(Input in) {
        last = peer.step(in);
        all.addAll(last);
        return last;
    }

    List<Output> tick() {
        return step(new Input.Tick());
    }

    List<Output> recv(long from, PeerMessage m) {
        return step(new Input.Received(from, m));
    }

    /** The messages of type {@code type} sent to {@code to} by the last step. */
    <T extends PeerMessage> List<T> sent(long to, Class<T> type) {
        List<T> l = new ArrayList<>();
        for (Output o : last) {
            if (o instanceof Output.Send s && s.to() == to && type.isInstance(s.message())) {
                l.add(type.cast(s.message()));
            }
        }
        return l;
    }

    <T extends Output> List<T> outputs(Class<T> type) {
        List<T> l = new ArrayList<>();
        for (Output o : last) {
            if (type.isInstance(o)) {
                l.add(type.cast(o));
            }
        }
        return l;
    }

    <T extends Output> List<T> allOutputs(Class<T> type) {
        List<T> l = new ArrayList<>();
        for (Output o : all) {
            if (type.isInstance(o)) {
                l.add(type.cast(o));
            }
        }
        return l;
    }

    ServerState state() {
        return peer.status().state();
    }
}
