package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A participant's media failed for good, in this ICE state; {@code reason} is null when their client could not tell. */
@Revision("1")
public record ParticipantMediaFailedEvent(CallId callId, UserId participant, IceState iceState,
                                          MediaFailureReason reason, Instant failedAt) implements CallEvent {
}
