package io.paddock.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paddock.tree.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client's session and its connection to one server at a time: requests with retries and
 * failover, heartbeats, the session's event stream, the connection state, and the watchers.
 *
 * <p>Guarantees: a request that never reached a server (connection refused, or a server that said
 * so with {@code retrySafe}) is sent again, to the next server, within the retry policy; a request
 * whose outcome is unknown is sent again only when it is idempotent. Events reach watchers in the
 * order the server sent them. A move to another server re-arms every watch the client holds there
 * (setWatches, firing what changed since) and adds the session's identities again before the
 * client reports {@link ConnectionState#RECONNECTED}.
 *
 * <p>Threads: the JDK HttpClient's (answers), one timer (heartbeats, retry pauses), one reader of
 * the event stream (which blocks on it), and one event thread that runs watchers and listeners.
 */
final class ClientConnection {

    static final String SESSION_HEADER = "Paddock-Session";
    static final String ZXID_HEADER = "Paddock-Zxid";
    /** ZooKeeper's zxid of an event that no transaction fired. */
    static final long NO_ZXID = -1L;
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    /** A request of the HTTP API: method, path and query below the server, JSON body or none. */
    record Call(String method, String target, JsonNode body, boolean idempotent) {
    }

    /** A successful answer: its status, its body (maybe empty), and the zxid it carried. */
    record Answer(int status, byte[] body, long zxid) {
        JsonNode json() throws PaddockException {
            return ClientJson.parse(body);
        }
    }

    record Session(long id, int timeoutMs) {
    }

    /** Where a request went: the server, which failover it belonged to, and the session it acted for. */
    private record Target(String server, long epoch, Session session) {
    }

    private final List<String> servers;
    private final Duration requestTimeout;
    private final Duration sessionTimeout;
    private final RetryPolicy retryPolicy;
    private final HttpClient http;
    private final ExecutorService httpExecutor;
    private final ScheduledExecutorService timer;
    private final ClientEvents events;
    private final Thread streamReader;

    private final Object lock = new Object();
    private final ClientWatches watches = new ClientWatches();
    private final List<String[]> auths = new ArrayList<>();
    private int serverIndex;
    private long epoch;
    private Session session;
    private ConnectionState state = ConnectionState.CONNECTED;
    private long lastContactNanos = System.nanoTime();
    private InputStream openStream;

    private final AtomicLong lastZxid = new AtomicLong();
    private volatile long lastEventZxid;
    private volatile boolean closed;

    ClientConnection(PaddockClient owner, PaddockClientBuilder settings) {
        this.events = new ClientEvents(owner, settings.stateListeners());
        this.servers = settings.servers();
        this.requestTimeout = settings.requestTimeout();
        this.sessionTimeout = settings.sessionTimeout();
        this.retryPolicy = settings.retryPolicy();
        this.httpExecutor = Executors.newCachedThreadPool(daemon("paddock-client-http"));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .executor(httpExecutor)
                .build();
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("paddock-client-timer"));
        this.streamReader = daemon("paddock-client-stream").newThread(this::readEvents);
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---- Life cycle ----

    /** Opens the first session (trying the servers in turn), then starts heartbeats and the event stream. */
    void open() throws PaddockException, InterruptedException {
        Session s = PaddockClient.await(openSession());
        Runnable connected;
        synchronized (lock) {
            session = s;
            lastContactNanos = System.nanoTime();
            connected = changeState(ConnectionState.CONNECTED);
        }
        events.dispatch(connected);
        streamReader.start();
        long period = Math.max(50, s.timeoutMs() / 3);
        timer.scheduleWithFixedDelay(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
    }

    /** POST /v1/sessions on the current server, moving on and retrying within the retry policy. */
    private CompletableFuture<Session> openSession() {
        ObjectNode body = ClientJson.object();
        body.put("timeoutMs", sessionTimeout.toMillis());
        // Sent again when its answer is lost: a session nobody uses just expires.
        return call(new Call("POST", "/v1/sessions", body, true), false).thenApply(a -> {
            try {
                JsonNode n = a.json();
                return new Session(ClientJson.id(n, "sessionId"), n.path("timeoutMs").asInt());
            } catch (PaddockException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    void close() {
        Session s;
        String server;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = session;
            server = servers.get(serverIndex);
            cutStream();
        }
        if (s != null) {
            try {
                send(new Target(server, -1, s), new Call("DELETE", "/v1/sessions/" + ClientJson.hex(s.id()), null, false))
                        .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.debug("closing session {} on {}: {}", ClientJson.hex(s.id()), server, e.toString());
            }
        }
        events.deliver(List.of(), WatchEvent.state(EventState.Closed));
        timer.shutdownNow();
        events.shutdown();
        streamReader.interrupt();
        httpExecutor.shutdown();
    }

    // ---- What the client shows ----

    Session session() {
        synchronized (lock) {
            return session;
        }
    }

    ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    String currentServer() {
        synchronized (lock) {
            return servers.get(serverIndex);
        }
    }

    long lastZxidSeen() {
        return lastZxid.get();
    }

    /** Who hears the client's events and states, and the thread they run on. */
    ClientEvents events() {
        return events;
    }

    /** Runs {@code change} on the watch registry under the client's lock. */
    <T> T watches(java.util.function.Function<ClientWatches, T> change) {
        synchronized (lock) {
            return change.apply(watches);
        }
    }

    void rememberAuth(String scheme, String auth) {
        synchronized (lock) {
            for (String[] a : auths) {
                if (a[0].equals(scheme) && a[1].equals(auth)) {
                    return;
                }
            }
            auths.add(new String[] {scheme, auth});
        }
    }

    // ---- Requests ----

    /** Sends a request for the session, with retries and failover; the stage fails with a PaddockException. */
    CompletableFuture<Answer> call(Call call) {
        return call(call, true);
    }

    private CompletableFuture<Answer> call(Call call, boolean forSession) {
        CompletableFuture<Answer> out = new CompletableFuture<>();
        attempt(call, forSession, out, 0, System.nanoTime());
        return out;
    }

    private void attempt(Call call, boolean forSession, CompletableFuture<Answer> out, int retry, long started) {
        if (closed) {
            out.completeExceptionally(new PaddockException.ConnectionLossException(null, "the client is closed"));
            return;
        }
        Target t = target();
        if (forSession && t.session() == null) {
            retryOrFail(call, forSession, out, retry, started,
                    new PaddockException.ConnectionLossException(null, "the client has no session now (a new one is being opened)"));
            return;
        }
        send(t, call, forSession).whenComplete((answer, failure) -> {
            if (failure == null) {
                out.complete(answer);
                return;
            }
            Throwable f = unwrap(failure);
            if (f instanceof Refused r) {
                if (r.retrySafe || call.idempotent()) {
                    if (r.retrySafe) {
                        suspect(t, "it is not serving clients now");
                    }
                    retryOrFail(call, forSession, out, retry, started, r.error);
                } else {
                    out.completeExceptionally(r.error);
                }
                return;
            }
            if (f instanceof PaddockException p) {
                if (p instanceof PaddockException.SessionExpiredException && forSession) {
                    sessionLost(t.session());
                }
                out.completeExceptionally(p);
                return;
            }
            boolean notSent = neverSent(f);
            suspect(t, f.toString());
            if (notSent || call.idempotent()) {
                retryOrFail(call, forSession, out, retry, started,
                        PaddockException.connectionLoss("cannot reach " + t.server() + ": " + f, f));
            } else {
                out.completeExceptionally(PaddockException.connectionLoss("lost " + t.server() + " after sending "
                        + call.method() + " " + call.target() + " (" + f + "); it may or may not have taken effect", f));
            }
        });
    }

    private void retryOrFail(Call call, boolean forSession, CompletableFuture<Answer> out, int retry, long started,
                             PaddockException cause) {
        Optional<Duration> delay = retryPolicy.delayBeforeRetry(retry + 1, Duration.ofNanos(System.nanoTime() - started));
        if (delay.isEmpty() || closed) {
            out.completeExceptionally(cause);
            return;
        }
        try {
            timer.schedule(() -> attempt(call, forSession, out, retry + 1, started),
                    delay.get().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            out.completeExceptionally(cause);
        }
    }

    /** A 503 answer: the server's error, and whether it refused without handing the request on. */
    private static final class Refused extends Exception {
        final PaddockException error;
        final boolean retrySafe;

        Refused(PaddockException error, boolean retrySafe) {
            super(error.getMessage(), null, false, false);
            this.error = error;
            this.retrySafe = retrySafe;
        }
    }

    private CompletableFuture<Answer> send(Target t, Call call) {
        return send(t, call, true);
    }

    /** One attempt at one server; fails with Refused (503), a PaddockException, or the I/O error. */
    private CompletableFuture<Answer> send(Target t, Call call, boolean forSession) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + t.server() + call.target()))
                .timeout(requestTimeout);
        if (call.body() != null) {
            b.header("Content-Type", "application/json");
            b.method(call.method(), HttpRequest.BodyPublishers.ofByteArray(ClientJson.bytes(call.body())));
        } else {
            b.method(call.method(), HttpRequest.BodyPublishers.noBody());
        }
        if (forSession && t.session() != null) {
            b.header(SESSION_HEADER, ClientJson.hex(t.session().id()));
        }
        long seen = lastZxid.get();
        if (seen > 0) {
            b.header(ZXID_HEADER, ClientJson.hex(seen));
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray()).thenCompose(resp -> {
            resp.headers().firstValue(ZXID_HEADER).ifPresent(this::noteZxid);
            int status = resp.statusCode();
            byte[] body = resp.body();
            if (status < 300) {
                contact();
                return CompletableFuture.completedFuture(new Answer(status, body, resp.headers()
                        .firstValue(ZXID_HEADER).map(ClientJson::parseId).orElse(lastZxid.get())));
            }
            PaddockException e = ClientJson.error(status, body);
            if (status == 503) {
                return CompletableFuture.failedFuture(new Refused(e, ClientJson.retrySafe(body)));
            }
            contact();
            return CompletableFuture.failedFuture(e);
        });
    }

    private void noteZxid(String header) {
        try {
            noteZxid(ClientJson.parseId(header));
        } catch (NumberFormatException e) {
            log.debug("a bad {} header: {}", ZXID_HEADER, header);
        }
    }

    private void noteZxid(long zxid) {
        if (zxid == NO_ZXID) {
            return;
        }
        lastZxid.accumulateAndGet(zxid, (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
    }

    private void contact() {
        synchronized (lock) {
            lastContactNanos = System.nanoTime();
        }
    }

    private Target target() {
        synchronized (lock) {
            return new Target(servers.get(serverIndex), epoch, session);
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** Whether an I/O failure happened before the request could reach the server. */
    private static boolean neverSent(Throwable f) {
        for (Throwable c = f; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    // ---- Failover and the connection state ----

    /**
     * The server a request went to has failed it: move to the next one (unless an earlier failure
     * already moved on), report SUSPENDED, and cut the event stream so that it follows.
     */
    private void suspect(Target t, String why) {
        List<Runnable> notices = new ArrayList<>();
        synchronized (lock) {
            if (closed || t.epoch() != epoch) {
                return;
            }
            log.info("moving from {}: {}", t.server(), why);
            serverIndex = (serverIndex + 1) % servers.size();
            epoch++;
            cutStream();
            if (state.isConnected()) {
                notices.add(changeState(ConnectionState.SUSPENDED));
            }
        }
        notices.forEach(events::dispatch);
    }

    /** Must hold the lock; the notice to dispatch once it is released. */
    private Runnable changeState(ConnectionState next) {
        state = next;
        return events.stateChange(next);
    }

    private void cutStream() {
        InputStream s = openStream;
        openStream = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                log.debug("closing the event stream: {}", e.toString());
            }
        }
    }

    /**
     * The session is gone (a server said so, or it went unserved for its whole timeout): every
     * watcher hears Expired and is forgotten, LOST is reported, and a new session is opened.
     */
    void sessionLost(Session lost) {
        List<Watcher> expired;
        Runnable notice;
        synchronized (lock) {
            if (closed || lost == null || session != lost) {
                return;
            }
            log.info("session {} is lost", ClientJson.hex(lost.id()));
            session = null;
            expired = watches.all();
            watches.clear();
            notice = changeState(ConnectionState.LOST);
            epoch++;
            cutStream();
        }
        events.deliver(expired, WatchEvent.state(EventState.Expired));
        events.dispatch(notice);
        reopen();
    }

    /** Opens a new session after LOST, trying until one opens or the client closes. */
    private void reopen() {
        if (closed) {
            return;
        }
        openSession().whenComplete((s, failure) -> {
            if (failure != null) {
                log.info("opening a new session failed ({}); trying again", unwrap(failure).toString());
                try {
                    timer.schedule(this::reopen, 500, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    log.debug("client closed while opening a new session");
                }
                return;
            }
            synchronized (lock) {
                if (closed) {
                    return;
                }
                session = s;
                lastContactNanos = System.nanoTime();
                lock.notifyAll();
            }
        });
    }

    private void heartbeat() {
        Target t = target();
        Session s = t.session();
        if (s == null || closed) {
            return;
        }
        synchronized (lock) {
            if (state == ConnectionState.SUSPENDED
                    && System.nanoTime() - lastContactNanos > TimeUnit.MILLISECONDS.toNanos(s.timeoutMs())) {
                // Unserved for a whole timeout: the ensemble has expired it, or will (Curator does the same).
                timer.execute(() -> sessionLost(s));
                return;
            }
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + t.server() + "/v1/sessions/"
                        + ClientJson.hex(s.id()) + "/heartbeat"))
                .timeout(Duration.ofMillis(Math.max(100, s.timeoutMs() * 2L / 3)))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((resp, failure) -> {
            if (failure != null) {
                suspect(t, "heartbeat: " + unwrap(failure));
            } else if (resp.statusCode() == 410) {
                sessionLost(s);
            } else if (resp.statusCode() >= 500) {
                suspect(t, "heartbeat answered " + resp.statusCode());
            } else {
                contact();
            }
        });
    }

    // ---- The event stream ----

    /** The stream reader's loop: keeps the session's event stream open on the current server. */
    private void readEvents() {
        String streamServer = null;
        long streamSession = 0;
        int failures = 0;
        while (!closed) {
            Target t;
            synchronized (lock) {
                while (session == null && !closed) {
                    try {
                        lock.wait(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                t = target();
            }
            boolean resume = t.server().equals(streamServer) && t.session().id() == streamSession;
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + t.server() + "/v1/sessions/"
                                + ClientJson.hex(t.session().id()) + "/events"))
                        .timeout(requestTimeout).GET();
                if (resume) {
                    // Even with no event yet: the server replays what it sent the stream that broke.
                    b.header("Last-Event-ID", ClientJson.hex(lastEventZxid));
                }
                HttpResponse<InputStream> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                if (resp.statusCode() != 200) {
                    resp.body().close();
                    if (resp.statusCode() == 410) {
                        sessionLost(t.session());
                    } else {
                        suspect(t, "the event stream answered " + resp.statusCode());
                        pause(failures++);
                    }
                    continue;
                }
                synchronized (lock) {
                    if (t.epoch() != epoch || closed) {
                        resp.body().close();
                        continue;
                    }
                    openStream = resp.body();
                }
                if (!resume) {
                    rearm(t);
                }
                streamServer = t.server();
                streamSession = t.session().id();
                connected(t);
                failures = 0;
                readStream(t, resp.body());
                // The stream ended without a Session event: the server went away.
                if (!closed) {
                    suspect(t, "the event stream ended");
                }
            } catch (IOException | PaddockException e) {
                if (closed) {
                    return;
                }
                suspect(t, "event stream: " + e);
                streamServer = null;
                pause(failures++);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pause(int failures) {
        try {
            Thread.sleep(Math.min(1000, 50L << Math.min(failures, 5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readStream(Target t, InputStream in) throws IOException, PaddockException, InterruptedException {
        SseParser parser = new SseParser();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                Optional<SseParser.Event> e = parser.line(line);
                if (e.isPresent() && !onEvent(t, e.get())) {
                    return;
                }
            }
        }
    }

    /** Handles one event of the stream; false when the stream is over (the session ended). */
    private boolean onEvent(Target t, SseParser.Event e) throws PaddockException, InterruptedException {
        if (e.data().isEmpty()) {
            return true; // a keep-alive
        }
        JsonNode data = ClientJson.parse(e.data().getBytes(StandardCharsets.UTF_8));
        // Events that setWatches fires carry ZooKeeper's "no zxid" (-1): nothing to note or resume from.
        long zxid = ClientJson.id(data, "zxid");
        boolean hasZxid = zxid != NO_ZXID;
        if (hasZxid) {
            noteZxid(zxid);
        }
        switch (e.name()) {
            case "Session" -> {
                if ("Expired".equals(data.path("state").asText())) {
                    sessionLost(t.session());
                }
                return false;
            }
            case "Resync" -> {
                // Events were dropped while no stream was open: have the server fire what changed.
                rearm(t);
                return true;
            }
            default -> {
                EventType type;
                try {
                    type = EventType.valueOf(e.name());
                } catch (IllegalArgumentException unknown) {
                    log.debug("an event of an unknown type: {}", e.name());
                    return true;
                }
                String path = data.path("path").asText();
                if (hasZxid) {
                    lastEventZxid = zxid;
                }
                List<Watcher> targets;
                synchronized (lock) {
                    targets = watches.materialize(type, path);
                }
                events.deliver(targets, new WatchEvent(type, EventState.SyncConnected, path, zxid));
                return true;
            }
        }
    }

    /** On a server the stream has not used before: the session's watches and identities, again. */
    private void rearm(Target t) throws PaddockException, InterruptedException {
        ClientWatches.Snapshot s;
        List<String[]> identities;
        synchronized (lock) {
            s = watches.snapshot(lastEventZxid);
            identities = List.copyOf(auths);
        }
        String sessionPath = "/v1/sessions/" + ClientJson.hex(t.session().id());
        for (String[] a : identities) {
            ObjectNode body = ClientJson.object();
            body.put("scheme", a[0]);
            body.put("auth", a[1]);
            awaitSend(t, new Call("POST", sessionPath + "/auth", body, true));
        }
        if (!s.isEmpty()) {
            awaitSend(t, new Call("POST", sessionPath + "/watches", ClientJson.setWatches(s), true));
        }
    }

    private void awaitSend(Target t, Call call) throws PaddockException, InterruptedException {
        PaddockClient.await(send(t, call));
    }

    /** The stream is open on a server: report CONNECTED/RECONNECTED if the client was not. */
    private void connected(Target t) {
        Runnable notice = null;
        synchronized (lock) {
            if (t.epoch() == epoch && !state.isConnected()) {
                notice = changeState(ConnectionState.RECONNECTED);
            }
            lastContactNanos = System.nanoTime();
        }
        if (notice != null) {
            events.dispatch(notice);
        }
    }
}
