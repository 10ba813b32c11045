package com.dehive.calling.query.analytics;

import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.codecs.pojo.annotations.BsonProperty;

/**
 * What analytics keeps of one call, in the {@code call_analytics} collection: its day, when it started, whether and
 * how fast it was answered, how it ended and how long the talk lasted. Days are summed from these when asked.
 */
public record CallFacts(
        @BsonId String id,
        @BsonProperty(DAY) String day,
        @BsonProperty(STARTED_AT) long startedAt,
        @BsonProperty(ANSWERED) Boolean answered,
        @BsonProperty(ANSWER_MILLIS) Long answerMillis,
        @BsonProperty(OUTCOME) String outcome,
        @BsonProperty(TALK_SECONDS) Long talkSeconds) {

    public static final String COLLECTION = "call_analytics";
    static final String DAY = "day";
    static final String STARTED_AT = "started_at";
    static final String ANSWERED = "answered";
    static final String ANSWER_MILLIS = "answer_millis";
    static final String OUTCOME = "outcome";
    static final String TALK_SECONDS = "talk_seconds";

    boolean wasAnswered() {
        return Boolean.TRUE.equals(answered);
    }
}
