package com.dehive.calling.query.conversation;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.call.CallDeclinedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import com.dehive.calling.shared.call.CallStatus;
import com.dehive.calling.shared.call.EndReason;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/**
 * Posts one system message per ended call into the two users' direct conversation (collections shared with the
 * direct-messaging service). Exactly once, also on replay or redelivery: the message's {@code _id} is derived from
 * the call id, so a second insert of the same call's message is refused by the store.
 */
@Component
@ProcessingGroup(ConversationMessageProjection.PROCESSING_GROUP)
public class ConversationMessageProjection {

    public static final String PROCESSING_GROUP = "conversation-messages";
    static final String CONVERSATIONS = "direct_conversation";
    static final String MESSAGES = "direct_message";
    private static final Logger log = LoggerFactory.getLogger(ConversationMessageProjection.class);

    private final MongoCollection<Document> conversations;
    private final MongoCollection<Document> messages;

    public ConversationMessageProjection(MongoDatabase database) {
        this.conversations = database.getCollection(CONVERSATIONS);
        this.messages = database.getCollection(MESSAGES);
        conversations.createIndex(Indexes.ascending("userA", "userB"), new IndexOptions().unique(true));
    }

    @EventHandler
    void on(CallEndedEvent event) {
        long duration = event.durationSeconds() == null ? 0 : event.durationSeconds();
        post(event.callId(), event.caller(), event.callee(), CallStatus.ENDED, event.reason(), duration,
                event.withVideo(), event.endedAt());
    }

    @EventHandler
    void on(CallDeclinedEvent event) {
        post(event.callId(), event.caller(), event.callee(), CallStatus.DECLINED, EndReason.USER_DECLINED, 0,
                event.withVideo(), event.declinedAt());
    }

    private void post(CallId callId, UserId caller, UserId callee, CallStatus status, EndReason reason,
                      long durationSeconds, boolean withVideo, Instant at) {
        ObjectId conversationId = conversationOf(caller, callee, at);
        Document attachment = new Document("type", "call")
                .append("call_id", callId.toString())
                .append("status", status.wireName())
                .append("duration", durationSeconds)
                .append("with_video", withVideo)
                .append("end_reason", reason.wireName());
        Document message = new Document("_id", messageIdOf(callId))
                .append("conversationId", conversationId)
                .append("senderId", userRef(caller))
                .append("content", CallMessageText.of(reason, withVideo, durationSeconds))
                .append("attachments", List.of(attachment))
                .append("isEdited", false)
                .append("isDeleted", false)
                .append("replyTo", null)
                .append("createdAt", Date.from(at))
                .append("updatedAt", Date.from(at));
        try {
            messages.insertOne(message);
            log.info("event=call_message_posted call={} conversation={} reason={}", callId, conversationId,
                    reason.wireName());
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // already posted: a replay or a redelivery
        }
    }

    /** Finds or creates the conversation of the sorted pair; the unique (userA, userB) index settles races. */
    private ObjectId conversationOf(UserId one, UserId other, Instant at) {
        String[] pair = {one.toString(), other.toString()};
        Arrays.sort(pair);
        var filter = Filters.and(Filters.eq("userA", userRef(UserId.of(pair[0]))),
                Filters.eq("userB", userRef(UserId.of(pair[1]))));
        var create = Updates.combine(
                Updates.setOnInsert("userA", userRef(UserId.of(pair[0]))),
                Updates.setOnInsert("userB", userRef(UserId.of(pair[1]))),
                Updates.setOnInsert("createdAt", Date.from(at)),
                Updates.setOnInsert("updatedAt", Date.from(at)));
        FindOneAndUpdateOptions upsert = new FindOneAndUpdateOptions().upsert(true)
                .returnDocument(ReturnDocument.AFTER);
        try {
            return conversations.findOneAndUpdate(filter, create, upsert).getObjectId("_id");
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return conversations.find(filter).first().getObjectId("_id"); // another node created it first
        }
    }

    /** The direct-messaging service keys users by ObjectId; ids of another shape are kept as strings. */
    static Object userRef(UserId user) {
        return ObjectId.isValid(user.toString()) ? new ObjectId(user.toString()) : user.toString();
    }

    /** A stable ObjectId per call: the first 12 bytes of SHA-256("call-message:" + call id). */
    static ObjectId messageIdOf(CallId callId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("call-message:" + callId).getBytes(StandardCharsets.UTF_8));
            return new ObjectId(Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
