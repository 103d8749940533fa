package io.paddock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Concurrent writers over the HTTP API, each owning its znodes (/crash/c&lt;i&gt;/n&lt;j&gt;), and what
 * they learned: every write the server acknowledged, with the exact data, version and Stat it
 * answered, and the one write per writer that was in flight when the server died. After a
 * restart, {@link #verifyRecovered} checks the server against that record, then adopts what it
 * found, so the next round starts from an exact model.
 */
final class CrashWorkload {

    static final String ROOT = "/crash";

    /** Nodes one writer keeps alive at most: verification reads them all after every restart. */
    private static final int LIVE_NODES_MAX = 24;

    /** A znode as one client knows it: absent, or present with data and version (Stat when answered). */
    record NodeState(boolean present, String data, int version, JsonNode stat) {
        static final NodeState ABSENT = new NodeState(false, null, -1, null);

        static NodeState of(String data, int version, JsonNode stat) {
            return new NodeState(true, data, version, stat);
        }

        /** Same data and version; the Stat too when both sides have one. */
        boolean matches(NodeState actual) {
            if (present != actual.present) {
                return false;
            }
            if (!present) {
                return true;
            }
            return data.equals(actual.data) && version == actual.version
                    && (stat == null || actual.stat == null || stat.equals(actual.stat));
        }

        @Override
        public String toString() {
            return present ? "{version " + version + ", data " + abbreviate(data) + (stat == null ? "" : ", stat " + stat)
                    + "}" : "absent";
        }
    }

    /** One znode's part in a write. */
    record Change(String path, NodeState before, NodeState after) {
    }

    /** One request: a single create, setData or delete, or a multi whose changes land together or not at all. */
    record Write(String kind, List<Change> changes) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(kind).append(" [");
            for (Change c : changes) {
                s.append(' ').append(c.path()).append(": ").append(c.before()).append(" -> ").append(c.after());
            }
            return s.append(" ]").toString();
        }
    }

    private final List<Writer> writers = new ArrayList<>();
    /** Of the unanswered writes the last verification resolved: how many had landed, how many not. */
    private int unansweredLanded;
    private int unansweredLost;

    CrashWorkload(int writerCount) {
        for (int i = 0; i < writerCount; i++) {
            writers.add(new Writer(i));
        }
    }

    /** Creates /crash and one parent per writer; acknowledged writes, so they must survive too. */
    void setUp(PaddockHttp http) throws IOException, InterruptedException {
        http.call("POST", "/v1/znodes" + ROOT, "{}");
        for (Writer w : writers) {
            http.call("POST", "/v1/znodes" + w.parent, "{}");
        }
    }

    /** "n landed, m did not": what became of the writes the last verification found unanswered. */
    String unansweredOutcome() {
        return unansweredLanded + " landed, " + unansweredLost + " did not";
    }

    long acknowledgedWrites() {
        return writers.stream().mapToLong(w -> w.acknowledged).sum();
    }

    /** Writers running against one server until each has an unanswered request or reaches its quota. */
    final class Round {
        private final List<Thread> threads = new ArrayList<>();
        private final CountDownLatch firstAck = new CountDownLatch(1);
        private final AtomicBoolean killed = new AtomicBoolean();

        /**
         * @param writesEach  acknowledged writes after which a writer stops; Long.MAX_VALUE to run until the server dies
         * @param zxidFloor   every acknowledged write must have a zxid above this: zxids are never reused
         */
        Round(PaddockHttp http, long seed, long writesEach, long zxidFloor) {
            for (Writer w : writers) {
                Random random = new Random(seed + 1_000_003L * w.index);
                threads.add(new Thread(() -> w.run(http, random, writesEach, zxidFloor, firstAck, killed),
                        "crash-writer-" + w.index));
            }
            threads.forEach(Thread::start);
        }

        boolean awaitFirstAck(Duration deadline) throws InterruptedException {
            return firstAck.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Called just before the kill: from now on an unanswered request is expected, not a failure. */
        void killing() {
            killed.set(true);
        }

        /** Waits for every writer to stop; the problems they met (unexpected answers, lost connections while up). */
        List<String> finish(Duration deadline) throws InterruptedException {
            long end = System.nanoTime() + deadline.toNanos();
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < threads.size(); i++) {
                Thread t = threads.get(i);
                t.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                if (t.isAlive()) {
                    problems.add(t.getName() + " still running after " + deadline);
                    t.interrupt();
                }
            }
            for (Writer w : writers) {
                if (w.problem != null) {
                    problems.add("writer c" + w.index + ": " + w.problem);
                    w.problem = null;
                }
            }
            return problems;
        }
    }

    /**
     * Checks a restarted server against what the writers were told, and returns every
     * violation (empty when the server kept its promise). Afterwards the model is what the
     * server holds, each in-flight write resolved as landed or not.
     */
    List<String> verifyRecovered(PaddockHttp http) throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        Set<String> listed = new TreeSet<>();
        HttpResponse<String> listing = http.send("GET", "/v1/children" + ROOT + "?recursive=true", null);
        if (listing.statusCode() != 200) {
            problems.add("GET " + ROOT + " children answered " + listing.statusCode() + ": " + listing.body()
                    + " (/crash was created and acknowledged)");
            return problems;
        }
        for (JsonNode p : PaddockHttp.parse(listing.body()).path("children")) {
            listed.add(p.asText());
        }
        Set<String> requested = new TreeSet<>();
        unansweredLanded = 0;
        unansweredLost = 0;
        for (Writer w : writers) {
            requested.add(w.parent);
            Boolean landed = w.verify(http, listed, problems);
            if (landed != null) {
                if (landed) {
                    unansweredLanded++;
                } else {
                    unansweredLost++;
                }
            }
            requested.addAll(w.nodes.keySet());
        }
        for (String p : listed) {
            if (!requested.contains(p)) {
                problems.add(p + " exists, but no client ever asked for it");
            }
        }
        return problems;
    }

    /** One client thread's record: its znodes as acknowledged, and its request in flight. */
    private static final class Writer {
        final int index;
        final String parent;
        /** Every znode this writer ever asked for, in its last acknowledged state (ABSENT: deleted or never made). */
        final Map<String, NodeState> nodes = new TreeMap<>();
        int nextNode;
        Write inFlight;
        long acknowledged;
        volatile String problem;

        Writer(int index) {
            this.index = index;
            this.parent = ROOT + "/c" + index;
        }

        void run(PaddockHttp http, Random random, long writesEach, long zxidFloor, CountDownLatch firstAck,
                 AtomicBoolean killed) {
            for (long done = 0; done < writesEach; done++) {
                Write w = next(random);
                inFlight = w;
                JsonNode answer;
                try {
                    HttpResponse<String> r = send(http, w);
                    if (r.statusCode() / 100 != 2) {
                        // The writer owns these znodes and knows their versions: any refusal is a lost or invented write.
                        problem = "the server refused " + w + " with " + r.statusCode() + ": " + r.body();
                        return;
                    }
                    answer = r.body().isEmpty() ? null : PaddockHttp.parse(r.body());
                } catch (IOException e) {
                    // Sent (or being sent) and never answered: it may or may not have landed. inFlight stays.
                    if (!killed.get()) {
                        problem = "no answer for " + w + " while the server was up: " + e;
                    }
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    problem = "bad answer for " + w + ": " + e;
                    return;
                }
                String bad = acknowledge(w, answer, zxidFloor);
                if (bad != null) {
                    problem = bad;
                    return;
                }
                firstAck.countDown();
            }
        }

        /** The next request: mostly setData, some creates and deletes, and multis of create + setData (+ delete). */
        private Write next(Random random) {
            List<String> live = new ArrayList<>();
            nodes.forEach((p, s) -> {
                if (s.present()) {
                    live.add(p);
                }
            });
            int dice = random.nextInt(100);
            if (live.isEmpty() || (dice < 20 && live.size() < LIVE_NODES_MAX)) {
                String path = newPath();
                return new Write("create", List.of(new Change(path, NodeState.ABSENT, created(path, random))));
            }
            if (dice < 30 && live.size() > 2) {
                String path = live.get(random.nextInt(live.size()));
                return new Write("delete", List.of(new Change(path, nodes.get(path), NodeState.ABSENT)));
            }
            if (dice < 55) {
                List<Change> changes = new ArrayList<>();
                String created = newPath();
                changes.add(new Change(created, NodeState.ABSENT, created(created, random)));
                String set = live.remove(random.nextInt(live.size()));
                changes.add(new Change(set, nodes.get(set), updated(set, random)));
                if (live.size() + 1 >= LIVE_NODES_MAX && !live.isEmpty()) {
                    String deleted = live.get(random.nextInt(live.size()));
                    changes.add(new Change(deleted, nodes.get(deleted), NodeState.ABSENT));
                }
                return new Write("multi", changes);
            }
            String path = live.get(random.nextInt(live.size()));
            return new Write("setData", List.of(new Change(path, nodes.get(path), updated(path, random))));
        }

        private String newPath() {
            return parent + "/n" + nextNode++;
        }

        private NodeState created(String path, Random random) {
            return NodeState.of(data(path, 0, random), 0, null);
        }

        private NodeState updated(String path, Random random) {
            int version = nodes.get(path).version() + 1;
            return NodeState.of(data(path, version, random), version, null);
        }

        /** Data that names its node and version, then a random tail of random length: no two writes alike. */
        private static String data(String path, int version, Random random) {
            StringBuilder s = new StringBuilder(path).append(" v").append(version).append(' ');
            int tail = random.nextInt(300);
            for (int i = 0; i < tail; i++) {
                s.append((char) ('a' + random.nextInt(26)));
            }
            return s.toString();
        }

        private static HttpResponse<String> send(PaddockHttp http, Write w) throws IOException, InterruptedException {
            Change c = w.changes().get(0);
            switch (w.kind()) {
                case "create":
                    return http.send("POST", "/v1/znodes" + c.path(), body(c.after().data(), null));
                case "setData":
                    return http.send("PUT", "/v1/znodes" + c.path(), body(c.after().data(), c.before().version()));
                case "delete":
                    return http.send("DELETE", "/v1/znodes" + c.path() + "?version=" + c.before().version(), null);
                default:
                    ObjectNode multi = PaddockHttp.JSON.createObjectNode();
                    ArrayNode ops = multi.putArray("ops");
                    for (Change m : w.changes()) {
                        ObjectNode op = ops.addObject();
                        if (!m.before().present()) {
                            op.put("op", "create").put("path", m.path()).put("data", base64(m.after().data()));
                        } else if (m.after().present()) {
                            op.put("op", "setData").put("path", m.path()).put("data", base64(m.after().data()))
                                    .put("version", m.before().version());
                        } else {
                            op.put("op", "delete").put("path", m.path()).put("version", m.before().version());
                        }
                    }
                    return http.send("POST", "/v1/multi", multi.toString());
            }
        }

        private static String body(String data, Integer version) {
            ObjectNode body = PaddockHttp.JSON.createObjectNode().put("data", base64(data));
            if (version != null) {
                body.put("version", version);
            }
            return body.toString();
        }

        /** Records an acknowledged write with the Stats the server answered; a problem, or null. */
        private String acknowledge(Write w, JsonNode answer, long zxidFloor) {
            List<JsonNode> stats = new ArrayList<>();
            switch (w.kind()) {
                case "create", "setData" -> stats.add(answer.path("stat"));
                case "delete" -> stats.add(null);
                default -> answer.path("results").forEach(r -> stats.add(r.has("stat") ? r.path("stat") : null));
            }
            if (stats.size() != w.changes().size()) {
                return "acknowledged " + w + " with " + stats.size() + " results: " + answer;
            }
            for (int i = 0; i < stats.size(); i++) {
                Change c = w.changes().get(i);
                JsonNode stat = stats.get(i);
                NodeState after = c.after();
                if (after.present()) {
                    if (stat == null || stat.path("version").asInt(-1) != after.version()
                            || PaddockHttp.zxid(stat.path("mzxid")) <= zxidFloor) {
                        return "acknowledged " + w + " with the Stat " + stat + " for " + c.path()
                                + " (expected version " + after.version() + " and an mzxid above 0x"
                                + Long.toHexString(zxidFloor) + ", the zxid the server recovered)";
                    }
                    after = NodeState.of(after.data(), after.version(), stat);
                }
                nodes.put(c.path(), after);
            }
            inFlight = null;
            acknowledged++;
            return null;
        }

        /**
         * Compares this writer's znodes on the server with its record, then adopts what the server
         * holds. Whether its unanswered write landed (whole); null when it had none.
         */
        Boolean verify(PaddockHttp http, Set<String> listed, List<String> problems) throws IOException, InterruptedException {
            if (!listed.contains(parent)) {
                problems.add(parent + " is missing (its create was acknowledged)");
            }
            Map<String, Change> pending = new TreeMap<>();
            if (inFlight != null) {
                for (Change c : inFlight.changes()) {
                    pending.put(c.path(), c);
                }
            }
            Set<String> paths = new TreeSet<>(nodes.keySet());
            paths.addAll(pending.keySet());
            Map<String, NodeState> actual = new TreeMap<>();
            for (String p : paths) {
                actual.put(p, listed.contains(p) ? read(http, p, problems) : NodeState.ABSENT);
            }
            int landed = 0;
            for (String p : paths) {
                NodeState is = actual.get(p);
                Change c = pending.get(p);
                if (c == null) {
                    if (!nodes.get(p).matches(is)) {
                        problems.add(p + " should be its last acknowledged state " + nodes.get(p) + " but is " + is);
                    }
                } else if (c.after().matches(is)) {
                    landed++;
                } else if (!c.before().matches(is)) {
                    problems.add(p + " is " + is + ", neither its acknowledged state " + c.before()
                            + " nor the unanswered " + inFlight.kind() + "'s " + c.after());
                }
            }
            if (inFlight != null && landed != 0 && landed != pending.size()) {
                problems.add("the unanswered " + inFlight + " landed only in part (" + landed + " of "
                        + pending.size() + " changes): a multi is all or nothing");
            }
            Boolean outcome = inFlight == null ? null : landed == pending.size();
            inFlight = null;
            for (String p : paths) {
                // Adopt the server's state (with the Stat it showed), so the next round's versions are right.
                nodes.put(p, actual.get(p));
            }
            int children = 0;
            for (String p : listed) {
                if (p.startsWith(parent + "/")) {
                    children++;
                }
            }
            HttpResponse<String> r = http.send("GET", "/v1/stat" + parent, null);
            if (r.statusCode() == 200) {
                int numChildren = PaddockHttp.parse(r.body()).path("stat").path("numChildren").asInt(-1);
                if (numChildren != children) {
                    problems.add(parent + " has numChildren " + numChildren + " but " + children + " children are listed");
                }
            }
            return outcome;
        }

        private static NodeState read(PaddockHttp http, String path, List<String> problems)
                throws IOException, InterruptedException {
            HttpResponse<String> r = http.send("GET", "/v1/znodes" + path, null);
            if (r.statusCode() != 200) {
                problems.add(path + " is listed, but reading it answered " + r.statusCode() + ": " + r.body());
                return NodeState.ABSENT;
            }
            JsonNode node = PaddockHttp.parse(r.body());
            String data = new String(Base64.getDecoder().decode(node.path("data").asText()), StandardCharsets.UTF_8);
            return NodeState.of(data, node.path("stat").path("version").asInt(), node.path("stat"));
        }
    }

    /** Problems one per line, the first 20 of them: enough to see the pattern, short enough to read. */
    static String lines(List<String> problems) {
        int shown = Math.min(problems.size(), 20);
        String text = String.join("\n", problems.subList(0, shown));
        return shown == problems.size() ? text : text + "\n… and " + (problems.size() - shown) + " more";
    }

    private static String base64(String data) {
        return Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String data) {
        return data.length() <= 40 ? "\"" + data + "\"" : "\"" + data.substring(0, 40) + "…\" (" + data.length() + " chars)";
    }
}
