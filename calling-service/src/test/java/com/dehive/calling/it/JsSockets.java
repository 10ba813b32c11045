package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

import static org.awaitility.Awaitility.await;

/**
 * Real JS socket.io-client v4 sockets (src/test/js/driver.mjs under node), one node process for all of them.
 * Each socket records everything it hears; tests wait for what a user would see.
 */
public class JsSockets implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Process node;
    private final Writer commands;
    private final List<JsonNode> heard = new ArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final String url;

    public JsSockets(int socketPort) {
        this.url = "http://127.0.0.1:" + socketPort + "/rtc";
        Path js = Path.of("src/test/js").toAbsolutePath();
        if (!Files.isDirectory(js.resolve("node_modules/socket.io-client"))) {
            throw new IllegalStateException("run `npm ci` in " + js + " (mvn verify does it)");
        }
        try {
            node = new ProcessBuilder("node", "driver.mjs").directory(js.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("node is needed for the socket tests", e);
        }
        commands = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::read, "js-sockets");
        reader.setDaemon(true);
        reader.start();
        await().atMost(WAIT).until(() -> !lines(line -> "ready".equals(line.path("type").asText())).isEmpty());
    }

    /** A socket that authenticated at the handshake with the token (null: none). */
    public Socket connect(String token) {
        Socket socket = open(token == null ? Map.of() : Map.of("token", token));
        socket.awaitConnected();
        return socket;
    }

    /** A socket whose connection may be refused; the caller checks. */
    public Socket open(Map<String, ?> auth) {
        return open(auth, Map.of());
    }

    /** A socket whose handshake request carries these headers too (as a proxy in front of the service adds them). */
    public Socket open(Map<String, ?> auth, Map<String, String> headers) {
        String id = "s" + sequence.incrementAndGet();
        send(Map.of("op", "connect", "id", id, "url", url, "auth", auth, "headers", headers));
        return new Socket(id);
    }

    public final class Socket {
        private final String id;

        private Socket(String id) {
            this.id = id;
        }

        public void awaitConnected() {
            Awaitility.await().atMost(WAIT).until(() -> !all("connected").isEmpty() || !all("connect_error").isEmpty());
            if (all("connected").isEmpty()) {
                throw new AssertionError("socket was refused: " + all("connect_error"));
            }
        }

        public JsonNode awaitConnectError() {
            Awaitility.await().atMost(WAIT).until(() -> !all("connect_error").isEmpty());
            return all("connect_error").get(0);
        }

        public String socketId() {
            return all("connected").get(0).get("socketId").asText();
        }

        public void emit(String event, Object payload) {
            send(Map.of("op", "emit", "id", id, "event", event, "payload", payload));
        }

        public void emitAll(String event, List<?> payloads) {
            send(Map.of("op", "emitMany", "id", id, "event", event, "payloads", payloads));
        }

        /** Emits with an acknowledgement and answers it. */
        public JsonNode call(String event, Object payload) {
            int seq = sequence.incrementAndGet();
            send(Map.of("op", "emit", "id", id, "event", event, "payload", payload, "ack", true, "seq", seq));
            Awaitility.await().atMost(WAIT).until(() -> !lines(line -> id.equals(line.path("id").asText())
                    && "ack".equals(line.path("type").asText()) && line.path("seq").asInt() == seq).isEmpty());
            return lines(line -> id.equals(line.path("id").asText()) && "ack".equals(line.path("type").asText())
                    && line.path("seq").asInt() == seq).get(0).get("data");
        }

        /** The payload of the n-th (from 1) event of that name, once it has arrived. */
        public JsonNode await(String event, int nth) {
            Awaitility.await().atMost(WAIT).until(() -> events(event).size() >= nth);
            return events(event).get(nth - 1);
        }

        public JsonNode await(String event) {
            return await(event, 1);
        }

        /** The payloads of every event of that name heard so far. */
        public List<JsonNode> events(String event) {
            return lines(line -> id.equals(line.path("id").asText()) && "event".equals(line.path("type").asText())
                    && event.equals(line.path("event").asText())).stream().map(line -> line.get("payload")).toList();
        }

        /** Everything this socket heard, in order, for failure messages. */
        public List<JsonNode> heard() {
            return lines(line -> id.equals(line.path("id").asText()));
        }

        public void close() {
            send(Map.of("op", "close", "id", id));
            Awaitility.await().atMost(WAIT).until(() -> !all("disconnected").isEmpty());
        }

        public boolean connected() {
            return !all("connected").isEmpty() && all("disconnected").isEmpty();
        }

        private List<JsonNode> all(String type) {
            return lines(line -> id.equals(line.path("id").asText()) && type.equals(line.path("type").asText()));
        }
    }

    /** Asserts that, after the others have had time to hear it, a socket did not hear an event. */
    public static void settle() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<JsonNode> lines(Predicate<JsonNode> which) {
        synchronized (heard) {
            return heard.stream().filter(which).toList();
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode parsed = JSON.readTree(line);
                synchronized (heard) {
                    heard.add(parsed);
                }
            }
        } catch (IOException e) {
            // node went away; the waiting test fails with what it heard
        }
    }

    private synchronized void send(Map<String, ?> command) {
        try {
            ObjectNode line = JSON.valueToTree(command);
            commands.write(JSON.writeValueAsString(line) + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            send(Map.of("op", "exit"));
            node.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // already gone
        } finally {
            node.destroyForcibly();
        }
    }
}
