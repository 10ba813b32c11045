package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Participants report what happened to a call's media, over REST and sockets; the call's history carries it, and
 * Prometheus counts it (metrics export is on, as in OperationsIT, whose context this shares).
 */
@AutoConfigureObservability(tracing = false)
class CallQualityIT extends SocketServiceIT {

    @Test
    void reports_over_rest_are_recorded_once_each_and_carried_by_the_calls_audited_history() {
        CallingApi api = api();
        String alice = newUser("alice");
        String bob = newUser("bob");
        String aliceToken = api.token(alice);
        String bobToken = api.token(bob);
        String auditor = api.token(newUser("auditor"), "auditor");
        String callId = ringingCall(api, aliceToken, bob);
        acknowledged(api, "/api/calls/accept", bobToken, Map.of("call_id", callId));

        Map<String, Object> connected = connected(callId, "relay", "host");
        connected.put("candidate", "candidate:1 1 udp 2122260223 192.0.2.10 54321 typ host"); // never stored
        CallingApi.Response first = acknowledged(api, "/api/calls/connected", aliceToken, connected);
        assertThat(first.data().get("call_id").asText()).isEqualTo(callId);
        assertThat(first.data().get("recorded").asBoolean()).isTrue();
        assertThat(first.body().get("message").asText()).isEqualTo("Media connection recorded");
        CallingApi.Response again = acknowledged(api, "/api/calls/connected", aliceToken,
                connected(callId, "host", "host"));
        assertThat(again.data().get("recorded").asBoolean()).isFalse();
        acknowledged(api, "/api/calls/connected", bobToken, connected(callId, "host", "relay"));

        assertThat(acknowledged(api, "/api/calls/stats", bobToken, stats(callId)).data().get("recorded")
                .asBoolean()).isTrue();
        CallingApi.Response tooSoon = acknowledged(api, "/api/calls/stats", bobToken, stats(callId));
        assertThat(tooSoon.data().get("recorded").asBoolean()).isFalse();
        assertThat(tooSoon.body().get("message").asText()).startsWith("Call stats ignored");
        acknowledged(api, "/api/calls/media-failed", aliceToken,
                Map.of("call_id", callId, "ice_state", "disconnected", "reason", "ice_disconnected"));
        acknowledged(api, "/api/calls/end", aliceToken, Map.of("call_id", callId));
        // the closing sample, though bob's last one came less than a minute ago
        assertThat(acknowledged(api, "/api/calls/stats", bobToken, stats(callId)).data().get("recorded")
                .asBoolean()).isTrue();

        JsonNode events = api.get("/api/audit/calls/" + callId + "/events", auditor).data();
        assertThat(events).extracting(event -> event.get("type").asText()).containsExactly("CallStartedEvent",
                "CallAcceptedEvent", "ParticipantMediaConnectedEvent", "ParticipantMediaConnectedEvent",
                "CallQualitySampledEvent", "ParticipantMediaFailedEvent", "CallEndedEvent",
                "CallQualitySampledEvent");
        JsonNode aliceConnected = events.get(2).get("payload");
        assertThat(aliceConnected.get("participant").asText()).isEqualTo(alice);
        assertThat(aliceConnected.get("timeToConnectMs").asLong()).isEqualTo(850);
        assertThat(aliceConnected.get("localCandidateType").asText()).isEqualTo("relay");
        assertThat(aliceConnected.get("remoteCandidateType").asText()).isEqualTo("host");
        assertThat(aliceConnected.get("protocol").asText()).isEqualTo("udp");
        assertThat(events.get(4).get("payload").get("closing").asBoolean()).isFalse();
        assertThat(events.get(7).get("payload").get("closing").asBoolean()).isTrue();
        assertThat(events.get(7).get("payload").get("rttMs").asDouble()).isEqualTo(42.5);
        assertThat(events.get(5).get("payload").get("reason").asText()).isEqualTo("ice_disconnected");
        for (JsonNode event : events) {
            assertThat(event.get("payload").toString()).doesNotContain("192.0.2.10").doesNotContain("candidate:");
        }
        assertThat(api.get("/api/audit/calls/" + callId + "/verify", auditor).data().get("valid").asBoolean())
                .isTrue();
    }

    @Test
    void reports_are_refused_for_strangers_unknown_calls_and_calls_that_are_over() {
        CallingApi api = api();
        String bob = newUser("bob");
        String aliceToken = api.token(newUser("alice"));
        String bobToken = api.token(bob);
        String carolToken = api.token(newUser("carol"));
        String callId = ringingCall(api, aliceToken, bob);

        expectError(api.post("/api/calls/connected", carolToken, connected(callId, "host", "host")), 403,
                "NOT_A_PARTICIPANT");
        expectError(api.post("/api/calls/stats", carolToken, stats(callId)), 403, "NOT_A_PARTICIPANT");
        expectError(api.post("/api/calls/media-failed", aliceToken,
                Map.of("call_id", "no-such-call", "ice_state", "failed")), 404, "CALL_NOT_FOUND");
        expectError(api.post("/api/calls/connected", null, connected(callId, "host", "host")), 401,
                "AUTHENTICATION_REQUIRED");

        acknowledged(api, "/api/calls/decline", bobToken, Map.of("call_id", callId));
        expectError(api.post("/api/calls/connected", bobToken, connected(callId, "host", "host")), 409,
                "INVALID_CALL_STATE");
        expectError(api.post("/api/calls/media-failed", bobToken, Map.of("call_id", callId, "ice_state", "failed")),
                409, "INVALID_CALL_STATE");
        // a call that never connected takes no closing sample
        expectError(api.post("/api/calls/stats", bobToken, stats(callId)), 409, "INVALID_CALL_STATE");
    }

    @Test
    void each_kind_of_broken_field_is_refused_over_rest_naming_the_field() {
        CallingApi api = api();
        String bob = newUser("bob");
        String aliceToken = api.token(newUser("alice"));
        String callId = ringingCall(api, aliceToken, bob);

        Map<String, Object> asString = connected(callId, "host", "host");
        asString.put("time_to_connect_ms", "850");
        expectInvalid(api.post("/api/calls/connected", aliceToken, asString), "time_to_connect_ms");
        Map<String, Object> fraction = connected(callId, "host", "host");
        fraction.put("time_to_connect_ms", 850.5);
        expectInvalid(api.post("/api/calls/connected", aliceToken, fraction), "time_to_connect_ms");
        expectInvalid(api.post("/api/calls/connected", aliceToken, connected(callId, "turn", "host")),
                "local_candidate_type");
        Map<String, Object> missing = connected(callId, "host", "host");
        missing.remove("protocol");
        expectInvalid(api.post("/api/calls/connected", aliceToken, missing), "protocol");
        Map<String, Object> outOfRange = stats(callId);
        outOfRange.put("audio_loss_pct", 140);
        expectInvalid(api.post("/api/calls/stats", aliceToken, outOfRange), "audio_loss_pct");
        expectInvalid(api.post("/api/calls/media-failed", aliceToken,
                Map.of("call_id", callId, "ice_state", "gone")), "ice_state");
    }

    @Test
    void a_socket_reports_with_acknowledgements_and_its_closing_sample_follows_its_hang_up() {
        CallingApi api = api();
        Call call = twoUsersWithSockets(api);
        String auditor = api.token(newUser("auditor"), "auditor");
        String callId = call.caller().call("startCall", Map.of("target_user_id", call.bob())).get("data")
                .get("call_id").asText();
        call.callee().call("acceptCall", Map.of("call_id", callId));

        JsonNode ack = call.callee().call("callConnected", connected(callId, "srflx", "prflx"));
        assertThat(ack.get("ok").asBoolean()).isTrue();
        assertThat(ack.get("data").get("call_id").asText()).isEqualTo(callId);
        assertThat(ack.get("data").get("recorded").asBoolean()).isTrue();
        JsonNode refused = call.callee().call("callStats", Map.of("call_id", callId, "rtt_ms", -3));
        assertThat(refused.get("ok").asBoolean()).isFalse();
        assertThat(refused.get("error").get("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(call.callee().await("error").get("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(call.caller().call("callMediaFailed", "{\"call_id\":\"" + callId + "\",\"ice_state\":\"failed\"}")
                .get("data").get("recorded").asBoolean()).isTrue();

        // sent one right after the other: the sample is handled after the hang-up, as the call's closing one
        call.callee().emit("endCall", Map.of("call_id", callId));
        JsonNode closing = call.callee().call("callStats", stats(callId));
        assertThat(closing.get("data").get("recorded").asBoolean()).isTrue();
        JsonNode events = api.get("/api/audit/calls/" + callId + "/events", auditor).data();
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("type").asText()).isEqualTo("CallQualitySampledEvent");
        assertThat(last.get("payload").get("closing").asBoolean()).isTrue();
        assertThat(last.get("metadata").get("channel").asText()).isEqualTo("socket");
    }

    @Test
    void prometheus_counts_connections_by_candidate_pair_time_to_connect_and_failures() {
        CallingApi api = api();
        String bob = newUser("bob");
        String aliceToken = api.token(newUser("alice"));
        String bobToken = api.token(bob);
        String callId = ringingCall(api, aliceToken, bob);
        acknowledged(api, "/api/calls/accept", bobToken, Map.of("call_id", callId));
        Map<String, Object> overTls = connected(callId, "relay", "prflx");
        overTls.put("protocol", "tls");
        acknowledged(api, "/api/calls/connected", aliceToken, overTls);
        acknowledged(api, "/api/calls/media-failed", bobToken,
                Map.of("call_id", callId, "ice_state", "checking", "reason", "connect_timeout"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            String metrics = api.get("/actuator/prometheus", null).raw().body();
            assertThat(metrics).containsPattern("calling_media_connected_total\\{local_candidate_type=\"relay\","
                    + "protocol=\"tls\",remote_candidate_type=\"prflx\"} 1(\\.0)?\n");
            assertThat(metrics).containsPattern(
                    "calling_media_time_to_connect_seconds_bucket\\{relayed=\"true\",le=\"1.0\"} [1-9]");
            assertThat(metrics).containsPattern(
                    "calling_media_failed_total\\{ice_state=\"checking\",reason=\"connect_timeout\"} 1(\\.0)?\n");
        });
    }

    @Test
    void the_analytics_page_and_its_chart_library_need_no_token_but_its_figures_need_the_analytics_role() {
        CallingApi api = api();
        CallingApi.Response page = api.get("/analytics", null);
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.raw().headers().firstValue("Location").orElse("")).endsWith("/analytics/index.html");
        assertThat(api.get("/analytics/index.html", null).raw().body()).contains("/webjars/chart.js/");
        CallingApi.Response library = api.get("/webjars/chart.js/dist/chart.umd.min.js", null);
        assertThat(library.status()).isEqualTo(200);
        assertThat(library.raw().body()).contains("Chart.js");

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String figures = "/api/analytics/calls/daily?from=" + today + "&to=" + today;
        assertThat(api.get(figures, null).status()).isEqualTo(401);
        assertThat(api.get(figures, api.token(newUser("user"))).status()).isEqualTo(403);
        assertThat(api.get(figures, api.token(newUser("analyst"), "analytics")).status()).isEqualTo(200);
    }

    private static Map<String, Object> connected(String callId, String local, String remote) {
        return new HashMap<>(Map.of("call_id", callId, "time_to_connect_ms", 850, "local_candidate_type", local,
                "remote_candidate_type", remote, "protocol", "udp"));
    }

    private static Map<String, Object> stats(String callId) {
        return new HashMap<>(Map.of("call_id", callId, "rtt_ms", 42.5, "jitter_ms", 3.1, "audio_loss_pct", 0.4,
                "video_loss_pct", 1.2, "avg_bitrate_kbps", 1450, "freeze_count", 2));
    }

    private static void expectError(CallingApi.Response response, int status, String code) {
        assertThat(response.status()).as(response.body().toString()).isEqualTo(status);
        assertThat(response.code()).isEqualTo(code);
    }

    private static void expectInvalid(CallingApi.Response response, String field) {
        expectError(response, 400, "VALIDATION_FAILED");
        assertThat(response.body().get("error").asText()).contains(field);
    }
}
