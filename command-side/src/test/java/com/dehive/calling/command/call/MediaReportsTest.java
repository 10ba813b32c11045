package com.dehive.calling.command.call;

import com.dehive.calling.command.line.CallLines;
import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.UserProfile;
import com.dehive.calling.shared.call.CallAcceptedEvent;
import com.dehive.calling.shared.call.CallDeclinedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import com.dehive.calling.shared.call.CallQualitySampledEvent;
import com.dehive.calling.shared.call.CallReportResult;
import com.dehive.calling.shared.call.CallStartedEvent;
import com.dehive.calling.shared.call.CandidateType;
import com.dehive.calling.shared.call.EndReason;
import com.dehive.calling.shared.call.IceState;
import com.dehive.calling.shared.call.MediaFailureReason;
import com.dehive.calling.shared.call.ParticipantMediaConnectedEvent;
import com.dehive.calling.shared.call.ParticipantMediaFailedEvent;
import com.dehive.calling.shared.call.ReportCallQualityCommand;
import com.dehive.calling.shared.call.ReportMediaConnectedCommand;
import com.dehive.calling.shared.call.ReportMediaFailedCommand;
import com.dehive.calling.shared.call.TransportProtocol;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.FeatureMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.hamcrest.Matchers.equalTo;
import static org.mockito.Mockito.mock;

/**
 * The rules of the participants' media reports on a call, given-when-then: Alice called Bob, who answered at
 * {@code T0 + 2 s}; Carol is in neither side of it. The call's lines play no part in these rules.
 */
class MediaReportsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant ACCEPTED_AT = T0.plusSeconds(2);
    private static final CallId CALL = CallId.of("call-1");
    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");
    private static final UserId CAROL = UserId.of("carol");

    private FixtureConfiguration<Call> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Call.class);
        fixture.registerInjectableResource(mock(CallLines.class));
        fixture.registerInjectableResource(new CallTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(15)));
    }

    // --- callConnected -------------------------------------------------------------------------------------------

    @Test
    void a_participant_whose_media_connects_records_how_fast_and_over_which_candidate_pair() {
        Instant at = ACCEPTED_AT.plusMillis(850);
        fixture.given(started(), accepted())
                .andGivenCurrentTime(at)
                .when(connected(ALICE))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ParticipantMediaConnectedEvent(CALL, ALICE, 850, CandidateType.HOST,
                        CandidateType.RELAY, TransportProtocol.UDP, at))
                .expectResultMessagePayload(new CallReportResult(CALL, true));
    }

    @Test
    void media_that_connects_while_the_call_still_rings_is_recorded() {
        fixture.given(started())
                .andGivenCurrentTime(T0.plusSeconds(1))
                .when(connected(BOB))
                .expectEvents(new ParticipantMediaConnectedEvent(CALL, BOB, 850, CandidateType.HOST,
                        CandidateType.RELAY, TransportProtocol.UDP, T0.plusSeconds(1)));
    }

    @Test
    void a_second_connection_report_of_the_same_participant_changes_nothing() {
        fixture.given(started(), accepted(), connectedEvent(ALICE))
                .when(new ReportMediaConnectedCommand(CALL, ALICE, 99, CandidateType.SRFLX, CandidateType.SRFLX,
                        TransportProtocol.TCP))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(new CallReportResult(CALL, false));
    }

    @Test
    void each_participant_reports_their_own_connection() {
        Instant at = ACCEPTED_AT.plusSeconds(1);
        fixture.given(started(), accepted(), connectedEvent(ALICE))
                .andGivenCurrentTime(at)
                .when(connected(BOB))
                .expectEvents(new ParticipantMediaConnectedEvent(CALL, BOB, 850, CandidateType.HOST,
                        CandidateType.RELAY, TransportProtocol.UDP, at));
    }

    @Test
    void a_stranger_cannot_report_a_connection() {
        fixture.given(started(), accepted())
                .when(connected(CAROL))
                .expectException(withCode(ErrorCode.NOT_A_PARTICIPANT))
                .expectNoEvents();
    }

    @Test
    void a_connection_cannot_be_reported_for_an_ended_or_declined_call() {
        fixture.given(started(), accepted(), hungUp())
                .when(connected(ALICE))
                .expectException(withCode(ErrorCode.INVALID_CALL_STATE))
                .expectNoEvents();
        fixture.given(started(), new CallDeclinedEvent(CALL, ALICE, BOB, true, T0.plusSeconds(3)))
                .when(connected(ALICE))
                .expectException(withCode(ErrorCode.INVALID_CALL_STATE))
                .expectNoEvents();
    }

    // --- callMediaFailed -----------------------------------------------------------------------------------------

    @Test
    void a_participant_whose_media_fails_records_the_ice_state_and_the_reason() {
        Instant at = ACCEPTED_AT.plusSeconds(20);
        fixture.given(started(), accepted())
                .andGivenCurrentTime(at)
                .when(new ReportMediaFailedCommand(CALL, BOB, IceState.FAILED, MediaFailureReason.ICE_FAILED))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ParticipantMediaFailedEvent(CALL, BOB, IceState.FAILED,
                        MediaFailureReason.ICE_FAILED, at))
                .expectResultMessagePayload(new CallReportResult(CALL, true));
    }

    @Test
    void a_media_failure_without_a_reason_is_recorded_without_one() {
        Instant at = ACCEPTED_AT.plusSeconds(20);
        fixture.given(started(), accepted())
                .andGivenCurrentTime(at)
                .when(new ReportMediaFailedCommand(CALL, BOB, IceState.DISCONNECTED, null))
                .expectEvents(new ParticipantMediaFailedEvent(CALL, BOB, IceState.DISCONNECTED, null, at));
    }

    @Test
    void a_second_media_failure_of_the_same_participant_changes_nothing() {
        fixture.given(started(), accepted(),
                        new ParticipantMediaFailedEvent(CALL, BOB, IceState.FAILED, null, ACCEPTED_AT.plusSeconds(9)))
                .when(new ReportMediaFailedCommand(CALL, BOB, IceState.FAILED, MediaFailureReason.DTLS_FAILED))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(new CallReportResult(CALL, false));
    }

    @Test
    void a_stranger_cannot_report_a_media_failure() {
        fixture.given(started(), accepted())
                .when(new ReportMediaFailedCommand(CALL, CAROL, IceState.FAILED, null))
                .expectException(withCode(ErrorCode.NOT_A_PARTICIPANT))
                .expectNoEvents();
    }

    @Test
    void a_media_failure_cannot_be_reported_for_an_ended_call() {
        fixture.given(started(), accepted(), hungUp())
                .when(new ReportMediaFailedCommand(CALL, BOB, IceState.FAILED, null))
                .expectException(withCode(ErrorCode.INVALID_CALL_STATE))
                .expectNoEvents();
    }

    // --- callStats -----------------------------------------------------------------------------------------------

    @Test
    void a_quality_sample_of_a_live_call_is_recorded() {
        Instant at = ACCEPTED_AT.plusSeconds(60);
        fixture.given(started(), accepted())
                .andGivenCurrentTime(at)
                .when(stats(ALICE))
                .expectSuccessfulHandlerExecution()
                .expectEvents(sampled(ALICE, false, at))
                .expectResultMessagePayload(new CallReportResult(CALL, true));
    }

    @Test
    void a_sample_sooner_than_a_minute_after_the_participants_last_is_ignored() {
        Instant last = ACCEPTED_AT.plusSeconds(60);
        fixture.given(started(), accepted(), sampled(ALICE, false, last))
                .andGivenCurrentTime(last.plus(Duration.ofSeconds(55)).minusMillis(1))
                .when(stats(ALICE))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(new CallReportResult(CALL, false));
    }

    @Test
    void a_sample_a_minute_after_the_last_counts_even_when_the_clients_timer_fires_five_seconds_early() {
        Instant last = ACCEPTED_AT.plusSeconds(60);
        Instant at = last.plusSeconds(55);
        fixture.given(started(), accepted(), sampled(ALICE, false, last))
                .andGivenCurrentTime(at)
                .when(stats(ALICE))
                .expectEvents(sampled(ALICE, false, at));
    }

    @Test
    void each_participant_has_a_minute_of_their_own() {
        Instant at = ACCEPTED_AT.plusSeconds(61);
        fixture.given(started(), accepted(), sampled(ALICE, false, ACCEPTED_AT.plusSeconds(60)))
                .andGivenCurrentTime(at)
                .when(stats(BOB))
                .expectEvents(sampled(BOB, false, at));
    }

    @Test
    void a_stranger_cannot_send_a_quality_sample() {
        fixture.given(started(), accepted())
                .when(stats(CAROL))
                .expectException(withCode(ErrorCode.NOT_A_PARTICIPANT))
                .expectNoEvents();
    }

    @Test
    void a_closing_sample_after_the_call_ended_is_recorded_whenever_the_last_one_came() {
        Instant endedAt = ACCEPTED_AT.plusSeconds(90);
        Instant at = endedAt.plusSeconds(30);
        fixture.given(started(), accepted(), sampled(BOB, false, ACCEPTED_AT.plusSeconds(80)), hungUp(endedAt))
                .andGivenCurrentTime(at)
                .when(stats(BOB))
                .expectSuccessfulHandlerExecution()
                .expectEvents(sampled(BOB, true, at))
                .expectResultMessagePayload(new CallReportResult(CALL, true));
    }

    @Test
    void a_second_closing_sample_of_the_same_participant_is_ignored() {
        Instant endedAt = ACCEPTED_AT.plusSeconds(90);
        fixture.given(started(), accepted(), hungUp(endedAt), sampled(BOB, true, endedAt.plusSeconds(1)))
                .andGivenCurrentTime(endedAt.plusSeconds(2))
                .when(stats(BOB))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(new CallReportResult(CALL, false));
    }

    @Test
    void a_closing_sample_more_than_30_seconds_after_the_end_is_refused() {
        Instant endedAt = ACCEPTED_AT.plusSeconds(90);
        fixture.given(started(), accepted(), hungUp(endedAt))
                .andGivenCurrentTime(endedAt.plusSeconds(30).plusMillis(1))
                .when(stats(BOB))
                .expectException(withCode(ErrorCode.INVALID_CALL_STATE))
                .expectNoEvents();
    }

    @Test
    void a_call_that_never_connected_takes_no_closing_sample() {
        Instant cancelledAt = T0.plusSeconds(5);
        fixture.given(started(), new CallEndedEvent(CALL, ALICE, BOB, ALICE, EndReason.CANCELLED, null, true,
                        cancelledAt))
                .andGivenCurrentTime(cancelledAt.plusSeconds(1))
                .when(stats(ALICE))
                .expectException(withCode(ErrorCode.INVALID_CALL_STATE))
                .expectNoEvents();
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static CallStartedEvent started() {
        return new CallStartedEvent(CALL, UserProfile.idOnly(ALICE), BOB, true, true, T0, false);
    }

    private static CallAcceptedEvent accepted() {
        return new CallAcceptedEvent(CALL, ALICE, UserProfile.idOnly(BOB), true, true, ACCEPTED_AT);
    }

    private static CallEndedEvent hungUp() {
        return hungUp(ACCEPTED_AT.plusSeconds(60));
    }

    private static CallEndedEvent hungUp(Instant at) {
        return new CallEndedEvent(CALL, ALICE, BOB, ALICE, EndReason.USER_HANGUP,
                Duration.between(ACCEPTED_AT, at).toSeconds(), true, at);
    }

    private static ReportMediaConnectedCommand connected(UserId participant) {
        return new ReportMediaConnectedCommand(CALL, participant, 850, CandidateType.HOST, CandidateType.RELAY,
                TransportProtocol.UDP);
    }

    private static ParticipantMediaConnectedEvent connectedEvent(UserId participant) {
        return new ParticipantMediaConnectedEvent(CALL, participant, 850, CandidateType.HOST, CandidateType.RELAY,
                TransportProtocol.UDP, ACCEPTED_AT.plusSeconds(1));
    }

    private static ReportCallQualityCommand stats(UserId participant) {
        return new ReportCallQualityCommand(CALL, participant, 42.5, 3.1, 0.4, null, 1450.0, 2);
    }

    private static CallQualitySampledEvent sampled(UserId participant, boolean closing, Instant at) {
        return new CallQualitySampledEvent(CALL, participant, 42.5, 3.1, 0.4, null, 1450.0, 2, closing, at);
    }

    private static Matcher<CallingException> withCode(ErrorCode code) {
        return new FeatureMatcher<>(equalTo(code), "a CallingException with code", "code") {
            @Override
            protected ErrorCode featureValueOf(CallingException exception) {
                return exception.code();
            }
        };
    }
}
