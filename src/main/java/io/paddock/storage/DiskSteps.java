package io.paddock.storage;

import java.io.IOException;

/**
 * The disk steps of a truncation or an install, run in order. Production runs them all; a test
 * runs only the first few, as a crash would have stopped them, then recovers the directory to
 * see what start-up would make of it.
 */
final class DiskSteps {

    @FunctionalInterface
    interface Step {
        void run() throws IOException;
    }

    private final int limit;
    private int done;

    private DiskSteps(int limit) {
        this.limit = limit;
    }

    static DiskSteps all() {
        return new DiskSteps(Integer.MAX_VALUE);
    }

    /** Only the first {@code limit} steps run; every later one is skipped. */
    static DiskSteps firstOnly(int limit) {
        return new DiskSteps(limit);
    }

    void run(Step step) throws IOException {
        if (done < limit) {
            step.run();
            done++;
        }
    }

    /** How many steps ran. */
    int done() {
        return done;
    }
}
