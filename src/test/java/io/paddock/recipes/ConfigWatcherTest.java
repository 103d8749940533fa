package io.paddock.recipes;

import io.paddock.client.CreateOptions;
import io.paddock.client.PaddockClient;
import io.paddock.tree.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The config watcher against an in-JVM node, with writers on other clients. */
class ConfigWatcherTest {

    static final Duration DEADLINE = RecipeServer.DEADLINE;

    @TempDir
    static Path dataDir;

    static RecipeServer server;

    @BeforeAll
    static void start() throws Exception {
        server = RecipeServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What a listener heard: "value:<text>@<mzxid>" or "deleted". */
    static final class Heard implements ConfigListener {
        final List<String> texts = new ArrayList<>();
        final List<Long> mzxids = new ArrayList<>();

        @Override
        public synchronized void valueChanged(ConfigValue value) {
            texts.add(value.text());
            mzxids.add(value.mzxid());
        }

        @Override
        public synchronized void valueDeleted(String path) {
            texts.add("deleted");
            mzxids.add(-1L);
        }

        synchronized List<String> texts() {
            return List.copyOf(texts);
        }

        synchronized List<Long> mzxids() {
            return List.copyOf(mzxids);
        }
    }

    static String watchesOf(PaddockClient client) {
        try {
            return String.valueOf(server.node().gateway().watchesBySession().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).get(client.sessionId()));
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** Listeners hear a value just after {@link ConfigWatcher#current} shows it: wait for them. */
    static void awaitLastHeard(Heard heard, String text) throws Exception {
        RecipeServer.await("for the listener to hear " + text, DEADLINE, () -> {
            List<String> texts = heard.texts();
            return !texts.isEmpty() && texts.get(texts.size() - 1).equals(text);
        });
    }

    static boolean holds(ConfigWatcher w, String text) throws InterruptedException {
        return w.awaitValue(v -> v.map(ConfigValue::text).orElse("").equals(text), DEADLINE);
    }

    @Test
    void startReadsTheCurrentValue() throws Exception {
        PaddockClient writer = server.client();
        writer.create("/cfg/start", utf8("v1"), CreateOptions.of(CreateMode.PERSISTENT).withParents());
        try (ConfigWatcher w = new ConfigWatcher(server.client(), "/cfg/start")) {
            Heard heard = new Heard();
            w.addListener(heard);
            w.start();
            assertEquals("v1", w.current().orElseThrow().text());
            assertEquals(List.of("v1"), heard.texts());
        }
    }

    @Test
    void underRapidWritesItEndsWithTheLastValueAndNeverGoesBackwards() throws Exception {
        String path = "/cfg/rapid";
        PaddockClient writer = server.client();
        writer.create(path, utf8("0"), CreateOptions.of(CreateMode.PERSISTENT).withParents());
        Heard heard = new Heard();
        try (ConfigWatcher w = new ConfigWatcher(server.client(), path)) {
            w.addListener(heard);
            w.start();
            int last = 300;
            for (int i = 1; i <= last; i++) {
                writer.setData(path, utf8(Integer.toString(i)), PaddockClient.ANY_VERSION);
            }
            assertTrue(holds(w, Integer.toString(last)), "ended with " + w.current());
            awaitLastHeard(heard, Integer.toString(last));
            List<String> texts = heard.texts();
            List<Long> mzxids = heard.mzxids();
            for (int i = 1; i < texts.size(); i++) {
                assertTrue(Integer.parseInt(texts.get(i)) > Integer.parseInt(texts.get(i - 1)), "went back: " + texts);
                assertTrue(mzxids.get(i) > mzxids.get(i - 1), "went back: " + mzxids);
            }
            assertEquals(Integer.toString(last), texts.get(texts.size() - 1));
        }
    }

    @Test
    void withConcurrentWritersItEndsWithTheValueOfTheLastWrite() throws Exception {
        String path = "/cfg/concurrent";
        server.client().create(path, utf8("start"), CreateOptions.of(CreateMode.PERSISTENT).withParents());
        Heard heard = new Heard();
        PaddockClient watcherClient = server.client();
        try (ConfigWatcher w = new ConfigWatcher(watcherClient, path)) {
            w.addListener(heard);
            w.start();
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                PaddockClient c = server.client();
                int writerNo = t;
                writers.add(CompletableFuture.runAsync(() -> {
                    try {
                        for (int i = 0; i < 100; i++) {
                            c.setData(path, utf8("w" + writerNo + "-" + i), PaddockClient.ANY_VERSION);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            var finalValue = server.client().getData(path);
            String lastWritten = new String(finalValue.data(), StandardCharsets.UTF_8);
            assertTrue(holds(w, lastWritten), () -> "ended with " + w.current() + ", the node holds " + lastWritten
                    + "; the server's watches of the watcher's session: " + watchesOf(watcherClient));
            assertEquals(finalValue.stat().mzxid(), w.current().orElseThrow().mzxid());
            List<Long> mzxids = heard.mzxids();
            for (int i = 1; i < mzxids.size(); i++) {
                assertTrue(mzxids.get(i) > mzxids.get(i - 1), "went back: " + mzxids);
            }
        }
    }

    @Test
    void aDeletionAndTheNodeCreatedAgainAreBothDelivered() throws Exception {
        String path = "/cfg/recreate";
        PaddockClient writer = server.client();
        writer.create(path, utf8("first"), CreateOptions.of(CreateMode.PERSISTENT).withParents());
        writer.setData(path, utf8("second"), PaddockClient.ANY_VERSION); // version 1
        Heard heard = new Heard();
        try (ConfigWatcher w = new ConfigWatcher(server.client(), path)) {
            w.addListener(heard);
            w.start();
            writer.delete(path, PaddockClient.ANY_VERSION);
            assertTrue(w.awaitValue(Optional::isEmpty, DEADLINE));
            writer.create(path, utf8("third"), CreateOptions.of(CreateMode.PERSISTENT)); // version 0 again
            assertTrue(holds(w, "third"));
            assertEquals(0, w.current().orElseThrow().stat().version());
            awaitLastHeard(heard, "third");
            assertEquals(List.of("second", "deleted", "third"), heard.texts());
        }
    }

    @Test
    void aWatcherStartedOnAMissingNodeSeesItCreated() throws Exception {
        String path = "/cfg/later";
        try (ConfigWatcher w = new ConfigWatcher(server.client(), path)) {
            Heard heard = new Heard();
            w.addListener(heard);
            w.start();
            assertEquals(Optional.empty(), w.current());
            server.client().create(path, utf8("born"), CreateOptions.of(CreateMode.PERSISTENT).withParents());
            assertTrue(holds(w, "born"));
            awaitLastHeard(heard, "born");
            assertEquals(List.of("born"), heard.texts(), "no deletion is heard for a node never seen");
        }
    }

    @Test
    void itSurvivesANewSessionAndReadsWhatChangedWhileItHadNone() throws Exception {
        String path = "/cfg/session";
        PaddockClient writer = server.client();
        writer.create(path, utf8("before"), CreateOptions.of(CreateMode.PERSISTENT).withParents());
        SessionSwapClient swap = new SessionSwapClient(() -> server.client());
        Heard heard = new Heard();
        try (ConfigWatcher w = new ConfigWatcher(swap, path)) {
            w.addListener(heard);
            w.start();
            // Written while the watcher's client has no session: no watch can tell it.
            swap.loseSession(() -> writer.setData(path, utf8("during"), PaddockClient.ANY_VERSION));
            assertTrue(holds(w, "during"), "ended with " + w.current());
            // And the watch is set again in the new session.
            writer.setData(path, utf8("after"), PaddockClient.ANY_VERSION);
            assertTrue(holds(w, "after"), "ended with " + w.current());
            awaitLastHeard(heard, "after");
            assertEquals(List.of("before", "during", "after"), heard.texts());
        }
    }
}
