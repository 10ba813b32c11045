package com.dehive.calling.command.call;

import com.dehive.calling.command.line.CallLines;
import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.call.AcceptCallCommand;
import com.dehive.calling.shared.call.AcceptCallResult;
import com.dehive.calling.shared.call.CallQualitySampledEvent;
import com.dehive.calling.shared.call.CallReportResult;
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
import com.dehive.calling.shared.call.MediaToggledEvent;
import com.dehive.calling.shared.call.ParticipantDisconnectedEvent;
import com.dehive.calling.shared.call.ParticipantMediaConnectedEvent;
import com.dehive.calling.shared.call.ParticipantMediaFailedEvent;
import com.dehive.calling.shared.call.ParticipantReconnectedEvent;
import com.dehive.calling.shared.call.ReportCallQualityCommand;
import com.dehive.calling.shared.call.ReportMediaConnectedCommand;
import com.dehive.calling.shared.call.ReportMediaFailedCommand;
import com.dehive.calling.shared.call.ReportParticipantBackCommand;
import com.dehive.calling.shared.call.ReportParticipantGoneCommand;
import com.dehive.calling.shared.call.StartCallCommand;
import com.dehive.calling.shared.call.StartCallResult;
import com.dehive.calling.shared.call.ToggleMediaCommand;
import com.dehive.calling.shared.call.ToggleMediaResult;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.time.temporal.ChronoUnit;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One call between two users. Decides in its command handlers, only assigns fields in its event sourcing handlers;
 * its state is what those decisions need.
 */
@Aggregate(cache = "callCache")
public class Call {

    /** Ends a call nobody answered; persistent, so it fires after a restart too. */
    static final String RING_TIMEOUT = "ring-timeout";
    /** Ends a call whose participant vanished and did not come back in time. */
    static final String RECONNECT_GRACE = "reconnect-grace";
    /**
     * Quality samples come once a minute; one this much sooner than the participant's last is ignored. Five seconds
     * short of the minute, so that a client whose timer fires a little early does not lose every other sample.
     */
    static final Duration SAMPLE_SPACING = Duration.ofSeconds(55);
    /**
     * How long after a connected call ended its participants may send their closing quality sample: the one who
     * did not hang up learns of the end first.
     */
    static final Duration CLOSING_SAMPLE_WINDOW = Duration.ofSeconds(30);

    @AggregateIdentifier
    private CallId callId;
    private UserId caller;
    private UserId callee;
    private CallStatus status;
    private boolean withVideo;
    private boolean withAudio;
    private Instant createdAt;
    private Instant acceptedAt;
    private UserId endedBy;
    private EndCallResult ending;
    /** Participants who vanished and are not back yet, with when they left. */
    private final Map<UserId, Instant> away = new HashMap<>();
    /** Whether a reconnect grace was ever scheduled (one may still be, after its participant came back). */
    private boolean anyoneWentAway;
    /** Participants whose media connection or failure is recorded: each is recorded once. */
    private final Set<UserId> mediaConnected = new HashSet<>();
    private final Set<UserId> mediaFailed = new HashSet<>();
    /** When each participant's last quality sample of the live call was recorded. */
    private final Map<UserId, Instant> lastSampleAt = new HashMap<>();
    /** Participants whose closing sample is recorded. */
    private final Set<UserId> closingSampled = new HashSet<>();

    protected Call() {
        // for Axon
    }

    /** Started through {@link StartCallHandler}, which arms its ring timeout and answers with {@link #startResult}. */
    Call(StartCallCommand command, CallLines lines) {
        UserId callerId = command.caller().id();
        if (callerId.equals(command.callee())) {
            throw new CallingException(ErrorCode.SELF_CALL);
        }
        if (!lines.claim(callerId, command.callId())) {
            throw new CallingException(ErrorCode.ALREADY_IN_CALL);
        }
        // Before claiming the callee: if that claim fails, the caller's line must come back too.
        lines.releaseOnRollback(command.callId(), callerId, command.callee());
        boolean calleeFree = lines.claim(command.callee(), command.callId());

        Instant now = now();
        apply(new CallStartedEvent(command.callId(), command.caller(), command.callee(),
                command.withVideo(), command.withAudio(), now, !calleeFree));
        if (!calleeFree) {
            // The callee is in another call: that is an outcome, recorded, not a refusal of the caller.
            apply(new CallEndedEvent(command.callId(), callerId, command.callee(), null, EndReason.USER_BUSY,
                    null, command.withVideo(), now));
            lines.releaseAfterCommit(command.callId(), callerId);
        }
    }

    /**
     * A call that rings ends by itself if nobody answers. Armed once the call exists (a constructor cannot name
     * its aggregate yet), while the start is handled: the deadline is stored before the call's events are.
     */
    void armRingTimeout(DeadlineManager deadlines, Duration ringTimeout) {
        if (status == CallStatus.RINGING) {
            deadlines.schedule(ringTimeout, RING_TIMEOUT, new RingTimeout(callId));
        }
    }

    @CommandHandler
    public AcceptCallResult handle(AcceptCallCommand command, DeadlineManager deadlines) {
        UserId actor = command.callee().id();
        requireParticipant(actor);
        if (!actor.equals(callee)) {
            throw new CallingException(ErrorCode.NOT_A_PARTICIPANT, "Only the callee can accept a call");
        }
        requireStatus(CallStatus.RINGING, "accepted");
        Instant now = now();
        apply(new CallAcceptedEvent(callId, caller, command.callee(), command.withVideo(), command.withAudio(), now));
        deadlines.cancelAllWithinScope(RING_TIMEOUT);
        return new AcceptCallResult(callId, CallStatus.CONNECTED, command.withVideo(), command.withAudio(), now);
    }

    @CommandHandler
    public DeclineCallResult handle(DeclineCallCommand command, CallLines lines, DeadlineManager deadlines) {
        requireParticipant(command.actor());
        if (!command.actor().equals(callee)) {
            throw new CallingException(ErrorCode.NOT_A_PARTICIPANT, "Only the callee can decline a call");
        }
        requireStatus(CallStatus.RINGING, "declined");
        Instant now = now();
        apply(new CallDeclinedEvent(callId, caller, callee, withVideo, now));
        lines.releaseAfterCommit(callId, caller, callee);
        deadlines.cancelAllWithinScope(RING_TIMEOUT);
        return new DeclineCallResult(callId, CallStatus.DECLINED, EndReason.USER_DECLINED, now);
    }

    @CommandHandler
    public EndCallResult handle(EndCallCommand command, CallLines lines, DeadlineManager deadlines) {
        requireParticipant(command.actor());
        if (!status.isLive() && command.actor().equals(endedBy)) {
            return ending; // hanging up twice is harmless and answers as the first time
        }
        if (!status.isLive()) {
            throw alreadyOver();
        }
        Instant now = now();
        if (status == CallStatus.RINGING && command.actor().equals(callee)) {
            // A callee who hangs up on a ringing call refuses it: the caller hears a decline, not a cancel.
            apply(new CallDeclinedEvent(callId, caller, callee, withVideo, now));
            lines.releaseAfterCommit(callId, caller, callee);
            deadlines.cancelAllWithinScope(RING_TIMEOUT);
            return ending;
        }
        EndReason reason = status == CallStatus.RINGING ? EndReason.CANCELLED : EndReason.USER_HANGUP;
        Long duration = acceptedAt == null ? null : Duration.between(acceptedAt, now).toSeconds();
        boolean ringing = status == CallStatus.RINGING;
        apply(new CallEndedEvent(callId, caller, callee, command.actor(), reason, duration, withVideo, now));
        lines.releaseAfterCommit(callId, caller, callee);
        // Cancelled after the apply, so that the cancels run after the append (a failed append leaves them in place).
        // Only deadlines that can be pending (each cancel is a store request): a connected call's ring timeout went
        // with its accept, and a grace exists only if someone went away. One left over all the same (a crash between
        // the accept and its cancel) changes nothing when it fires: its handler finds the call over.
        if (ringing) {
            deadlines.cancelAllWithinScope(RING_TIMEOUT);
        }
        if (anyoneWentAway) {
            deadlines.cancelAllWithinScope(RECONNECT_GRACE);
        }
        return ending;
    }

    /**
     * Nobody answered in time. The call ends at the moment its ring timeout was due, also when the deadline fires
     * late (after a restart). A deadline that fires after the call moved on (its cancellation raced it, or it was
     * retried) changes nothing.
     */
    @DeadlineHandler(deadlineName = RING_TIMEOUT)
    void on(RingTimeout timeout, @Timestamp Instant dueAt, CallLines lines) {
        if (status != CallStatus.RINGING) {
            return;
        }
        apply(new CallEndedEvent(callId, caller, callee, null, EndReason.TIMEOUT, null, withVideo,
                dueAt.truncatedTo(ChronoUnit.MILLIS)));
        lines.releaseAfterCommit(callId, caller, callee);
    }

    @CommandHandler
    public ToggleMediaResult handle(ToggleMediaCommand command) {
        requireLiveParticipant(command.actor());
        boolean byCaller = command.actor().equals(caller);
        Instant now = now();
        apply(new MediaToggledEvent(callId, command.actor(), byCaller ? CallParty.CALLER : CallParty.CALLEE,
                byCaller ? callee : caller, command.mediaType(), command.state(), now));
        return new ToggleMediaResult(callId, command.mediaType(), command.state(), now);
    }

    /** What a start answers: the call rings, or it already ended because the callee was busy. */
    StartCallResult startResult() {
        return new StartCallResult(callId, status, callee, withVideo, withAudio, createdAt,
                ending == null ? null : ending.endReason(), ending == null ? null : ending.endedAt());
    }

    @CommandHandler
    public void handle(ReportParticipantGoneCommand command, DeadlineManager deadlines, CallTimeouts timeouts) {
        requireParticipant(command.participant());
        if (!status.isLive() || away.containsKey(command.participant())) {
            return; // nothing to hold open, or already counting down
        }
        Instant now = now();
        Instant graceEndsAt = now.plus(timeouts.reconnectGrace());
        apply(new ParticipantDisconnectedEvent(callId, command.participant(), otherThan(command.participant()), now,
                graceEndsAt));
        deadlines.schedule(graceEndsAt, RECONNECT_GRACE, new ReconnectGrace(callId, command.participant(), now));
    }

    @CommandHandler
    public void handle(ReportParticipantBackCommand command) {
        requireParticipant(command.participant());
        if (!status.isLive() || !away.containsKey(command.participant())) {
            return;
        }
        apply(new ParticipantReconnectedEvent(callId, command.participant(), otherThan(command.participant()),
                now()));
    }

    /** The participant did not come back in time: the call ends for both with {@code connection_error}. */
    @DeadlineHandler(deadlineName = RECONNECT_GRACE)
    void on(ReconnectGrace grace, @Timestamp Instant dueAt, CallLines lines, DeadlineManager deadlines) {
        if (!status.isLive() || !grace.awaySince().equals(away.get(grace.participant()))) {
            return;
        }
        Instant endedAt = dueAt.truncatedTo(ChronoUnit.MILLIS);
        Long duration = acceptedAt == null ? null : Duration.between(acceptedAt, endedAt).toSeconds();
        boolean ringing = status == CallStatus.RINGING;
        apply(new CallEndedEvent(callId, caller, callee, null, EndReason.CONNECTION_ERROR, duration, withVideo,
                endedAt));
        lines.releaseAfterCommit(callId, caller, callee);
        if (ringing) {
            deadlines.cancelAllWithinScope(RING_TIMEOUT);
        }
    }

    @CommandHandler
    public CallReportResult handle(ReportMediaConnectedCommand command) {
        requireLiveParticipant(command.participant());
        if (mediaConnected.contains(command.participant())) {
            return new CallReportResult(callId, false); // the first connection is the one that counts
        }
        apply(new ParticipantMediaConnectedEvent(callId, command.participant(), command.timeToConnectMs(),
                command.localCandidateType(), command.remoteCandidateType(), command.protocol(), now()));
        return new CallReportResult(callId, true);
    }

    @CommandHandler
    public CallReportResult handle(ReportMediaFailedCommand command) {
        requireLiveParticipant(command.participant());
        if (mediaFailed.contains(command.participant())) {
            return new CallReportResult(callId, false);
        }
        apply(new ParticipantMediaFailedEvent(callId, command.participant(), command.iceState(), command.reason(),
                now()));
        return new CallReportResult(callId, true);
    }

    /**
     * While the call is live, one sample a minute per participant (a sooner one is ignored); after a connected call
     * ended, one closing sample per participant within {@link #CLOSING_SAMPLE_WINDOW}.
     */
    @CommandHandler
    public CallReportResult handle(ReportCallQualityCommand command) {
        UserId participant = command.participant();
        requireParticipant(participant);
        Instant now = now();
        boolean closing = !status.isLive();
        if (closing && (acceptedAt == null || now.isAfter(ending.endedAt().plus(CLOSING_SAMPLE_WINDOW)))) {
            throw alreadyOver();
        }
        boolean sampled = closing ? closingSampled.contains(participant)
                : lastSampleAt.containsKey(participant)
                && now.isBefore(lastSampleAt.get(participant).plus(SAMPLE_SPACING));
        if (sampled) {
            return new CallReportResult(callId, false);
        }
        apply(new CallQualitySampledEvent(callId, participant, command.rttMs(), command.jitterMs(),
                command.audioLossPct(), command.videoLossPct(), command.avgBitrateKbps(), command.freezeCount(),
                closing, now));
        return new CallReportResult(callId, true);
    }

    @EventSourcingHandler
    void on(ParticipantMediaConnectedEvent event) {
        mediaConnected.add(event.participant());
    }

    @EventSourcingHandler
    void on(ParticipantMediaFailedEvent event) {
        mediaFailed.add(event.participant());
    }

    @EventSourcingHandler
    void on(CallQualitySampledEvent event) {
        if (event.closing()) {
            closingSampled.add(event.participant());
        } else {
            lastSampleAt.put(event.participant(), event.sampledAt());
        }
    }

    @EventSourcingHandler
    void on(ParticipantDisconnectedEvent event) {
        away.put(event.participant(), event.disconnectedAt());
        anyoneWentAway = true;
    }

    @EventSourcingHandler
    void on(ParticipantReconnectedEvent event) {
        away.remove(event.participant());
    }

    @EventSourcingHandler
    void on(CallStartedEvent event) {
        callId = event.callId();
        caller = event.caller().id();
        callee = event.callee();
        withVideo = event.withVideo();
        withAudio = event.withAudio();
        createdAt = event.createdAt();
        status = CallStatus.RINGING;
    }

    @EventSourcingHandler
    void on(CallAcceptedEvent event) {
        status = CallStatus.CONNECTED;
        acceptedAt = event.acceptedAt();
    }

    @EventSourcingHandler
    void on(CallDeclinedEvent event) {
        status = CallStatus.DECLINED;
        ending = new EndCallResult(callId, CallStatus.DECLINED, EndReason.USER_DECLINED, null, event.declinedAt());
        endedBy = callee;
    }

    @EventSourcingHandler
    void on(CallEndedEvent event) {
        status = CallStatus.ENDED;
        ending = new EndCallResult(callId, CallStatus.ENDED, event.reason(), event.durationSeconds(), event.endedAt());
        endedBy = event.endedBy();
    }

    private UserId otherThan(UserId participant) {
        return participant.equals(caller) ? callee : caller;
    }

    private void requireParticipant(UserId actor) {
        if (!actor.equals(caller) && !actor.equals(callee)) {
            throw new CallingException(ErrorCode.NOT_A_PARTICIPANT);
        }
    }

    /** A participant of a call that rings or is connected. */
    private void requireLiveParticipant(UserId actor) {
        requireParticipant(actor);
        if (!status.isLive()) {
            throw alreadyOver();
        }
    }

    private CallingException alreadyOver() {
        return new CallingException(ErrorCode.INVALID_CALL_STATE, "The call is already " + status.wireName());
    }

    private void requireStatus(CallStatus required, String action) {
        if (status != required) {
            throw new CallingException(ErrorCode.INVALID_CALL_STATE,
                    "A " + status.wireName() + " call cannot be " + action);
        }
    }

    private static Instant now() {
        // Read models keep milliseconds: record what they can show, so every answer agrees.
        return GenericEventMessage.clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
