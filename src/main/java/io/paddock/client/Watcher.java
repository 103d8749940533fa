package io.paddock.client;

/**
 * Receives watch events. A watcher given to a read is one-shot (it hears the first change and
 * is then forgotten, as in ZooKeeper); one given to {@link PaddockClient#addWatchAsync} hears every
 * change until removed. Watchers run on the client's event thread, one event at a time, in the
 * order the server fired them: they must not block for long.
 */
@FunctionalInterface
public interface Watcher {
    void process(WatchEvent event);
}
