package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connected calls survive a crash of the service only through their participants: those who reconnect within the
 * grace period go on; a call whose participants do not come back ends with connection_error and frees them.
 */
class LiveCallsAfterKillIT {

    private static final Map<String, String> SHORT_GRACE = Map.of("CALL_RECONNECT_GRACE", "3s");

    @TempDir
    Path dataDir;

    @Test
    void after_a_crash_calls_whose_users_reconnect_go_on_and_the_others_end() {
        String[] tokens = new String[4];
        String kept;
        String abandoned;
        try (ServiceProcess first = ServiceProcess.start(dataDir, SHORT_GRACE)) {
            CallingApi api = first.api();
            for (int i = 0; i < 4; i++) {
                tokens[i] = api.token("sweep-user-" + i);
            }
            kept = ServiceIT.ringingCall(api, tokens[0], "sweep-user-1");
            ServiceIT.acknowledged(api, "/api/calls/accept", tokens[1], Map.of("call_id", kept));
            abandoned = ServiceIT.ringingCall(api, tokens[2], "sweep-user-3");
            ServiceIT.acknowledged(api, "/api/calls/accept", tokens[3], Map.of("call_id", abandoned));
            first.kill9();
        }

        try (ServiceProcess second = ServiceProcess.start(dataDir, SHORT_GRACE);
             JsSockets sockets = new JsSockets(second.socketPort())) {
            CallingApi api = second.api();
            JsSockets.Socket caller = sockets.connect(tokens[0]);
            JsSockets.Socket callee = sockets.connect(tokens[1]);
            assertThat(caller.await("peerReconnected").get("call_id").asText()).isEqualTo(kept);

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                JsonNode ended = api.get("/api/calls/" + abandoned, tokens[2]).data();
                assertThat(ended.get("status").asText()).isEqualTo("ended");
                assertThat(ended.get("end_reason").asText()).isEqualTo("connection_error");
            });
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(api.get("/api/calls/" + kept, tokens[0]).body().path("data").path("status").asText())
                            .isEqualTo("connected"));
            caller.emit("signalOffer", Map.of("call_id", kept, "offer", Map.of("type", "offer", "sdp", "restart")));
            assertThat(callee.await("signalOffer").get("offer").get("sdp").asText()).isEqualTo("restart");
            // the users of the abandoned call are free again
            ServiceIT.ringingCall(api, tokens[3], "sweep-user-2");
            second.stop();
        }
    }
}
