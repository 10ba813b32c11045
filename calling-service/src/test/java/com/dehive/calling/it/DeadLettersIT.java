package com.dehive.calling.it;

import com.dehive.testhooks.FailingWrites;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A projection whose write fails is tried again, never skipped: a failure that passes leaves no trace but the one
 * message posted; one that persists parks the event as a dead letter (health DEGRADED, a gauge, an admin list)
 * until it is retried, while other calls go on.
 */
@TestPropertySource(properties = "calling.test.failing-writes=direct_message")
@AutoConfigureObservability(tracing = false) // tests switch metrics export off unless asked
class DeadLettersIT extends ServiceIT {

    @Autowired
    private FailingWrites failingWrites;

    @Autowired
    private MongoDatabase database;

    @Test
    void a_message_whose_insert_fails_once_is_posted_exactly_once() {
        CallingApi api = api();
        String callerToken = api.token(newUser("caller"));
        String callId = ringingCall(api, callerToken, newUser("callee"));
        failingWrites.failInsertsFor(callId, 1);
        acknowledged(api, "/api/calls/end", callerToken, Map.of("call_id", callId));

        await().atMost(Duration.ofSeconds(10)).until(() -> messagesOf(callId) == 1);
        assertThat(deadLetters(api)).noneMatch(letter -> letter.get("call_id").asText().equals(callId));
        assertThat(messagesOf(callId)).isEqualTo(1);
    }

    @Test
    void an_event_whose_handler_keeps_failing_waits_as_a_dead_letter_until_it_is_retried() {
        CallingApi api = api();
        String admin = api.token(newUser("admin"), "admin");
        String callerToken = api.token(newUser("caller"));
        String callId = ringingCall(api, callerToken, newUser("callee"));
        failingWrites.failInsertsFor(callId, Integer.MAX_VALUE);
        acknowledged(api, "/api/calls/end", callerToken, Map.of("call_id", callId));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(deadLetters(api))
                .anySatisfy(letter -> {
                    assertThat(letter.get("processor").asText()).isEqualTo("conversation-messages");
                    assertThat(letter.get("call_id").asText()).isEqualTo(callId);
                    assertThat(letter.get("event_type").asText()).isEqualTo("CallEndedEvent");
                    assertThat(letter.get("cause").asText()).contains("refused this insert");
                }));
        JsonNode health = api.get("/actuator/health", null).body();
        assertThat(health.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(health.get("components").get("deadLetters").get("status").asText()).isEqualTo("DEGRADED");
        assertThat(api.get("/actuator/prometheus", null).raw().body())
                .contains("calling_dead_letters{processor=\"conversation-messages\"} 1.0");

        // other calls are not held up behind it
        String otherCaller = api.token(newUser("caller"));
        String otherCall = ringingCall(api, otherCaller, newUser("callee"));
        acknowledged(api, "/api/calls/end", otherCaller, Map.of("call_id", otherCall));
        await().atMost(Duration.ofSeconds(10)).until(() -> messagesOf(otherCall) == 1);
        assertThat(messagesOf(callId)).isZero();

        failingWrites.failInsertsFor(callId, 0);
        CallingApi.Response retried = api.post("/api/admin/dead-letters/conversation-messages/retry", admin,
                Map.of());
        assertThat(retried.status()).as(retried.body().toString()).isEqualTo(200);
        assertThat(retried.data().get("letters_left").asLong()).isZero();
        assertThat(messagesOf(callId)).isEqualTo(1);
        assertThat(deadLetters(api)).isEmpty();
        assertThat(api.get("/actuator/health", null).body().get("status").asText()).isEqualTo("UP");
    }

    private JsonNode deadLetters(CallingApi api) {
        return api.get("/api/admin/dead-letters", api.token(newUser("admin"), "admin")).data();
    }

    private long messagesOf(String callId) {
        return database.getCollection("direct_message").countDocuments(Filters.eq("attachments.call_id", callId));
    }
}
