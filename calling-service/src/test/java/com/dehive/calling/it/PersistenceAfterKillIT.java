package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service jar on its embedded H2 file, killed with {@code kill -9} right after 100 acknowledged commands, then
 * started again: every acknowledged call and event is there, and history answers the same.
 */
class PersistenceAfterKillIT {

    private static final int CALLS = 25; // four commands each: start, accept, toggle, end

    @TempDir
    Path dataDir;

    @Test
    void nothing_acknowledged_is_lost_to_kill_9() throws Exception {
        Map<String, String> tokens = new LinkedHashMap<>();
        Map<String, JsonNode> lastAnswer = new LinkedHashMap<>();
        Map<String, JsonNode> historyBefore = new LinkedHashMap<>();
        long started = System.nanoTime();
        try (ServiceProcess first = ServiceProcess.start(dataDir, Map.of())) {
            System.out.printf("service started in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            CallingApi api = first.api();
            long commandsStarted = System.nanoTime();
            int acknowledged = 0;
            for (int i = 0; i < CALLS; i++) {
                String caller = "caller-" + i;
                String callee = "callee-" + i;
                tokens.put(caller, api.token(caller));
                tokens.put(callee, api.token(callee));
                String callId = ServiceIT.ringingCall(api, tokens.get(caller), callee);
                ServiceIT.acknowledged(api, "/api/calls/accept", tokens.get(callee), Map.of("call_id", callId));
                ServiceIT.acknowledged(api, "/api/calls/toggle-media", tokens.get(caller),
                        Map.of("call_id", callId, "media_type", "audio", "state", "muted"));
                lastAnswer.put(callId, ServiceIT.acknowledged(api, "/api/calls/end", tokens.get(callee),
                        Map.of("call_id", callId)).data());
                acknowledged += 4;
            }
            assertThat(acknowledged).isEqualTo(100);
            System.out.printf("100 acknowledged commands in %d ms%n", (System.nanoTime() - commandsStarted) / 1_000_000);
            for (Map.Entry<String, String> user : tokens.entrySet()) {
                await().atMost(Duration.ofSeconds(20)).until(() ->
                        api.get("/api/calls/history", user.getValue()).body().path("data").path("calls").path(0)
                                .path("status").asText().equals("ended"));
                historyBefore.put(user.getKey(), api.get("/api/calls/history", user.getValue()).data());
            }
            first.kill9();
        }

        long restarted = System.nanoTime();
        try (ServiceProcess second = ServiceProcess.start(dataDir, Map.of())) {
            System.out.printf("service restarted in %d ms%n", (System.nanoTime() - restarted) / 1_000_000);
            CallingApi api = second.api();
            for (Map.Entry<String, JsonNode> call : lastAnswer.entrySet()) {
                String caller = tokens.get("caller-" + callIndex(call.getKey(), lastAnswer));
                JsonNode view = api.get("/api/calls/" + call.getKey(), caller).data();
                assertThat(view.get("status").asText()).isEqualTo("ended");
                assertThat(view.get("end_reason").asText()).isEqualTo(call.getValue().get("end_reason").asText());
                assertThat(view.get("ended_at").asText()).isEqualTo(call.getValue().get("ended_at").asText());
                assertThat(view.get("caller_audio_muted").asBoolean()).isTrue();
            }
            for (Map.Entry<String, String> user : tokens.entrySet()) {
                assertThat(api.get("/api/calls/history", user.getValue()).data())
                        .isEqualTo(historyBefore.get(user.getKey()));
            }
            // the restarted service goes on taking calls
            ServiceIT.ringingCall(api, tokens.get("caller-0"), "someone-new");
            second.stop();
        }

        // the event store itself, read straight from the file: exactly the acknowledged events
        MongoServer store = new MongoServer(new H2Backend(dataDir.resolve("calling.mv").toString()));
        try (MongoClient client = MongoClients.create(store.bindAndGetConnectionString())) {
            var events = client.getDatabase("dehive").getCollection("domainevents");
            for (String callId : lastAnswer.keySet()) {
                List<Long> sequences = new ArrayList<>();
                events.find(Filters.eq("aggregateIdentifier", callId))
                        .forEach(event -> sequences.add(event.get("sequenceNumber", Number.class).longValue()));
                assertThat(sequences).as(callId).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
            }
        } finally {
            store.shutdown();
        }
    }

    private static int callIndex(String callId, Map<String, JsonNode> calls) {
        return new ArrayList<>(calls.keySet()).indexOf(callId);
    }
}
