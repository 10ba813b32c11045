package com.dehive.calling.query.analytics;

import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.codecs.pojo.annotations.BsonProperty;

import java.util.Map;

/**
 * What analytics keeps of one call, in the {@code call_analytics} collection: its day, when it started, whether and
 * how fast it was answered, how it ended and how long the talk lasted; and, per participant (by user id), how their
 * media connected, how it failed, and their latest quality sample. Days are summed from these when asked.
 */
public record CallFacts(
        @BsonId String id,
        @BsonProperty(DAY) String day,
        @BsonProperty(STARTED_AT) long startedAt,
        @BsonProperty(ANSWERED) Boolean answered,
        @BsonProperty(ANSWER_MILLIS) Long answerMillis,
        @BsonProperty(OUTCOME) String outcome,
        @BsonProperty(TALK_SECONDS) Long talkSeconds,
        @BsonProperty(CONNECTIONS) Map<String, Connection> connections,
        @BsonProperty(FAILURES) Map<String, Failure> failures,
        @BsonProperty(QUALITY) Map<String, Quality> quality) {

    public static final String COLLECTION = "call_analytics";
    static final String DAY = "day";
    static final String STARTED_AT = "started_at";
    static final String ANSWERED = "answered";
    static final String ANSWER_MILLIS = "answer_millis";
    static final String OUTCOME = "outcome";
    static final String TALK_SECONDS = "talk_seconds";
    static final String CONNECTIONS = "connections";
    static final String FAILURES = "failures";
    static final String QUALITY = "quality";

    /** A participant's media connected, this long after their side was answered, over this candidate pair. */
    public record Connection(@BsonProperty("time_to_connect_ms") long timeToConnectMs,
                             @BsonProperty("local_candidate_type") String localCandidateType,
                             @BsonProperty("remote_candidate_type") String remoteCandidateType,
                             @BsonProperty("protocol") String protocol,
                             @BsonProperty("relayed") boolean relayed) {
    }

    /** A participant's media failed; {@code reason} is null when their client could not tell. */
    public record Failure(@BsonProperty("ice_state") String iceState, @BsonProperty("reason") String reason) {
    }

    /** A participant's latest summary of their media in the call (the closing one covers the whole call). */
    public record Quality(@BsonProperty("rtt_ms") double rttMs, @BsonProperty("jitter_ms") double jitterMs,
                          @BsonProperty("audio_loss_pct") Double audioLossPct,
                          @BsonProperty("video_loss_pct") Double videoLossPct,
                          @BsonProperty("avg_bitrate_kbps") double avgBitrateKbps,
                          @BsonProperty("freeze_count") long freezeCount, @BsonProperty("closing") boolean closing) {
    }

    boolean wasAnswered() {
        return Boolean.TRUE.equals(answered);
    }

    /** Facts written before calls had media reports have none of them. */
    Map<String, Connection> connectionsOrNone() {
        return connections == null ? Map.of() : connections;
    }

    Map<String, Failure> failuresOrNone() {
        return failures == null ? Map.of() : failures;
    }

    Map<String, Quality> qualityOrNone() {
        return quality == null ? Map.of() : quality;
    }
}
