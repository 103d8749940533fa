package io.paddock.api.http;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.paddock.server.PaddockConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Route tests' harness: the HTTP API bound on a free port in front of a {@link ScriptedGateway},
 * and a JDK HttpClient to call it.
 */
final class ApiClient implements AutoCloseable {

    /** Small, so that the 413 tests need small bodies. */
    static final int MAX_DATA_BYTES = 1024;

    final ScriptedGateway gateway = new ScriptedGateway();
    private final ActorSystem<Void> system;
    private final HttpBinding binding;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    final String base;

    ApiClient() throws Exception {
        this("");
    }

    /** The API on an actor system with {@code akkaConfig} (HOCON) over the defaults. */
    ApiClient(String akkaConfig) throws Exception {
        system = ActorSystem.create(Behaviors.empty(), "http-route-test",
                ConfigFactory.parseString(akkaConfig + "\nakka.loglevel = WARNING").withFallback(ConfigFactory.load()));
        PaddockConfig config = new PaddockConfig(2000, 10, 5, Path.of("unused"), 0, "127.0.0.1", 0, 4000, 40000,
                MAX_DATA_BYTES, null, 5000, 1024, Map.of(), PaddockConfig.Storage.DEFAULTS, false, null);
        binding = new HttpApi(gateway, config, system).bind("127.0.0.1", 0)
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + binding.localAddress().getPort();
    }

    int port() {
        return binding.localAddress().getPort();
    }

    /** Sends a request; a body is sent as application/json unless the headers name another type. */
    HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !typed) {
            String[] withType = java.util.Arrays.copyOf(headers, headers.length + 2);
            withType[headers.length] = "Content-Type";
            withType[headers.length + 1] = "application/json";
            headers = withType;
        }
        return send(method, path, publisher, headers);
    }

    HttpResponse<String> sendBytes(String method, String path, byte[] body, String... headers) {
        return send(method, path, HttpRequest.BodyPublishers.ofByteArray(body), headers);
    }

    private HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        }
    }

    HttpResponse<byte[]> getBytes(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        }
    }

    /** Sends bytes as they are and reads one response: its head and a Content-Length body. */
    String rawRequest(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int headEnd = -1;
            int length = 0;
            for (int b; (b = in.read()) >= 0; ) {
                got.write(b);
                String text = got.toString(StandardCharsets.ISO_8859_1);
                if (headEnd < 0 && text.endsWith("\r\n\r\n")) {
                    headEnd = text.length();
                    java.util.regex.Matcher m = java.util.regex.Pattern
                            .compile("(?i)content-length: *(\\d+)").matcher(text);
                    length = m.find() ? Integer.parseInt(m.group(1)) : 0;
                }
                if (headEnd >= 0 && got.size() >= headEnd + length) {
                    break;
                }
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    HttpClient http() {
        return http;
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JsonModel.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    /**
     * Asserts a JSON error: the status, the ZooKeeper code name, and that the message mentions
     * {@code mentions}; returns the body.
     */
    static JsonNode assertError(HttpResponse<String> response, int status, String error, String mentions) {
        JsonNode body = json(response);
        org.junit.jupiter.api.Assertions.assertEquals(status, response.statusCode(), response.body());
        org.junit.jupiter.api.Assertions.assertEquals("application/json",
                response.headers().firstValue("Content-Type").orElse(""), response.body());
        org.junit.jupiter.api.Assertions.assertEquals(error, body.path("error").asText(), response.body());
        org.junit.jupiter.api.Assertions.assertTrue(body.has("code") && body.get("code").isInt(), response.body());
        org.junit.jupiter.api.Assertions.assertTrue(body.has("path"), response.body());
        org.junit.jupiter.api.Assertions.assertTrue(body.path("message").asText().contains(mentions),
                "message should mention \"" + mentions + "\": " + response.body());
        return body;
    }

    @Override
    public void close() {
        try {
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the test server did not stop", e);
        }
    }
}
