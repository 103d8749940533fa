package io.paddock.zab.sim;

import io.paddock.tree.TxnRecord;
import io.paddock.zab.Ensemble;
import io.paddock.zab.Peer;
import io.paddock.zab.ServerState;
import io.paddock.zab.Timing;
import io.paddock.zab.Zxid;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One simulated server: its {@link Peer}, its disk (what is forced survives a crash; queued work
 * does not), its tree (the state machine: the list of applied records), and what the simulation
 * tracks about it.
 */
final class SimServer {

    /** Disk work, carried out in order; each completes as one {@code Input}. */
    sealed interface DiskOp {
    }

    record AppendOp(TxnRecord record) implements DiskOp {
    }

    record TruncateOp(long zxid) implements DiskOp {
    }

    record InstallOp(long zxid, List<TxnRecord> snapshot) implements DiskOp {
    }

    record EpochsOp(long accepted, long current) implements DiskOp {
    }

    final int id;
    final boolean voter;
    final Ensemble ensemble;
    int incarnation;
    boolean up = true;
    Peer peer;

    // The disk: durable state, and the queue of work not yet forced.
    final ArrayList<TxnRecord> durableLog = new ArrayList<>();
    long durableAccepted;
    long durableCurrent;
    final ArrayDeque<DiskOp> diskQueue = new ArrayDeque<>();
    long diskBusyUntil;
    long treeBusyUntil;

    // The tree: applied records. The first trustedLen are known committed (it served or applied
    // since its last restart or snapshot); the first verifiedLen were checked against the others.
    ArrayList<TxnRecord> tree = new ArrayList<>();
    int trustedLen;
    int verifiedLen;

    // Role, as last reported by RoleChanged, and what its tree numbers proposals with.
    ServerState state = ServerState.LOOKING;
    long leaderId = -1;
    long epoch;
    boolean serving;
    long prepEpoch = -1;
    long prepCounter;

    long nextTag = 1;
    /** Writes submitted here and not yet answered: tag → {client, seq}. */
    final TreeMap<Long, int[]> pendingWrites = new TreeMap<>();

    SimServer(int id, Ensemble ensemble) {
        this.id = id;
        this.ensemble = ensemble;
        this.voter = ensemble.voters().contains((long) id);
    }

    void start(Timing timing, Peer.Options options) {
        int from = Math.max(0, durableLog.size() - options.historyWindow());
        List<TxnRecord> tail = new ArrayList<>(durableLog.subList(from, durableLog.size()));
        peer = new Peer(ensemble, timing, options, durableAccepted, durableCurrent, lastDurableZxid(), tail);
        tree = new ArrayList<>(durableLog);
        trustedLen = 0;
        verifiedLen = 0;
        state = ServerState.LOOKING;
        leaderId = -1;
        serving = false;
        prepEpoch = -1;
    }

    long lastDurableZxid() {
        return durableLog.isEmpty() ? 0 : durableLog.get(durableLog.size() - 1).zxid();
    }

    long lastTreeZxid() {
        return tree.isEmpty() ? 0 : tree.get(tree.size() - 1).zxid();
    }

    /** The durable record with this zxid, or null. */
    TxnRecord durable(long zxid) {
        int lo = 0;
        int hi = durableLog.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long z = durableLog.get(mid).zxid();
            if (z < zxid) {
                lo = mid + 1;
            } else if (z > zxid) {
                hi = mid - 1;
            } else {
                return durableLog.get(mid);
            }
        }
        return null;
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("server ").append(id).append(voter ? "" : " (observer)");
        if (!up) {
            sb.append(" DOWN");
        } else {
            sb.append(' ').append(state).append(serving ? " serving" : "").append(" leader=").append(leaderId)
                    .append(" epoch=").append(epoch);
        }
        sb.append(" | durable: accepted=").append(durableAccepted).append(" current=").append(durableCurrent)
                .append(" log=").append(durableLog.size()).append(" records to ").append(Zxid.hex(lastDurableZxid()))
                .append(", ").append(diskQueue.size()).append(" ops queued")
                .append(" | tree=").append(tree.size()).append(" to ").append(Zxid.hex(lastTreeZxid()))
                .append(" trusted=").append(trustedLen);
        if (up && peer != null) {
            sb.append("\n      ").append(peer.status()).append("\n      last LOOKING because: ")
                    .append(peer.lastLookingReason());
        }
        return sb.toString();
    }
}
