package com.dehive.calling.gateway.notify;

import com.dehive.calling.gateway.cluster.Fanout;
import com.dehive.calling.gateway.relay.ParticipationView;
import com.dehive.calling.gateway.socket.ServerEvents;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.UserProfile;
import com.dehive.calling.shared.audit.AuditMetaData;
import com.dehive.calling.shared.call.CallAcceptedEvent;
import com.dehive.calling.shared.call.CallDeclinedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import com.dehive.calling.shared.call.CallStartedEvent;
import com.dehive.calling.shared.call.MediaToggledEvent;
import com.dehive.calling.shared.call.ParticipantDisconnectedEvent;
import com.dehive.calling.shared.call.ParticipantReconnectedEvent;
import com.dehive.calling.shared.query.UserInfoView;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;

/**
 * Tells the sockets what happened to their calls, fed by the event stream: a call started over REST rings the
 * callee's sockets exactly as one started over a socket, and endings the service decides reach both parties. The
 * socket a command came through (its {@code socket_id} metadata) gets the sender's shape of the answer. Never
 * replayed: a rebuild must not ring anyone. With several nodes, the processor's segments are shared among them and
 * each event is told once, through the {@link Fanout}, to the sockets wherever they are.
 */
@Component
@DisallowReplay
@ProcessingGroup(CallNotifier.PROCESSING_GROUP)
public class CallNotifier {

    public static final String PROCESSING_GROUP = "socket-notifier";

    private final Fanout fanout;
    private final ParticipationView view;
    private final MeterRegistry meters;

    public CallNotifier(Fanout fanout, ParticipationView view, MeterRegistry meters) {
        this.fanout = fanout;
        this.view = view;
        this.meters = meters;
    }

    @EventHandler
    void on(CallStartedEvent event, @MetaDataValue(AuditMetaData.SOCKET_ID) String socketId) {
        String callId = event.callId().toString();
        if (!event.calleeBusy()) {
            // known to the relay before anyone hears of the call: the caller's offer may follow at once
            fanout.callStarted(event.callId(), event.caller().id(), event.callee(), event.createdAt());
        }
        if (socketId != null) {
            fanout.toSocket(socketId, "callStarted", new ServerEvents.CallStarted(callId, "ringing",
                    event.callee().toString(), event.createdAt()));
        }
        if (!event.calleeBusy()) {
            fanout.toUser(event.callee(), "incomingCall", new ServerEvents.IncomingCall(callId,
                    event.caller().id().toString(), info(event.caller()), event.withVideo(), event.withAudio(),
                    event.createdAt()));
            // from the start command to the callee's devices ringing
            meters.timer("calling.calls.setup.latency").record(Duration.between(event.createdAt(), Instant.now()));
        }
    }

    @EventHandler
    void on(CallAcceptedEvent event, @MetaDataValue(AuditMetaData.SOCKET_ID) String socketId) {
        String callId = event.callId().toString();
        view.startedAt(event.callId()).ifPresent(startedAt -> meters.timer("calling.calls.answer.time")
                .record(Duration.between(startedAt, event.acceptedAt())));
        fanout.callAccepted(event.callId(), socketId);
        UserId callee = event.callee().id();
        var elsewhere = new ServerEvents.CallAnsweredElsewhere(callId, event.acceptedAt());
        if (socketId != null) {
            // the answering socket, if it is still there, hears it answered; the callee's other devices stop ringing
            fanout.toSocket(socketId, "callAccepted",
                    new ServerEvents.CallAcceptedBySelf(callId, "connected", event.acceptedAt()));
            fanout.toUserExcept(callee, socketId, "callAnsweredElsewhere", elsewhere);
        } else {
            fanout.toUser(callee, "callAnsweredElsewhere", elsewhere);
        }
        fanout.toUser(event.caller(), "callAccepted", new ServerEvents.CallAcceptedForCaller(callId,
                callee.toString(), info(event.callee()), event.withVideo(), event.withAudio(), event.acceptedAt()));
    }

    @EventHandler
    void on(CallDeclinedEvent event) {
        String callId = event.callId().toString();
        fanout.callEnded(event.callId(), event.caller(), event.callee());
        meters.counter("calling.calls.outcomes", "reason", "user_declined").increment();
        fanout.toUser(event.callee(), "callDeclined",
                new ServerEvents.CallDeclinedBySelf(callId, "declined", event.declinedAt()));
        fanout.toUser(event.caller(), "callDeclined", new ServerEvents.CallDeclinedForCaller(callId,
                event.callee().toString(), "user_declined", event.declinedAt()));
    }

    @EventHandler
    void on(CallEndedEvent event) {
        String callId = event.callId().toString();
        fanout.callEnded(event.callId(), event.caller(), event.callee());
        String reason = event.reason().wireName();
        meters.counter("calling.calls.outcomes", "reason", reason).increment();
        if (event.endedBy() == null) {
            var ended = new ServerEvents.CallEndedByService(callId, reason, event.durationSeconds(), event.endedAt());
            fanout.toUser(event.caller(), "callEnded", ended);
            fanout.toUser(event.callee(), "callEnded", ended);
            return;
        }
        UserId other = event.endedBy().equals(event.caller()) ? event.callee() : event.caller();
        fanout.toUser(event.endedBy(), "callEnded",
                new ServerEvents.CallEndedBySelf(callId, "ended", event.durationSeconds(), event.endedAt()));
        fanout.toUser(other, "callEnded", new ServerEvents.CallEndedForPeer(callId, event.endedBy().toString(),
                reason, event.durationSeconds(), event.endedAt()));
    }

    @EventHandler
    void on(MediaToggledEvent event) {
        String callId = event.callId().toString();
        String media = event.mediaType().wireName();
        String state = event.state().wireName();
        fanout.toUser(event.userId(), "mediaToggled",
                new ServerEvents.MediaToggledBySelf(callId, media, state, event.toggledAt()));
        fanout.toUser(event.peer(), "mediaToggled", new ServerEvents.MediaToggledForPeer(callId,
                event.userId().toString(), media, state, event.toggledAt()));
    }

    @EventHandler
    void on(ParticipantDisconnectedEvent event) {
        fanout.toUser(event.peer(), "peerDisconnected", new ServerEvents.PeerDisconnected(
                event.callId().toString(), event.participant().toString(), event.graceEndsAt(),
                event.disconnectedAt()));
    }

    @EventHandler
    void on(ParticipantReconnectedEvent event, @MetaDataValue(AuditMetaData.SOCKET_ID) String socketId) {
        fanout.callReconnected(event.callId(), event.participant(), socketId);
        fanout.toUser(event.peer(), "peerReconnected", new ServerEvents.PeerReconnected(event.callId().toString(),
                event.participant().toString(), event.reconnectedAt()));
    }

    private static UserInfoView info(UserProfile profile) {
        return new UserInfoView(profile.id().toString(), profile.username(), profile.displayName(),
                profile.avatarIpfsHash());
    }
}
