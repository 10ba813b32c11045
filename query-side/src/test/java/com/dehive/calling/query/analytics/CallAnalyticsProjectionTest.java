package com.dehive.calling.query.analytics;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.UserProfile;
import com.dehive.calling.shared.call.CallAcceptedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import com.dehive.calling.shared.call.CallEvent;
import com.dehive.calling.shared.call.CallQualitySampledEvent;
import com.dehive.calling.shared.call.CallStartedEvent;
import com.dehive.calling.shared.call.CandidateType;
import com.dehive.calling.shared.call.EndReason;
import com.dehive.calling.shared.call.IceState;
import com.dehive.calling.shared.call.MediaFailureReason;
import com.dehive.calling.shared.call.ParticipantMediaConnectedEvent;
import com.dehive.calling.shared.call.ParticipantMediaFailedEvent;
import com.dehive.calling.shared.call.TransportProtocol;
import com.dehive.calling.shared.query.DailyCallStatsView;
import com.dehive.calling.shared.query.FindDailyCallStatsQuery;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericEventMessage;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daily media figures, from the projection's own handlers fed events directly, against a real MongoDB-wire
 * store: what the connection, failure and quality reports of a day's calls add up to.
 */
class CallAnalyticsProjectionTest {

    private static final LocalDate DAY = LocalDate.parse("2026-03-02");
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");

    private MongoServer server;
    private MongoClient client;
    private CallAnalyticsProjection projection;
    private AnnotationEventHandlerAdapter handlers;

    @BeforeEach
    void store() {
        server = new MongoServer(new MemoryBackend());
        client = MongoClients.create(server.bindAndGetConnectionString());
        projection = new CallAnalyticsProjection(client.getDatabase("dehive"));
        handlers = new AnnotationEventHandlerAdapter(projection);
    }

    @AfterEach
    void close() {
        client.close();
        server.shutdown();
    }

    @Test
    void a_days_media_figures_count_answered_calls_that_connected_how_fast_and_through_what() {
        handle(aDayOfCalls());

        DailyCallStatsView day = today();
        assertThat(day.started()).isEqualTo(5);
        assertThat(day.answered()).isEqualTo(4);
        // the cancelled call's media connected while it rang: not an answered call that connected
        assertThat(day.connected()).isEqualTo(2);
        assertThat(day.connectRate()).isEqualTo(0.5);
        // a call connects when its slower side does: 900 ms and 2000 ms
        assertThat(day.timeToConnectP50Ms()).isEqualTo(900);
        assertThat(day.timeToConnectP95Ms()).isEqualTo(2000);
        assertThat(day.relayed()).isEqualTo(1);
        assertThat(day.relayShare()).isEqualTo(0.5);
    }

    @Test
    void media_failures_count_calls_by_each_reason_their_participants_gave() {
        handle(aDayOfCalls());

        DailyCallStatsView day = today();
        assertThat(day.mediaFailed()).isEqualTo(2);
        assertThat(day.mediaFailures()).isEqualTo(Map.of("ice_failed", 2L, "unspecified", 1L));
    }

    @Test
    void quality_medians_take_each_participants_latest_sample() {
        handle(aDayOfCalls());

        DailyCallStatsView day = today();
        // round trips 40, 50 (bob's closing sample replaced his 30) and 100
        assertThat(day.medianRttMs()).isEqualTo(50.0);
        assertThat(day.medianAudioLossPct()).isEqualTo(0.5); // of 0.5, 1.5 and 0
        assertThat(day.medianVideoLossPct()).isEqualTo(1.0); // of 1.0 and 2.0: bob received no video
    }

    @Test
    void events_delivered_twice_and_a_rebuild_from_the_starts_give_the_same_figures() {
        List<CallEvent> events = aDayOfCalls();
        handle(events);
        DailyCallStatsView once = today();

        handle(events); // a rebuild: each start replaces its call's facts, the rest sets them again
        for (CallEvent event : events) {
            handle(List.of(event, event));
        }

        assertThat(today()).isEqualTo(once);
    }

    @Test
    void a_day_without_media_reports_has_no_media_figures() {
        handle(List.of(started("c1"), accepted("c1")));

        DailyCallStatsView day = today();
        assertThat(day.connected()).isZero();
        assertThat(day.connectRate()).isEqualTo(0.0);
        assertThat(day.timeToConnectP50Ms()).isNull();
        assertThat(day.relayShare()).isNull();
        assertThat(day.mediaFailures()).isEmpty();
        assertThat(day.medianRttMs()).isNull();
    }

    @Test
    void facts_stored_before_calls_had_media_reports_still_count() {
        client.getDatabase("dehive").getCollection(CallFacts.COLLECTION).insertOne(new Document("_id", "old")
                .append(CallFacts.DAY, DAY.toString()).append(CallFacts.STARTED_AT, T0.toEpochMilli())
                .append(CallFacts.ANSWERED, true).append(CallFacts.ANSWER_MILLIS, 3000L)
                .append(CallFacts.OUTCOME, "user_hangup").append(CallFacts.TALK_SECONDS, 60L));

        DailyCallStatsView day = today();
        assertThat(day.answered()).isEqualTo(1);
        assertThat(day.connected()).isZero();
    }

    /**
     * c1: answered, both sides connected (bob through TURN, slower), both sampled. c2: answered, connected directly
     * by alice alone. c3: answered, never connected, its sides failed for different reasons (one unknown). c5: the
     * same, both for the same reason. c4: connected while ringing, then cancelled.
     */
    private static List<CallEvent> aDayOfCalls() {
        List<CallEvent> events = new ArrayList<>();
        events.addAll(List.of(started("c1"), accepted("c1"),
                connected("c1", ALICE, 400, CandidateType.HOST, CandidateType.HOST),
                connected("c1", BOB, 900, CandidateType.RELAY, CandidateType.HOST),
                sample("c1", ALICE, 40, 0.5, 1.0, false), sample("c1", BOB, 30, 3.0, null, false),
                ended("c1", EndReason.USER_HANGUP), sample("c1", BOB, 50, 1.5, null, true)));
        events.addAll(List.of(started("c2"), accepted("c2"),
                connected("c2", ALICE, 2000, CandidateType.SRFLX, CandidateType.PRFLX),
                sample("c2", ALICE, 100, 0.0, 2.0, false), ended("c2", EndReason.USER_HANGUP)));
        events.addAll(List.of(started("c3"), accepted("c3"),
                failed("c3", BOB, MediaFailureReason.ICE_FAILED), failed("c3", ALICE, null),
                ended("c3", EndReason.USER_HANGUP)));
        events.addAll(List.of(started("c5"), accepted("c5"), failed("c5", ALICE, MediaFailureReason.ICE_FAILED),
                failed("c5", BOB, MediaFailureReason.ICE_FAILED), ended("c5", EndReason.USER_HANGUP)));
        events.addAll(List.of(started("c4"), connected("c4", BOB, 10, CandidateType.HOST, CandidateType.HOST),
                ended("c4", EndReason.CANCELLED)));
        return events;
    }

    private void handle(List<CallEvent> events) {
        for (CallEvent event : events) {
            try {
                handlers.handle(GenericEventMessage.asEventMessage(event));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private DailyCallStatsView today() {
        return projection.handle(new FindDailyCallStatsQuery(DAY, DAY)).get(0);
    }

    private static CallStartedEvent started(String call) {
        return new CallStartedEvent(CallId.of(call), UserProfile.idOnly(ALICE), BOB, true, true, T0, false);
    }

    private static CallAcceptedEvent accepted(String call) {
        return new CallAcceptedEvent(CallId.of(call), ALICE, UserProfile.idOnly(BOB), true, true,
                T0.plusSeconds(3));
    }

    private static CallEndedEvent ended(String call, EndReason reason) {
        return new CallEndedEvent(CallId.of(call), ALICE, BOB, ALICE, reason,
                reason == EndReason.CANCELLED ? null : 60L, true, T0.plusSeconds(63));
    }

    private static ParticipantMediaConnectedEvent connected(String call, UserId participant, long millis,
                                                            CandidateType local, CandidateType remote) {
        return new ParticipantMediaConnectedEvent(CallId.of(call), participant, millis, local, remote,
                TransportProtocol.UDP, T0.plusSeconds(4));
    }

    private static ParticipantMediaFailedEvent failed(String call, UserId participant, MediaFailureReason reason) {
        return new ParticipantMediaFailedEvent(CallId.of(call), participant, IceState.FAILED, reason,
                T0.plusSeconds(30));
    }

    private static CallQualitySampledEvent sample(String call, UserId participant, double rtt, Double audioLoss,
                                                  Double videoLoss, boolean closing) {
        return new CallQualitySampledEvent(CallId.of(call), participant, rtt, 2.0, audioLoss, videoLoss, 1200, 0,
                closing, T0.plusSeconds(closing ? 64 : 60));
    }
}
