package com.dehive.calling.query.conversation;

import org.bson.BsonValue;
import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.codecs.pojo.annotations.BsonProperty;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.util.List;

/**
 * A message of the direct-messaging service's {@code direct_message} collection, in its field names: this service
 * posts the system message of each ended call there. Users are ObjectIds there, or strings for ids of another shape.
 * {@code replyTo} is a BSON null, not left out, as the messaging service writes it.
 */
public record DirectMessage(@BsonId ObjectId id, ObjectId conversationId, BsonValue senderId, String content,
                     List<CallAttachment> attachments, boolean isEdited, boolean isDeleted, BsonValue replyTo,
                     Instant createdAt, Instant updatedAt) {

    public static final String COLLECTION = "direct_message";

    /** What the message says about its call, for clients that draw a call bubble. */
    public record CallAttachment(String type, @BsonProperty("call_id") String callId, String status, long duration,
                          @BsonProperty("with_video") boolean withVideo,
                          @BsonProperty("end_reason") String endReason) {
    }
}
