package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client reads its own writes: right after a start is answered, the caller's active call is it; right after an
 * end is answered, the caller's history shows it ended; a caller whose start ended at once (the callee was busy)
 * has no active call; a callee rung over a socket finds the call as its active one when {@code incomingCall}
 * arrives. Four clients do this at once, 200 rounds in all, with no miss.
 */
class ReadYourWritesIT extends ServiceIT {

    private static final int CLIENTS = 4;
    private static final int ROUNDS_EACH = 50;

    @Test
    void every_client_reads_what_it_just_did_while_others_do_the_same() throws Exception {
        CallingApi api = api();
        ConcurrentLinkedQueue<String> misses = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (JsSockets sockets = new JsSockets(socketPort)) {
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String caller = newUser("caller");
                String callee = newUser("callee");
                String callerToken = api.token(caller);
                String calleeToken = api.token(callee);
                String thirdToken = api.token(newUser("third"));
                JsSockets.Socket calleeSocket = sockets.connect(calleeToken);
                running.add(CompletableFuture.runAsync(() -> {
                    for (int round = 0; round < ROUNDS_EACH; round++) {
                        rounds(api, caller, callee, callerToken, calleeToken, thirdToken, calleeSocket, round,
                                misses);
                    }
                }, clients));
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        } finally {
            clients.shutdownNow();
        }
        System.out.printf("read your writes: %d rounds, %d misses%n", CLIENTS * ROUNDS_EACH, misses.size());
        assertThat(misses).isEmpty();
    }

    private static void rounds(CallingApi api, String caller, String callee, String callerToken, String calleeToken,
                               String thirdToken, JsSockets.Socket calleeSocket, int round,
                               ConcurrentLinkedQueue<String> misses) {
        String callId = ringingCall(api, callerToken, callee);
        if (!callId.equals(activeCallOf(api, callerToken))) {
            misses.add("round " + round + ": the caller's new call " + callId + " is not their active call");
        }
        JsonNode rung = calleeSocket.await("incomingCall", round + 1);
        if (!rung.get("call_id").asText().equals(callId)) {
            misses.add("round " + round + ": the callee was rung for " + rung.get("call_id").asText());
        } else if (!callId.equals(activeCallOf(api, calleeToken))) {
            misses.add("round " + round + ": the callee rung for " + callId + " does not find it active");
        }
        if (round % 5 == 0) {
            CallingApi.Response busy = api.post("/api/calls/start", thirdToken, Map.of("target_user_id", callee));
            if (!"user_busy".equals(busy.data().path("end_reason").asText())) {
                misses.add("round " + round + ": a call to the busy callee did not end as busy: " + busy.body());
            } else if (activeCallOf(api, thirdToken) != null) {
                misses.add("round " + round + ": the busy start " + busy.data().get("call_id").asText()
                        + " shows as the active call of its caller");
            }
        }
        acknowledged(api, "/api/calls/end", callerToken, Map.of("call_id", callId));
        JsonNode latest = api.get("/api/calls/history?limit=1", callerToken).data().get("calls").get(0);
        if (!latest.get("call_id").asText().equals(callId) || !latest.get("status").asText().equals("ended")) {
            misses.add("round " + round + ": the history does not show " + callId + " ended: " + latest);
        }
    }

    private static String activeCallOf(CallingApi api, String token) {
        JsonNode active = api.get("/api/calls/active", token).data();
        return active == null || active.isNull() ? null : active.get("call_id").asText();
    }
}
