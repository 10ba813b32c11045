package com.dehive.calling.gateway.notify;

import com.dehive.calling.gateway.cluster.Fanout;
import com.dehive.calling.gateway.relay.ParticipationView;
import com.dehive.calling.gateway.socket.ServerEvents;
import com.dehive.calling.gateway.socket.SocketClients;
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
import com.dehive.calling.shared.query.Processors;
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
 * Tells the sockets of this node what happened to their calls, fed by the event stream: a call started over REST
 * rings the callee's sockets exactly as one started over a socket, and endings the service decides reach both
 * parties. The socket a command came through (its {@code socket_id} metadata) gets the sender's shape of the
 * answer. It keeps this node's view of the live calls current for the relay. Every node runs it for its own
 * sockets, from the head of the stream (see ProcessingConfig): a node that dies takes only its own sockets with
 * it. Never replayed: a rebuild must not ring anyone.
 */
@Component
@DisallowReplay
@ProcessingGroup(CallNotifier.PROCESSING_GROUP)
public class CallNotifier {

    public static final String PROCESSING_GROUP = Processors.SOCKET_NOTIFIER;

    private final SocketClients sockets;
    private final ParticipationView view;
    private final Fanout fanout;
    private final MeterRegistry meters;

    public CallNotifier(SocketClients sockets, ParticipationView view, Fanout fanout, MeterRegistry meters) {
        this.sockets = sockets;
        this.view = view;
        this.fanout = fanout;
        this.meters = meters;
    }

    @EventHandler
    void on(CallStartedEvent event, @MetaDataValue(AuditMetaData.SOCKET_ID) String socketId) {
        String callId = event.callId().toString();
        if (!event.calleeBusy()) {
            // known to the relay before anyone hears of the call: the caller's offer may follow at once
            view.started(event.callId(), event.caller().id(), event.callee(), event.createdAt());
        }
        if (socketId != null) {
            sockets.toSocket(socketId, "callStarted", new ServerEvents.CallStarted(callId, "ringing",
                    event.callee().toString(), event.createdAt()));
        }
        if (!event.calleeBusy()) {
            sockets.toUser(event.callee(), "incomingCall", new ServerEvents.IncomingCall(callId,
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
        view.accepted(event.callId(), socketId);
        UserId callee = event.callee().id();
        var elsewhere = new ServerEvents.CallAnsweredElsewhere(callId, event.acceptedAt());
        if (socketId != null) {
            // the answering socket, if it is still there, hears it answered; the callee's other devices stop ringing
            sockets.toSocket(socketId, "callAccepted",
                    new ServerEvents.CallAcceptedBySelf(callId, "connected", event.acceptedAt()));
            sockets.toUserExcept(callee, socketId, "callAnsweredElsewhere", elsewhere);
        } else {
            sockets.toUser(callee, "callAnsweredElsewhere", elsewhere);
        }
        sockets.toUser(event.caller(), "callAccepted", new ServerEvents.CallAcceptedForCaller(callId,
                callee.toString(), info(event.callee()), event.withVideo(), event.withAudio(), event.acceptedAt()));
    }

    @EventHandler
    void on(CallDeclinedEvent event) {
        String callId = event.callId().toString();
        view.ended(event.callId());
        fanout.callEnded(event.caller(), event.callee());
        meters.counter("calling.calls.outcomes", "reason", "user_declined").increment();
        sockets.toUser(event.callee(), "callDeclined",
                new ServerEvents.CallDeclinedBySelf(callId, "declined", event.declinedAt()));
        sockets.toUser(event.caller(), "callDeclined", new ServerEvents.CallDeclinedForCaller(callId,
                event.callee().toString(), "user_declined", event.declinedAt()));
    }

    @EventHandler
    void on(CallEndedEvent event) {
        String callId = event.callId().toString();
        view.ended(event.callId());
        fanout.callEnded(event.caller(), event.callee());
        String reason = event.reason().wireName();
        meters.counter("calling.calls.outcomes", "reason", reason).increment();
        if (event.endedBy() == null) {
            var ended = new ServerEvents.CallEndedByService(callId, reason, event.durationSeconds(), event.endedAt());
            sockets.toUser(event.caller(), "callEnded", ended);
            sockets.toUser(event.callee(), "callEnded", ended);
            return;
        }
        UserId other = event.endedBy().equals(event.caller()) ? event.callee() : event.caller();
        sockets.toUser(event.endedBy(), "callEnded",
                new ServerEvents.CallEndedBySelf(callId, "ended", event.durationSeconds(), event.endedAt()));
        sockets.toUser(other, "callEnded", new ServerEvents.CallEndedForPeer(callId, event.endedBy().toString(),
                reason, event.durationSeconds(), event.endedAt()));
    }

    @EventHandler
    void on(MediaToggledEvent event) {
        String callId = event.callId().toString();
        String media = event.mediaType().wireName();
        String state = event.state().wireName();
        sockets.toUser(event.userId(), "mediaToggled",
                new ServerEvents.MediaToggledBySelf(callId, media, state, event.toggledAt()));
        sockets.toUser(event.peer(), "mediaToggled", new ServerEvents.MediaToggledForPeer(callId,
                event.userId().toString(), media, state, event.toggledAt()));
    }

    @EventHandler
    void on(ParticipantDisconnectedEvent event) {
        sockets.toUser(event.peer(), "peerDisconnected", new ServerEvents.PeerDisconnected(
                event.callId().toString(), event.participant().toString(), event.graceEndsAt(),
                event.disconnectedAt()));
    }

    @EventHandler
    void on(ParticipantReconnectedEvent event, @MetaDataValue(AuditMetaData.SOCKET_ID) String socketId) {
        view.reconnected(event.callId(), event.participant(), socketId);
        sockets.toUser(event.peer(), "peerReconnected", new ServerEvents.PeerReconnected(event.callId().toString(),
                event.participant().toString(), event.reconnectedAt()));
    }

    private static UserInfoView info(UserProfile profile) {
        return new UserInfoView(profile.id().toString(), profile.username(), profile.displayName(),
                profile.avatarIpfsHash());
    }
}
