package com.dehive.calling.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the Decode gateway of auth mode session: {@code GET /auth/sso/validate} (x-session-id) answers an access
 * token for the sessions it knows, {@code GET /users/profile/me} (Bearer) the user behind it.
 */
class FakeDecodeGateway implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> usersBySession = new ConcurrentHashMap<>();
    final AtomicInteger validations = new AtomicInteger();

    FakeDecodeGateway() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/auth/sso/validate", this::validate);
        server.createContext("/users/profile/me", this::profile);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** A session the gateway will vouch for, for that user. */
    void knows(String sessionId, String userId) {
        usersBySession.put(sessionId, userId);
    }

    private void validate(HttpExchange exchange) throws IOException {
        validations.incrementAndGet();
        String user = usersBySession.get(exchange.getRequestHeaders().getFirst("x-session-id"));
        if (user == null) {
            answer(exchange, 401, "{\"success\":false,\"statusCode\":401,\"message\":\"Invalid session\"}");
            return;
        }
        answer(exchange, 200, "{\"success\":true,\"statusCode\":200,\"data\":{\"access_token\":\"at-" + user
                + "\",\"expires_at\":\"" + Instant.now().plusSeconds(3600) + "\"}}");
    }

    private void profile(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer at-")) {
            answer(exchange, 401, "{\"success\":false}");
            return;
        }
        String user = authorization.substring("Bearer at-".length());
        answer(exchange, 200, "{\"success\":true,\"data\":{\"_id\":\"" + user + "\",\"username\":\"" + user
                + "\",\"display_name\":\"User " + user + "\",\"avatar_ipfs_hash\":\"Qm" + user + "\"}}");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
