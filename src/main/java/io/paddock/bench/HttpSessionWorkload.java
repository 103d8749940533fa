package io.paddock.bench;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workloads over the HTTP API whose op is more than one request: churn (a session's whole
 * life, {@link HttpChurnOp}), watch (a fan-out round, {@link WatchFanOut}) and lock (acquire and
 * release of the DistributedMutex recipe, {@link HttpLockOp}). Their znodes live under the parent
 * as the others' do: watch's watched znode and lock's lock are the parent's one key.
 */
final class HttpSessionWorkload implements Workload {

    private final WorkloadKind kind;
    private final BenchKeys keys;
    /** Numbers churn's ephemeral znodes over every client and run. */
    private final AtomicLong made = new AtomicLong();

    /** @param keys the parent and, for watch and lock, one key: the watched znode, the lock */
    HttpSessionWorkload(WorkloadKind kind, BenchKeys keys) {
        if (kind != WorkloadKind.CHURN && kind != WorkloadKind.WATCH && kind != WorkloadKind.LOCK) {
            throw new IllegalArgumentException(kind.optionName() + " is not a session workload");
        }
        this.kind = kind;
        this.keys = keys;
    }

    @Override
    public String name() {
        return kind.optionName();
    }

    @Override
    public void prepare() throws BenchException, InterruptedException {
        keys.prepare();
    }

    @Override
    public BenchRun.Client newClient(int client, int clients, int outstanding) throws BenchException {
        return switch (kind) {
            case CHURN -> new LoopClient(new HttpChurnOp(BenchHttp.newClient(), keys.serverOf(client),
                    n -> keys.parent() + "/" + BenchKeys.name('e', n, keys.keySize()), made::getAndIncrement,
                    keys.value()));
            case LOCK -> lockClient(client, new LockGuard());
            case WATCH -> {
                if (client != 0) {
                    throw new IllegalArgumentException("the watch workload has one client per run, the writer and its watchers");
                }
                yield watchRun(clients);
            }
            default -> throw new IllegalStateException(kind.optionName() + " is not a session workload");
        };
    }

    /** Lock contenders share one guard per run; watch is one client; churn client by client. */
    @Override
    public void newClients(int clients, int connections, int outstanding, List<BenchRun.Client> into)
            throws BenchException {
        if (kind == WorkloadKind.WATCH) {
            into.add(watchRun(clients));
        } else if (kind == WorkloadKind.LOCK) {
            LockGuard guard = new LockGuard();
            for (int i = 0; i < clients; i++) {
                into.add(lockClient(i, guard));
            }
        } else {
            Workload.super.newClients(clients, connections, outstanding, into);
        }
    }

    private BenchRun.Client lockClient(int client, LockGuard guard) throws BenchException {
        URI base = keys.serverOf(client).base();
        String connectString = base.getHost() + ":" + base.getPort();
        try {
            PaddockClient paddock = PaddockClient.builder(connectString).build();
            return new LoopClient(new HttpLockOp(paddock, keys.keyPath(0), guard));
        } catch (PaddockException e) {
            throw new BenchException("cannot open a PaddockClient session at " + connectString + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while opening a PaddockClient session", e);
        }
    }

    /** The writer on the first server and {@code watchers} sessions spread over all, every stream open. */
    private BenchRun.Client watchRun(int watchers) throws BenchException {
        // One HTTP client for all watchers: each stream holds a connection of its own either way,
        // and one client is one selector thread, not one per watcher.
        HttpClient http = BenchHttp.newClient();
        List<WatchFanOut.Watcher> sessions = new ArrayList<>(watchers);
        String path = keys.keyPath(0);
        try {
            for (int i = 0; i < watchers; i++) {
                sessions.add(new HttpWatchSessions.Watcher(http, keys.serverOf(i), path));
            }
        } catch (BenchException e) {
            sessions.forEach(WatchFanOut.Watcher::close);
            throw e;
        }
        return new WatchFanOut(new HttpWatchSessions.Writer(BenchHttp.newClient(), keys.servers().get(0), path,
                keys.value()), sessions, 2 * BenchHttp.REQUEST_TIMEOUT.toMillis());
    }

    @Override
    public void cleanup() throws BenchException {
        keys.cleanup();
    }
}
