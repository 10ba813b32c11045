package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The call-start limit as a caller meets it, for every store the limits can live in. */
final class RateLimitChecks {

    private RateLimitChecks() {
    }

    static void callStartsAreLimitedPerCaller(CallingApi api, int socketPort) {
        String caller = api.token(ServiceIT.newUser("caller"));
        for (int i = 0; i < 3; i++) {
            String callId = ServiceIT.ringingCall(api, caller, ServiceIT.newUser("callee"));
            assertThat(api.post("/api/calls/end", caller, Map.of("call_id", callId)).status()).isEqualTo(200);
        }
        CallingApi.Response refused = api.post("/api/calls/start", caller,
                Map.of("target_user_id", ServiceIT.newUser("callee")));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("RATE_LIMITED");
        long retryAfter = Long.parseLong(refused.raw().headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 300L);
        assertThat(refused.body().get("message").asText()).contains("try again in " + retryAfter + " s");

        // the same caller is refused on a socket too: one budget per caller, whatever the edge
        try (JsSockets sockets = new JsSockets(socketPort)) {
            JsSockets.Socket socket = sockets.connect(caller);
            JsonNode ack = socket.call("startCall", Map.of("target_user_id", ServiceIT.newUser("callee")));
            assertThat(ack.get("error").get("code").asText()).isEqualTo("RATE_LIMITED");
            assertThat(socket.await("error").get("message").asText()).contains("try again in");
        }

        // someone else is not affected
        String other = api.token(ServiceIT.newUser("other"));
        ServiceIT.ringingCall(api, other, ServiceIT.newUser("callee"));
    }
}
