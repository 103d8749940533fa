package io.paddock.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.paddock.PaddockNode;
import io.paddock.server.PaddockConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The HTTP API in front of a real Paddock node, over real HTTP. */
class HttpEndToEndTest {

    /** Small, so that a few changes overflow a session's event window. */
    static final int EVENT_WINDOW = 4;
    static final Duration DEADLINE = Duration.ofSeconds(15);

    @TempDir
    static Path dataDir;

    static PaddockNode node;
    static String base;
    static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @BeforeAll
    static void start() throws Exception {
        PaddockConfig config = PaddockConfig.defaults(dataDir).withPorts(0, 0).withClientPortAddress("127.0.0.1")
                .withEventWindow(EVENT_WINDOW);
        node = PaddockNode.start(config);
        base = "http://127.0.0.1:" + node.httpAddress().getPort();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    // ---- a small client ------------------------------------------------------------------

    record Response(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JsonModel.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    static Response call(String method, String path, String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(DEADLINE)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        }
    }

    static JsonNode ok(int status, Response r) {
        assertEquals(status, r.status(), r.body());
        return r.status() == 204 ? null : r.json();
    }

    static String openSession() {
        return ok(201, call("POST", "/v1/sessions", "{\"timeoutMs\":30000}")).get("sessionId").asText();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static void assertError(Response r, int status, String error) {
        assertEquals(status, r.status(), r.body());
        assertEquals(error, r.json().get("error").asText(), r.body());
    }

    /** A session's event stream, read line by line on its own thread. */
    static final class EventStream implements AutoCloseable {
        private static final Map<String, String> END = Map.of();
        private final BlockingQueue<Map<String, String>> events = new LinkedBlockingQueue<>();
        private final InputStream body;

        EventStream(String sessionId, String lastEventId) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v1/sessions/" + sessionId + "/events"))
                    .GET();
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<InputStream> r = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream())
                    .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(200, r.statusCode());
            body = r.body();
            Thread reader = new Thread(this::read, "sse-reader-" + sessionId);
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                Map<String, String> current = new LinkedHashMap<>();
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.isEmpty()) {
                        if (!current.isEmpty()) {
                            events.add(current);
                            current = new LinkedHashMap<>();
                        }
                    } else if (!line.startsWith(":")) {
                        int colon = line.indexOf(':');
                        current.put(line.substring(0, colon), line.substring(colon + 1).stripLeading());
                    }
                }
            } catch (IOException e) {
                // Closed by the test, or the server ended the stream.
            } finally {
                events.add(END);
            }
        }

        /** The next event, failing after the deadline; null when the stream has ended. */
        Map<String, String> next() throws InterruptedException {
            Map<String, String> e = events.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                fail("no event within " + DEADLINE);
            }
            return e == END ? null : e;
        }

        /** The next event, which must be of this type and path; returns its zxid. */
        String expect(String type, String path) throws InterruptedException {
            Map<String, String> e = next();
            assertNotNull(e, "the stream ended before " + type + " " + path);
            assertEquals(type, e.get("event"), e.toString());
            JsonNode data;
            try {
                data = JsonModel.MAPPER.readTree(e.get("data"));
            } catch (IOException ex) {
                throw new AssertionError(ex);
            }
            assertEquals(type, data.get("type").asText());
            if (path != null) {
                assertEquals(path, data.get("path").asText(), e.toString());
            }
            assertEquals(e.get("id"), data.get("zxid").asText());
            return e.get("id");
        }

        /**
         * The next event, which must be one setWatches fired for this type and path: it carries
         * ZooKeeper's NO_ZXID (-1) and no SSE id.
         */
        void expectRearmed(String type, String path) throws InterruptedException {
            Map<String, String> e = next();
            assertNotNull(e, "the stream ended before " + type + " " + path);
            assertEquals(type, e.get("event"), e.toString());
            assertFalse(e.containsKey("id"), e.toString());
            assertEquals("{\"type\":\"" + type + "\",\"path\":\"" + path + "\",\"zxid\":\"0xffffffffffffffff\"}",
                    e.get("data"));
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    // ---- the walk-through's flow -------------------------------------------------------------

    @Test
    void theWalkThroughFlowWorksAgainstARealServer() {
        ok(200, call("GET", "/health", null));
        assertEquals("standalone", ok(200, call("GET", "/v1/status", null)).get("mode").asText());
        String sid = openSession();
        assertTrue(sid.startsWith("0x"), sid);
        ok(200, call("POST", "/v1/sessions/" + sid + "/heartbeat", null));

        JsonNode created = ok(201, call("POST", "/v1/znodes/wt", "{\"data\":\"" + b64("hello") + "\"}"));
        assertEquals("/wt", created.get("path").asText());
        assertEquals(5, created.get("stat").get("dataLength").asInt());
        ok(201, call("POST", "/v1/znodes/wt/config/db?parents=true", "{\"data\":\"" + b64("url") + "\"}"));
        ok(201, call("POST", "/v1/znodes/wt/worker", "{\"mode\":\"EPHEMERAL\"}", "Paddock-Session", sid));

        JsonNode got = ok(200, call("GET", "/v1/znodes/wt", null));
        assertEquals("hello", new String(Base64.getDecoder().decode(got.get("data").asText()), StandardCharsets.UTF_8));
        assertEquals("[\"config\",\"worker\"]", ok(200, call("GET", "/v1/children/wt", null)).get("children").toString());
        assertEquals("[\"/wt/config\",\"/wt/config/db\",\"/wt/worker\"]",
                ok(200, call("GET", "/v1/children/wt?recursive=true", null)).get("children").toString());
        assertEquals("[\"/wt/worker\"]",
                ok(200, call("GET", "/v1/ephemerals?path=/wt", null, "Paddock-Session", sid)).get("ephemerals").toString());

        JsonNode set = ok(200, call("PUT", "/v1/znodes/wt", "{\"data\":\"" + b64("v2") + "\",\"version\":0}"));
        assertEquals(1, set.get("stat").get("version").asInt());
        assertError(call("PUT", "/v1/znodes/wt", "{\"data\":\"\",\"version\":0}"), 409, "BadVersion");
        assertEquals("/wt", ok(200, call("POST", "/v1/sync/wt", null)).get("path").asText());
        assertError(call("DELETE", "/v1/znodes/wt", null), 409, "NotEmpty");
        assertError(call("POST", "/v1/znodes/wt/worker/child", "{}"), 409, "NoChildrenForEphemerals");
        assertError(call("POST", "/v1/znodes/wt", "{}"), 409, "NodeExists");
        ok(204, call("DELETE", "/v1/znodes/wt?recursive=true", null));
        assertError(call("GET", "/v1/stat/wt/config/db", null), 404, "NoNode");
        ok(204, call("DELETE", "/v1/sessions/" + sid, null));
    }

    @Test
    void bareBytesRoundTripWithTheStatInAHeader() throws Exception {
        byte[] data = {0, (byte) 0xff, 10, 13, 'x'};
        HttpRequest put = HttpRequest.newBuilder(URI.create(base + "/v1/znodes/raw?mode=PERSISTENT"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build();
        assertEquals(201, http.send(put, HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/znodes/raw?raw")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertArrayEquals(data, r.body());
        JsonNode stat = JsonModel.MAPPER.readTree(r.headers().firstValue("Paddock-Stat").orElseThrow());
        assertEquals(5, stat.get("dataLength").asInt());
        assertTrue(stat.get("czxid").asText().startsWith("0x"));
    }

    @Test
    void ephemeralsVanishWhenTheirSessionClosesAndNotBefore() {
        String sid = openSession();
        String other = openSession();
        ok(201, call("POST", "/v1/znodes/eph-a", "{\"mode\":\"EPHEMERAL\"}", "Paddock-Session", sid));
        ok(201, call("POST", "/v1/znodes/eph-b", "{\"mode\":\"EPHEMERAL\"}", "Paddock-Session", other));
        JsonNode stat = ok(200, call("GET", "/v1/stat/eph-a", null)).get("stat");
        assertEquals(sid, stat.get("ephemeralOwner").asText());
        ok(204, call("DELETE", "/v1/sessions/" + sid, null));
        assertError(call("GET", "/v1/stat/eph-a", null), 404, "NoNode");
        ok(200, call("GET", "/v1/stat/eph-b", null));
        assertError(call("POST", "/v1/sessions/" + sid + "/heartbeat", null), 410, "SessionExpired");
        assertError(call("GET", "/v1/znodes/eph-b", null, "Paddock-Session", sid), 410, "SessionExpired");
        ok(204, call("DELETE", "/v1/sessions/" + other, null));
        assertError(call("GET", "/v1/stat/eph-b", null), 404, "NoNode");
    }

    @Test
    void aStreamWhoseReaderVanishesStopsKeepingItsSessionAlive() throws Exception {
        int tick = PaddockConfig.DEFAULT_TICK_TIME;
        int timeoutMs = 2 * tick;
        String sid = ok(201, call("POST", "/v1/sessions", "{\"timeoutMs\":" + timeoutMs + "}"))
                .get("sessionId").asText();
        ok(201, call("POST", "/v1/znodes/vanishing", "{\"mode\":\"EPHEMERAL\"}", "Paddock-Session", sid));
        // A reader on a raw socket, closed as the kernel closes a killed process's sockets.
        try (java.net.Socket reader = new java.net.Socket("127.0.0.1", node.httpAddress().getPort())) {
            reader.getOutputStream().write(("GET /v1/sessions/" + sid + "/events HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(reader.getInputStream(), StandardCharsets.US_ASCII));
            assertTrue(in.readLine().startsWith("HTTP/1.1 200"));
        }
        long gone = System.nanoTime();
        // Expiry within the timeout plus its tick buckets, plus a keep-alive to find the reader gone:
        // well under the 5 s keep-alives of before, which let it live two of them longer.
        long bound = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs + 3L * tick);
        while (call("GET", "/v1/stat/vanishing", null).status() == 200) {
            assertTrue(System.nanoTime() < bound, "the session outlived its timeout by more than three ticks");
            Thread.sleep(50);
        }
        assertTrue(System.nanoTime() - gone >= TimeUnit.MILLISECONDS.toNanos(timeoutMs / 2),
                "expired before its timeout");
    }

    @Test
    void sequentialNamesCountFromTheParent() {
        ok(201, call("POST", "/v1/znodes/seq", "{}"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            names.add(ok(201, call("POST", "/v1/znodes/seq/job-", "{\"mode\":\"PERSISTENT_SEQUENTIAL\"}"))
                    .get("path").asText());
        }
        assertEquals(List.of("/seq/job-0000000000", "/seq/job-0000000001", "/seq/job-0000000002"), names);
        // A trailing slash is a legal sequential name: the suffix alone.
        assertEquals("/seq/0000000003",
                ok(201, call("POST", "/v1/znodes/seq/", "{\"mode\":\"PERSISTENT_SEQUENTIAL\"}")).get("path").asText());
        assertError(call("POST", "/v1/znodes/seq/", "{}"), 400, "BadArguments");
    }

    @Test
    void aMultiAppliesAllOrNothing() {
        ok(201, call("POST", "/v1/znodes/m", "{}"));
        Response failed = call("POST", "/v1/multi", "{\"ops\":[{\"op\":\"create\",\"path\":\"/m/a\"},"
                + "{\"op\":\"setData\",\"path\":\"/m\",\"data\":\"" + b64("x") + "\"},"
                + "{\"op\":\"delete\",\"path\":\"/m/missing\"}]}");
        assertError(failed, 404, "NoNode");
        assertEquals(2, failed.json().get("index").asInt());
        assertEquals("[\"OK\",\"OK\",\"NoNode\"]", errorNames(failed.json().get("results")));
        assertError(call("GET", "/v1/stat/m/a", null), 404, "NoNode");
        assertEquals(0, ok(200, call("GET", "/v1/stat/m", null)).get("stat").get("version").asInt());

        JsonNode done = ok(200, call("POST", "/v1/multi", "{\"ops\":[{\"op\":\"create\",\"path\":\"/m/a\"},"
                + "{\"op\":\"check\",\"path\":\"/m\",\"version\":0},"
                + "{\"op\":\"setData\",\"path\":\"/m\",\"data\":\"" + b64("x") + "\",\"version\":0},"
                + "{\"op\":\"delete\",\"path\":\"/m/a\"}]}"));
        JsonNode results = done.get("results");
        assertEquals("create", results.get(0).get("op").asText());
        assertEquals("/m/a", results.get(0).get("path").asText());
        assertEquals(1, results.get(2).get("stat").get("version").asInt());
        assertError(call("GET", "/v1/stat/m/a", null), 404, "NoNode");
    }

    private static String errorNames(JsonNode results) {
        List<String> names = new ArrayList<>();
        results.forEach(r -> names.add("\"" + r.get("error").asText() + "\""));
        return names.toString().replace(" ", "");
    }

    @Test
    void parentsAreCreatedAtomicallyWithTheNode() {
        ok(201, call("POST", "/v1/znodes/p", "{}"));
        ok(201, call("POST", "/v1/znodes/p/q/r/s?parents=true", "{\"data\":\"" + b64("leaf") + "\"}"));
        assertEquals("[\"/p/q\",\"/p/q/r\",\"/p/q/r/s\"]",
                ok(200, call("GET", "/v1/children/p?recursive=true", null)).get("children").toString());
        // When the node's own create fails, no new parent is left behind.
        assertError(call("POST", "/v1/znodes/p/x/y?parents=true", "{\"acl\":[]}"), 400, "InvalidACL");
        assertError(call("GET", "/v1/stat/p/x", null), 404, "NoNode");
        assertError(call("POST", "/v1/znodes/p/q/r/s?parents=true", "{}"), 409, "NodeExists");
    }

    // ---- watches over SSE --------------------------------------------------------------------

    @Test
    void watchEventsArriveOverSseInOrderWithTheirZxids() throws Exception {
        String sid = openSession();
        ok(201, call("POST", "/v1/znodes/w", "{}"));
        try (EventStream events = new EventStream(sid, null)) {
            ok(200, call("GET", "/v1/znodes/w?watch=true", null, "Paddock-Session", sid));
            ok(200, call("GET", "/v1/children/w?watch=true", null, "Paddock-Session", sid));
            assertError(call("GET", "/v1/stat/w/later?watch=true", null, "Paddock-Session", sid), 404, "NoNode");
            ok(200, call("POST", "/v1/watches/marker", "{\"mode\":\"PERSISTENT\"}", "Paddock-Session", sid));

            String mzxid = ok(200, call("PUT", "/v1/znodes/w", "{\"data\":\"" + b64("1") + "\"}"))
                    .get("stat").get("mzxid").asText();
            assertEquals(mzxid, events.expect("NodeDataChanged", "/w"));
            ok(201, call("POST", "/v1/znodes/w/later", "{}"));
            events.expect("NodeCreated", "/w/later");
            events.expect("NodeChildrenChanged", "/w");

            // One-shot: a second change is not reported; the marker's event comes next.
            ok(200, call("PUT", "/v1/znodes/w", "{\"data\":\"" + b64("2") + "\"}"));
            ok(201, call("POST", "/v1/znodes/marker", "{}"));
            events.expect("NodeCreated", "/marker");

            ok(204, call("DELETE", "/v1/watches/marker?type=persistent", null, "Paddock-Session", sid));
            assertError(call("DELETE", "/v1/watches/marker?type=persistent", null, "Paddock-Session", sid),
                    404, "NoWatcher");

            ok(204, call("DELETE", "/v1/sessions/" + sid, null));
            Map<String, String> end = events.next();
            assertNotNull(end);
            assertEquals("Session", end.get("event"), end.toString());
            assertTrue(end.get("data").contains("\"state\":\"Closed\""), end.toString());
            assertEquals(null, events.next(), "the stream ends after the session event");
        }
    }

    @Test
    void aWatchedGetOfAMissingNodeReportsItsCreation() throws Exception {
        String sid = openSession();
        try (EventStream events = new EventStream(sid, null)) {
            assertError(call("GET", "/v1/znodes/appears?watch=true", null, "Paddock-Session", sid), 404, "NoNode");
            String czxid = ok(201, call("POST", "/v1/znodes/appears", "{}")).get("stat").get("czxid").asText();
            assertEquals(czxid, events.expect("NodeCreated", "/appears"));
        }
    }

    @Test
    void aReconnectWithLastEventIdGetsWhatItMissed() throws Exception {
        String sid = openSession();
        ok(201, call("POST", "/v1/znodes/r", "{}"));
        ok(200, call("POST", "/v1/watches/r", "{\"mode\":\"PERSISTENT_RECURSIVE\"}", "Paddock-Session", sid));
        String first;
        try (EventStream events = new EventStream(sid, null)) {
            ok(201, call("POST", "/v1/znodes/r/1", "{}"));
            first = events.expect("NodeCreated", "/r/1");
        }
        // Changes while no stream is open are held by the session.
        ok(201, call("POST", "/v1/znodes/r/2", "{}"));
        ok(201, call("POST", "/v1/znodes/r/3", "{}"));
        try (EventStream events = new EventStream(sid, first)) {
            events.expect("NodeCreated", "/r/2");
            events.expect("NodeCreated", "/r/3");
        }
        // Resuming from the first event again replays the same events: the window still holds them.
        try (EventStream events = new EventStream(sid, first)) {
            events.expect("NodeCreated", "/r/2");
            events.expect("NodeCreated", "/r/3");
        }
        ok(204, call("DELETE", "/v1/sessions/" + sid, null));
    }

    @Test
    void aReconnectBeyondTheWindowGetsOneResync() throws Exception {
        String sid = openSession();
        ok(201, call("POST", "/v1/znodes/rs", "{}"));
        ok(200, call("POST", "/v1/watches/rs", "{\"mode\":\"PERSISTENT_RECURSIVE\"}", "Paddock-Session", sid));
        String first;
        try (EventStream events = new EventStream(sid, null)) {
            ok(201, call("POST", "/v1/znodes/rs/0", "{}"));
            first = events.expect("NodeCreated", "/rs/0");
        }
        for (int i = 1; i <= EVENT_WINDOW + 2; i++) {
            ok(201, call("POST", "/v1/znodes/rs/" + i, "{}"));
        }
        try (EventStream events = new EventStream(sid, first)) {
            Map<String, String> e = events.next();
            assertNotNull(e);
            assertEquals("Resync", e.get("event"), e.toString());
            assertTrue(e.get("data").startsWith("{\"type\":\"Resync\",\"zxid\":\"0x"), e.toString());
            // After the resync the stream goes on with new events.
            ok(201, call("POST", "/v1/znodes/rs/after", "{}"));
            events.expect("NodeCreated", "/rs/after");
        }
        ok(204, call("DELETE", "/v1/sessions/" + sid, null));
    }

    @Test
    void eventsOfAnUnknownSessionAre410() {
        assertError(call("GET", "/v1/sessions/0x7777/events", null), 410, "SessionExpired");
    }

    // ---- moving a session here: setWatches and whoAmI ---------------------------------------

    @Test
    void setWatchesFiresWhatChangedAfterRelativeZxidAtOnceAndArmsTheRest() throws Exception {
        ok(201, call("POST", "/v1/znodes/sw", "{}"));
        for (String name : List.of("changed", "same", "gone", "kids", "quiet")) {
            ok(201, call("POST", "/v1/znodes/sw/" + name, "{}"));
        }
        String seen = ok(200, call("GET", "/v1/status", null)).get("zxid").asText();
        ok(200, call("PUT", "/v1/znodes/sw/changed", "{\"data\":\"" + b64("new") + "\"}"));
        ok(204, call("DELETE", "/v1/znodes/sw/gone", null));
        ok(201, call("POST", "/v1/znodes/sw/kids/k", "{}"));
        ok(201, call("POST", "/v1/znodes/sw/born", "{}"));

        String sid = openSession();
        try (EventStream events = new EventStream(sid, null)) {
            Response r = call("POST", "/v1/sessions/" + sid + "/watches", "{\"relativeZxid\":\"" + seen + "\","
                    + "\"data\":[\"/sw/changed\",\"/sw/same\",\"/sw/gone\"],\"exist\":[\"/sw/born\",\"/sw/unborn\"],"
                    + "\"child\":[\"/sw/kids\",\"/sw/quiet\"],\"persistent\":[\"/sw/p\"]}");
            assertEquals(sid, ok(200, r).get("sessionId").asText());
            assertTrue(r.raw().headers().firstValue("Paddock-Zxid").orElse("").startsWith("0x"), r.raw().headers().toString());
            // What changed after relativeZxid, at once, in ZooKeeper's order: data, exist, child.
            events.expectRearmed("NodeDataChanged", "/sw/changed");
            events.expectRearmed("NodeDeleted", "/sw/gone");
            events.expectRearmed("NodeCreated", "/sw/born");
            events.expectRearmed("NodeChildrenChanged", "/sw/kids");
            // The rest are armed: each fires on its next change, with that change's zxid.
            String mzxid = ok(200, call("PUT", "/v1/znodes/sw/same", "{\"data\":\"" + b64("x") + "\"}"))
                    .get("stat").get("mzxid").asText();
            assertEquals(mzxid, events.expect("NodeDataChanged", "/sw/same"));
            ok(201, call("POST", "/v1/znodes/sw/unborn", "{}"));
            events.expect("NodeCreated", "/sw/unborn");
            ok(201, call("POST", "/v1/znodes/sw/quiet/q", "{}"));
            events.expect("NodeChildrenChanged", "/sw/quiet");
            ok(201, call("POST", "/v1/znodes/sw/p", "{}"));
            events.expect("NodeCreated", "/sw/p");
            // The fired ones were used up; the persistent one stays.
            ok(200, call("PUT", "/v1/znodes/sw/changed", "{\"data\":\"" + b64("again") + "\"}"));
            ok(200, call("PUT", "/v1/znodes/sw/p", "{\"data\":\"" + b64("p") + "\"}"));
            events.expect("NodeDataChanged", "/sw/p");
        }
        ok(204, call("DELETE", "/v1/sessions/" + sid, null));
    }

    @Test
    void setWatchesWithTheCurrentZxidFiresNothingForUnchangedNodes() throws Exception {
        ok(201, call("POST", "/v1/znodes/steady", "{}"));
        String seen = ok(200, call("GET", "/v1/status", null)).get("zxid").asText();
        String sid = openSession();
        try (EventStream events = new EventStream(sid, null)) {
            ok(200, call("POST", "/v1/sessions/" + sid + "/watches",
                    "{\"relativeZxid\":\"" + seen + "\",\"data\":[\"/steady\"],\"child\":[\"/steady\"]}"));
            ok(201, call("POST", "/v1/znodes/steady/c", "{}"));
            // Had the data watch fired at once, its event would come before this one.
            events.expect("NodeChildrenChanged", "/steady");
        }
        ok(204, call("DELETE", "/v1/sessions/" + sid, null));
    }

    @Test
    void setWatchesRefusesUnknownSessionsAndClientsAheadOfThisServer() {
        assertError(call("POST", "/v1/sessions/0x7777/watches", "{\"relativeZxid\":\"0x0\",\"data\":[\"/\"]}"),
                410, "SessionExpired");
        String sid = openSession();
        long applied = Long.parseUnsignedLong(
                ok(200, call("GET", "/v1/status", null)).get("zxid").asText().substring(2), 16);
        Response ahead = call("POST", "/v1/sessions/" + sid + "/watches",
                "{\"relativeZxid\":\"0x" + Long.toHexString(applied + 1000) + "\"}");
        assertError(ahead, 503, "ConnectionLoss");
        assertTrue(ahead.json().get("retrySafe").asBoolean(), ahead.body());
        ok(204, call("DELETE", "/v1/sessions/" + sid, null));
    }

    @Test
    void whoAmIShowsTheClientsAddressThenTheIdentitiesItAdded() {
        String sid = openSession();
        assertEquals("[{\"scheme\":\"ip\",\"id\":\"127.0.0.1\"}]",
                ok(200, call("GET", "/v1/sessions/" + sid + "/whoami", null)).get("identities").toString());
        ok(200, call("POST", "/v1/sessions/" + sid + "/auth", "{\"scheme\":\"digest\",\"auth\":\"alice:secret\"}"));
        ok(200, call("POST", "/v1/sessions/" + sid + "/auth", "{\"scheme\":\"digest\",\"auth\":\"bob:pw\"}"));
        assertEquals("[{\"scheme\":\"ip\",\"id\":\"127.0.0.1\"},{\"scheme\":\"digest\",\"id\":\"alice\"},"
                        + "{\"scheme\":\"digest\",\"id\":\"bob\"}]",
                ok(200, call("GET", "/v1/sessions/" + sid + "/whoami", null)).get("identities").toString());
        ok(204, call("DELETE", "/v1/sessions/" + sid, null));
        assertError(call("GET", "/v1/sessions/" + sid + "/whoami", null), 410, "SessionExpired");
    }

    // ---- ACLs ----------------------------------------------------------------------------

    @Test
    void ipAclsSeeTheConnectionsAddress() {
        ok(201, call("POST", "/v1/znodes/ip-local",
                "{\"acl\":[{\"scheme\":\"ip\",\"id\":\"127.0.0.1\",\"perms\":\"cdrwa\"}]}"));
        ok(201, call("POST", "/v1/znodes/ip-other",
                "{\"acl\":[{\"scheme\":\"ip\",\"id\":\"10.1.2.3\",\"perms\":\"cdrwa\"}]}"));
        ok(200, call("GET", "/v1/znodes/ip-local", null));
        assertError(call("GET", "/v1/znodes/ip-other", null, "X-Forwarded-For", "10.1.2.3"), 403, "NoAuth");
        String sid = openSession();
        ok(200, call("GET", "/v1/znodes/ip-local", null, "Paddock-Session", sid));
        ok(204, call("DELETE", "/v1/sessions/" + sid, null));
    }

    @Test
    void digestAclsNeedTheSessionsAuth() throws Exception {
        String digest = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-1").digest("alice:secret".getBytes(StandardCharsets.UTF_8)));
        ok(201, call("POST", "/v1/znodes/vault", "{\"data\":\"" + b64("gold") + "\",\"acl\":[{\"scheme\":\"digest\","
                + "\"id\":\"alice:" + digest + "\",\"perms\":\"cdrwa\"}]}"));
        String sid = openSession();
        assertError(call("GET", "/v1/znodes/vault", null, "Paddock-Session", sid), 403, "NoAuth");
        ok(200, call("POST", "/v1/sessions/" + sid + "/auth", "{\"scheme\":\"digest\",\"auth\":\"alice:secret\"}"));
        ok(200, call("GET", "/v1/znodes/vault", null, "Paddock-Session", sid));
        JsonNode acl = ok(200, call("GET", "/v1/acl/vault", null, "Paddock-Session", sid)).get("acl");
        assertEquals("cdrwa", acl.get(0).get("perms").asText());
        ok(204, call("DELETE", "/v1/sessions/" + sid, null));
    }

    // ---- bad input -----------------------------------------------------------------------

    @Test
    void badInputLeavesTheServerServingOthers() throws Exception {
        String sid = openSession();
        ok(201, call("POST", "/v1/znodes/calm", "{}"));
        ok(200, call("POST", "/v1/watches/calm", "{\"mode\":\"PERSISTENT\"}", "Paddock-Session", sid));
        try (EventStream events = new EventStream(sid, null)) {
            assertError(call("POST", "/v1/znodes/bad", "{\"data\":"), 400, "BadArguments");
            assertError(call("POST", "/v1/znodes/bad", "{\"data\":7}"), 400, "BadArguments");
            assertError(call("POST", "/v1/znodes/bad", "{\"data\":\"***\"}"), 400, "BadArguments");
            assertError(call("POST", "/v1/znodes/bad", "{\"mode\":\"SOMETIMES\"}"), 400, "BadArguments");
            assertError(call("POST", "/v1/znodes/bad//path", "{}"), 400, "BadArguments");
            assertError(call("POST", "/v1/znodes/bad/./x", "{}"), 400, "BadArguments");
            assertError(call("GET", "/v1/znodes/calm", null, "Paddock-Session", "nonsense"), 400, "BadArguments");
            assertError(call("GET", "/v1/znodes/calm", null, "Paddock-Session", "0x123456"), 410, "SessionExpired");
            String huge = "{\"data\":\"" + "A".repeat(2 * PaddockConfig.DEFAULT_MAX_DATA_BYTES) + "\"}";
            assertError(call("POST", "/v1/znodes/bad", huge), 413, "BadArguments");
            String justOver = Base64.getEncoder().encodeToString(new byte[PaddockConfig.DEFAULT_MAX_DATA_BYTES + 1]);
            assertError(call("PUT", "/v1/znodes/calm", "{\"data\":\"" + justOver + "\"}"), 413, "BadArguments");
            assertError(call("GET", "/v1/stat/bad", null), 404, "NoNode");

            ok(200, call("PUT", "/v1/znodes/calm", "{\"data\":\"" + b64("still here") + "\"}"));
            events.expect("NodeDataChanged", "/calm");
            ok(200, call("POST", "/v1/sessions/" + sid + "/heartbeat", null));
        }
        ok(204, call("DELETE", "/v1/sessions/" + sid, null));
        assertFalse(ok(200, call("GET", "/v1/status", null)).get("zxid").asText().isEmpty());
    }
}
