package io.paddock.tree;

/** ZooKeeper's watch event types, with their wire numbers. */
public enum EventType {
    None(-1),
    NodeCreated(1),
    NodeDeleted(2),
    NodeDataChanged(3),
    NodeChildrenChanged(4),
    DataWatchRemoved(5),
    ChildWatchRemoved(6),
    PersistentWatchRemoved(7);

    private final int intValue;

    EventType(int intValue) {
        this.intValue = intValue;
    }

    public int intValue() {
        return intValue;
    }
}
