package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.TestPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The production limits, in this process: call starts per caller, failed authentications per address. */
@TestPropertySource(properties = {"calling.rate-limit.call-starts=3", "calling.rate-limit.call-window=5m",
        "calling.rate-limit.auth-failures=5", "calling.rate-limit.auth-failure-window=1m",
        "calling.socket.flood-burst=30", "calling.socket.flood-per-second=1"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitIT extends ServiceIT {

    @Test
    @Order(1)
    void a_caller_may_start_three_calls_per_five_minutes() {
        RateLimitChecks.callStartsAreLimitedPerCaller(api(), socketPort);
    }

    @Test
    @Order(2)
    void a_socket_that_floods_is_told_to_slow_down_and_stays_connected() {
        try (JsSockets sockets = new JsSockets(socketPort)) {
            JsSockets.Socket flooder = sockets.connect(api().token(newUser("flooder")));
            flooder.emitAll("ping", java.util.Collections.nCopies(60, Map.of()));
            JsonNode refused = flooder.await("error");
            assertThat(refused.get("code").asText()).isEqualTo("RATE_LIMITED");
            assertThat(flooder.await("pong", 25).get("message").asText()).isEqualTo("pong");
            JsSockets.settle();
            assertThat(flooder.events("pong").size()).isBetween(30, 33);
            assertThat(flooder.connected()).isTrue();
        }
    }

    @Test
    @Order(3)
    void an_address_that_keeps_failing_to_authenticate_is_slowed_down() {
        CallingApi api = api();
        String valid = api.token(newUser("alice"));
        for (int i = 0; i < 5; i++) {
            CallingApi.Response failed = api.get("/api/calls/history", "forged-token-" + i);
            assertThat(failed.status()).isEqualTo(401);
        }
        CallingApi.Response refused = api.get("/api/calls/history", valid);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("RATE_LIMITED");
        assertThat(refused.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(api.post("/api/calls/start", valid, Map.of("target_user_id", "bob")).status()).isEqualTo(429);
    }
}
