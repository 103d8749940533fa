package io.paddock.zab.sim;

/**
 * Directed FIFO links between simulated servers. A message is lost if, between its send and its
 * delivery, its link broke (a break drops everything in flight and everything sent during a
 * window after it), a partition separated the two ends, or either end crashed. Delivery times on
 * a link never decrease, so a link never reorders.
 */
final class SimNetwork {

    private final long[][] generation;
    private final long[][] brokenUntil;
    private final long[][] lastDeliverAt;
    private final int[] group;

    SimNetwork(int servers) {
        int n = servers + 1;
        generation = new long[n][n];
        brokenUntil = new long[n][n];
        lastDeliverAt = new long[n][n];
        group = new int[n];
    }

    boolean canSend(int from, int to, long now) {
        return group[from] == group[to] && brokenUntil[from][to] <= now;
    }

    long generation(int from, int to) {
        return generation[from][to];
    }

    /** When a message sent now with this delay arrives: never before an earlier one on the link. */
    long deliverAt(int from, int to, long now, long delay) {
        long at = Math.max(now + delay, lastDeliverAt[from][to]);
        lastDeliverAt[from][to] = at;
        return at;
    }

    boolean deliverable(int from, int to, long sentGeneration) {
        return generation[from][to] == sentGeneration && group[from] == group[to];
    }

    void breakLink(int from, int to, long now, long window) {
        generation[from][to]++;
        brokenUntil[from][to] = now + window;
    }

    /** {@code groups[i]} is server i's side; servers on different sides cannot talk. */
    void partition(int[] groups) {
        for (int a = 1; a < group.length; a++) {
            for (int b = 1; b < group.length; b++) {
                if (groups[a] != groups[b]) {
                    generation[a][b]++;
                }
            }
            group[a] = groups[a];
        }
    }

    boolean partitioned() {
        for (int a = 1; a < group.length; a++) {
            if (group[a] != group[1]) {
                return true;
            }
        }
        return false;
    }

    void heal() {
        for (int a = 1; a < group.length; a++) {
            group[a] = 0;
            for (int b = 1; b < group.length; b++) {
                brokenUntil[a][b] = 0;
            }
        }
    }

    /** A crashed server's connections die with it. */
    void isolate(int server) {
        for (int o = 1; o < group.length; o++) {
            generation[server][o]++;
            generation[o][server]++;
        }
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        for (int a = 1; a < group.length; a++) {
            sb.append(a).append(':').append(group[a]).append(' ');
        }
        return sb.toString().trim();
    }
}
