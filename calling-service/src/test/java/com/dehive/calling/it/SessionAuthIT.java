package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Auth mode session, the original deployment: sessions vouched for by the Decode gateway, over REST and sockets. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionAuthIT extends ServiceIT {

    private static final FakeDecodeGateway GATEWAY = new FakeDecodeGateway();

    @DynamicPropertySource
    static void sessionMode(DynamicPropertyRegistry registry) {
        registry.add("calling.auth.mode", () -> "session");
        registry.add("calling.auth.decode-gateway-host", () -> "127.0.0.1");
        registry.add("calling.auth.decode-gateway-port", GATEWAY::port);
        registry.add("calling.auth.decode-gateway-timeout", () -> "1s");
    }

    @AfterAll
    static void stopGateway() {
        GATEWAY.close();
    }

    @Test
    @Order(1)
    void a_valid_session_proves_the_caller_over_rest_and_is_asked_for_once() throws Exception {
        GATEWAY.knows("session-alice", "alice-s1");
        int before = GATEWAY.validations.get();
        HttpResponse<String> history = get("/api/calls/history", "session-alice");
        assertThat(history.statusCode()).isEqualTo(200);
        assertThat(get("/api/calls/active", "session-alice").statusCode()).isEqualTo(200);
        assertThat(GATEWAY.validations.get() - before).isEqualTo(1);

        HttpResponse<String> started = post("/api/calls/start", "session-alice",
                "{\"target_user_id\":\"bob-s1\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        assertThat(started.body()).contains("\"status\":\"ringing\"");
    }

    @Test
    @Order(2)
    void an_unknown_session_or_none_is_refused() throws Exception {
        HttpResponse<String> refused = get("/api/calls/history", "no-such-session");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("AUTHENTICATION_REQUIRED");
        assertThat(get("/api/calls/history", null).statusCode()).isEqualTo(401);
        // tokens mean nothing in this mode
        assertThat(api().get("/api/calls/history", "some.jwt.token").status()).isEqualTo(401);
    }

    @Test
    @Order(3)
    void a_socket_authenticates_with_its_session_at_the_handshake_or_through_identity() {
        GATEWAY.knows("session-carol", "carol-s1");
        GATEWAY.knows("session-dan", "dan-s1");
        try (JsSockets sockets = new JsSockets(socketPort)) {
            JsSockets.Socket carol = sockets.open(Map.of("session_id", "session-carol"));
            carol.awaitConnected();
            // the original clients say who they are right after connecting
            assertThat(carol.call("identity", "carol-s1").get("ok").asBoolean()).isTrue();

            JsSockets.Socket dan = sockets.connect(null);
            JsonNode confirmed = dan.call("identity", Map.of("session_id", "session-dan"));
            assertThat(confirmed.get("data").get("userDehiveId").asText()).isEqualTo("dan-s1");

            carol.emit("startCall", Map.of("target_user_id", "dan-s1"));
            JsonNode incoming = dan.await("incomingCall");
            assertThat(incoming.get("caller_info").get("display_name").asText()).isEqualTo("User carol-s1");
            assertThat(incoming.get("caller_info").get("avatar_ipfs_hash").asText()).isEqualTo("Qmcarol-s1");

            JsSockets.Socket stranger = sockets.open(Map.of("session_id", "forged"));
            assertThat(stranger.await("error").get("code").asText()).isEqualTo("AUTHENTICATION_REQUIRED");
            // refused before the handshake is over (nothing to ask the gateway): the error still reaches the client
            JsSockets.Socket blank = sockets.open(Map.of("session_id", ""));
            assertThat(blank.await("error").get("code").asText()).isEqualTo("AUTHENTICATION_REQUIRED");
            assertThat(dan.call("identity", Map.of("session_id", "forged")).get("error").get("code").asText())
                    .isEqualTo("AUTHENTICATION_REQUIRED");
        }
    }

    @Test
    @Order(4)
    void a_gateway_that_is_down_gets_a_clear_answer_not_a_hang() throws Exception {
        GATEWAY.close();
        long started = System.nanoTime();
        HttpResponse<String> down = get("/api/calls/history", "session-nobody-validated-yet");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("AUTH_SERVICE_UNAVAILABLE");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
        // a session validated before the outage is still trusted until it expires
        assertThat(get("/api/calls/history", "session-alice").statusCode()).isEqualTo(200);
        try (JsSockets sockets = new JsSockets(socketPort)) {
            JsSockets.Socket socket = sockets.connect(null);
            assertThat(socket.call("identity", Map.of("session_id", "another")).get("error").get("code").asText())
                    .isEqualTo("AUTH_SERVICE_UNAVAILABLE");
        }
    }

    private HttpResponse<String> get(String path, String sessionId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET();
        if (sessionId != null) {
            request.header("x-session-id", sessionId).header("x-fingerprint-hashed", "fp");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String sessionId, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("x-session-id", sessionId).header("x-fingerprint-hashed", "fp")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
