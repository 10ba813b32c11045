package com.dehive.calling.it;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.TestPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The production limits, in this process: call starts per caller, failed authentications per address. */
@TestPropertySource(properties = {"calling.rate-limit.call-starts=3", "calling.rate-limit.call-window=5m",
        "calling.rate-limit.auth-failures=5", "calling.rate-limit.auth-failure-window=1m"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitIT extends ServiceIT {

    @Test
    @Order(1)
    void a_caller_may_start_three_calls_per_five_minutes() {
        RateLimitChecks.callStartsAreLimitedPerCaller(api(), socketPort);
    }

    @Test
    @Order(2)
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
