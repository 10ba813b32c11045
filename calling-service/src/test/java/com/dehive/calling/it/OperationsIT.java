package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What operators look at: health that reflects the store, and metrics of calls, signaling and refusals. */
@AutoConfigureObservability(tracing = false) // tests switch metrics export off unless asked
class OperationsIT extends SocketServiceIT {

    @Test
    void health_reports_the_event_store() {
        JsonNode health = api().get("/actuator/health", null).body();
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("components").get("mongo").get("status").asText()).isEqualTo("UP");
    }

    @Test
    void metrics_count_calls_signaling_sockets_and_projection_lag() {
        CallingApi api = api();
        Call call = twoUsersWithSockets(api);
        JsSockets.Socket caller = call.caller();
        JsSockets.Socket callee = call.callee();
        caller.emit("startCall", Map.of("target_user_id", call.bob()));
        String callId = callee.await("incomingCall").get("call_id").asText();
        caller.emit("signalOffer", Map.of("call_id", callId, "offer", "v=0"));
        callee.await("signalOffer");
        callee.emit("declineCall", Map.of("call_id", callId));
        caller.await("callDeclined");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            String metrics = api.get("/actuator/prometheus", null).raw().body();
            assertThat(metrics).contains("calling_calls_outcomes_total{reason=\"user_declined\"}");
            assertThat(metrics).contains("calling_signaling_relayed_total{type=\"signalOffer\"}");
            assertThat(metrics).contains("calling_sockets_connected");
            assertThat(metrics).contains("calling_calls_live");
            assertThat(metrics).contains("calling_calls_setup_latency_seconds_count");
            assertThat(metrics).contains("calling_signaling_held_total");
            assertThat(metrics).contains("calling_signaling_dropped_total");
            assertThat(metrics).containsPattern("calling_projection_lag_seconds_count\\{processor=\"call-history\"");
            assertThat(metrics).containsPattern(
                    "calling_projection_lag_seconds\\{processor=\"socket-notifier\",quantile=\"0.99\"");
        });
    }
}
