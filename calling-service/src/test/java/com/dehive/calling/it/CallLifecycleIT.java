package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A whole call between two users over REST, and every way a request can be wrong. */
class CallLifecycleIT extends ServiceIT {

    private CallingApi api;
    private String alice;
    private String bob;
    private String aliceToken;
    private String bobToken;

    @BeforeEach
    void twoUsers() {
        api = api();
        alice = newUser("alice");
        bob = newUser("bob");
        aliceToken = api.token(alice);
        bobToken = api.token(bob);
    }

    @Test
    void two_users_start_accept_toggle_and_end_a_call_and_both_see_it_in_history() {
        CallingApi.Response started = api.post("/api/calls/start", aliceToken,
                Map.of("target_user_id", bob, "with_video", true));
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.body().get("success").asBoolean()).isTrue();
        assertThat(started.body().get("statusCode").asInt()).isEqualTo(200);
        assertThat(started.body().get("message").asText()).isEqualTo("Call started successfully");
        JsonNode call = started.data();
        String callId = call.get("call_id").asText();
        assertThat(call.get("status").asText()).isEqualTo("ringing");
        assertThat(call.get("target_user_id").asText()).isEqualTo(bob);
        assertThat(call.get("with_video").asBoolean()).isTrue();
        assertThat(call.get("with_audio").asBoolean()).isTrue();
        assertThat(call.hasNonNull("created_at")).isTrue();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode active = api.get("/api/calls/active", bobToken).data();
            assertThat(active.get("call_id").asText()).isEqualTo(callId);
            assertThat(active.get("status").asText()).isEqualTo("ringing");
            assertThat(active.get("caller_id").asText()).isEqualTo(alice);
        });

        CallingApi.Response accepted = api.post("/api/calls/accept", bobToken,
                Map.of("call_id", callId, "with_video", false));
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.body().get("message").asText()).isEqualTo("Call accepted successfully");
        assertThat(accepted.data().get("status").asText()).isEqualTo("connected");
        assertThat(accepted.data().get("with_video").asBoolean()).isFalse();
        assertThat(accepted.data().get("with_audio").asBoolean()).isTrue();
        assertThat(accepted.data().hasNonNull("started_at")).isTrue();

        CallingApi.Response muted = api.post("/api/calls/toggle-media", bobToken,
                Map.of("call_id", callId, "media_type", "audio", "state", "muted"));
        assertThat(muted.status()).isEqualTo(200);
        CallingApi.Response cameraOff = api.post("/api/calls/toggle-media", aliceToken,
                Map.of("call_id", callId, "media_type", "video", "state", "disabled"));
        assertThat(cameraOff.status()).isEqualTo(200);

        CallingApi.Response ended = api.post("/api/calls/end", aliceToken, Map.of("call_id", callId));
        assertThat(ended.status()).isEqualTo(200);
        assertThat(ended.body().get("message").asText()).isEqualTo("Call ended successfully");
        assertThat(ended.data().get("status").asText()).isEqualTo("ended");
        assertThat(ended.data().get("end_reason").asText()).isEqualTo("user_hangup");
        assertThat(ended.data().get("duration_seconds").asLong()).isGreaterThanOrEqualTo(0);

        CallingApi.Response endedAgain = api.post("/api/calls/end", aliceToken, Map.of("call_id", callId));
        assertThat(endedAgain.status()).isEqualTo(200);
        assertThat(endedAgain.data()).isEqualTo(ended.data());

        for (String token : new String[]{aliceToken, bobToken}) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                JsonNode history = api.get("/api/calls/history", token).data();
                assertThat(history.get("total").asLong()).isEqualTo(1);
                JsonNode view = history.get("calls").get(0);
                assertThat(view.get("call_id").asText()).isEqualTo(callId);
                assertThat(view.get("status").asText()).isEqualTo("ended");
                assertThat(view.get("end_reason").asText()).isEqualTo("user_hangup");
                assertThat(view.get("caller_id").asText()).isEqualTo(alice);
                assertThat(view.get("callee_id").asText()).isEqualTo(bob);
                assertThat(view.get("callee_info").get("_id").asText()).isEqualTo(bob);
                assertThat(view.get("caller_video_enabled").asBoolean()).isFalse();
                assertThat(view.get("callee_audio_muted").asBoolean()).isTrue();
                assertThat(view.get("callee_video_enabled").asBoolean()).isFalse();
                assertThat(view.get("callee_audio_enabled").asBoolean()).isTrue();
                assertThat(view.hasNonNull("started_at")).isTrue();
                assertThat(view.hasNonNull("ended_at")).isTrue();
            });
        }
        assertThat(api.get("/api/calls/active", aliceToken).data().isNull()).isTrue();
        assertThat(api.get("/api/calls/active", aliceToken).body().get("message").asText())
                .isEqualTo("No active call found");
        assertThat(api.get("/api/calls/" + callId, bobToken).data().get("status").asText()).isEqualTo("ended");
    }

    @Test
    void a_declined_call_frees_both_users_and_reads_as_declined() {
        String callId = startCall(aliceToken, bob);
        CallingApi.Response declined = api.post("/api/calls/decline", bobToken, Map.of("call_id", callId));
        assertThat(declined.status()).isEqualTo(200);
        assertThat(declined.data().get("status").asText()).isEqualTo("declined");
        assertThat(declined.data().get("end_reason").asText()).isEqualTo("user_declined");

        String nextCall = startCall(bobToken, alice);
        assertThat(nextCall).isNotEqualTo(callId);
    }

    @Test
    void a_caller_who_hangs_up_while_ringing_cancels_the_call() {
        String callId = startCall(aliceToken, bob);
        CallingApi.Response ended = api.post("/api/calls/end", aliceToken, Map.of("call_id", callId));
        assertThat(ended.data().get("end_reason").asText()).isEqualTo("cancelled");
        assertThat(ended.data().has("duration_seconds")).isFalse();
    }

    @Test
    void calling_a_busy_user_records_a_call_that_ended_with_user_busy() {
        String carol = newUser("carol");
        String carolToken = api.token(carol);
        startCall(aliceToken, bob);

        CallingApi.Response busy = api.post("/api/calls/start", carolToken, Map.of("target_user_id", bob));
        assertThat(busy.status()).isEqualTo(200);
        assertThat(busy.data().get("status").asText()).isEqualTo("ended");
        assertThat(busy.data().get("end_reason").asText()).isEqualTo("user_busy");

        // carol is free again at once
        CallingApi.Response next = api.post("/api/calls/start", carolToken, Map.of("target_user_id", newUser("dan")));
        assertThat(next.data().get("status").asText()).isEqualTo("ringing");
    }

    @Test
    void a_user_in_a_call_cannot_start_another() {
        startCall(aliceToken, bob);
        expectError(api.post("/api/calls/start", aliceToken, Map.of("target_user_id", newUser("carol"))),
                409, "ALREADY_IN_CALL");
    }

    @Test
    void unparsable_json_is_invalid_format() {
        expectError(api.postRaw("/api/calls/start", aliceToken, "{\"target_user_id\":"), 400, "INVALID_FORMAT");
        expectError(api.postRaw("/api/calls/start", aliceToken, ""), 400, "INVALID_FORMAT");
    }

    @Test
    void a_missing_field_fails_validation_and_names_the_field() {
        CallingApi.Response response = api.post("/api/calls/start", aliceToken, Map.of("with_video", true));
        expectError(response, 400, "VALIDATION_FAILED");
        assertThat(response.body().get("error").asText()).contains("target_user_id");
        expectError(api.post("/api/calls/accept", bobToken, Map.of()), 400, "VALIDATION_FAILED");
    }

    @Test
    void wrong_types_fail_validation() {
        expectError(api.postRaw("/api/calls/start", aliceToken, "{\"target_user_id\": 42}"),
                400, "VALIDATION_FAILED");
        expectError(api.postRaw("/api/calls/start", aliceToken,
                "{\"target_user_id\": \"" + bob + "\", \"with_video\": \"yes\"}"), 400, "VALIDATION_FAILED");
        expectError(api.postRaw("/api/calls/start", aliceToken, "[1, 2]"), 400, "VALIDATION_FAILED");
        expectError(api.post("/api/calls/start", aliceToken, Map.of("target_user_id", "not a user id!")),
                400, "VALIDATION_FAILED");
        expectError(api.post("/api/calls/toggle-media", aliceToken,
                Map.of("call_id", "x", "media_type", "smell", "state", "enabled")), 400, "VALIDATION_FAILED");
        expectError(api.get("/api/calls/history?limit=101", aliceToken), 400, "VALIDATION_FAILED");
        expectError(api.get("/api/calls/history?limit=ten", aliceToken), 400, "VALIDATION_FAILED");
    }

    @Test
    void an_unknown_call_is_not_found() {
        expectError(api.post("/api/calls/accept", bobToken, Map.of("call_id", "no-such-call")), 404, "CALL_NOT_FOUND");
        expectError(api.post("/api/calls/end", bobToken, Map.of("call_id", "no-such-call")), 404, "CALL_NOT_FOUND");
        expectError(api.get("/api/calls/no-such-call", bobToken), 404, "CALL_NOT_FOUND");
    }

    @Test
    void someone_outside_the_call_can_neither_act_on_it_nor_read_it() {
        String callId = startCall(aliceToken, bob);
        String mallory = api.token(newUser("mallory"));
        expectError(api.post("/api/calls/accept", mallory, Map.of("call_id", callId)), 403, "NOT_A_PARTICIPANT");
        expectError(api.post("/api/calls/end", mallory, Map.of("call_id", callId)), 403, "NOT_A_PARTICIPANT");
        expectError(api.post("/api/calls/toggle-media", mallory,
                Map.of("call_id", callId, "media_type", "audio", "state", "muted")), 403, "NOT_A_PARTICIPANT");
        await().atMost(Duration.ofSeconds(5)).until(() -> api.get("/api/calls/" + callId, aliceToken).status() == 200);
        expectError(api.get("/api/calls/" + callId, mallory), 403, "NOT_A_PARTICIPANT");
        // the caller cannot answer their own call either
        expectError(api.post("/api/calls/accept", aliceToken, Map.of("call_id", callId)), 403, "NOT_A_PARTICIPANT");
    }

    @Test
    void a_call_in_the_wrong_state_refuses_the_command() {
        String callId = startCall(aliceToken, bob);
        api.post("/api/calls/decline", bobToken, Map.of("call_id", callId));
        expectError(api.post("/api/calls/accept", bobToken, Map.of("call_id", callId)), 409, "INVALID_CALL_STATE");
        expectError(api.post("/api/calls/end", aliceToken, Map.of("call_id", callId)), 409, "INVALID_CALL_STATE");
        expectError(api.post("/api/calls/toggle-media", aliceToken,
                Map.of("call_id", callId, "media_type", "audio", "state", "muted")), 409, "INVALID_CALL_STATE");
    }

    @Test
    void calling_yourself_is_refused() {
        expectError(api.post("/api/calls/start", aliceToken, Map.of("target_user_id", alice)), 400, "SELF_CALL");
    }

    @Test
    void no_token_forged_token_and_expired_token_are_refused() throws JOSEException {
        expectError(api.post("/api/calls/start", null, Map.of("target_user_id", bob)), 401, "AUTHENTICATION_REQUIRED");
        expectError(api.get("/api/calls/history", null), 401, "AUTHENTICATION_REQUIRED");

        String forged = sign("another-secret-another-secret-another-0123", alice, Instant.now().plusSeconds(600));
        expectError(api.post("/api/calls/start", forged, Map.of("target_user_id", bob)), 401, "AUTHENTICATION_REQUIRED");

        String expired = sign(TEST_JWT_SECRET, alice, Instant.now().minusSeconds(600));
        expectError(api.post("/api/calls/start", expired, Map.of("target_user_id", bob)), 401, "AUTHENTICATION_REQUIRED");

        expectError(api.post("/api/calls/start", "not-a-jwt", Map.of("target_user_id", bob)), 401,
                "AUTHENTICATION_REQUIRED");

        String valid = sign(TEST_JWT_SECRET, alice, Instant.now().plusSeconds(600));
        assertThat(api.get("/api/calls/history", valid).status()).isEqualTo(200);
    }

    @Test
    void history_pages_newest_first_and_counts_every_call() {
        String[] calls = new String[3];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = startCall(aliceToken, bob);
            api.post("/api/calls/end", aliceToken, Map.of("call_id", calls[i]));
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode page = api.get("/api/calls/history?limit=2&offset=0", aliceToken).data();
            assertThat(page.get("total").asLong()).isEqualTo(3);
            assertThat(page.get("limit").asInt()).isEqualTo(2);
            assertThat(page.get("offset").asInt()).isEqualTo(0);
            assertThat(page.get("calls").size()).isEqualTo(2);
            assertThat(page.get("calls").get(0).get("call_id").asText()).isEqualTo(calls[2]);
            assertThat(page.get("calls").get(1).get("call_id").asText()).isEqualTo(calls[1]);
            JsonNode rest = api.get("/api/calls/history?limit=2&offset=2", bobToken).data();
            assertThat(rest.get("calls").size()).isEqualTo(1);
            assertThat(rest.get("calls").get(0).get("call_id").asText()).isEqualTo(calls[0]);
        });
    }

    @Test
    void the_api_is_documented() {
        CallingApi.Response docs = api.get("/api-dc-docs-json", null);
        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.body().get("paths");
        for (String path : new String[]{"/api/calls/start", "/api/calls/accept", "/api/calls/decline",
                "/api/calls/end", "/api/calls/active", "/api/calls/history", "/api/calls/{call_id}"}) {
            assertThat(paths.has(path)).as(path).isTrue();
        }
        assertThat(api.get("/api-dc-docs", null).raw().statusCode()).isIn(200, 302);
    }

    private String startCall(String callerToken, String callee) {
        CallingApi.Response started = api.post("/api/calls/start", callerToken, Map.of("target_user_id", callee));
        assertThat(started.status()).as(started.body().toString()).isEqualTo(200);
        assertThat(started.data().get("status").asText()).isEqualTo("ringing");
        return started.data().get("call_id").asText();
    }

    private static void expectError(CallingApi.Response response, int status, String code) {
        assertThat(response.status()).as(response.body().toString()).isEqualTo(status);
        JsonNode body = response.body();
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("statusCode").asInt()).isEqualTo(status);
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(body.get("error").asText()).isNotBlank();
        assertThat(body.hasNonNull("timestamp")).isTrue();
        assertThat(body.get("path").asText()).startsWith("/api");
    }

    private static String sign(String secret, String user, Instant expiresAt) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject(user)
                .issueTime(Date.from(expiresAt.minusSeconds(1200)))
                .expirationTime(Date.from(expiresAt))
                .build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
