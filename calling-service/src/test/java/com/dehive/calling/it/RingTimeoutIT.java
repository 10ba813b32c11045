package com.dehive.calling.it;

import com.dehive.calling.shared.call.CallAcceptedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import com.dehive.calling.shared.call.EndReason;
import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A call nobody answers ends by itself; an answer racing the timeout gives exactly one outcome. */
@TestPropertySource(properties = "calling.calls.ring-timeout=1s")
class RingTimeoutIT extends ServiceIT {

    private static final Duration RING_TIMEOUT = Duration.ofSeconds(1);
    private static final int RACES = 50;

    @Autowired
    private EventStore eventStore;

    @Test
    void a_call_nobody_answers_ends_with_timeout_and_frees_both_users() {
        CallingApi api = api();
        String bob = newUser("bob");
        String aliceToken = api.token(newUser("alice"));
        String bobToken = api.token(bob);
        Instant askedAt = Instant.now();
        String callId = ringingCall(api, aliceToken, bob);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            JsonNode call = api.get("/api/calls/" + callId, bobToken).data();
            assertThat(call.get("status").asText()).isEqualTo("ended");
            assertThat(call.get("end_reason").asText()).isEqualTo("timeout");
        });
        // measured by the wall clock: ended_at is the due time by construction, however late the timeout fired
        Duration late = Duration.between(askedAt.plus(RING_TIMEOUT), Instant.now());
        System.out.printf("the ring timeout ended the call %d ms after it was due%n", late.toMillis());
        assertThat(late).isLessThan(Duration.ofMillis(750));
        // the history is a projection: the service's own ending reaches it a moment later
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(api.get("/api/calls/history",
                aliceToken).data().get("calls").get(0).path("end_reason").asText()).isEqualTo("timeout"));
        JsonNode history = api.get("/api/calls/history", aliceToken).data().get("calls").get(0);
        assertThat(Duration.between(Instant.parse(history.get("created_at").asText()),
                Instant.parse(history.get("ended_at").asText()))).isBetween(RING_TIMEOUT, RING_TIMEOUT.plusMillis(50));
        assertThat(api.get("/api/calls/active", aliceToken).data().isNull()).isTrue();
        // both are free to call again
        ringingCall(api, bobToken, newUser("carol"));
    }

    @Test
    void an_answer_sent_as_the_ring_timeout_fires_either_connects_the_call_or_loses_never_both() throws Exception {
        CallingApi api = api();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<String>> races = new ArrayList<>();
            for (int i = 0; i < RACES; i++) {
                int race = i;
                String calleeId = newUser("callee");
                String callerToken = api.token(newUser("caller"));
                String calleeToken = api.token(calleeId);
                races.add(CompletableFuture.supplyAsync(() -> {
                    CallingApi.Response started = api.post("/api/calls/start", callerToken,
                            Map.of("target_user_id", calleeId));
                    String callId = started.data().get("call_id").asText();
                    Instant due = Instant.parse(started.data().get("created_at").asText()).plus(RING_TIMEOUT);
                    // answers spread from well before the timeout to well after it: both outcomes must occur
                    sleepUntil(due.plusMillis(answerOffsetMillis(race)));
                    api.post("/api/calls/accept", calleeToken, Map.of("call_id", callId));
                    return callId;
                }, pool));
            }
            int connected = 0;
            int timedOut = 0;
            for (CompletableFuture<String> race : races) {
                String callId = race.get();
                List<Object> events = new ArrayList<>();
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    events.clear();
                    eventStore.readEvents(callId).asStream().forEach(e -> events.add(e.getPayload()));
                    return events.size() >= 2;
                });
                long accepts = events.stream().filter(CallAcceptedEvent.class::isInstance).count();
                long endings = events.stream().filter(CallEndedEvent.class::isInstance).count();
                assertThat(accepts + endings).as("outcomes of " + callId).isEqualTo(1);
                if (accepts == 1) {
                    connected++;
                } else {
                    assertThat(((CallEndedEvent) events.get(1)).reason()).isEqualTo(EndReason.TIMEOUT);
                    timedOut++;
                }
            }
            System.out.printf("accept racing the ring timeout, %d races: %d connected, %d timed out%n",
                    RACES, connected, timedOut);
            assertThat(connected).as("answers that won the race").isPositive();
            assertThat(timedOut).as("timeouts that won the race").isPositive();
            // a connected call is never timed out later
            Thread.sleep(RING_TIMEOUT.toMillis());
            for (CompletableFuture<String> race : races) {
                long endings = eventStore.readEvents(race.get()).asStream()
                        .filter(e -> e.getPayload() instanceof CallEndedEvent).count();
                assertThat(endings).isLessThanOrEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** From 250 ms before the timeout to 240 ms after it, in steps of 10 ms. */
    private static long answerOffsetMillis(int race) {
        return (race % RACES) * 10L - 250;
    }

    private static void sleepUntil(Instant moment) {
        long millis = Duration.between(Instant.now(), moment).toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
