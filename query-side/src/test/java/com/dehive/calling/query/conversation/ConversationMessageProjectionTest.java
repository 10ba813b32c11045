package com.dehive.calling.query.conversation;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.call.CallDeclinedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import com.dehive.calling.shared.call.EndReason;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The projection against a real MongoDB-wire store, fed events directly: what a redelivery looks like. */
class ConversationMessageProjectionTest {

    private static final String ALICE = "65a1b2c3d4e5f60718293a4b";
    private static final String BOB = "bob";
    private static final Instant AT = Instant.parse("2026-11-23T10:15:30.123Z");

    private MongoServer server;
    private MongoClient client;
    private MongoDatabase database;
    private ConversationMessageProjection projection;

    @BeforeEach
    void store() {
        server = new MongoServer(new MemoryBackend());
        client = MongoClients.create(server.bindAndGetConnectionString());
        database = client.getDatabase("dehive");
        projection = new ConversationMessageProjection(database);
    }

    @AfterEach
    void close() {
        client.close();
        server.shutdown();
    }

    @Test
    void an_event_delivered_twice_posts_one_message() {
        CallEndedEvent ended = ended("call-1", EndReason.USER_HANGUP, 252L, true);
        projection.on(ended);
        projection.on(ended);

        List<Document> messages = messages();
        assertThat(messages).hasSize(1);
        Document message = messages.get(0);
        assertThat(message.getString("content")).isEqualTo("Video call \u2022 4:12");
        assertThat(message.get("senderId")).isEqualTo(new ObjectId(ALICE));
        assertThat(message.getBoolean("isEdited")).isFalse();
        assertThat(message.getBoolean("isDeleted")).isFalse();
        assertThat(message.containsKey("replyTo")).isTrue();
        assertThat(message.get("replyTo")).isNull();
        assertThat(message.getDate("createdAt").toInstant()).isEqualTo(AT);
        assertThat(message.getDate("updatedAt").toInstant()).isEqualTo(AT);
        Document attachment = message.getList("attachments", Document.class).get(0);
        assertThat(attachment).containsEntry("type", "call").containsEntry("call_id", "call-1")
                .containsEntry("status", "ended").containsEntry("duration", 252L)
                .containsEntry("with_video", true).containsEntry("end_reason", "user_hangup");
    }

    @Test
    void every_call_between_two_users_goes_into_their_one_conversation() {
        projection.on(ended("call-1", EndReason.TIMEOUT, null, false));
        projection.on(new CallEndedEvent(CallId.of("call-2"), UserId.of(BOB), UserId.of(ALICE), null,
                EndReason.CONNECTION_ERROR, 30L, false, AT));
        projection.on(new CallDeclinedEvent(CallId.of("call-3"), UserId.of(ALICE), UserId.of(BOB), true, AT));

        List<Document> conversations = database.getCollection(DirectConversation.COLLECTION)
                .find().into(new java.util.ArrayList<>());
        assertThat(conversations).hasSize(1);
        // the pair is stored sorted: the ObjectId-shaped id sorts before "bob"
        assertThat(conversations.get(0).get("userA")).isEqualTo(new ObjectId(ALICE));
        assertThat(conversations.get(0).get("userB")).isEqualTo(BOB);
        ObjectId conversationId = conversations.get(0).getObjectId("_id");

        assertThat(messages()).extracting(m -> m.getString("content"))
                .containsExactlyInAnyOrder("Missed call", "Call disconnected", "Call declined");
        assertThat(messages()).allSatisfy(m -> assertThat(m.getObjectId("conversationId")).isEqualTo(conversationId));
        Document declined = database.getCollection(DirectMessage.COLLECTION)
                .find(new Document("content", "Call declined")).first();
        assertThat(declined.getList("attachments", Document.class).get(0))
                .containsEntry("status", "declined").containsEntry("duration", 0L)
                .containsEntry("end_reason", "user_declined");
        Document disconnected = database.getCollection(DirectMessage.COLLECTION)
                .find(new Document("content", "Call disconnected")).first();
        assertThat(disconnected.get("senderId")).isEqualTo(BOB);
    }

    private CallEndedEvent ended(String callId, EndReason reason, Long duration, boolean video) {
        return new CallEndedEvent(CallId.of(callId), UserId.of(ALICE), UserId.of(BOB), UserId.of(ALICE), reason,
                duration, video, AT);
    }

    private List<Document> messages() {
        return database.getCollection(DirectMessage.COLLECTION).find().into(new java.util.ArrayList<>());
    }
}
