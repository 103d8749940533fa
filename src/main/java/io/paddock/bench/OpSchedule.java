package io.paddock.bench;

/**
 * The operations one client sends, in order, whatever the protocol: which key, and whether it is
 * read (getData) or written (setData). Client c visits keys c, c + clients, c + 2·clients, ...
 * modulo the number of keys, so clients start on different keys and, while there are more keys
 * than clients, never touch the same one at once.
 *
 * <p>Reads and writes are interleaved by error diffusion, not drawn at random: out of every
 * million operations exactly {@code readRatio} of a million are reads, spread evenly, so two runs
 * send the same mix. Each client starts at its own phase, so that the clients' writes do not all
 * fall on the same turn of their loops. Not thread-safe: one per client thread.
 */
final class OpSchedule {

    static final int PARTS = 1_000_000;
    /** The golden ratio's fraction, in millionths: consecutive clients' phases spread over the whole cycle. */
    private static final long PHASE_STEP = 618_034;

    private final int clients;
    private final int keys;
    private final int readParts;
    private long nextKey;
    private int credit;

    private int key;
    private boolean read;

    /** @param readRatio the share of reads, from 0 (write only) to 1 (read only) */
    OpSchedule(int client, int clients, int keys, double readRatio) {
        if (clients < 1 || keys < 1 || client < 0 || readRatio < 0 || readRatio > 1) {
            throw new IllegalArgumentException("client " + client + " of " + clients + ", " + keys + " keys, read ratio "
                    + readRatio);
        }
        this.clients = clients;
        this.keys = keys;
        this.readParts = (int) Math.round(readRatio * PARTS);
        this.nextKey = client;
        this.credit = (int) ((client * PHASE_STEP) % PARTS);
    }

    /** Moves to the next operation; {@link #key()} and {@link #isRead()} then describe it. */
    void advance() {
        key = (int) (nextKey % keys);
        nextKey += clients;
        credit += readParts;
        if (credit >= PARTS) {
            credit -= PARTS;
            read = true;
        } else {
            read = false;
        }
    }

    /** The key (from 0) of the current operation. */
    int key() {
        return key;
    }

    /** Whether the current operation is a read; otherwise it is a write. */
    boolean isRead() {
        return read;
    }
}
