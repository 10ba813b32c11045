package com.dehive.calling.query.replay;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoTrackingToken;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The position a rebuild replays up to (a {@code ReplayToken}'s token at reset), for the Mongo event store.
 *
 * <p>For each replayed event, Axon asks whether the processor had seen it before the reset: it takes the lower
 * bound of the token at reset and the event's token, and checks whether that is the event's own position.
 * {@link MongoTrackingToken#lowerBound} intersects the two tokens' sets of recent event ids, which for an event
 * older than the reset's last second is empty, so every replayed event counted as new. The replay then merged each
 * event's id into the token at reset, which grew with every event: a rebuild of N events cost N² (77% of the
 * processor's time in a profile of a 30,000-event rebuild), the stored token grew without bound, and handlers saw
 * {@code isReplay() == false} (AxonFramework issue #4453, fixed after 4.13.0 in the same way as here). A token that
 * covers the other is the upper of the two, and the other is the lower.
 *
 * <p>A processor that has not handled an event since it started holds a token made at a point in time, which knows
 * no event ids; {@link MongoTrackingToken#covers} then covers nothing. Such a token has seen every event older than
 * the storage strategy's look-back before its timestamp: reading from it starts there.
 */
public final class MongoResetToken extends MongoTrackingToken {

    /** How far before its position a token reads again; the event store is built with it (AxonStoreConfig). */
    public static final Duration LOOK_BACK = Duration.ofSeconds(1);

    /** Computed once: the token cannot change. Not part of its stored form. */
    private transient Instant seenBefore;

    @JsonCreator
    MongoResetToken(@JsonProperty("timestamp") Instant timestamp,
                    @JsonProperty("trackedEvents") Map<String, Long> trackedEvents) {
        super(timestamp.toEpochMilli(), trackedEvents);
    }

    static MongoResetToken of(MongoTrackingToken token) {
        return token instanceof MongoResetToken reset ? reset
                : new MongoResetToken(token.getTimestamp(), token.getTrackedEvents());
    }

    @Override
    public boolean covers(TrackingToken other) {
        MongoTrackingToken token = (MongoTrackingToken) other;
        // A token's recent events are no newer than its timestamp, so a replayed token older than everything this
        // one has seen by age is covered, as the rules below say, without walking its recent events (hundreds in a
        // busy second, and Axon asks several times per event).
        if (token.getTimestamp().isBefore(seenBefore())) {
            return true;
        }
        if (!getTrackedEvents().isEmpty()) {
            return super.covers(other);
        }
        long before = seenBefore().toEpochMilli();
        return !token.getTimestamp().isAfter(getTimestamp())
                && token.getTrackedEvents().values().stream().allMatch(timestamp -> timestamp < before);
    }

    /**
     * Events older than this were seen before the reset: those older than every event it knows (the plain rule's
     * "oldest"), or, knowing none, those older than its look-back.
     */
    private Instant seenBefore() {
        if (seenBefore == null) {
            long oldest = getTimestamp().minus(LOOK_BACK).toEpochMilli();
            if (!getTrackedEvents().isEmpty()) {
                oldest = Long.MAX_VALUE;
                for (long timestamp : getTrackedEvents().values()) {
                    oldest = Math.min(oldest, timestamp);
                }
            }
            seenBefore = Instant.ofEpochMilli(oldest);
        }
        return seenBefore;
    }

    @Override
    public TrackingToken lowerBound(TrackingToken other) {
        // Axon compares the lower bound of a replayed event's token with that token itself; the plain token walks its
        // recent event ids twice to find that it is itself (a fifth of the processor's time in a rebuild's profile)
        return covers(other) ? new Replayed((MongoTrackingToken) other) : super.lowerBound(other);
    }

    /** A replayed event's token, as the lower bound of it and the position at reset: it knows it is that token. */
    static final class Replayed extends MongoTrackingToken {

        /** The token it stands for; absent when read back from its stored form, which is a plain token's. */
        private final transient MongoTrackingToken token;

        @JsonCreator
        Replayed(@JsonProperty("timestamp") Instant timestamp,
                 @JsonProperty("trackedEvents") Map<String, Long> trackedEvents) {
            super(timestamp.toEpochMilli(), trackedEvents);
            this.token = null;
        }

        private Replayed(MongoTrackingToken token) {
            super(token.getTimestamp().toEpochMilli(), token.getTrackedEvents());
            this.token = token;
        }

        @Override
        public boolean covers(TrackingToken other) {
            return isItself(other) || super.covers(other);
        }

        @Override
        public boolean samePositionAs(TrackingToken other) {
            return isItself(other) || super.samePositionAs(other);
        }

        private boolean isItself(TrackingToken other) {
            return other == this || (token != null && other == token);
        }
    }

    @Override
    public TrackingToken upperBound(TrackingToken other) {
        // an event the reset had not seen: merged in, and the result still a reset token
        return covers(other) ? this : of((MongoTrackingToken) super.upperBound(other));
    }
}
