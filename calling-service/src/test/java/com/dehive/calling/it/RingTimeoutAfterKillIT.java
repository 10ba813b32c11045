package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The ring timeout is a persistent deadline: a call started before a crash still times out, and frees its users. */
class RingTimeoutAfterKillIT {

    private static final Map<String, String> SHORT_RING = Map.of("CALL_RING_TIMEOUT", "3s");

    @TempDir
    Path dataDir;

    @Test
    void a_call_ringing_when_the_service_died_times_out_after_the_restart() throws Exception {
        String caller;
        String overdueCall;
        String onTimeCall;
        String otherCaller;
        try (ServiceProcess first = ServiceProcess.start(dataDir, SHORT_RING)) {
            CallingApi api = first.api();
            caller = api.token("crash-caller");
            otherCaller = api.token("crash-caller-2");
            overdueCall = ServiceIT.ringingCall(api, caller, "crash-callee");
            first.kill9();
        }
        Thread.sleep(4_000); // the ring timeout falls due while no service runs

        try (ServiceProcess second = ServiceProcess.start(dataDir, SHORT_RING)) {
            CallingApi api = second.api();
            // The killed process still holds the projections' token claims: the new one takes them over after the
            // claim timeout (10 s), and until then the call is not in the read model yet.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode call = api.get("/api/calls/" + overdueCall, caller).body().path("data");
                assertThat(call.path("status").asText()).isEqualTo("ended");
                assertThat(call.path("end_reason").asText()).isEqualTo("timeout");
            });
            assertThat(api.post("/api/calls/start", caller, Map.of("target_user_id", "someone-else")).data()
                    .get("status").asText()).isEqualTo("ringing");

            onTimeCall = ServiceIT.ringingCall(api, otherCaller, "crash-callee-2");
            Thread.sleep(1_000);
            second.kill9();
        }

        try (ServiceProcess third = ServiceProcess.start(dataDir, SHORT_RING)) {
            CallingApi api = third.api();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    api.get("/api/calls/" + onTimeCall, otherCaller).body().path("data").path("status").asText())
                    .isEqualTo("ended"));
            JsonNode call = api.get("/api/calls/" + onTimeCall, otherCaller).data();
            assertThat(call.get("end_reason").asText()).isEqualTo("timeout");
            // it ended when it was due, not when the service came back
            assertThat(Duration.between(Instant.parse(call.get("created_at").asText()),
                    Instant.parse(call.get("ended_at").asText()))).isBetween(Duration.ofSeconds(3),
                    Duration.ofMillis(3_100));
            third.stop();
        }
    }
}
