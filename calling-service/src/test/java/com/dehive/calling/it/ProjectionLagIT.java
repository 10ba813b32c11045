package com.dehive.calling.it;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long after a command's answer its change shows in the read model, on one node. Printed, not asserted
 * against a bound: a slow machine must not fail the build (the benchmarks own speed goals). It does assert that
 * every change becomes visible.
 */
class ProjectionLagIT extends ServiceIT {

    private static final int SAMPLES = 40;

    @Test
    void a_started_call_shows_as_active_shortly_after_the_start_answers() {
        CallingApi api = api();
        List<Double> lagsMillis = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            String caller = api.token(newUser("lag-caller"));
            String callee = newUser("lag-callee");
            CallingApi.Response started = api.post("/api/calls/start", caller, Map.of("target_user_id", callee));
            long answeredAt = System.nanoTime();
            String callId = started.data().get("call_id").asText();
            while (true) {
                var active = api.get("/api/calls/active", caller).data();
                if (!active.isNull() && active.get("call_id").asText().equals(callId)) {
                    break;
                }
                assertThat(System.nanoTime() - answeredAt).as("call visible within 10 s")
                        .isLessThan(Duration.ofSeconds(10).toNanos());
                Thread.onSpinWait();
            }
            lagsMillis.add((System.nanoTime() - answeredAt) / 1_000_000.0);
            api.post("/api/calls/end", caller, Map.of("call_id", callId));
        }
        Collections.sort(lagsMillis);
        System.out.printf("projection lag (command answered -> visible in GET /api/calls/active), %d samples: "
                        + "p50=%.1f ms p90=%.1f ms max=%.1f ms%n", SAMPLES,
                lagsMillis.get(SAMPLES / 2), lagsMillis.get(SAMPLES * 9 / 10), lagsMillis.get(SAMPLES - 1));
    }
}
