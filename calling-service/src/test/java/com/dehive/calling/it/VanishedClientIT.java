package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Calls the service ends by itself, as the sockets of both parties see it: nobody answered, somebody vanished. */
@TestPropertySource(properties = {"calling.calls.ring-timeout=2s", "calling.calls.reconnect-grace=2s"})
class VanishedClientIT extends SocketServiceIT {


    @Test
    void a_call_nobody_answers_ends_with_timeout_on_both_sockets_and_in_history() {
        CallingApi api = api();
        String bob = newUser("bob");
        String aliceToken = api.token(newUser("alice"));
        JsSockets.Socket caller = sockets.connect(aliceToken);
        JsSockets.Socket callee = sockets.connect(api.token(bob));
        caller.emit("startCall", Map.of("target_user_id", bob));
        String callId = callee.await("incomingCall").get("call_id").asText();

        JsonNode forCaller = caller.await("callEnded");
        JsonNode forCallee = callee.await("callEnded");
        for (JsonNode ended : new JsonNode[]{forCaller, forCallee}) {
            assertThat(ended.get("call_id").asText()).isEqualTo(callId);
            assertThat(ended.get("reason").asText()).isEqualTo("timeout");
            assertThat(ended.get("timestamp").asText()).isNotBlank();
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                api.get("/api/calls/history", aliceToken).data().get("calls").get(0).get("end_reason").asText())
                .isEqualTo("timeout"));
        JsSockets.settle();
        assertThat(caller.events("callEnded")).hasSize(1);
    }

    @Test
    void a_participant_back_within_the_grace_period_keeps_the_call_and_gets_what_was_sent_meanwhile() {
        CallingApi api = api();
        Call call = twoUsersWithSockets(api);
        String bob = call.bob();
        String bobToken = call.bobToken();
        String aliceToken = call.aliceToken();
        JsSockets.Socket caller = call.caller();
        JsSockets.Socket callee = call.callee();
        String callId = connectedCall(caller, callee, bob);

        callee.close();
        JsonNode gone = caller.await("peerDisconnected");
        assertThat(gone.get("user_id").asText()).isEqualTo(bob);
        caller.emit("iceCandidate", Map.of("call_id", callId, "candidate", Map.of("candidate", "sent-while-away")));
        assertThat(caller.call("ping", Map.of()).get("ok").asBoolean()).isTrue(); // the relay has handled it

        JsSockets.Socket back = sockets.connect(bobToken);
        JsonNode reconnected = caller.await("peerReconnected");
        assertThat(reconnected.get("call_id").asText()).isEqualTo(callId);
        assertThat(reconnected.get("user_id").asText()).isEqualTo(bob);
        assertThat(reconnected.get("timestamp").asText()).isNotBlank();
        assertThat(back.await("iceCandidate").get("candidate").get("candidate").asText()).isEqualTo("sent-while-away");

        // past the grace period the call is still connected, and signaling reaches the new socket
        JsSockets.settle();
        await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(api.get("/api/calls/" + callId, aliceToken).data().get("status").asText())
                        .isEqualTo("connected"));
        caller.emit("signalOffer", Map.of("call_id", callId, "offer", Map.of("type", "offer", "sdp", "ice-restart")));
        assertThat(back.await("signalOffer").get("offer").get("sdp").asText()).isEqualTo("ice-restart");
        assertThat(caller.events("callEnded")).isEmpty();
    }

    @Test
    void a_participant_not_back_in_time_ends_the_call_with_connection_error_for_the_peer() {
        CallingApi api = api();
        Call call = twoUsersWithSockets(api);
        String bob = call.bob();
        String bobToken = call.bobToken();
        JsSockets.Socket caller = call.caller();
        JsSockets.Socket callee = call.callee();
        String callId = connectedCall(caller, callee, bob);

        callee.close();
        caller.await("peerDisconnected");
        JsonNode ended = await().atMost(Duration.ofSeconds(6)).until(() -> caller.events("callEnded").stream()
                .findFirst().orElse(null), java.util.Objects::nonNull);
        assertThat(ended.get("call_id").asText()).isEqualTo(callId);
        assertThat(ended.get("reason").asText()).isEqualTo("connection_error");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode view = api.get("/api/calls/" + callId, bobToken).data();
            assertThat(view.get("status").asText()).isEqualTo("ended");
            assertThat(view.get("end_reason").asText()).isEqualTo("connection_error");
        });
        // both are free again
        ringingCall(api, bobToken, newUser("carol"));
    }

    private static String connectedCall(JsSockets.Socket caller, JsSockets.Socket callee, String calleeId) {
        caller.emit("startCall", Map.of("target_user_id", calleeId));
        String callId = callee.await("incomingCall").get("call_id").asText();
        assertThat(callee.call("acceptCall", Map.of("call_id", callId)).get("ok").asBoolean()).isTrue();
        caller.await("callAccepted");
        return callId;
    }
}
