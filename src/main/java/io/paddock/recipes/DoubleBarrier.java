package io.paddock.recipes;

import io.paddock.client.CreateOptions;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.tree.CreateMode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A double barrier as Curator's DistributedDoubleBarrier: {@link #enter} blocks until
 * {@code memberCount} members have entered, {@link #leave} until all of them have left. One
 * object per member (and per thread).
 *
 * <p>Entering creates an EPHEMERAL node per member under the barrier path; the member that sees
 * the count reached creates the {@code ready} node, whose creation wakes every waiter through its
 * exists watch (no herd on the children). Leaving is ordered so that each member watches one
 * node: the member with the lowest name waits for the highest to go and leaves last; every other
 * member deletes its own node and waits for the lowest. The last member out deletes {@code ready},
 * so the barrier can be used again.
 */
public final class DoubleBarrier {

    static final String READY = "ready";

    private final PaddockClient client;
    private final String barrierPath;
    private final String readyPath;
    private final int memberCount;
    private final String ourName = UUID.randomUUID().toString();
    private final String ourPath;

    public DoubleBarrier(PaddockClient client, String barrierPath, int memberCount) {
        if (memberCount < 1) {
            throw new IllegalArgumentException("a double barrier needs at least one member, not " + memberCount);
        }
        this.client = Objects.requireNonNull(client, "client");
        this.barrierPath = RecipePaths.validate(barrierPath);
        this.readyPath = RecipePaths.join(barrierPath, READY);
        this.memberCount = memberCount;
        this.ourPath = RecipePaths.join(barrierPath, ourName);
    }

    public String barrierPath() {
        return barrierPath;
    }

    public int memberCount() {
        return memberCount;
    }

    /** Enters and blocks until {@code memberCount} members have entered. */
    public void enter() throws PaddockException, InterruptedException {
        enter(-1);
    }

    /**
     * Enters and blocks until {@code memberCount} members have entered or the timeout passes;
     * on timeout this member's node is removed again and the answer is false.
     */
    public boolean enter(Duration timeout) throws PaddockException, InterruptedException {
        return enter(Math.max(0, timeout.toNanos()));
    }

    /** Leaves and blocks until every member has left. */
    public void leave() throws PaddockException, InterruptedException {
        leave(-1);
    }

    /** Leaves and blocks until every member has left or the timeout passes; whether all left. */
    public boolean leave(Duration timeout) throws PaddockException, InterruptedException {
        return leave(Math.max(0, timeout.toNanos()));
    }

    private boolean enter(long timeoutNanos) throws PaddockException, InterruptedException {
        long deadline = WakeSignal.deadline(timeoutNanos);
        WakeSignal signal = new WakeSignal();
        client.addConnectionStateListener(signal);
        try {
            boolean counted = false;
            for (int failures = 0; ; ) {
                long seen = signal.generation();
                try {
                    if (!counted) {
                        createOurNode();
                        counted = true;
                    }
                    if (client.exists(readyPath, signal).isPresent()) {
                        return true;
                    }
                    List<String> members = members();
                    if (!members.contains(ourName)) {
                        counted = false; // gone with a lost session: count us again
                        continue;
                    }
                    if (members.size() >= memberCount) {
                        try {
                            client.create(readyPath, new byte[0], CreateOptions.of(CreateMode.PERSISTENT));
                        } catch (PaddockException.NodeExistsException another) {
                            // another member saw the count first
                        }
                        return true;
                    }
                    failures = 0;
                } catch (PaddockException e) {
                    signal.pauseAfter(e, seen, deadline, failures++);
                    continue;
                }
                if (!signal.awaitChange(seen, deadline)) {
                    deleteOurNode();
                    return false;
                }
            }
        } finally {
            client.removeConnectionStateListener(signal);
        }
    }

    private boolean leave(long timeoutNanos) throws PaddockException, InterruptedException {
        long deadline = WakeSignal.deadline(timeoutNanos);
        WakeSignal signal = new WakeSignal();
        client.addConnectionStateListener(signal);
        try {
            for (int failures = 0; ; ) {
                long seen = signal.generation();
                boolean waitNeeded;
                try {
                    List<String> members = members();
                    int ours = members.indexOf(ourName);
                    if (members.isEmpty()) {
                        break;
                    }
                    if (members.size() == 1 && ours == 0) {
                        deleteOurNode(); // the last one out
                        break;
                    }
                    if (ours == 0) {
                        // The lowest leaves last: wait for the highest, and so on until it is alone.
                        String highest = members.get(members.size() - 1);
                        waitNeeded = client.exists(RecipePaths.join(barrierPath, highest), signal).isPresent();
                    } else {
                        waitNeeded = client.exists(RecipePaths.join(barrierPath, members.get(0)), signal).isPresent();
                        if (ours > 0) {
                            deleteOurNode();
                        }
                    }
                    failures = 0;
                } catch (PaddockException e) {
                    signal.pauseAfter(e, seen, deadline, failures++);
                    continue;
                }
                if (waitNeeded && !signal.awaitChange(seen, deadline)) {
                    return false;
                }
            }
            for (int failures = 0; ; ) {
                long seen = signal.generation();
                try {
                    client.delete(readyPath, PaddockClient.ANY_VERSION);
                    return true;
                } catch (PaddockException.NoNodeException done) {
                    return true; // another member deleted it
                } catch (PaddockException e) {
                    signal.pauseAfter(e, seen, deadline, failures++);
                }
            }
        } finally {
            client.removeConnectionStateListener(signal);
        }
    }

    /** The members' node names, sorted (the ready node is not a member). */
    private List<String> members() throws PaddockException, InterruptedException {
        List<String> out = new ArrayList<>();
        try {
            for (String c : client.getChildren(barrierPath)) {
                if (!c.equals(READY)) {
                    out.add(c);
                }
            }
        } catch (PaddockException.NoNodeException none) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    private void createOurNode() throws PaddockException, InterruptedException {
        try {
            client.create(ourPath, new byte[0], CreateOptions.of(CreateMode.EPHEMERAL).withParents());
        } catch (PaddockException.NodeExistsException ours) {
            // an earlier attempt whose answer was lost made it
        }
    }

    private void deleteOurNode() throws PaddockException, InterruptedException {
        try {
            client.delete(ourPath, PaddockClient.ANY_VERSION);
        } catch (PaddockException.NoNodeException gone) {
            // deleted already, or gone with the session
        }
    }
}
