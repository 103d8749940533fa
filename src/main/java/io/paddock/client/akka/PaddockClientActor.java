package io.paddock.client.akka;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import io.paddock.client.AddWatchMode;
import io.paddock.client.ConnectionState;
import io.paddock.client.ConnectionStateListener;
import io.paddock.client.CreateOptions;
import io.paddock.client.MultiOp;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockClientBuilder;
import io.paddock.client.PaddockException;
import io.paddock.client.WatchEvent;
import io.paddock.client.Watcher;
import io.paddock.client.WatcherType;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.Stat;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A {@link PaddockClient} as a typed actor, for Akka applications: spawn it in the application's own
 * ActorSystem and send it {@link Command}s, each answered on its {@code replyTo} with a
 * {@link Response} (the operation's {@code …Result} record, or {@link Response.Failed}). It works
 * with tell (replyTo = the sender's own ref or a message adapter) and with
 * {@link akka.actor.typed.javadsl.AskPattern}.
 *
 * <pre>{@code
 * ActorRef<PaddockClientActor.Command> paddock =
 *         ctx.spawn(PaddockClientActor.create(PaddockClient.builder("127.0.0.1:8080")), "paddock");
 * paddock.tell(new PaddockClientActor.Subscribe(eventsAdapter));
 * paddock.tell(new PaddockClientActor.GetData("/config", true, responseAdapter));
 * }</pre>
 *
 * <p>The actor owns its client. It opens the session on Akka's blocking-I/O dispatcher (opening
 * blocks until a server answers), stashes the commands that arrive meanwhile, and answers them once
 * connected. If opening fails, the waiting commands are answered with the failure and the actor
 * tries again after {@link Settings#reopenDelay()}. Requests then go straight to the client's
 * asynchronous methods; each answer is told to {@code replyTo} from the request's completion, so
 * answers to different requests may arrive in any order (send one after the other's answer when
 * order matters, as with the client itself). Stopping the actor closes the session.
 *
 * <p>Watches follow ZooKeeper's default watcher: a read with {@code watch = true} leaves a one-shot
 * watch, {@link AddWatch} a persistent one, and every event of the session, node events and
 * session-state events alike, is told to each {@link Subscribe subscriber} in the order the
 * client heard them. Events and answers travel separately: a subscriber may get an event after
 * the answer to a later read that already saw the change. {@link SubscribeConnectionState}
 * subscribers hear the current {@link ConnectionState} at once and then every change.
 */
public final class PaddockClientActor {

    /** Opens a client: {@link PaddockClientBuilder#build} or a test's stand-in. May block. */
    @FunctionalInterface
    public interface ClientFactory {
        PaddockClient open() throws PaddockException, InterruptedException;
    }

    /**
     * @param stashCapacity commands kept while the session is being opened; more are answered with
     *                      a ConnectionLoss at once
     * @param reopenDelay   the pause after a failed attempt to open the session before the next
     */
    public record Settings(int stashCapacity, Duration reopenDelay) {
        public Settings {
            if (stashCapacity < 1) {
                throw new IllegalArgumentException("stashCapacity must be at least 1, not " + stashCapacity);
            }
            Objects.requireNonNull(reopenDelay, "reopenDelay");
            if (reopenDelay.isNegative() || reopenDelay.isZero()) {
                throw new IllegalArgumentException("reopenDelay must be positive, not " + reopenDelay);
            }
        }

        /** 10,000 waiting commands, 1 s between attempts to open the session. */
        public static Settings defaults() {
            return new Settings(10_000, Duration.ofSeconds(1));
        }

        public Settings withStashCapacity(int stashCapacity) {
            return new Settings(stashCapacity, reopenDelay);
        }

        public Settings withReopenDelay(Duration reopenDelay) {
            return new Settings(stashCapacity, reopenDelay);
        }
    }

    // ---- The protocol ----

    /** What the actor accepts. */
    public sealed interface Command {
    }

    /** An operation on the tree, answered on {@code replyTo}. */
    public sealed interface Request extends Command {
        ActorRef<Response> replyTo();
    }

    public record Create(String path, byte[] data, CreateOptions options, ActorRef<Response> replyTo) implements Request {
        public Create(String path, byte[] data, CreateMode mode, ActorRef<Response> replyTo) {
            this(path, data, CreateOptions.of(mode), replyTo);
        }
    }

    /** getData; {@code watch} leaves a one-shot data watch (an exists watch when the node is missing). */
    public record GetData(String path, boolean watch, ActorRef<Response> replyTo) implements Request {
    }

    /** exists; {@code watch} leaves a one-shot watch whether the node exists or not. */
    public record Exists(String path, boolean watch, ActorRef<Response> replyTo) implements Request {
    }

    /** getChildren; {@code watch} leaves a one-shot child watch. */
    public record GetChildren(String path, boolean watch, ActorRef<Response> replyTo) implements Request {
    }

    public record SetData(String path, byte[] data, int version, ActorRef<Response> replyTo) implements Request {
    }

    public record Delete(String path, int version, ActorRef<Response> replyTo) implements Request {
    }

    /** The node and its subtree, in one transaction. */
    public record DeleteRecursive(String path, ActorRef<Response> replyTo) implements Request {
    }

    public record GetAcl(String path, ActorRef<Response> replyTo) implements Request {
    }

    public record SetAcl(String path, List<Acl> acl, int version, ActorRef<Response> replyTo) implements Request {
    }

    /** All the ops in one transaction, or none. */
    public record Multi(List<MultiOp> ops, ActorRef<Response> replyTo) implements Request {
    }

    public record Sync(String path, ActorRef<Response> replyTo) implements Request {
    }

    /** A persistent watch; its events reach the subscribers until removed. */
    public record AddWatch(String path, AddWatchMode mode, ActorRef<Response> replyTo) implements Request {
    }

    public record RemoveWatches(String path, WatcherType type, ActorRef<Response> replyTo) implements Request {
    }

    public record GetEphemerals(String prefix, ActorRef<Response> replyTo) implements Request {
    }

    public record AddAuth(String scheme, byte[] auth, ActorRef<Response> replyTo) implements Request {
    }

    /** The session as the client sees it now. */
    public record GetSession(ActorRef<Response> replyTo) implements Request {
    }

    /** Every watch event of the session goes to {@code subscriber} from now on (until it stops). */
    public record Subscribe(ActorRef<WatchEvent> subscriber) implements Command {
    }

    public record Unsubscribe(ActorRef<WatchEvent> subscriber) implements Command {
    }

    /** The current connection state at once, then every change (until the subscriber stops). */
    public record SubscribeConnectionState(ActorRef<ConnectionState> subscriber) implements Command {
    }

    public record UnsubscribeConnectionState(ActorRef<ConnectionState> subscriber) implements Command {
    }

    /**
     * Closes the session (its ephemerals go at once), answers {@link Done} once the server has
     * closed it (or closing failed: then the session expires by itself), and stops the actor.
     * Stopping the actor otherwise closes the session too, without telling anyone when.
     */
    public record Close(ActorRef<Done> replyTo) implements Command {
    }

    /** What a {@link Request} is answered with. */
    public sealed interface Response {

        /**
         * This response as the success record expected, or the failure thrown: for callers that ask.
         *
         * @throws PaddockException       what the request failed with
         * @throws IllegalStateException  if the response is a success of another type
         */
        default <T extends Response> T expect(Class<T> type) throws PaddockException {
            if (this instanceof Failed f) {
                throw f.error();
            }
            if (!type.isInstance(this)) {
                throw new IllegalStateException("expected a " + type.getSimpleName() + ", got " + this);
            }
            return type.cast(this);
        }

        record Failed(PaddockException error) implements Response {
        }
    }

    public record CreateResult(String path, Stat stat) implements Response {
    }

    public record GetDataResult(String path, byte[] data, Stat stat) implements Response {
    }

    /** {@code stat} is empty when there is no such node. */
    public record ExistsResult(String path, Optional<Stat> stat) implements Response {
    }

    /** The children's names, sorted, and the parent's Stat. */
    public record GetChildrenResult(String path, List<String> children, Stat stat) implements Response {
    }

    public record SetDataResult(String path, Stat stat) implements Response {
    }

    public record DeleteResult(String path) implements Response {
    }

    public record GetAclResult(String path, List<Acl> acl, Stat stat) implements Response {
    }

    public record SetAclResult(String path, Stat stat) implements Response {
    }

    public record MultiResult(List<io.paddock.client.MultiResult> results) implements Response {
    }

    public record SyncResult(String path) implements Response {
    }

    public record AddWatchResult(String path, AddWatchMode mode) implements Response {
    }

    public record RemoveWatchesResult(String path, WatcherType type) implements Response {
    }

    public record GetEphemeralsResult(List<String> paths) implements Response {
    }

    public record AddAuthResult(String scheme) implements Response {
    }

    public record SessionResult(long sessionId, int sessionTimeoutMs, ConnectionState state, String server)
            implements Response {
    }

    // Internal messages.
    private record Opened(PaddockClient client) implements Command {
    }

    private record OpenFailed(PaddockException error) implements Command {
    }

    private enum Reopen implements Command { INSTANCE }

    private record EventHeard(WatchEvent event) implements Command {
    }

    private record StateChanged(ConnectionState state) implements Command {
    }

    // ---- Behavior ----

    /** A client of the servers in {@code connectString} with the client's and this actor's defaults. */
    public static Behavior<Command> create(String connectString) {
        return create(PaddockClient.builder(connectString));
    }

    public static Behavior<Command> create(PaddockClientBuilder builder) {
        return create(builder::build, Settings.defaults());
    }

    public static Behavior<Command> create(PaddockClientBuilder builder, Settings settings) {
        return create(builder::build, settings);
    }

    public static Behavior<Command> create(ClientFactory factory, Settings settings) {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(settings, "settings");
        return Behaviors.withStash(settings.stashCapacity(), stash -> Behaviors.withTimers(timers ->
                Behaviors.setup(ctx -> new PaddockClientActor(ctx, stash, timers, factory, settings).opening())));
    }

    /**
     * The watcher of reads with {@code watch = true}: it leaves the watch and does nothing more, as
     * every event reaches the subscribers through the watch listener (ZooKeeper's default watcher).
     */
    private static final Watcher DEFAULT_WATCHER = event -> { };

    private final ActorContext<Command> ctx;
    private final StashBuffer<Command> stash;
    private final TimerScheduler<Command> timers;
    private final ClientFactory factory;
    private final Settings settings;
    private final Executor blocking;
    private final Set<ActorRef<WatchEvent>> eventSubscribers = new LinkedHashSet<>();
    private final Set<ActorRef<ConnectionState>> stateSubscribers = new LinkedHashSet<>();
    /**
     * The client once opened, shared with the opening stage: whoever takes it out (PostStop, or a
     * stage that finishes after the actor stopped) closes it, so it is closed exactly once.
     */
    private final AtomicReference<PaddockClient> owned = new AtomicReference<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private PaddockClient client;
    private Watcher watchListener;
    private ConnectionStateListener stateListener;
    private ConnectionState lastState;

    private PaddockClientActor(ActorContext<Command> ctx, StashBuffer<Command> stash, TimerScheduler<Command> timers,
                               ClientFactory factory, Settings settings) {
        this.ctx = ctx;
        this.stash = stash;
        this.timers = timers;
        this.factory = factory;
        this.settings = settings;
        this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        open();
    }

    /** Opens the client on the blocking dispatcher; the result comes back as a message. */
    private void open() {
        CompletableFuture<PaddockClient> opening = CompletableFuture.supplyAsync(() -> {
            PaddockClient c;
            try {
                c = factory.open();
            } catch (PaddockException e) {
                throw new CompletionException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(
                        PaddockException.connectionLoss("interrupted while opening the session", e));
            }
            // Owned before the future completes, so before the actor hears Opened: a Close right
            // after it finds the client to close. (Set in a callback of the future instead, it
            // could come after Opened was handled, and Close answered Done with nothing closed.)
            owned.set(c);
            // The actor stopped while the session was opening: nobody else will close it.
            if (stopped.get() && owned.compareAndSet(c, null)) {
                c.close();
            }
            return c;
        }, blocking);
        ctx.pipeToSelf(opening, (c, error) -> error == null ? new Opened(c) : new OpenFailed(PaddockClient.asPaddockException(error)));
    }

    private Behavior<Command> opening() {
        return Behaviors.receive(Command.class)
                .onMessage(Opened.class, this::onOpened)
                .onMessage(OpenFailed.class, this::onOpenFailed)
                .onMessageEquals(Reopen.INSTANCE, () -> {
                    open();
                    return Behaviors.same();
                })
                .onMessage(Request.class, this::stashRequest)
                .onMessage(Close.class, c -> {
                    // Nothing to close yet: a session that opens later is closed by PostStop's rule.
                    PaddockException closed = PaddockException.connectionLoss("the client actor was closed", null);
                    stash.forEach(waiting -> {
                        if (waiting instanceof Request r) {
                            r.replyTo().tell(new Response.Failed(closed));
                        }
                    });
                    c.replyTo().tell(Done.getInstance());
                    return Behaviors.stopped();
                })
                .onMessage(Subscribe.class, this::onSubscribe)
                .onMessage(Unsubscribe.class, this::onUnsubscribe)
                .onMessage(SubscribeConnectionState.class, this::onSubscribeState)
                .onMessage(UnsubscribeConnectionState.class, this::onUnsubscribeState)
                .onSignal(Terminated.class, this::onTerminated)
                .onSignal(PostStop.class, s -> onPostStop())
                .build();
    }

    private Behavior<Command> stashRequest(Request r) {
        if (stash.isFull()) {
            r.replyTo().tell(new Response.Failed(PaddockException.connectionLoss(
                    "not connected yet, and " + stash.capacity() + " requests are already waiting for the session", null)));
        } else {
            stash.stash(r);
        }
        return Behaviors.same();
    }

    private Behavior<Command> onOpenFailed(OpenFailed f) {
        ctx.getLog().warn("Could not open a Paddock session ({}); trying again in {}", f.error().getMessage(),
                settings.reopenDelay());
        // The waiting requests learn of the failure now rather than at their ask timeout.
        stash.forEach(c -> {
            if (c instanceof Request r) {
                r.replyTo().tell(new Response.Failed(f.error()));
            }
        });
        stash.clear();
        timers.startSingleTimer(Reopen.INSTANCE, settings.reopenDelay());
        return Behaviors.same();
    }

    private Behavior<Command> onOpened(Opened o) {
        client = o.client();
        ActorRef<Command> self = ctx.getSelf();
        // Listeners run on the client's event thread; telling is thread-safe and keeps their order.
        watchListener = event -> self.tell(new EventHeard(event));
        stateListener = (c, state) -> self.tell(new StateChanged(state));
        client.addWatchListener(watchListener);
        client.addConnectionStateListener(stateListener);
        publishState(client.state());
        return stash.unstashAll(running());
    }

    private Behavior<Command> running() {
        return Behaviors.receive(Command.class)
                .onMessage(Request.class, this::onRequest)
                .onMessage(Close.class, this::onClose)
                .onMessage(EventHeard.class, e -> {
                    eventSubscribers.forEach(s -> s.tell(e.event()));
                    return Behaviors.same();
                })
                .onMessage(StateChanged.class, s -> {
                    publishState(s.state());
                    return Behaviors.same();
                })
                .onMessage(Subscribe.class, this::onSubscribe)
                .onMessage(Unsubscribe.class, this::onUnsubscribe)
                .onMessage(SubscribeConnectionState.class, this::onSubscribeState)
                .onMessage(UnsubscribeConnectionState.class, this::onUnsubscribeState)
                .onSignal(Terminated.class, this::onTerminated)
                .onSignal(PostStop.class, s -> onPostStop())
                .build();
    }

    private void publishState(ConnectionState state) {
        // The first state is read after the listener was added, so it may repeat the listener's first report.
        if (state == lastState) {
            return;
        }
        lastState = state;
        stateSubscribers.forEach(s -> s.tell(state));
    }

    private Behavior<Command> onRequest(Request r) {
        ActorRef<Response> replyTo = r.replyTo();
        if (r instanceof Create c) {
            answer(client.createAsync(c.path(), c.data(), c.options()), replyTo,
                    v -> new CreateResult(v.path(), v.stat()));
        } else if (r instanceof GetData g) {
            answer(client.getDataAsync(g.path(), watcher(g.watch())), replyTo,
                    v -> new GetDataResult(v.path(), v.data(), v.stat()));
        } else if (r instanceof Exists e) {
            answer(client.existsAsync(e.path(), watcher(e.watch())), replyTo, v -> new ExistsResult(e.path(), v));
        } else if (r instanceof GetChildren g) {
            answer(client.getChildrenAsync(g.path(), watcher(g.watch())), replyTo,
                    v -> new GetChildrenResult(g.path(), v.names(), v.stat()));
        } else if (r instanceof SetData s) {
            answer(client.setDataAsync(s.path(), s.data(), s.version()), replyTo, v -> new SetDataResult(s.path(), v));
        } else if (r instanceof Delete d) {
            answer(client.deleteAsync(d.path(), d.version()), replyTo, v -> new DeleteResult(d.path()));
        } else if (r instanceof DeleteRecursive d) {
            answer(client.deleteRecursiveAsync(d.path()), replyTo, v -> new DeleteResult(d.path()));
        } else if (r instanceof GetAcl g) {
            answer(client.getAclAsync(g.path()), replyTo, v -> new GetAclResult(g.path(), v.acl(), v.stat()));
        } else if (r instanceof SetAcl s) {
            answer(client.setAclAsync(s.path(), s.acl(), s.version()), replyTo, v -> new SetAclResult(s.path(), v));
        } else if (r instanceof Multi m) {
            answer(client.multiAsync(m.ops()), replyTo, MultiResult::new);
        } else if (r instanceof Sync s) {
            answer(client.syncAsync(s.path()), replyTo, v -> new SyncResult(s.path()));
        } else if (r instanceof AddWatch a) {
            answer(client.addWatchAsync(a.path(), a.mode(), DEFAULT_WATCHER), replyTo,
                    v -> new AddWatchResult(a.path(), a.mode()));
        } else if (r instanceof RemoveWatches w) {
            answer(client.removeWatchesAsync(w.path(), w.type()), replyTo,
                    v -> new RemoveWatchesResult(w.path(), w.type()));
        } else if (r instanceof GetEphemerals g) {
            answer(client.getEphemeralsAsync(g.prefix()), replyTo, GetEphemeralsResult::new);
        } else if (r instanceof AddAuth a) {
            answer(client.addAuthAsync(a.scheme(), a.auth()), replyTo, v -> new AddAuthResult(a.scheme()));
        } else if (r instanceof GetSession) {
            replyTo.tell(new SessionResult(client.sessionId(), client.sessionTimeoutMs(), client.state(),
                    client.currentServer()));
        } else {
            throw new IllegalStateException("unhandled request " + r);
        }
        return Behaviors.same();
    }

    private static Watcher watcher(boolean watch) {
        return watch ? DEFAULT_WATCHER : null;
    }

    /**
     * Tells the answer from the stage's completion, on whichever thread completes it: the actor
     * is not involved, so a slow request never holds up the others.
     */
    private static <T> void answer(CompletionStage<T> stage, ActorRef<Response> replyTo,
                                   Function<T, Response> success) {
        stage.whenComplete((value, error) -> replyTo.tell(error == null ? success.apply(value)
                : new Response.Failed(PaddockClient.asPaddockException(error))));
    }

    private Behavior<Command> onSubscribe(Subscribe s) {
        eventSubscribers.add(s.subscriber());
        ctx.watch(s.subscriber());
        return Behaviors.same();
    }

    private Behavior<Command> onUnsubscribe(Unsubscribe s) {
        eventSubscribers.remove(s.subscriber());
        unwatchIfUnused(s.subscriber());
        return Behaviors.same();
    }

    private Behavior<Command> onSubscribeState(SubscribeConnectionState s) {
        stateSubscribers.add(s.subscriber());
        ctx.watch(s.subscriber());
        if (lastState != null) {
            s.subscriber().tell(lastState);
        }
        return Behaviors.same();
    }

    private Behavior<Command> onUnsubscribeState(UnsubscribeConnectionState s) {
        stateSubscribers.remove(s.subscriber());
        unwatchIfUnused(s.subscriber());
        return Behaviors.same();
    }

    private void unwatchIfUnused(ActorRef<?> ref) {
        if (!eventSubscribers.contains(ref) && !stateSubscribers.contains(ref)) {
            ctx.unwatch(ref);
        }
    }

    private Behavior<Command> onTerminated(Terminated t) {
        eventSubscribers.remove(t.getRef());
        stateSubscribers.remove(t.getRef());
        return Behaviors.same();
    }

    private Behavior<Command> onClose(Close close) {
        PaddockClient c = owned.getAndSet(null);
        ActorRef<Done> replyTo = close.replyTo();
        if (c == null) {
            replyTo.tell(Done.getInstance());
        } else {
            detachListeners(c);
            CompletableFuture.runAsync(c::close, blocking).whenComplete((x, error) -> replyTo.tell(Done.getInstance()));
        }
        return Behaviors.stopped();
    }

    /** The actor is going: what closing reports (the Closed event, a state change) has nobody to reach. */
    private void detachListeners(PaddockClient c) {
        if (watchListener != null) {
            c.removeWatchListener(watchListener);
            c.removeConnectionStateListener(stateListener);
        }
    }

    /** Closes the session off the actor's dispatcher (closing waits for the server's answer). */
    private Behavior<Command> onPostStop() {
        stopped.set(true);
        PaddockClient c = owned.getAndSet(null);
        if (c != null) {
            detachListeners(c);
            try {
                CompletableFuture.runAsync(c::close, blocking);
            } catch (RejectedExecutionException e) {
                // The actor system is shutting down its dispatchers: close here rather than leak the session.
                c.close();
            }
        }
        return Behaviors.same();
    }
}
