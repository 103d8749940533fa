package io.paddock.client.akka;

import io.paddock.client.ConnectionState;
import io.paddock.client.ConnectionStateListener;
import io.paddock.client.NodeData;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.WatchEvent;
import io.paddock.client.Watcher;
import io.paddock.tree.ErrorCode;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link PaddockClient} stand-in for the actor's own rules (no server): getData answers the
 * path as data and remembers the watcher it was given, delete fails with NoNode, and the test
 * fires events and state changes through the listeners the actor added. Anything else throws.
 */
final class ScriptedClient {

    final AtomicInteger closes = new AtomicInteger();
    final List<Watcher> watchListeners = new CopyOnWriteArrayList<>();
    final List<ConnectionStateListener> stateListeners = new CopyOnWriteArrayList<>();
    /** The watcher argument of each getData, in order (null for none). */
    final List<Watcher> getDataWatchers = new CopyOnWriteArrayList<>();
    volatile ConnectionState state = ConnectionState.CONNECTED;
    final PaddockClient client;

    ScriptedClient() {
        client = (PaddockClient) Proxy.newProxyInstance(PaddockClient.class.getClassLoader(),
                new Class<?>[] {PaddockClient.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> {
                        closes.incrementAndGet();
                        yield null;
                    }
                    case "addWatchListener" -> watchListeners.add((Watcher) args[0]);
                    case "addConnectionStateListener" -> stateListeners.add((ConnectionStateListener) args[0]);
                    case "removeWatchListener" -> watchListeners.remove((Watcher) args[0]);
                    case "removeConnectionStateListener" -> stateListeners.remove((ConnectionStateListener) args[0]);
                    case "state" -> state;
                    case "sessionId" -> 0x42L;
                    case "sessionTimeoutMs" -> 4000;
                    case "currentServer" -> "scripted:1";
                    case "getDataAsync" -> {
                        getDataWatchers.add((Watcher) args[1]);
                        String path = (String) args[0];
                        yield CompletableFuture.completedFuture(
                                new NodeData(path, path.getBytes(StandardCharsets.UTF_8), null));
                    }
                    case "deleteAsync" -> CompletableFuture.failedFuture(
                            PaddockException.create(ErrorCode.NO_NODE, (String) args[0], "no node " + args[0]));
                    case "toString" -> "ScriptedClient";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    void fire(WatchEvent event) {
        watchListeners.forEach(w -> w.process(event));
    }

    void changeState(ConnectionState newState) {
        state = newState;
        stateListeners.forEach(l -> l.stateChanged(client, newState));
    }
}
