package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Daily figures for a scripted set of calls and their media reports, identical after the projection is rebuilt and
 * equal to what the consistency check rebuilds from the events. Runs on a store of its own (a separate context), so
 * other tests' calls do not count.
 */
@TestPropertySource(properties = "calling.node-id=analytics-it")
class AnalyticsIT extends ServiceIT {

    @Test
    void daily_figures_count_every_outcome_and_survive_a_rebuild() {
        CallingApi api = api();
        String analyst = api.token(newUser("analyst"), "analytics");
        String admin = api.token(newUser("admin"), "admin");
        String[] users = {newUser("u0"), newUser("u1"), newUser("u2"), newUser("u3")};
        String[] tokens = new String[users.length];
        for (int i = 0; i < users.length; i++) {
            tokens[i] = api.token(users[i]);
        }

        // two answered calls, one declined, one cancelled, one busy; with what their participants reported
        String answered1 = ringingCall(api, tokens[0], users[1]);
        acknowledged(api, "/api/calls/accept", tokens[1], Map.of("call_id", answered1));
        // both sides connect, u1 through TURN and slower; u1 samples its media
        connected(api, tokens[0], answered1, 700, "host", "host");
        connected(api, tokens[1], answered1, 1200, "relay", "host");
        sampled(api, tokens[1], answered1, 80, 1.0, 2.0);
        String busyTarget = users[1];
        CallingApi.Response busy = api.post("/api/calls/start", tokens[2], Map.of("target_user_id", busyTarget));
        assertThat(busy.data().get("end_reason").asText()).isEqualTo("user_busy");
        acknowledged(api, "/api/calls/end", tokens[0], Map.of("call_id", answered1));

        String answered2 = ringingCall(api, tokens[2], users[3]);
        acknowledged(api, "/api/calls/accept", tokens[3], Map.of("call_id", answered2));
        connected(api, tokens[2], answered2, 300, "srflx", "host");
        acknowledged(api, "/api/calls/end", tokens[3], Map.of("call_id", answered2));
        sampled(api, tokens[3], answered2, 40, 0.0, null); // its closing sample, audio only

        String declined = ringingCall(api, tokens[0], users[2]);
        acknowledged(api, "/api/calls/media-failed", tokens[0],
                Map.of("call_id", declined, "ice_state", "checking", "reason", "connect_timeout"));
        acknowledged(api, "/api/calls/decline", tokens[2], Map.of("call_id", declined));

        String cancelled = ringingCall(api, tokens[1], users[3]);
        acknowledged(api, "/api/calls/end", tokens[1], Map.of("call_id", cancelled));

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String path = "/api/analytics/calls/daily?from=" + today + "&to=" + today;
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode day = api.get(path, analyst).data().get(0);
            assertThat(day.get("date").asText()).isEqualTo(today);
            assertThat(day.get("started").asLong()).isEqualTo(5);
            assertThat(day.get("answered").asLong()).isEqualTo(2);
            assertThat(day.get("declined").asLong()).isEqualTo(1);
            assertThat(day.get("cancelled").asLong()).isEqualTo(1);
            assertThat(day.get("busy").asLong()).isEqualTo(1);
            assertThat(day.get("missed").asLong()).isZero();
            assertThat(day.get("disconnected").asLong()).isZero();
            assertThat(day.get("answer_rate").asDouble()).isEqualTo(0.5); // 2 answered of 4 that rang
            assertThat(day.get("mean_talk_seconds").isNumber()).isTrue();
            assertThat(day.get("p95_talk_seconds").isNumber()).isTrue();
            assertThat(day.get("mean_seconds_to_answer").asDouble()).isGreaterThanOrEqualTo(0);
            assertThat(day.get("connected").asLong()).isEqualTo(2);
            assertThat(day.get("connect_rate").asDouble()).isEqualTo(1.0);
            assertThat(day.get("time_to_connect_p50_ms").asLong()).isEqualTo(300);
            assertThat(day.get("time_to_connect_p95_ms").asLong()).isEqualTo(1200); // a call waits for its slower side
            assertThat(day.get("relayed").asLong()).isEqualTo(1);
            assertThat(day.get("relay_share").asDouble()).isEqualTo(0.5);
            assertThat(day.get("media_failed").asLong()).isEqualTo(1);
            assertThat(day.get("media_failures")).isEqualTo(api.json(Map.of("connect_timeout", 1)));
            assertThat(day.get("median_rtt_ms").asDouble()).isEqualTo(40.0);
            assertThat(day.get("median_audio_loss_pct").asDouble()).isEqualTo(0.0);
            assertThat(day.get("median_video_loss_pct").asDouble()).isEqualTo(2.0);
        });
        JsonNode before = api.get(path, analyst).data();

        CallingApi.Response started = api.post("/api/admin/projections/call-analytics/replay", admin, Map.of());
        assertThat(started.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode progress = api.get("/api/admin/projections/call-analytics/replay", admin).data();
            assertThat(progress.get("done").asBoolean()).isTrue();
            assertThat(progress.get("status").asText()).isEqualTo("done");
            assertThat(progress.get("events_processed").asLong()).isGreaterThan(0);
            assertThat(progress.get("events_in_store").asLong()).isGreaterThan(0);
        });
        JsonNode progress = api.get("/api/admin/projections/call-analytics/replay", admin).data();
        System.out.printf("call-analytics rebuild: %d events processed, %.1f events/s%n",
                progress.get("events_processed").asLong(), progress.get("events_per_second").asDouble());
        assertThat(api.get(path, analyst).data()).isEqualTo(before);
        JsonNode consistency = api.get("/api/admin/consistency", admin).data();
        assertThat(consistency.get("consistent").asBoolean()).as(consistency.toString()).isTrue();
    }

    private static void connected(CallingApi api, String token, String callId, long millis, String local,
                                  String remote) {
        acknowledged(api, "/api/calls/connected", token, Map.of("call_id", callId, "time_to_connect_ms", millis,
                "local_candidate_type", local, "remote_candidate_type", remote, "protocol", "udp"));
    }

    private static void sampled(CallingApi api, String token, String callId, double rtt, double audioLoss,
                                Double videoLoss) {
        Map<String, Object> sample = new HashMap<>(Map.of("call_id", callId, "rtt_ms", rtt, "jitter_ms", 2.5,
                "audio_loss_pct", audioLoss, "avg_bitrate_kbps", 900, "freeze_count", 0));
        if (videoLoss != null) {
            sample.put("video_loss_pct", videoLoss);
        }
        acknowledged(api, "/api/calls/stats", token, sample);
    }

    @Test
    void a_range_the_wrong_way_round_is_refused() {
        CallingApi api = api();
        String analyst = api.token(newUser("analyst"), "analytics");
        CallingApi.Response response = api.get("/api/analytics/calls/daily?from=2026-02-02&to=2026-02-01", analyst);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(api.get("/api/analytics/calls/daily?from=yesterday&to=2026-02-01", analyst).code())
                .isEqualTo("VALIDATION_FAILED");
    }
}
