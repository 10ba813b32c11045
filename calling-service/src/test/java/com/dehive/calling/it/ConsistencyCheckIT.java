package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Read models that no longer say what the events say are found, named by call, and put right by a repair. */
class ConsistencyCheckIT extends ServiceIT {

    @Autowired
    private MongoDatabase database;

    @Test
    void a_check_finds_what_a_read_model_lost_or_changed_and_a_repair_puts_it_right() {
        CallingApi api = api();
        String admin = api.token(newUser("admin"), "admin");
        String callerToken = api.token(newUser("caller"));
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String callId = ringingCall(api, callerToken, newUser("callee"));
            acknowledged(api, "/api/calls/end", callerToken, Map.of("call_id", callId));
            calls.add(callId);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> database.getCollection("direct_message")
                .countDocuments(Filters.in("attachments.call_id", calls)) == 4);

        database.getCollection("calls").deleteOne(Filters.eq("_id", calls.get(0)));
        database.getCollection("calls").updateOne(Filters.eq("_id", calls.get(1)),
                Updates.set("status", "connected"));
        database.getCollection("direct_message").deleteOne(Filters.eq("attachments.call_id", calls.get(2)));
        database.getCollection("call_analytics").updateOne(Filters.eq("_id", calls.get(3)),
                Updates.set("outcome", "timeout"));
        database.getCollection("calls").insertOne(new Document("_id", "no-such-call")
                .append("participants", List.of("nobody")).append("status", "ringing"));

        JsonNode report = await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                api.get("/api/admin/consistency", admin), response -> response.status() == 200).data();
        assertThat(report.get("consistent").asBoolean()).isFalse();
        assertThat(divergences(report)).contains(
                "call-history " + calls.get(0) + " missing",
                "call-history " + calls.get(1) + " different",
                "conversation-messages " + calls.get(2) + " missing",
                "call-analytics " + calls.get(3) + " different",
                "call-history no-such-call extra");

        CallingApi.Response repair = api.post("/api/admin/consistency", admin, Map.of());
        assertThat(repair.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/admin/consistency/repair", admin).data()
                .get("status").asText().equals("done"));
        JsonNode again = api.get("/api/admin/consistency", admin).data();
        assertThat(again.get("consistent").asBoolean()).as(again.toString()).isTrue();
        assertThat(database.getCollection("direct_message")
                .countDocuments(Filters.in("attachments.call_id", calls))).isEqualTo(4);
        assertThat(api.get("/api/calls/history?limit=10", callerToken).data().get("calls").findValuesAsText("status"))
                .containsOnly("ended");
    }

    private static List<String> divergences(JsonNode report) {
        List<String> found = new ArrayList<>();
        report.get("divergences").forEach(divergence -> found.add(divergence.get("projection").asText() + " "
                + divergence.get("call_id").asText() + " " + divergence.get("kind").asText()));
        return found;
    }
}
