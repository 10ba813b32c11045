package com.dehive.calling.query.replay;

import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoTrackingToken;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A rebuild over the Mongo event store, token by token, as the tracking processor advances it. */
class MongoResetTokenTest {

    private static final Duration LOOK_BACK = Duration.ofSeconds(1);
    private static final Instant LONG_AGO = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant AT_RESET = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void replayed_events_are_replays_and_the_position_at_reset_stays_as_it_was() {
        MongoTrackingToken atReset = recentEvents(AT_RESET, 20);
        TrackingToken token = ReplayToken.createReplayToken(MongoResetToken.of(atReset), null);

        MongoTrackingToken position = null;
        for (int i = 0; i < 2_000; i++) {
            position = advance(position, LONG_AGO.plusMillis(i * 10L), "old-" + i);
            token = ((ReplayToken) token).advancedTo(position);
            assertThat(ReplayToken.isReplay(token)).as("event %d", i).isTrue();
        }
        assertThat(((MongoTrackingToken) ((ReplayToken) token).getTokenAtReset()).getTrackedEvents())
                .hasSameSizeAs(atReset.getTrackedEvents());

        // the first event after the reset ends the replay
        MongoTrackingToken after = atReset.advanceTo(AT_RESET.plusMillis(5), "new-1", LOOK_BACK);
        TrackingToken live = ((ReplayToken) token).advancedTo(after);
        assertThat(ReplayToken.isReplay(live)).isFalse();
        assertThat(live).isEqualTo(after);
    }

    @Test
    void a_processor_that_had_handled_nothing_since_it_started_replays_every_older_event_as_a_replay() {
        TrackingToken token = ReplayToken.createReplayToken(
                MongoResetToken.of(MongoTrackingToken.of(AT_RESET, Map.of())), null);

        MongoTrackingToken position = null;
        for (int i = 0; i < 500; i++) {
            position = advance(position, LONG_AGO.plusMillis(i * 10L), "old-" + i);
            token = ((ReplayToken) token).advancedTo(position);
            assertThat(ReplayToken.isReplay(token)).as("event %d", i).isTrue();
        }
        assertThat(((MongoTrackingToken) ((ReplayToken) token).getTokenAtReset()).getTrackedEvents()).isEmpty();
        // an event within the look-back before the reset had not been read yet: it is new
        MongoTrackingToken justBefore = position.advanceTo(AT_RESET.minusMillis(300), "just-before", LOOK_BACK);
        assertThat(ReplayToken.isReplay(((ReplayToken) token).advancedTo(justBefore))).isFalse();
    }

    @Test
    void with_the_plain_token_at_reset_every_replayed_event_counted_as_new_and_the_token_grew() {
        MongoTrackingToken atReset = recentEvents(AT_RESET, 20);
        TrackingToken token = ReplayToken.createReplayToken(atReset, null);

        MongoTrackingToken position = null;
        for (int i = 0; i < 200; i++) {
            position = advance(position, LONG_AGO.plusMillis(i * 10L), "old-" + i);
            token = ((ReplayToken) token).advancedTo(position);
        }
        // what MongoResetToken is for (AxonFramework #4453): if this starts failing, Axon fixed it upstream
        assertThat(ReplayToken.isReplay(token)).isFalse();
        assertThat(((MongoTrackingToken) ((ReplayToken) token).getTokenAtReset()).getTrackedEvents())
                .hasSize(20 + 200);
    }

    @Test
    void covers_what_the_plain_token_at_reset_covers_before_within_and_after_its_recent_events() {
        MongoTrackingToken atReset = recentEvents(AT_RESET, 20); // events from AT_RESET - 190 ms to AT_RESET
        MongoResetToken reset = MongoResetToken.of(atReset);
        List<MongoTrackingToken> others = new ArrayList<>();
        MongoTrackingToken replayed = null;
        for (int i = 0; i < 300; i++) {
            replayed = advance(replayed, LONG_AGO.plusMillis(i * 10L), "old-" + i);
            others.add(replayed);
        }
        others.add(advance(null, AT_RESET.minusMillis(195), "just-before-the-oldest"));
        others.add(advance(null, AT_RESET.minusMillis(190), "live-19")); // one the reset knows
        others.add(advance(null, AT_RESET.minusMillis(190), "unknown-at-the-same-time"));
        others.add(atReset.advanceTo(AT_RESET.minusMillis(100), "late-arrival", LOOK_BACK));
        others.add(atReset.advanceTo(AT_RESET.plusMillis(5), "new-1", LOOK_BACK));
        others.add(atReset);
        for (MongoTrackingToken other : others) {
            assertThat(reset.covers(other)).as(other.toString()).isEqualTo(atReset.covers(other));
        }
        assertThat(others.stream().filter(reset::covers).count()).isBetween(301L, (long) others.size() - 1);
    }

    @Test
    void survives_the_token_store_inside_a_replay_token() {
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        TrackingToken token = ReplayToken.createReplayToken(MongoResetToken.of(recentEvents(AT_RESET, 3)),
                MongoTrackingToken.of(LONG_AGO, "old-0"));

        ((ReplayToken) token).getTokenAtReset().covers(MongoTrackingToken.of(LONG_AGO, "old-1"));
        SerializedObject<byte[]> stored = serializer.serialize(token, byte[].class);
        assertThat(new String(stored.getData(), StandardCharsets.UTF_8)).doesNotContain("oldest");
        ReplayToken read = serializer.deserialize(new SimpleSerializedObject<>(stored.getData(), byte[].class,
                stored.getType()));

        assertThat(read.getTokenAtReset()).isInstanceOf(MongoResetToken.class);
        assertThat(((MongoTrackingToken) read.getTokenAtReset()).getTrackedEvents()).hasSize(3);
        assertThat(read.getTokenAtReset().covers(read.getCurrentToken())).isTrue();
    }

    @Test
    void a_replayed_token_is_found_at_its_own_position_without_walking_its_recent_events() {
        MongoResetToken reset = MongoResetToken.of(recentEvents(AT_RESET, 20));
        WalkCounting recent = new WalkCounting();
        for (int i = 0; i < 300; i++) {
            recent.put("old-" + i, LONG_AGO.plusMillis(i).toEpochMilli());
        }
        MongoTrackingToken replayed = new Probe(LONG_AGO.plusMillis(299), recent);

        TrackingToken lower = reset.lowerBound(replayed);

        assertThat(lower.samePositionAs(replayed)).isTrue();
        assertThat(lower.covers(replayed)).isTrue();
        assertThat(recent.walks).isZero();
        assertThat(ReplayToken.isReplay(((ReplayToken) ReplayToken.createReplayToken(reset, null)).advancedTo(replayed)))
                .isTrue();
    }

    @Test
    void the_lower_bound_of_a_replayed_token_is_stored_and_read_back_as_that_position() {
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        MongoTrackingToken replayed = advance(advance(null, LONG_AGO, "old-0"), LONG_AGO.plusMillis(5), "old-1");
        TrackingToken lower = MongoResetToken.of(recentEvents(AT_RESET, 3)).lowerBound(replayed);

        SerializedObject<byte[]> stored = serializer.serialize(lower, byte[].class);
        MongoTrackingToken read = serializer.deserialize(new SimpleSerializedObject<>(stored.getData(), byte[].class,
                stored.getType()));

        assertThat(read.getTimestamp()).isEqualTo(replayed.getTimestamp());
        assertThat(read.getTrackedEvents()).isEqualTo(replayed.getTrackedEvents());
        assertThat(read.samePositionAs(replayed)).isTrue();
    }

    /** A token over a map of recent events that counts how often they are walked. */
    private static final class Probe extends MongoTrackingToken {
        Probe(Instant timestamp, Map<String, Long> trackedEvents) {
            super(timestamp.toEpochMilli(), trackedEvents);
        }
    }

    private static final class WalkCounting extends LinkedHashMap<String, Long> {
        int walks;

        @Override
        public Set<String> keySet() {
            walks++;
            return super.keySet();
        }

        @Override
        public Collection<Long> values() {
            walks++;
            return super.values();
        }

        @Override
        public Set<Map.Entry<String, Long>> entrySet() {
            walks++;
            return super.entrySet();
        }
    }

    private static MongoTrackingToken recentEvents(Instant last, int count) {
        MongoTrackingToken token = null;
        for (int i = count - 1; i >= 0; i--) {
            token = advance(token, last.minusMillis(i * 10L), "live-" + i);
        }
        return token;
    }

    private static MongoTrackingToken advance(MongoTrackingToken token, Instant at, String eventId) {
        return token == null ? MongoTrackingToken.of(at, eventId) : token.advanceTo(at, eventId, LOOK_BACK);
    }
}
