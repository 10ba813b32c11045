package com.dehive.calling.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Auditors read a call's exact history and can prove it was not altered. */
class AuditTrailIT extends ServiceIT {

    @Autowired
    private MongoDatabase database;

    @Test
    void a_call_history_lists_every_event_in_order_with_who_did_it_and_a_hash_chain() {
        CallingApi api = api();
        String alice = newUser("alice");
        String bob = newUser("bob");
        String aliceToken = api.token(alice);
        String bobToken = api.token(bob);
        String auditor = api.token(newUser("auditor"), "auditor");

        String callId = ringingCall(api, aliceToken, bob);
        acknowledged(api, "/api/calls/accept", bobToken, Map.of("call_id", callId));
        acknowledged(api, "/api/calls/toggle-media", aliceToken,
                Map.of("call_id", callId, "media_type", "video", "state", "disabled"));
        acknowledged(api, "/api/calls/end", bobToken, Map.of("call_id", callId));
        String declinedCall = ringingCall(api, aliceToken, bob);
        acknowledged(api, "/api/calls/decline", bobToken, Map.of("call_id", declinedCall));

        JsonNode events = api.get("/api/audit/calls/" + callId + "/events", auditor).data();
        assertThat(events).hasSize(4);
        List<String> types = List.of("CallStartedEvent", "CallAcceptedEvent", "MediaToggledEvent", "CallEndedEvent");
        List<String> actors = List.of(alice, bob, alice, bob);
        String previousHash = "0".repeat(64);
        for (int i = 0; i < 4; i++) {
            JsonNode event = events.get(i);
            assertThat(event.get("sequence").asLong()).isEqualTo(i);
            assertThat(event.get("type").asText()).isEqualTo(types.get(i));
            assertThat(event.get("call_id").asText()).isEqualTo(callId);
            assertThat(event.get("timestamp").asText()).isNotBlank();
            assertThat(event.get("payload").get("callId").asText()).isEqualTo(callId);
            JsonNode metadata = event.get("metadata");
            assertThat(metadata.get("actor_id").asText()).isEqualTo(actors.get(i));
            assertThat(metadata.get("auth_method").asText()).isEqualTo("dev");
            assertThat(metadata.get("channel").asText()).isEqualTo("rest");
            assertThat(metadata.get("client_address").asText()).isEqualTo("127.0.0.1");
            assertThat(metadata.get("correlationId").asText()).isNotBlank();
            assertThat(metadata.get("node_id").asText()).isNotBlank();
            assertThat(metadata.get("prev_hash").asText()).isEqualTo(previousHash);
            assertThat(metadata.get("hash").asText()).hasSize(64);
            assertThat(metadata.toString()).doesNotContain("Bearer").doesNotContain(aliceToken);
            previousHash = metadata.get("hash").asText();
        }
        assertThat(events.get(3).get("payload").get("reason").asText()).isEqualTo("user_hangup");

        JsonNode declined = api.get("/api/audit/calls/" + declinedCall + "/events", auditor).data();
        assertThat(declined).extracting(e -> e.get("type").asText())
                .containsExactly("CallStartedEvent", "CallDeclinedEvent");

        JsonNode intact = api.get("/api/audit/calls/" + callId + "/verify", auditor).data();
        assertThat(intact.get("valid").asBoolean()).isTrue();
        assertThat(intact.get("events_checked").asInt()).isEqualTo(4);
    }

    @Test
    void an_event_changed_in_the_store_is_named_by_verify() {
        CallingApi api = api();
        String bob = newUser("bob");
        String aliceToken = api.token(newUser("alice"));
        String bobToken = api.token(bob);
        String auditor = api.token(newUser("auditor"), "auditor");
        String callId = ringingCall(api, aliceToken, bob);
        acknowledged(api, "/api/calls/accept", bobToken, Map.of("call_id", callId));
        acknowledged(api, "/api/calls/end", aliceToken, Map.of("call_id", callId));

        // someone rewrites the acceptance time directly in MongoDB
        var events = database.getCollection("domainevents");
        var accepted = Filters.and(Filters.eq("aggregateIdentifier", callId), Filters.eq("sequenceNumber", 1));
        String payload = events.find(accepted).first().getString("serializedPayload");
        events.updateOne(accepted, Updates.set("serializedPayload",
                payload.replaceFirst("\"acceptedAt\":\"[^\"]+\"", "\"acceptedAt\":\"2020-01-01T00:00:00Z\"")));

        JsonNode verdict = api.get("/api/audit/calls/" + callId + "/verify", auditor).data();
        assertThat(verdict.get("valid").asBoolean()).isFalse();
        assertThat(verdict.get("first_broken_sequence").asLong()).isEqualTo(1);
        assertThat(verdict.get("problem").asText()).contains("does not match its hash");
        assertThat(verdict.get("events_checked").asInt()).isEqualTo(1);
    }

    @Test
    void a_removed_event_is_named_by_verify() {
        CallingApi api = api();
        String bob = newUser("bob");
        String aliceToken = api.token(newUser("alice"));
        String auditor = api.token(newUser("auditor"), "auditor");
        String callId = ringingCall(api, aliceToken, bob);
        acknowledged(api, "/api/calls/toggle-media", aliceToken,
                Map.of("call_id", callId, "media_type", "audio", "state", "muted"));
        acknowledged(api, "/api/calls/end", aliceToken, Map.of("call_id", callId));

        database.getCollection("domainevents").deleteOne(
                Filters.and(Filters.eq("aggregateIdentifier", callId), Filters.eq("sequenceNumber", 1)));

        JsonNode verdict = api.get("/api/audit/calls/" + callId + "/verify", auditor).data();
        assertThat(verdict.get("valid").asBoolean()).isFalse();
        assertThat(verdict.get("first_broken_sequence").asLong()).isEqualTo(1);
        assertThat(verdict.get("problem").asText()).contains("missing");
    }

    @Test
    void an_unknown_call_has_no_history() {
        CallingApi api = api();
        String auditor = api.token(newUser("auditor"), "auditor");
        assertThat(api.get("/api/audit/calls/no-such-call/events", auditor).code()).isEqualTo("CALL_NOT_FOUND");
        assertThat(api.get("/api/audit/calls/no-such-call/verify", auditor).code()).isEqualTo("CALL_NOT_FOUND");
    }
}
