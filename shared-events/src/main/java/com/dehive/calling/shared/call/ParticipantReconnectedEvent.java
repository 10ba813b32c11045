package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A participant who vanished came back within the grace period; the call goes on (clients restart ICE). */
@Revision("1")
public record ParticipantReconnectedEvent(CallId callId, UserId participant, UserId peer, Instant reconnectedAt)
        implements CallEvent {
}
