package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The /rtc protocol as the original front-ends speak it, through the JS socket.io-client v4. */
class SocketSignalingIT extends SocketServiceIT {

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
    void the_original_clients_flow_reaches_both_sides_with_every_field() {
        JsSockets.Socket caller = sockets.connect(aliceToken);
        JsSockets.Socket callee = sockets.connect(bobToken);

        caller.emit("identity", alice);
        JsonNode confirmed = caller.await("identityConfirmed");
        assertThat(confirmed.get("userDehiveId").asText()).isEqualTo(alice);
        assertThat(confirmed.get("status").asText()).isEqualTo("success");
        assertThat(confirmed.get("timestamp").asText()).isNotBlank();
        callee.emit("identity", bob);
        callee.await("identityConfirmed");

        caller.emit("startCall", Map.of("target_user_id", bob, "with_video", true, "with_audio", true));
        JsonNode started = caller.await("callStarted");
        String callId = started.get("call_id").asText();
        assertThat(started.get("status").asText()).isEqualTo("ringing");
        assertThat(started.get("target_user_id").asText()).isEqualTo(bob);
        assertThat(started.get("timestamp").asText()).isNotBlank();

        // the original clients send the offer right after callStarted, while it still rings
        Map<String, Object> offer = Map.of("type", "offer", "sdp", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n");
        caller.emit("signalOffer", Map.of("call_id", callId, "offer", offer));

        JsonNode incoming = callee.await("incomingCall");
        assertThat(incoming.get("call_id").asText()).isEqualTo(callId);
        assertThat(incoming.get("caller_id").asText()).isEqualTo(alice);
        assertThat(incoming.get("caller_info").get("_id").asText()).isEqualTo(alice);
        assertThat(incoming.get("caller_info").get("username").asText()).isEqualTo(alice);
        assertThat(incoming.get("with_video").asBoolean()).isTrue();
        assertThat(incoming.get("with_audio").asBoolean()).isTrue();
        assertThat(incoming.get("timestamp").asText()).isNotBlank();

        JsonNode relayedOffer = callee.await("signalOffer");
        assertThat(relayedOffer.get("call_id").asText()).isEqualTo(callId);
        assertThat(relayedOffer.get("offer")).isEqualTo(api.json(offer));
        assertThat(relayedOffer.get("from_user_id").asText()).isEqualTo(alice);
        assertThat(relayedOffer.has("metadata")).isTrue();
        assertThat(relayedOffer.get("timestamp").asText()).isNotBlank();

        // the callee answers before accepting
        Map<String, Object> answer = Map.of("type", "answer", "sdp", "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\n");
        callee.emit("signalAnswer", Map.of("call_id", callId, "answer", answer, "metadata", Map.of("k", "v")));
        JsonNode relayedAnswer = caller.await("signalAnswer");
        assertThat(relayedAnswer.get("answer")).isEqualTo(api.json(answer));
        assertThat(relayedAnswer.get("metadata").get("k").asText()).isEqualTo("v");
        assertThat(relayedAnswer.get("from_user_id").asText()).isEqualTo(bob);

        callee.emit("acceptCall", Map.of("call_id", callId, "with_video", true, "with_audio", true));
        JsonNode acceptedForCallee = callee.await("callAccepted");
        assertThat(acceptedForCallee.get("call_id").asText()).isEqualTo(callId);
        assertThat(acceptedForCallee.get("status").asText()).isEqualTo("connected");
        assertThat(acceptedForCallee.get("timestamp").asText()).isNotBlank();
        JsonNode acceptedForCaller = caller.await("callAccepted");
        assertThat(acceptedForCaller.get("call_id").asText()).isEqualTo(callId);
        assertThat(acceptedForCaller.get("callee_id").asText()).isEqualTo(bob);
        assertThat(acceptedForCaller.get("callee_info").get("_id").asText()).isEqualTo(bob);
        assertThat(acceptedForCaller.get("with_video").asBoolean()).isTrue();
        assertThat(acceptedForCaller.get("with_audio").asBoolean()).isTrue();

        // candidates as RTCIceCandidate.toJSON() objects, both ways
        Map<String, Object> candidate = new LinkedHashMap<>();
        candidate.put("candidate", "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host");
        candidate.put("sdpMid", "0");
        candidate.put("sdpMLineIndex", 0);
        candidate.put("usernameFragment", "abcd");
        caller.emit("iceCandidate", Map.of("call_id", callId, "candidate", candidate, "sdpMid", "0",
                "sdpMLineIndex", 0));
        JsonNode relayedCandidate = callee.await("iceCandidate");
        assertThat(relayedCandidate.get("candidate")).isEqualTo(api.json(candidate));
        assertThat(relayedCandidate.get("sdpMid").asText()).isEqualTo("0");
        assertThat(relayedCandidate.get("sdpMLineIndex").asInt()).isZero();
        assertThat(relayedCandidate.get("from_user_id").asText()).isEqualTo(alice);
        callee.emit("iceCandidate", Map.of("call_id", callId, "candidate", candidate));
        JsonNode back = caller.await("iceCandidate");
        assertThat(back.get("from_user_id").asText()).isEqualTo(bob);
        assertThat(back.get("sdpMid").isNull()).isTrue();

        caller.emit("toggleMedia", Map.of("call_id", callId, "media_type", "video", "state", "disabled"));
        JsonNode toggledForSender = caller.await("mediaToggled");
        assertThat(toggledForSender.get("call_id").asText()).isEqualTo(callId);
        assertThat(toggledForSender.get("media_type").asText()).isEqualTo("video");
        assertThat(toggledForSender.get("state").asText()).isEqualTo("disabled");
        assertThat(toggledForSender.has("user_id")).isFalse();
        JsonNode toggledForPeer = callee.await("mediaToggled");
        assertThat(toggledForPeer.get("user_id").asText()).isEqualTo(alice);
        assertThat(toggledForPeer.get("media_type").asText()).isEqualTo("video");
        assertThat(toggledForPeer.get("state").asText()).isEqualTo("disabled");
        caller.emit("toggleMedia", Map.of("call_id", callId, "media_type", "video", "state", "enabled"));
        assertThat(callee.await("mediaToggled", 2).get("state").asText()).isEqualTo("enabled");
        callee.emit("toggleMedia", Map.of("call_id", callId, "media_type", "audio", "state", "disabled"));
        caller.await("mediaToggled", 3);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode view = api.get("/api/calls/" + callId, aliceToken).data();
            assertThat(view.get("caller_video_enabled").asBoolean()).isTrue();
            assertThat(view.get("callee_audio_enabled").asBoolean()).isFalse();
        });

        caller.emit("endCall", Map.of("call_id", callId));
        JsonNode endedForSender = caller.await("callEnded");
        assertThat(endedForSender.get("call_id").asText()).isEqualTo(callId);
        assertThat(endedForSender.get("status").asText()).isEqualTo("ended");
        assertThat(endedForSender.get("duration").asLong()).isGreaterThanOrEqualTo(0);
        JsonNode endedForPeer = callee.await("callEnded");
        assertThat(endedForPeer.get("ended_by").asText()).isEqualTo(alice);
        assertThat(endedForPeer.get("reason").asText()).isEqualTo("user_hangup");
        assertThat(endedForPeer.get("duration").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(caller.events("error")).as(caller.heard().toString()).isEmpty();
        assertThat(callee.events("error")).as(callee.heard().toString()).isEmpty();
    }

    @Test
    void socket_commands_are_audited_with_the_address_a_proxy_on_this_host_forwarded() {
        // as nginx in front of the service connects: from this host, naming the client in X-Forwarded-For
        JsSockets.Socket caller = sockets.open(Map.of("token", aliceToken),
                Map.of("X-Forwarded-For", "203.0.113.7, 10.0.0.2"));
        caller.awaitConnected();
        JsSockets.Socket callee = sockets.connect(bobToken);
        caller.emit("startCall", Map.of("target_user_id", bob));
        String callId = callee.await("incomingCall").get("call_id").asText();
        callee.emit("acceptCall", Map.of("call_id", callId));
        caller.await("callAccepted");
        caller.emit("endCall", Map.of("call_id", callId));
        callee.await("callEnded");

        String auditor = api.token(newUser("auditor"), "auditor");
        JsonNode events = api.get("/api/audit/calls/" + callId + "/events", auditor).data();
        assertThat(events).extracting(event -> event.get("metadata").get("client_address").asText())
                .containsExactly("203.0.113.7", "127.0.0.1", "203.0.113.7");
        assertThat(events).extracting(event -> event.get("metadata").get("channel").asText())
                .containsOnly("socket");
    }

    @Test
    void a_declined_call_tells_the_callees_sockets_and_the_caller_in_their_shapes() {
        JsSockets.Socket caller = sockets.connect(aliceToken);
        JsSockets.Socket phone = sockets.connect(bobToken);
        JsSockets.Socket laptop = sockets.connect(bobToken);
        caller.emit("startCall", Map.of("target_user_id", bob));
        String callId = phone.await("incomingCall").get("call_id").asText();
        laptop.await("incomingCall");

        phone.emit("declineCall", Map.of("call_id", callId));
        for (JsSockets.Socket callee : List.of(phone, laptop)) {
            JsonNode declined = callee.await("callDeclined");
            assertThat(declined.get("call_id").asText()).isEqualTo(callId);
            assertThat(declined.get("status").asText()).isEqualTo("declined");
            assertThat(declined.get("timestamp").asText()).isNotBlank();
        }
        JsonNode forCaller = caller.await("callDeclined");
        assertThat(forCaller.get("call_id").asText()).isEqualTo(callId);
        assertThat(forCaller.get("callee_id").asText()).isEqualTo(bob);
        assertThat(forCaller.get("reason").asText()).isEqualTo("user_declined");
        assertThat(forCaller.get("timestamp").asText()).isNotBlank();
        // the call is over: no more signaling into it
        assertThat(caller.call("signalOffer", Map.of("call_id", callId, "offer", "v=0")).get("error").get("code")
                .asText()).isEqualTo("INVALID_CALL_STATE");
    }

    @Test
    void acknowledgements_answer_with_the_result_and_payloads_may_be_json_strings() {
        JsSockets.Socket caller = sockets.connect(aliceToken);
        JsonNode ack = caller.call("startCall", "{\"target_user_id\":\"" + bob + "\",\"with_video\":false}");
        assertThat(ack.get("ok").asBoolean()).isTrue();
        assertThat(ack.get("data").get("status").asText()).isEqualTo("ringing");
        assertThat(ack.get("data").get("with_video").asBoolean()).isFalse();
        JsonNode refused = caller.call("startCall", Map.of("target_user_id", bob));
        assertThat(refused.get("ok").asBoolean()).isFalse();
        assertThat(refused.get("error").get("code").asText()).isEqualTo("ALREADY_IN_CALL");
        assertThat(caller.await("error").get("code").asText()).isEqualTo("ALREADY_IN_CALL");
        JsonNode pong = caller.call("ping", Map.of());
        assertThat(pong.get("data").get("message").asText()).isEqualTo("pong");
        assertThat(caller.await("pong").get("message").asText()).isEqualTo("pong");
    }

    @Test
    void a_call_started_over_rest_rings_the_socket_and_ends_on_the_peers_socket() {
        JsSockets.Socket callee = sockets.connect(bobToken);
        JsSockets.Socket caller = sockets.connect(aliceToken);
        String callId = ringingCall(api, aliceToken, bob);
        JsonNode incoming = callee.await("incomingCall");
        assertThat(incoming.get("call_id").asText()).isEqualTo(callId);
        assertThat(incoming.get("caller_id").asText()).isEqualTo(alice);

        assertThat(callee.call("acceptCall", Map.of("call_id", callId)).get("ok").asBoolean()).isTrue();
        assertThat(caller.await("callAccepted").get("callee_id").asText()).isEqualTo(bob);
        JsonNode active = api.get("/api/calls/active", aliceToken).data();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(api.get("/api/calls/active", aliceToken).data().get("status").asText())
                        .isEqualTo("connected"));

        acknowledged(api, "/api/calls/end", aliceToken, Map.of("call_id", callId));
        JsonNode ended = callee.await("callEnded");
        assertThat(ended.get("ended_by").asText()).isEqualTo(alice);
        assertThat(ended.get("reason").asText()).isEqualTo("user_hangup");
        assertThat(caller.await("callEnded").get("status").asText()).isEqualTo("ended");
        assertThat(active).isNotNull();
    }

    @Test
    void a_callee_with_two_sockets_rings_on_both_and_talks_on_the_one_that_answered() {
        JsSockets.Socket caller = sockets.connect(aliceToken);
        JsSockets.Socket phone = sockets.connect(bobToken);
        JsSockets.Socket laptop = sockets.connect(bobToken);
        caller.emit("startCall", Map.of("target_user_id", bob));
        String callId = phone.await("incomingCall").get("call_id").asText();
        assertThat(laptop.await("incomingCall").get("call_id").asText()).isEqualTo(callId);

        phone.emit("acceptCall", Map.of("call_id", callId));
        assertThat(phone.await("callAccepted").get("status").asText()).isEqualTo("connected");
        JsonNode elsewhere = laptop.await("callAnsweredElsewhere");
        assertThat(elsewhere.get("call_id").asText()).isEqualTo(callId);
        assertThat(elsewhere.get("timestamp").asText()).isNotBlank();
        caller.await("callAccepted");

        caller.emit("signalOffer", Map.of("call_id", callId, "offer", Map.of("type", "offer", "sdp", "renegotiate")));
        phone.await("signalOffer");
        JsSockets.settle();
        assertThat(laptop.events("signalOffer")).isEmpty();
        assertThat(laptop.events("callAccepted")).isEmpty();
    }

    @Test
    void a_busy_callee_is_not_rung_and_both_hear_user_busy() {
        String carol = newUser("carol");
        String carolToken = api.token(carol);
        ringingCall(api, api.token(newUser("dave")), bob);
        JsSockets.Socket callee = sockets.connect(bobToken);
        JsSockets.Socket caller = sockets.connect(carolToken);
        caller.emit("startCall", Map.of("target_user_id", bob));
        JsonNode ended = caller.await("callEnded");
        assertThat(ended.get("reason").asText()).isEqualTo("user_busy");
        assertThat(callee.await("callEnded").get("reason").asText()).isEqualTo("user_busy");
        JsSockets.settle();
        // dave's call may still ring this socket if it connected before the notifier told it; carol's never does
        assertThat(callee.events("incomingCall")).noneMatch(ring -> carol.equals(ring.get("caller_id").asText()));
    }

    @Test
    void nothing_works_before_authenticating_and_nobody_can_claim_another_user() {
        JsSockets.Socket anonymous = sockets.connect(null);
        for (String event : List.of("startCall", "acceptCall", "endCall", "signalOffer", "toggleMedia")) {
            JsonNode ack = anonymous.call(event, Map.of("target_user_id", bob, "call_id", "x"));
            assertThat(ack.get("error").get("code").asText()).as(event).isEqualTo("AUTHENTICATION_REQUIRED");
        }
        assertThat(anonymous.call("identity", alice).get("error").get("code").asText())
                .isEqualTo("AUTHENTICATION_REQUIRED");
        assertThat(anonymous.call("identity", Map.of("userDehiveId", alice)).get("error").get("code").asText())
                .isEqualTo("AUTHENTICATION_REQUIRED");
        // identity {token} authenticates a socket that connected without one
        assertThat(anonymous.call("identity", Map.of("token", aliceToken)).get("ok").asBoolean()).isTrue();
        assertThat(anonymous.await("identityConfirmed").get("userDehiveId").asText()).isEqualTo(alice);

        JsSockets.Socket mallory = sockets.connect(api.token(newUser("mallory")));
        assertThat(mallory.call("identity", alice).get("error").get("code").asText()).isEqualTo("IDENTITY_MISMATCH");
        assertThat(mallory.call("identity", Map.of("userDehiveId", bob)).get("error").get("code").asText())
                .isEqualTo("IDENTITY_MISMATCH");

        JsonNode refused = sockets.open(Map.of("token", "forged.token.value")).awaitConnectError();
        assertThat(refused.get("message").asText()).isEqualTo("The token is invalid or expired");
    }

    @Test
    void an_outsider_can_neither_relay_into_a_call_nor_answer_it() {
        JsSockets.Socket callee = sockets.connect(bobToken);
        String callId = ringingCall(api, aliceToken, bob);
        callee.await("incomingCall");
        JsSockets.Socket mallory = sockets.connect(api.token(newUser("mallory")));

        JsonNode relay = mallory.call("signalOffer", Map.of("call_id", callId, "offer", "v=0"));
        assertThat(relay.get("error").get("code").asText()).isEqualTo("NOT_A_PARTICIPANT");
        JsonNode accept = mallory.call("acceptCall", Map.of("call_id", callId));
        assertThat(accept.get("error").get("code").asText()).isEqualTo("NOT_A_PARTICIPANT");
        JsonNode end = mallory.call("endCall", Map.of("call_id", callId));
        assertThat(end.get("error").get("code").asText()).isEqualTo("NOT_A_PARTICIPANT");
        assertThat(mallory.call("signalOffer", Map.of("call_id", "no-such-call", "offer", "v=0"))
                .get("error").get("code").asText()).isEqualTo("CALL_NOT_FOUND");
        JsSockets.settle();
        assertThat(callee.events("signalOffer")).isEmpty();
    }

    @Test
    void bad_payloads_get_an_error_with_a_code_and_everything_keeps_working() {
        JsSockets.Socket caller = sockets.connect(aliceToken);
        JsSockets.Socket other = sockets.connect(bobToken);
        assertThat(caller.call("startCall", "{not json").get("error").get("code").asText())
                .isEqualTo("INVALID_FORMAT");
        assertThat(caller.call("startCall", Map.of("target_user_id", 42)).get("error").get("code").asText())
                .isEqualTo("VALIDATION_FAILED");
        assertThat(caller.call("startCall", Map.of("target_user_id", bob, "with_video", "yes"))
                .get("error").get("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(caller.call("startCall", Map.of()).get("error").get("code").asText())
                .isEqualTo("VALIDATION_FAILED");
        assertThat(caller.call("acceptCall", List.of(1, 2)).get("error").get("code").asText())
                .isEqualTo("VALIDATION_FAILED");
        assertThat(caller.call("toggleMedia", Map.of("call_id", "c", "media_type", "smell", "state", "on"))
                .get("error").get("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(caller.call("signalOffer", Map.of("call_id", "c")).get("error").get("code").asText())
                .isEqualTo("VALIDATION_FAILED");
        String mebibyte = "x".repeat(1024 * 1024);
        assertThat(caller.call("signalOffer", Map.of("call_id", "c", "offer", mebibyte))
                .get("error").get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(caller.call("startCall", mebibyte).get("error").get("code").asText())
                .isEqualTo("PAYLOAD_TOO_LARGE");
        JsonNode error = caller.await("error");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("timestamp").asText()).isNotBlank();

        assertThat(caller.connected()).isTrue();
        assertThat(caller.call("ping", Map.of()).get("ok").asBoolean()).isTrue();
        assertThat(other.call("ping", Map.of()).get("ok").asBoolean()).isTrue();
        caller.emit("startCall", Map.of("target_user_id", bob));
        assertThat(other.await("incomingCall").get("caller_id").asText()).isEqualTo(alice);
        assertThat(api.get("/api/calls/active", aliceToken).status()).isEqualTo(200);
    }

    @Test
    void a_thousand_candidates_arrive_in_order_none_lost_none_doubled() {
        JsSockets.Socket caller = sockets.connect(aliceToken);
        JsSockets.Socket callee = sockets.connect(bobToken);
        caller.emit("startCall", Map.of("target_user_id", bob));
        String callId = callee.await("incomingCall").get("call_id").asText();
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            candidates.add(Map.of("call_id", callId, "candidate", Map.of("candidate", "candidate:" + i,
                    "sdpMid", "0", "sdpMLineIndex", 0)));
        }
        caller.emitAll("iceCandidate", candidates);
        await().atMost(Duration.ofSeconds(30)).until(() -> callee.events("iceCandidate").size() >= 1000);
        JsSockets.settle();
        List<JsonNode> received = callee.events("iceCandidate");
        assertThat(received).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(received.get(i).get("candidate").get("candidate").asText()).isEqualTo("candidate:" + i);
        }
        assertThat(caller.events("error")).isEmpty();
    }
}
