package com.dehive.calling.query.conversation;

import org.bson.BsonValue;
import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.types.ObjectId;

import java.time.Instant;

/** A conversation of the direct-messaging service's {@code direct_conversation} collection: one per sorted pair. */
public record DirectConversation(@BsonId ObjectId id, BsonValue userA, BsonValue userB, Instant createdAt,
                          Instant updatedAt) {

    static final String COLLECTION = "direct_conversation";
    static final String USER_A = "userA";
    static final String USER_B = "userB";
    static final String CREATED_AT = "createdAt";
    static final String UPDATED_AT = "updatedAt";
}
