package io.paddock.recipes;

/**
 * Told of each new value of a {@link ConfigWatcher}'s znode, in the order they were written
 * (never an older value after a newer one), on the watcher's thread, one call at a time. Under
 * rapid writes some intermediate values may be skipped (a watch fires once for many changes),
 * but the last value written is always delivered. A value is heard just after
 * {@link ConfigWatcher#current} shows it.
 */
public interface ConfigListener {

    void valueChanged(ConfigValue value);

    /** The node was deleted (a later create brings {@link #valueChanged} again). */
    default void valueDeleted(String path) {
    }
}
