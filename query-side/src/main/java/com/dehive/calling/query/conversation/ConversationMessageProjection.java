package com.dehive.calling.query.conversation;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.call.CallDeclinedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import com.dehive.calling.shared.call.CallStatus;
import com.dehive.calling.shared.call.EndReason;
import com.dehive.calling.shared.query.Processors;
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
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Posts one system message per ended call into the two users' direct conversation (collections shared with the
 * direct-messaging service). Exactly once, also on replay or redelivery: the message's {@code _id} is derived from
 * the call id, so a second insert of the same call's message is refused by the store.
 */
@Component
@ProcessingGroup(ConversationMessageProjection.PROCESSING_GROUP)
public class ConversationMessageProjection {

    public static final String PROCESSING_GROUP = Processors.CONVERSATION_MESSAGES;
    private static final Logger log = LoggerFactory.getLogger(ConversationMessageProjection.class);

    private final MongoCollection<DirectConversation> conversations;
    private final MongoCollection<DirectMessage> messages;

    public ConversationMessageProjection(MongoDatabase database) {
        this.conversations = database.getCollection(DirectConversation.COLLECTION, DirectConversation.class);
        this.messages = database.getCollection(DirectMessage.COLLECTION, DirectMessage.class);
        conversations.createIndex(Indexes.ascending(DirectConversation.USER_A, DirectConversation.USER_B),
                new IndexOptions().unique(true));
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
        DirectMessage message = new DirectMessage(messageIdOf(callId), conversationId, userRef(caller),
                CallMessageText.of(reason, withVideo, durationSeconds),
                List.of(new DirectMessage.CallAttachment("call", callId.toString(), status.wireName(),
                        durationSeconds, withVideo, reason.wireName())),
                false, false, BsonNull.VALUE, at, at);
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
        BsonValue userA = userRef(UserId.of(pair[0]));
        BsonValue userB = userRef(UserId.of(pair[1]));
        Bson filter = Filters.and(Filters.eq(DirectConversation.USER_A, userA),
                Filters.eq(DirectConversation.USER_B, userB));
        Bson create = Updates.combine(
                Updates.setOnInsert(DirectConversation.USER_A, userA),
                Updates.setOnInsert(DirectConversation.USER_B, userB),
                Updates.setOnInsert(DirectConversation.CREATED_AT, at),
                Updates.setOnInsert(DirectConversation.UPDATED_AT, at));
        FindOneAndUpdateOptions upsert = new FindOneAndUpdateOptions().upsert(true)
                .returnDocument(ReturnDocument.AFTER);
        try {
            return conversations.findOneAndUpdate(filter, create, upsert).id();
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return conversations.find(filter).first().id(); // another node created it first
        }
    }

    /** The direct-messaging service keys users by ObjectId; ids of another shape are kept as strings. */
    static BsonValue userRef(UserId user) {
        return ObjectId.isValid(user.toString()) ? new BsonObjectId(new ObjectId(user.toString()))
                : new BsonString(user.toString());
    }

    /** A stable ObjectId per call: the first 12 bytes of SHA-256("call-message:" + call id). */
    public static ObjectId messageIdOf(CallId callId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("call-message:" + callId).getBytes(StandardCharsets.UTF_8));
            return new ObjectId(Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
