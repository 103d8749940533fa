package io.paddock.zab.sim;

import io.paddock.tree.TxnRecord;
import io.paddock.zab.Zxid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.TreeMap;

/**
 * The invariants of ZooKeeper's protocol spec (Leadership, PrefixConsistency, TotalOrder,
 * PrimaryIntegrity) and of its guarantees, checked as the simulation runs. It keeps the one
 * committed sequence every server's applied records must be a prefix of; it outlives crashes and
 * knows nothing of the cores' internals.
 */
final class SimChecker {

    /** Thrown at the first broken invariant; the simulation adds the seed, step and states. */
    static final class Violation extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String invariant;

        Violation(String invariant, String detail) {
            super(invariant + ": " + detail);
            this.invariant = invariant;
        }
    }

    private final List<SimServer> servers;
    private final int quorum;
    final ArrayList<TxnRecord> committed = new ArrayList<>();
    /** Only looked up, never iterated. */
    private final HashMap<Long, Integer> indexOfZxid = new HashMap<>();
    /** How many voters hold each committed record durably. */
    private final ArrayList<Integer> copies = new ArrayList<>();
    private final TreeMap<Long, Integer> leaderOfEpoch = new TreeMap<>();
    private final TreeMap<Integer, Integer> lastSeqOfClient = new TreeMap<>();

    SimChecker(List<SimServer> servers, int voters) {
        this.servers = servers;
        this.quorum = voters / 2 + 1;
    }

    static Violation violation(String invariant, String detail) {
        return new Violation(invariant, detail);
    }

    /** The server's trusted tree prefix must agree with the committed sequence (and may extend it). */
    void verifyTree(SimServer s) {
        for (int i = s.verifiedLen; i < s.trustedLen; i++) {
            TxnRecord r = s.tree.get(i);
            if (i < committed.size()) {
                if (!committed.get(i).equals(r)) {
                    throw violation("PrefixConsistency", "server " + s.id + " applied " + r + " at position " + i
                            + " where another applied " + committed.get(i));
                }
            } else {
                extend(r, s);
            }
        }
        s.verifiedLen = s.trustedLen;
    }

    private void extend(TxnRecord r, SimServer by) {
        if (!committed.isEmpty() && r.zxid() <= committed.get(committed.size() - 1).zxid()) {
            throw violation("TotalOrder", "server " + by.id + " applied " + Zxid.hex(r.zxid()) + " after "
                    + Zxid.hex(committed.get(committed.size() - 1).zxid()));
        }
        int client = (int) r.sessionId();
        if (client > 0) {
            int last = lastSeqOfClient.getOrDefault(client, 0);
            if (r.cxid() <= last) {
                throw violation("ClientOrder", "client " + client + "'s write " + r.cxid() + " applied after its write "
                        + last);
            }
            lastSeqOfClient.put(client, r.cxid());
        }
        int c = 0;
        for (SimServer s : servers) {
            if (s.voter && r.equals(s.durable(r.zxid()))) {
                c++;
            }
        }
        indexOfZxid.put(r.zxid(), committed.size());
        committed.add(r);
        copies.add(c);
        if (c < quorum) {
            throw violation("Durability", "server " + by.id + " applied " + Zxid.hex(r.zxid())
                    + " while only " + c + " voters hold it durably (quorum " + quorum + ")");
        }
    }

    private int committedIndex(TxnRecord r) {
        Integer i = indexOfZxid.get(r.zxid());
        return i != null && committed.get(i).equals(r) ? i : -1;
    }

    void durableAdded(SimServer s, TxnRecord r) {
        if (s.voter) {
            int i = committedIndex(r);
            if (i >= 0) {
                copies.set(i, copies.get(i) + 1);
            }
        }
    }

    void durableRemoved(SimServer s, TxnRecord r) {
        if (s.voter) {
            int i = committedIndex(r);
            if (i >= 0) {
                copies.set(i, copies.get(i) - 1);
                if (copies.get(i) < quorum) {
                    throw violation("Durability", "committed " + Zxid.hex(r.zxid()) + " dropped from server " + s.id
                            + "'s log: now durable on only " + copies.get(i) + " voters");
                }
            }
        }
    }

    /** Leadership and PrimaryIntegrity: one leader per epoch, holding every committed record. */
    void leaderServing(SimServer s, long epoch) {
        Integer prev = leaderOfEpoch.putIfAbsent(epoch, s.id);
        if (prev != null && prev != s.id) {
            throw violation("Leadership", "servers " + prev + " and " + s.id + " both served as leader of epoch " + epoch);
        }
        for (TxnRecord r : committed) {
            if (!r.equals(s.durable(r.zxid()))) {
                throw violation("LeaderCompleteness", "leader " + s.id + " of epoch " + epoch + " serves without committed "
                        + r + " in its log");
            }
        }
    }

    /** A snapshot a learner installs is its leader's tree: it must agree with what is committed. */
    void snapshotInstalled(SimServer s, List<TxnRecord> snapshot) {
        int n = Math.min(snapshot.size(), committed.size());
        for (int i = 0; i < n; i++) {
            if (!snapshot.get(i).equals(committed.get(i))) {
                throw violation("PrefixConsistency", "server " + s.id + " installed a snapshot holding " + snapshot.get(i)
                        + " where " + committed.get(i) + " was committed");
            }
        }
    }

    /** A truncation (with the tree reloaded from the log) must not take back applied committed records. */
    void treeReloaded(SimServer s, List<TxnRecord> newTree) {
        if (s.trustedLen > newTree.size()) {
            throw violation("Durability", "server " + s.id + " truncated to " + newTree.size() + " records, below the "
                    + s.trustedLen + " it had applied");
        }
        for (int i = 0; i < s.trustedLen; i++) {
            if (!newTree.get(i).equals(s.tree.get(i))) {
                throw violation("Durability", "server " + s.id + " rolled back applied record " + s.tree.get(i));
            }
        }
    }

    int committedCount() {
        return committed.size();
    }
}
