package io.paddock.tree;

/** ZooKeeper's create modes, with the flag numbers its wire protocol uses. */
public enum CreateMode {
    PERSISTENT(0, false, false, false, false),
    EPHEMERAL(1, true, false, false, false),
    PERSISTENT_SEQUENTIAL(2, false, true, false, false),
    EPHEMERAL_SEQUENTIAL(3, true, true, false, false),
    CONTAINER(4, false, false, true, false),
    PERSISTENT_WITH_TTL(5, false, false, false, true),
    PERSISTENT_SEQUENTIAL_WITH_TTL(6, false, true, false, true);

    private final int flag;
    private final boolean ephemeral;
    private final boolean sequential;
    private final boolean container;
    private final boolean ttl;

    CreateMode(int flag, boolean ephemeral, boolean sequential, boolean container, boolean ttl) {
        this.flag = flag;
        this.ephemeral = ephemeral;
        this.sequential = sequential;
        this.container = container;
        this.ttl = ttl;
    }

    public int flag() {
        return flag;
    }

    public boolean isEphemeral() {
        return ephemeral;
    }

    public boolean isSequential() {
        return sequential;
    }

    public boolean isContainer() {
        return container;
    }

    public boolean isTtl() {
        return ttl;
    }

    /** The mode for a wire flag, or null when the flag is unknown. */
    public static CreateMode fromFlag(int flag) {
        for (CreateMode m : values()) {
            if (m.flag == flag) {
                return m;
            }
        }
        return null;
    }
}
