package com.dehive.calling.it;

import com.dehive.calling.shared.call.CallStartedEvent;
import com.mongodb.client.MongoDatabase;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A call stored by an older release, in revision 0 of CallStartedEvent, still loads and can be answered. */
class EventUpcastingIT extends ServiceIT {

    @Autowired
    private MongoDatabase database;

    @Autowired
    private EventStore eventStore;

    @Test
    void a_call_started_event_of_revision_0_is_read_as_revision_1() {
        CallingApi api = api();
        String caller = newUser("old-caller");
        String callee = newUser("old-callee");
        String callId = UUID.randomUUID().toString();
        String oldPayload = "{\"callId\":\"" + callId + "\",\"callerId\":\"" + caller + "\",\"calleeId\":\""
                + callee + "\",\"withVideo\":false,\"createdAt\":\"2025-01-01T10:00:00Z\"}";
        // as an older release stored it, with the stream position this release gave it when it first started
        Document stored = new Document()
                .append("aggregateIdentifier", callId)
                .append("type", "Call")
                .append("sequenceNumber", 0L)
                .append("serializedPayload", oldPayload)
                .append("timestamp", "2025-01-01T10:00:00.000Z")
                .append("payloadType", CallStartedEvent.class.getName())
                .append("payloadRevision", "0")
                .append("serializedMetaData", "{}")
                .append("eventIdentifier", UUID.randomUUID().toString())
                .append("lastSequenceNumber", 0L);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            long next = eventStore.createHeadToken().position().orElse(-1) + 1;
            database.getCollection("domainevents").insertOne(stored.append("_id", new ObjectId())
                    .append("globalIndex", next).append("lastGlobalIndex", next));
            return true;
        });

        CallStartedEvent started = (CallStartedEvent) eventStore.readEvents(callId).next().getPayload();
        assertThat(started.caller().id().toString()).isEqualTo(caller);
        assertThat(started.callee().toString()).isEqualTo(callee);
        assertThat(started.withAudio()).isTrue();
        assertThat(started.withVideo()).isFalse();

        // the aggregate loads from it: the old call (which never had a line) can be declined by its callee
        CallingApi.Response declined = api.post("/api/calls/decline", api.token(callee), Map.of("call_id", callId));
        assertThat(declined.status()).as(declined.body().toString()).isEqualTo(200);
    }
}
