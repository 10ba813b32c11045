package com.dehive.calling.it;

import com.dehive.calling.shared.call.CallDeclinedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import com.dehive.calling.shared.call.CallStartedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Simultaneous starts among the same three users never leave anyone in two live calls, and what the event store
 * says about every call is what the read model answers.
 */
class ConcurrentStartsIT extends ServiceIT {

    private static final int THREADS = 20;
    private static final int ROUNDS = 5;

    @Autowired
    private EventStore eventStore;

    @Test
    void twenty_simultaneous_starts_among_three_users_leave_nobody_in_two_live_calls() throws Exception {
        CallingApi api = api();
        List<String> users = List.of(newUser("u1"), newUser("u2"), newUser("u3"));
        Map<String, String> tokens = new HashMap<>();
        users.forEach(user -> tokens.put(user, api.token(user)));
        Map<String, String> statusByCall = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<CallingApi.Response>> starts = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    // every ordered pair, A→B and B→A included, many times over
                    String caller = users.get(i % 3);
                    String callee = users.get((i + 1 + (i / 3) % 2) % 3);
                    starts.add(pool.submit(() -> {
                        go.await();
                        return api.post("/api/calls/start", tokens.get(caller), Map.of("target_user_id", callee));
                    }));
                }
                go.countDown();
                List<String> ringing = new ArrayList<>();
                for (Future<CallingApi.Response> start : starts) {
                    CallingApi.Response response = start.get(30, TimeUnit.SECONDS);
                    if (response.status() == 200) {
                        String callId = response.data().get("call_id").asText();
                        statusByCall.put(callId, response.data().get("status").asText());
                        if ("ringing".equals(response.data().get("status").asText())) {
                            ringing.add(callId);
                        }
                    } else {
                        assertThat(response.status()).as(response.body().toString()).isEqualTo(409);
                        assertThat(response.code()).isEqualTo("ALREADY_IN_CALL");
                    }
                }
                // three users can hold at most one call between two of them
                assertThat(ringing).as("live calls in round " + round).hasSizeLessThanOrEqualTo(1);
                assertNobodyHasTwoLiveCalls(api, users, tokens);

                for (String callId : ringing) {
                    String caller = callerOf(callId);
                    CallingApi.Response ended = api.post("/api/calls/end", tokens.get(caller), Map.of("call_id", callId));
                    assertThat(ended.status()).isEqualTo(200);
                    statusByCall.put(callId, "ended");
                }
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(statusByCall).isNotEmpty();
        for (Map.Entry<String, String> call : statusByCall.entrySet()) {
            String fromEvents = statusFromEvents(call.getKey());
            String participant = callerOf(call.getKey());
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                JsonNode view = api.get("/api/calls/" + call.getKey(), tokens.get(participant)).data();
                assertThat(view.get("status").asText()).as("read model of " + call.getKey()).isEqualTo(fromEvents);
            });
            assertThat(fromEvents).isEqualTo("ended");
        }
        for (String user : users) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    api.get("/api/calls/history?limit=100", tokens.get(user)).data().get("total").asLong())
                    .isEqualTo(statusByCall.keySet().stream().filter(id -> involves(id, user)).count()));
        }
    }

    private void assertNobodyHasTwoLiveCalls(CallingApi api, List<String> users, Map<String, String> tokens) {
        for (String user : users) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                JsonNode calls = api.get("/api/calls/history?limit=100", tokens.get(user)).data().get("calls");
                long live = 0;
                for (JsonNode call : calls) {
                    String status = call.get("status").asText();
                    if (status.equals("ringing") || status.equals("connected")) {
                        live++;
                    }
                }
                assertThat(live).as("live calls of " + user).isLessThanOrEqualTo(1);
            });
        }
    }

    private String callerOf(String callId) {
        return ((CallStartedEvent) eventStore.readEvents(callId).next().getPayload()).caller().id().toString();
    }

    private boolean involves(String callId, String user) {
        CallStartedEvent started = (CallStartedEvent) eventStore.readEvents(callId).next().getPayload();
        return started.caller().id().toString().equals(user) || started.callee().toString().equals(user);
    }

    private String statusFromEvents(String callId) {
        String status = null;
        var events = eventStore.readEvents(callId);
        while (events.hasNext()) {
            Object event = events.next().getPayload();
            if (event instanceof CallStartedEvent) {
                status = "ringing";
            } else if (event instanceof CallEndedEvent) {
                status = "ended";
            } else if (event instanceof CallDeclinedEvent) {
                status = "declined";
            }
        }
        return status;
    }
}
