package io.paddock.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The watch workload's sessions over the HTTP API: a watcher is a session with its event stream
 * open (GET /v1/sessions/{id}/events) that arms with getData ?watch=true and hears the change as
 * a NodeDataChanged Server-Sent Event; the writer sets the data with PUT.
 */
final class HttpWatchSessions {

    private static final String DATA_CHANGED = "NodeDataChanged";

    private HttpWatchSessions() {
    }

    /** A watcher: its session is opened and its stream started when it is made, before the clock. */
    static final class Watcher implements WatchFanOut.Watcher {
        private final HttpClient http;
        private final BenchHttp server;
        private final URI znode;
        private final String path;
        private final String session;
        private final InputStream stream;
        private final BufferedReader events;
        private boolean closed;

        Watcher(HttpClient http, BenchHttp server, String path) throws BenchException {
            this.http = http;
            this.server = server;
            this.znode = server.znodeUri(path);
            this.path = path;
            try {
                HttpResponse<String> opened = http.send(server.openSession(), HttpResponse.BodyHandlers.ofString());
                if (opened.statusCode() != 201) {
                    throw new BenchException("POST " + server.base() + "/v1/sessions answered HTTP "
                            + opened.statusCode() + ": " + opened.body());
                }
                session = BenchHttp.sessionIdOf(opened.body());
                HttpResponse<InputStream> events = http.send(server.events(session),
                        HttpResponse.BodyHandlers.ofInputStream());
                if (events.statusCode() != 200) {
                    events.body().close();
                    throw new BenchException("the event stream of session " + session + " at " + server.base()
                            + " answered HTTP " + events.statusCode());
                }
                this.stream = events.body();
                this.events = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new BenchException("opening a watcher session at " + server.base() + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted while opening a watcher session", e);
            }
        }

        @Override
        public void arm() throws OpFailure {
            HttpRequest request = BenchHttp.watchData(znode, session);
            try {
                HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() != 200) {
                    throw new OpFailure(Integer.toString(answer.statusCode()), "GET " + request.uri() + " answered HTTP "
                            + answer.statusCode(), true);
                }
            } catch (IOException e) {
                throw new OpFailure("io", "GET " + request.uri() + ": " + e, true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OpFailure("io", "interrupted", true);
            }
        }

        /** Reads events until a NodeDataChanged of the path; an event ends at its blank line. */
        @Override
        public void awaitChange() throws OpFailure {
            String type = null;
            boolean ours = false;
            try {
                String line;
                while ((line = events.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (DATA_CHANGED.equals(type) && ours) {
                            return;
                        }
                        type = null;
                        ours = false;
                    } else if (line.startsWith("event:")) {
                        type = line.substring("event:".length()).trim();
                    } else if (line.startsWith("data:")) {
                        ours = line.contains("\"path\":\"" + path + "\"");
                    }
                }
                throw new OpFailure("io", "the event stream of session " + session + " at " + server.base()
                        + " ended", true);
            } catch (IOException e) {
                throw new OpFailure("io", "reading the event stream of session " + session + ": " + e, true);
            }
        }

        /** Closes the session (its stream then ends) and the stream. */
        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                http.send(server.closeSession(session), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // The session then expires on the server by itself.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                try {
                    stream.close();
                } catch (IOException e) {
                    // Nothing more to release.
                }
            }
        }

        /** Ends the session from another thread: the server then ends the stream, which ends a blocked read. */
        @Override
        public void abort() {
            http.sendAsync(server.closeSession(session), HttpResponse.BodyHandlers.discarding());
            try {
                stream.close();
            } catch (IOException e) {
                // Nothing more to release.
            }
        }
    }

    /** The writer: setData with any version, data as bare bytes. */
    static final class Writer implements WatchFanOut.Writer {
        private final HttpClient http;
        private final HttpRequest setData;

        Writer(HttpClient http, BenchHttp server, String path, byte[] value) {
            this.http = http;
            this.setData = BenchHttp.setData(server.znodeUri(path), value);
        }

        @Override
        public void write() throws OpFailure {
            try {
                HttpResponse<Void> answer = http.send(setData, HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() != 200) {
                    throw new OpFailure(Integer.toString(answer.statusCode()), "PUT " + setData.uri() + " answered HTTP "
                            + answer.statusCode(), true);
                }
            } catch (IOException e) {
                throw new OpFailure("io", "PUT " + setData.uri() + ": " + e, true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OpFailure("io", "interrupted", true);
            }
        }

        /** Nothing to release: the HTTP client's connections close when it is collected. */
        @Override
        public void close() {
        }
    }
}
