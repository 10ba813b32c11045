package com.dehive.calling.command.call;

import com.dehive.calling.command.line.CallLines;
import com.dehive.calling.command.line.CallLiveness;
import com.dehive.calling.command.line.EventStoreCallLiveness;
import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.UserProfile;
import com.dehive.calling.shared.call.AcceptCallCommand;
import com.dehive.calling.shared.call.AcceptCallResult;
import com.dehive.calling.shared.call.CallAcceptedEvent;
import com.dehive.calling.shared.call.CallDeclinedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import com.dehive.calling.shared.call.CallParty;
import com.dehive.calling.shared.call.CallStartedEvent;
import com.dehive.calling.shared.call.CallStatus;
import com.dehive.calling.shared.call.DeclineCallCommand;
import com.dehive.calling.shared.call.DeclineCallResult;
import com.dehive.calling.shared.call.EndCallCommand;
import com.dehive.calling.shared.call.EndCallResult;
import com.dehive.calling.shared.call.EndReason;
import com.dehive.calling.shared.call.MediaState;
import com.dehive.calling.shared.call.MediaToggledEvent;
import com.dehive.calling.shared.call.MediaType;
import com.dehive.calling.shared.call.ParticipantDisconnectedEvent;
import com.dehive.calling.shared.call.ParticipantReconnectedEvent;
import com.dehive.calling.shared.call.ReportParticipantBackCommand;
import com.dehive.calling.shared.call.ReportParticipantGoneCommand;
import com.dehive.calling.shared.call.StartCallCommand;
import com.dehive.calling.shared.call.StartCallResult;
import com.dehive.calling.shared.call.ToggleMediaCommand;
import com.dehive.calling.shared.call.ToggleMediaResult;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.FeatureMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The rules of one call, given-when-then. Alice calls Bob; Carol is in neither side of it. Lines are real
 * {@link CallLines} over an in-memory Mongo server.
 *
 * <p>The fixture's event store only knows the call under test (reading any other aggregate fails the fixture), so
 * the liveness of the <em>other</em> calls that hold lines here is read from a separate in-memory event store.
 */
class CallTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration RING_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RECONNECT_GRACE = Duration.ofSeconds(15);
    private static final CallId CALL = CallId.of("call-1");
    private static final CallId OTHER_CALL = CallId.of("call-0");
    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");
    private static final UserId CAROL = UserId.of("carol");
    private static final UserId DAVE = UserId.of("dave");
    private static final UserProfile ALICE_PROFILE = new UserProfile(ALICE, "alice", "Alice", null);
    private static final UserProfile BOB_PROFILE = new UserProfile(BOB, "bob", "Bob", "QmBobAvatar");
    private static final UserProfile CAROL_PROFILE = UserProfile.idOnly(CAROL);

    private MongoServer server;
    private MongoClient client;
    private EmbeddedEventStore otherCalls;
    /** Whether the other calls holding lines are live; a test may swap it for one that fails. */
    private CallLiveness otherCallsLiveness;
    private CallLines lines;
    private FixtureConfiguration<Call> fixture;

    @BeforeEach
    void setUp() {
        server = new MongoServer(new MemoryBackend());
        client = MongoClients.create(server.bindAndGetConnectionString());
        otherCalls = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
        Clock clock = Clock.systemUTC();
        otherCallsLiveness = new EventStoreCallLiveness(otherCalls, clock);
        lines = new CallLines(client.getDatabase("calling"), (call, claimedAt, othersMayBeStartingIt) ->
                otherCallsLiveness.isLive(call, claimedAt, othersMayBeStartingIt), clock, "node-1", false);

        fixture = new AggregateTestFixture<>(Call.class);
        fixture.registerInjectableResource(lines);
        CallTimeouts timeouts = new CallTimeouts(RING_TIMEOUT, RECONNECT_GRACE);
        fixture.registerInjectableResource(timeouts);
        fixture.registerAnnotatedCommandHandler(new StartCallHandler(fixture.getRepository(), lines, timeouts));
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.shutdownNow();
        otherCalls.shutDown();
    }

    // --- ring timeout --------------------------------------------------------------------------------------------

    @Test
    void a_ringing_call_schedules_its_ring_timeout() {
        fixture.givenCurrentTime(T0)
                .when(start())
                .expectScheduledDeadline(RING_TIMEOUT, new RingTimeout(CALL));
    }

    @Test
    void a_call_to_a_busy_callee_schedules_no_ring_timeout() {
        anotherCallRings(DAVE, BOB);
        fixture.givenCurrentTime(T0)
                .when(start())
                .expectNoScheduledDeadlines();
    }

    @Test
    void a_call_nobody_answers_ends_with_timeout_when_the_ring_timeout_elapses() {
        fixture.givenCurrentTime(T0)
                .andGivenCommands(start())
                .whenTimeElapses(RING_TIMEOUT)
                .expectTriggeredDeadlinesWithName("ring-timeout")
                .expectEvents(new CallEndedEvent(CALL, ALICE, BOB, null, EndReason.TIMEOUT, null, true,
                        T0.plus(RING_TIMEOUT)));
    }

    @Test
    void a_call_that_times_out_frees_both_lines() {
        fixture.givenCurrentTime(T0)
                .andGivenCommands(start())
                .whenTimeElapses(RING_TIMEOUT)
                .expectEvents(new CallEndedEvent(CALL, ALICE, BOB, null, EndReason.TIMEOUT, null, true,
                        T0.plus(RING_TIMEOUT)));
        assertThat(lines.holder(ALICE)).isNull();
        assertThat(lines.holder(BOB)).isNull();
    }

    @Test
    void accepting_cancels_the_ring_timeout() {
        fixture.givenCurrentTime(T0)
                .andGivenCommands(start())
                .when(new AcceptCallCommand(CALL, BOB_PROFILE, true, true))
                .expectNoScheduledDeadlines();
    }

    @Test
    void declining_cancels_the_ring_timeout() {
        fixture.givenCurrentTime(T0)
                .andGivenCommands(start())
                .when(new DeclineCallCommand(CALL, BOB))
                .expectNoScheduledDeadlines();
    }

    @Test
    void cancelling_cancels_the_ring_timeout() {
        fixture.givenCurrentTime(T0)
                .andGivenCommands(start())
                .when(new EndCallCommand(CALL, ALICE))
                .expectNoScheduledDeadlines();
    }

    @Test
    void a_ring_timeout_that_fires_after_the_call_was_answered_changes_nothing() {
        fixture.given(started(), accepted())
                .whenTimeElapses(RING_TIMEOUT)
                .expectNoEvents();
    }

    // --- vanished participants -----------------------------------------------------------------------------------

    @Test
    void a_participant_who_vanishes_gets_the_reconnect_grace_period() {
        Instant goneAt = T0.plusSeconds(60);
        fixture.given(started(), accepted())
                .andGivenCurrentTime(goneAt)
                .when(new ReportParticipantGoneCommand(CALL, BOB))
                .expectEvents(new ParticipantDisconnectedEvent(CALL, BOB, ALICE, goneAt, goneAt.plus(RECONNECT_GRACE)))
                .expectScheduledDeadline(RECONNECT_GRACE, new ReconnectGrace(CALL, BOB, goneAt));
    }

    @Test
    void a_participant_who_does_not_come_back_in_time_ends_the_call_with_connection_error() {
        Instant goneAt = T0.plusSeconds(60);
        fixture.given(started(), accepted())
                .andGivenCurrentTime(goneAt)
                .andGivenCommands(new ReportParticipantGoneCommand(CALL, BOB))
                .whenTimeElapses(RECONNECT_GRACE)
                .expectEvents(new CallEndedEvent(CALL, ALICE, BOB, null, EndReason.CONNECTION_ERROR, 73L, true,
                        goneAt.plus(RECONNECT_GRACE)));
    }

    @Test
    void a_participant_back_within_the_grace_period_keeps_the_call() {
        Instant goneAt = T0.plusSeconds(60);
        fixture.given(started(), accepted())
                .andGivenCurrentTime(goneAt)
                .andGivenCommands(new ReportParticipantGoneCommand(CALL, BOB))
                .when(new ReportParticipantBackCommand(CALL, BOB))
                .expectEvents(new ParticipantReconnectedEvent(CALL, BOB, ALICE, goneAt));
    }

    @Test
    void the_grace_of_an_absence_that_ended_changes_nothing() {
        Instant goneAt = T0.plusSeconds(60);
        fixture.given(started(), accepted())
                .andGivenCurrentTime(goneAt)
                .andGivenCommands(new ReportParticipantGoneCommand(CALL, BOB),
                        new ReportParticipantBackCommand(CALL, BOB))
                .whenTimeElapses(RECONNECT_GRACE)
                .expectNoEvents();
    }

    @Test
    void reporting_a_present_participant_back_or_a_gone_one_gone_again_changes_nothing() {
        fixture.given(started(), accepted())
                .when(new ReportParticipantBackCommand(CALL, ALICE))
                .expectNoEvents();
        fixture.given(started(), accepted(), new ParticipantDisconnectedEvent(CALL, BOB, ALICE, T0, T0.plus(RECONNECT_GRACE)))
                .when(new ReportParticipantGoneCommand(CALL, BOB))
                .expectNoEvents();
    }

    @Test
    void hanging_up_cancels_the_grace_of_a_participant_who_went_away_and_came_back() {
        Instant goneAt = T0.plusSeconds(60);
        fixture.given(started(), accepted())
                .andGivenCurrentTime(goneAt)
                .andGivenCommands(new ReportParticipantGoneCommand(CALL, BOB),
                        new ReportParticipantBackCommand(CALL, BOB))
                .when(new EndCallCommand(CALL, ALICE))
                .expectNoScheduledDeadlines();
    }

    @Test
    void hanging_up_while_a_participant_is_away_cancels_their_grace() {
        Instant goneAt = T0.plusSeconds(60);
        fixture.given(started(), accepted())
                .andGivenCurrentTime(goneAt)
                .andGivenCommands(new ReportParticipantGoneCommand(CALL, BOB))
                .when(new EndCallCommand(CALL, ALICE))
                .expectNoScheduledDeadlines();
    }

    @Test
    void a_participant_of_an_ended_call_is_not_held_open() {
        fixture.given(started(), accepted(), new CallEndedEvent(CALL, ALICE, BOB, ALICE, EndReason.USER_HANGUP, 5L,
                        true, T0.plusSeconds(10)))
                .when(new ReportParticipantGoneCommand(CALL, BOB))
                .expectNoEvents()
                .expectNoScheduledDeadlines();
    }

    // --- start ---------------------------------------------------------------------------------------------------

    @Test
    void starting_a_call_rings_the_callee() {
        fixture.givenCurrentTime(T0)
                .when(new StartCallCommand(CALL, ALICE_PROFILE, BOB, false, true))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new CallStartedEvent(CALL, ALICE_PROFILE, BOB, false, true, T0, false))
                .expectResultMessagePayload(
                        new StartCallResult(CALL, CallStatus.RINGING, BOB, false, true, T0, null, null));
    }

    @Test
    void starting_a_call_takes_the_lines_of_both_users() {
        fixture.givenCurrentTime(T0)
                .when(start())
                .expectSuccessfulHandlerExecution();

        assertThat(lines.holder(ALICE)).isEqualTo(CALL);
        assertThat(lines.holder(BOB)).isEqualTo(CALL);
    }

    @Test
    void a_user_cannot_call_themselves() {
        fixture.givenCurrentTime(T0)
                .when(new StartCallCommand(CALL, ALICE_PROFILE, ALICE, true, true))
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.SELF_CALL))
                .expectNoEvents();

        assertThat(lines.holder(ALICE)).isNull();
    }

    @Test
    void a_caller_already_in_a_call_cannot_start_another() {
        anotherCallRings(ALICE, DAVE);

        fixture.givenCurrentTime(T0)
                .when(start())
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.ALREADY_IN_CALL))
                .expectNoEvents();

        assertThat(lines.holder(ALICE)).isEqualTo(OTHER_CALL);
        assertThat(lines.holder(BOB)).isNull();
    }

    @Test
    void calling_a_busy_callee_ends_the_call_at_once_as_user_busy() {
        anotherCallRings(DAVE, BOB);

        fixture.givenCurrentTime(T0)
                .when(start())
                .expectSuccessfulHandlerExecution()
                .expectEvents(
                        new CallStartedEvent(CALL, ALICE_PROFILE, BOB, true, true, T0, true),
                        new CallEndedEvent(CALL, ALICE, BOB, null, EndReason.USER_BUSY, null, true, T0))
                .expectResultMessagePayload(
                        new StartCallResult(CALL, CallStatus.ENDED, BOB, true, true, T0, EndReason.USER_BUSY, T0));
    }

    @Test
    void a_busy_callee_leaves_the_caller_free_and_keeps_their_own_call() {
        anotherCallRings(DAVE, BOB);

        fixture.givenCurrentTime(T0)
                .when(start())
                .expectSuccessfulHandlerExecution();

        assertThat(lines.holder(ALICE)).isNull();
        assertThat(lines.holder(BOB)).isEqualTo(OTHER_CALL);
        assertThat(lines.holder(DAVE)).isEqualTo(OTHER_CALL);
    }

    @Test
    void a_start_that_fails_after_taking_the_callers_line_gives_it_back() {
        anotherCallRings(DAVE, BOB);
        otherCallsLiveness = (call, claimedAt, othersMayBeStartingIt) -> {
            throw new IllegalStateException("event store unavailable");
        };

        fixture.givenCurrentTime(T0)
                .when(start())
                .expectException(IllegalStateException.class)
                .expectNoEvents();

        assertThat(lines.holder(ALICE)).isNull();
        assertThat(lines.holder(BOB)).isEqualTo(OTHER_CALL);
    }

    // --- accept --------------------------------------------------------------------------------------------------

    @Test
    void a_callee_who_accepts_a_ringing_call_connects_it() {
        Instant acceptedAt = T0.plusSeconds(4);

        fixture.given(started())
                .andGivenCurrentTime(acceptedAt)
                .when(new AcceptCallCommand(CALL, BOB_PROFILE, false, true))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new CallAcceptedEvent(CALL, ALICE, BOB_PROFILE, false, true, acceptedAt))
                .expectResultMessagePayload(
                        new AcceptCallResult(CALL, CallStatus.CONNECTED, false, true, acceptedAt));
    }

    @Test
    void accepting_a_call_keeps_both_lines_taken() {
        fixture.givenCurrentTime(T0)
                .andGivenCommands(start())
                .when(accept())
                .expectSuccessfulHandlerExecution();

        assertThat(lines.holder(ALICE)).isEqualTo(CALL);
        assertThat(lines.holder(BOB)).isEqualTo(CALL);
    }

    @Test
    void the_caller_cannot_accept_their_own_call() {
        fixture.given(started())
                .when(new AcceptCallCommand(CALL, ALICE_PROFILE, true, true))
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.NOT_A_PARTICIPANT))
                .expectNoEvents();
    }

    @Test
    void a_stranger_cannot_accept_a_call() {
        fixture.given(started())
                .when(new AcceptCallCommand(CALL, CAROL_PROFILE, true, true))
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.NOT_A_PARTICIPANT))
                .expectNoEvents();
    }

    @Test
    void a_connected_call_cannot_be_accepted_again() {
        fixture.given(started(), accepted())
                .when(accept())
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.INVALID_CALL_STATE))
                .expectNoEvents();
    }

    @Test
    void a_declined_call_cannot_be_accepted() {
        fixture.given(started(), declined())
                .when(accept())
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.INVALID_CALL_STATE))
                .expectNoEvents();
    }

    @Test
    void an_ended_call_cannot_be_accepted() {
        fixture.given(started(), cancelledByAlice())
                .when(accept())
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.INVALID_CALL_STATE))
                .expectNoEvents();
    }

    // --- decline -------------------------------------------------------------------------------------------------

    @Test
    void a_callee_who_declines_a_ringing_call_ends_it_as_declined() {
        Instant declinedAt = T0.plusSeconds(6);

        fixture.given(started())
                .andGivenCurrentTime(declinedAt)
                .when(new DeclineCallCommand(CALL, BOB))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new CallDeclinedEvent(CALL, ALICE, BOB, true, declinedAt))
                .expectResultMessagePayload(
                        new DeclineCallResult(CALL, CallStatus.DECLINED, EndReason.USER_DECLINED, declinedAt));
    }

    @Test
    void declining_a_call_frees_both_lines() {
        fixture.givenCurrentTime(T0)
                .andGivenCommands(start())
                .when(new DeclineCallCommand(CALL, BOB))
                .expectSuccessfulHandlerExecution();

        assertThat(lines.holder(ALICE)).isNull();
        assertThat(lines.holder(BOB)).isNull();
    }

    @Test
    void the_caller_cannot_decline_their_own_call() {
        fixture.given(started())
                .when(new DeclineCallCommand(CALL, ALICE))
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.NOT_A_PARTICIPANT))
                .expectNoEvents();
    }

    @Test
    void a_stranger_cannot_decline_a_call() {
        fixture.given(started())
                .when(new DeclineCallCommand(CALL, CAROL))
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.NOT_A_PARTICIPANT))
                .expectNoEvents();
    }

    @Test
    void a_connected_call_cannot_be_declined() {
        fixture.given(started(), accepted())
                .when(new DeclineCallCommand(CALL, BOB))
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.INVALID_CALL_STATE))
                .expectNoEvents();
    }

    @Test
    void an_ended_call_cannot_be_declined() {
        fixture.given(started(), cancelledByAlice())
                .when(new DeclineCallCommand(CALL, BOB))
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.INVALID_CALL_STATE))
                .expectNoEvents();
    }

    // --- end -----------------------------------------------------------------------------------------------------

    @Test
    void hanging_up_a_connected_call_ends_it_with_its_duration_in_whole_seconds() {
        Instant endedAt = T0.plusSeconds(2).plus(Duration.ofMillis(65_900)); // 65.9 s after the accept

        fixture.given(started(), accepted())
                .andGivenCurrentTime(endedAt)
                .when(new EndCallCommand(CALL, ALICE))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new CallEndedEvent(CALL, ALICE, BOB, ALICE, EndReason.USER_HANGUP, 65L, true, endedAt))
                .expectResultMessagePayload(
                        new EndCallResult(CALL, CallStatus.ENDED, EndReason.USER_HANGUP, 65L, endedAt));
    }

    @Test
    void the_callee_can_hang_up_a_connected_call() {
        Instant endedAt = T0.plusSeconds(2 + 10);

        fixture.given(started(), accepted())
                .andGivenCurrentTime(endedAt)
                .when(new EndCallCommand(CALL, BOB))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new CallEndedEvent(CALL, ALICE, BOB, BOB, EndReason.USER_HANGUP, 10L, true, endedAt));
    }

    @Test
    void a_caller_who_hangs_up_a_ringing_call_cancels_it() {
        Instant endedAt = T0.plusSeconds(8);

        fixture.given(started())
                .andGivenCurrentTime(endedAt)
                .when(new EndCallCommand(CALL, ALICE))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new CallEndedEvent(CALL, ALICE, BOB, ALICE, EndReason.CANCELLED, null, true, endedAt))
                .expectResultMessagePayload(
                        new EndCallResult(CALL, CallStatus.ENDED, EndReason.CANCELLED, null, endedAt));
    }

    @Test
    void a_callee_who_ends_a_ringing_call_instead_of_declining_declines_it() {
        Instant endedAt = T0.plusSeconds(8);

        fixture.given(started())
                .andGivenCurrentTime(endedAt)
                .when(new EndCallCommand(CALL, BOB))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new CallDeclinedEvent(CALL, ALICE, BOB, true, endedAt))
                .expectResultMessagePayload(
                        new EndCallResult(CALL, CallStatus.DECLINED, EndReason.USER_DECLINED, null, endedAt));
    }

    @Test
    void a_callee_who_ends_a_call_they_declined_gets_the_same_answer_again() {
        fixture.given(started(), declined())
                .when(new EndCallCommand(CALL, BOB))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(new EndCallResult(CALL, CallStatus.DECLINED, EndReason.USER_DECLINED,
                        null, T0.plusSeconds(5)));
    }

    @Test
    void a_stranger_cannot_end_a_call() {
        fixture.given(started(), accepted())
                .when(new EndCallCommand(CALL, CAROL))
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.NOT_A_PARTICIPANT))
                .expectNoEvents();
    }

    @Test
    void ending_a_call_again_answers_as_the_first_time_without_a_new_event() {
        Instant endedAt = T0.plusSeconds(62);

        fixture.given(started(), accepted(),
                        new CallEndedEvent(CALL, ALICE, BOB, ALICE, EndReason.USER_HANGUP, 60L, true, endedAt))
                .andGivenCurrentTime(endedAt.plusSeconds(30))
                .when(new EndCallCommand(CALL, ALICE))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(
                        new EndCallResult(CALL, CallStatus.ENDED, EndReason.USER_HANGUP, 60L, endedAt));
    }

    @Test
    void the_other_participant_cannot_end_a_call_that_is_already_over() {
        fixture.given(started(), accepted(),
                        new CallEndedEvent(CALL, ALICE, BOB, ALICE, EndReason.USER_HANGUP, 60L, true,
                                T0.plusSeconds(62)))
                .when(new EndCallCommand(CALL, BOB))
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.INVALID_CALL_STATE))
                .expectNoEvents();
    }

    @Test
    void a_declined_call_cannot_be_ended() {
        fixture.given(started(), declined())
                .when(new EndCallCommand(CALL, ALICE))
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.INVALID_CALL_STATE))
                .expectNoEvents();
    }

    @Test
    void hanging_up_a_connected_call_frees_both_lines() {
        fixture.givenCurrentTime(T0)
                .andGivenCommands(start(), accept())
                .when(new EndCallCommand(CALL, BOB))
                .expectSuccessfulHandlerExecution();

        assertThat(lines.holder(ALICE)).isNull();
        assertThat(lines.holder(BOB)).isNull();
    }

    @Test
    void cancelling_a_ringing_call_frees_both_lines() {
        fixture.givenCurrentTime(T0)
                .andGivenCommands(start())
                .when(new EndCallCommand(CALL, ALICE))
                .expectSuccessfulHandlerExecution();

        assertThat(lines.holder(ALICE)).isNull();
        assertThat(lines.holder(BOB)).isNull();
    }

    // --- toggle media --------------------------------------------------------------------------------------------

    @Test
    void a_caller_who_mutes_on_a_ringing_call_tells_the_callee() {
        Instant toggledAt = T0.plusSeconds(1);

        fixture.given(started())
                .andGivenCurrentTime(toggledAt)
                .when(new ToggleMediaCommand(CALL, ALICE, MediaType.AUDIO, MediaState.MUTED))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new MediaToggledEvent(CALL, ALICE, CallParty.CALLER, BOB,
                        MediaType.AUDIO, MediaState.MUTED, toggledAt))
                .expectResultMessagePayload(
                        new ToggleMediaResult(CALL, MediaType.AUDIO, MediaState.MUTED, toggledAt));
    }

    @Test
    void a_callee_who_turns_off_video_on_a_connected_call_tells_the_caller() {
        Instant toggledAt = T0.plusSeconds(20);

        fixture.given(started(), accepted())
                .andGivenCurrentTime(toggledAt)
                .when(new ToggleMediaCommand(CALL, BOB, MediaType.VIDEO, MediaState.DISABLED))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new MediaToggledEvent(CALL, BOB, CallParty.CALLEE, ALICE,
                        MediaType.VIDEO, MediaState.DISABLED, toggledAt))
                .expectResultMessagePayload(
                        new ToggleMediaResult(CALL, MediaType.VIDEO, MediaState.DISABLED, toggledAt));
    }

    @Test
    void a_stranger_cannot_toggle_media_in_a_call() {
        fixture.given(started(), accepted())
                .when(new ToggleMediaCommand(CALL, CAROL, MediaType.AUDIO, MediaState.MUTED))
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.NOT_A_PARTICIPANT))
                .expectNoEvents();
    }

    @Test
    void media_cannot_be_toggled_in_an_ended_call() {
        fixture.given(started(), cancelledByAlice())
                .when(new ToggleMediaCommand(CALL, ALICE, MediaType.AUDIO, MediaState.MUTED))
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.INVALID_CALL_STATE))
                .expectNoEvents();
    }

    @Test
    void media_cannot_be_toggled_in_a_declined_call() {
        fixture.given(started(), declined())
                .when(new ToggleMediaCommand(CALL, BOB, MediaType.VIDEO, MediaState.ENABLED))
                .expectException(CallingException.class)
                .expectException(withCode(ErrorCode.INVALID_CALL_STATE))
                .expectNoEvents();
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static StartCallCommand start() {
        return new StartCallCommand(CALL, ALICE_PROFILE, BOB, true, true);
    }

    private static AcceptCallCommand accept() {
        return new AcceptCallCommand(CALL, BOB_PROFILE, true, true);
    }

    private static CallStartedEvent started() {
        return new CallStartedEvent(CALL, ALICE_PROFILE, BOB, true, true, T0, false);
    }

    private static CallAcceptedEvent accepted() {
        return new CallAcceptedEvent(CALL, ALICE, BOB_PROFILE, true, true, T0.plusSeconds(2));
    }

    private static CallDeclinedEvent declined() {
        return new CallDeclinedEvent(CALL, ALICE, BOB, true, T0.plusSeconds(5));
    }

    private static CallEndedEvent cancelledByAlice() {
        return new CallEndedEvent(CALL, ALICE, BOB, ALICE, EndReason.CANCELLED, null, true, T0.plusSeconds(5));
    }

    /** Another call, recorded in the event store and holding both of its users' lines, is ringing. */
    private void anotherCallRings(UserId caller, UserId callee) {
        otherCalls.publish(new GenericDomainEventMessage<>("Call", OTHER_CALL.toString(), 0,
                new CallStartedEvent(OTHER_CALL, UserProfile.idOnly(caller), callee, true, true, T0, false)));
        assertThat(lines.claim(caller, OTHER_CALL)).isTrue();
        assertThat(lines.claim(callee, OTHER_CALL)).isTrue();
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
