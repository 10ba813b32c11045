package com.dehive.calling.gateway.notify;

import com.dehive.calling.gateway.relay.MissedSignals;
import com.dehive.calling.gateway.relay.ParticipationView;
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
import com.dehive.calling.shared.query.UserInfoView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tells the sockets what happened to their calls, fed by the event stream: a call started over REST rings the
 * callee's sockets exactly as one started over a socket, and endings the service decides reach both parties. The
 * socket a command came through (its {@code socket_id} metadata) gets the sender's shape of the answer. Never
 * replayed: a rebuild must not ring anyone.
 */
@Component
@DisallowReplay
@ProcessingGroup(CallNotifier.PROCESSING_GROUP)
public class CallNotifier {

    public static final String PROCESSING_GROUP = "socket-notifier";

    private final SocketClients clients;
    private final ParticipationView view;
    private final MissedSignals missed;

    public CallNotifier(SocketClients clients, ParticipationView view, MissedSignals missed) {
        this.clients = clients;
        this.view = view;
        this.missed = missed;
    }

    @EventHandler
    void on(CallStartedEvent event, @MetaDataValue(AuditMetaData.SOCKET_ID) String socketId) {
        if (!event.calleeBusy()) {
            // known to the relay before anyone hears of the call: the caller's offer may follow at once
            view.started(event.callId(), event.caller().id(), event.callee());
        }
        if (socketId != null) {
            clients.toSocket(socketId, "callStarted", payload("call_id", event.callId(), "status", "ringing",
                    "target_user_id", event.callee(), "timestamp", event.createdAt()));
        }
        if (!event.calleeBusy()) {
            clients.toUser(event.callee(), "incomingCall", payload("call_id", event.callId(),
                    "caller_id", event.caller().id(), "caller_info", info(event.caller()),
                    "with_video", event.withVideo(), "with_audio", event.withAudio(),
                    "timestamp", event.createdAt()));
        }
    }

    @EventHandler
    void on(CallAcceptedEvent event, @MetaDataValue(AuditMetaData.SOCKET_ID) String socketId) {
        view.accepted(event.callId(), socketId);
        UserId callee = event.callee().id();
        Map<String, Object> elsewhere = payload("call_id", event.callId(), "timestamp", event.acceptedAt());
        if (socketId != null && clients.toSocket(socketId, "callAccepted", payload("call_id", event.callId(),
                "status", "connected", "timestamp", event.acceptedAt()))) {
            clients.toUserExcept(callee, socketId, "callAnsweredElsewhere", elsewhere);
        } else {
            clients.toUser(callee, "callAnsweredElsewhere", elsewhere);
        }
        clients.toUser(event.caller(), "callAccepted", payload("call_id", event.callId(), "callee_id", callee,
                "callee_info", info(event.callee()), "with_video", event.withVideo(),
                "with_audio", event.withAudio(), "timestamp", event.acceptedAt()));
    }

    @EventHandler
    void on(CallDeclinedEvent event) {
        view.ended(event.callId());
        clients.toUser(event.callee(), "callDeclined", payload("call_id", event.callId(), "status", "declined",
                "timestamp", event.declinedAt()));
        clients.toUser(event.caller(), "callDeclined", payload("call_id", event.callId(),
                "callee_id", event.callee(), "reason", "user_declined", "timestamp", event.declinedAt()));
    }

    @EventHandler
    void on(CallEndedEvent event) {
        view.ended(event.callId());
        missed.forget(event.caller());
        missed.forget(event.callee());
        if (event.endedBy() == null) {
            Map<String, Object> ended = payload("call_id", event.callId(), "reason", event.reason().wireName(),
                    "duration", event.durationSeconds(), "timestamp", event.endedAt());
            clients.toUser(event.caller(), "callEnded", ended);
            clients.toUser(event.callee(), "callEnded", ended);
            return;
        }
        UserId other = event.endedBy().equals(event.caller()) ? event.callee() : event.caller();
        clients.toUser(event.endedBy(), "callEnded", payload("call_id", event.callId(), "status", "ended",
                "duration", event.durationSeconds(), "timestamp", event.endedAt()));
        clients.toUser(other, "callEnded", payload("call_id", event.callId(), "ended_by", event.endedBy(),
                "reason", event.reason().wireName(), "duration", event.durationSeconds(),
                "timestamp", event.endedAt()));
    }

    @EventHandler
    void on(MediaToggledEvent event) {
        clients.toUser(event.userId(), "mediaToggled", payload("call_id", event.callId(),
                "media_type", event.mediaType().wireName(), "state", event.state().wireName(),
                "timestamp", event.toggledAt()));
        clients.toUser(event.peer(), "mediaToggled", payload("call_id", event.callId(), "user_id", event.userId(),
                "media_type", event.mediaType().wireName(), "state", event.state().wireName(),
                "timestamp", event.toggledAt()));
    }

    @EventHandler
    void on(ParticipantDisconnectedEvent event) {
        clients.toUser(event.peer(), "peerDisconnected", payload("call_id", event.callId(),
                "user_id", event.participant(), "grace_ends_at", event.graceEndsAt(),
                "timestamp", event.disconnectedAt()));
    }

    @EventHandler
    void on(ParticipantReconnectedEvent event, @MetaDataValue(AuditMetaData.SOCKET_ID) String socketId) {
        view.reconnected(event.callId(), event.participant(), socketId);
        clients.toUser(event.peer(), "peerReconnected", payload("call_id", event.callId(),
                "user_id", event.participant(), "timestamp", event.reconnectedAt()));
    }

    private static UserInfoView info(UserProfile profile) {
        return new UserInfoView(profile.id().toString(), profile.username(), profile.displayName(),
                profile.avatarIpfsHash());
    }

    /** A wire payload from name/value pairs: ids and times as strings, absent (null) values left out. */
    private static Map<String, Object> payload(Object... entries) {
        Map<String, Object> payload = new LinkedHashMap<>();
        for (int i = 0; i < entries.length; i += 2) {
            Object value = entries[i + 1];
            if (value == null) {
                continue;
            }
            boolean plain = value instanceof Boolean || value instanceof Number || value instanceof UserInfoView;
            payload.put((String) entries[i], plain ? value : value.toString());
        }
        return payload;
    }
}
