package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A participant vanished mid-call; the call ends with {@code connection_error} unless they are back by {@code graceEndsAt}. */
@Revision("1")
public record ParticipantDisconnectedEvent(CallId callId, UserId participant, UserId peer, Instant disconnectedAt,
                                           Instant graceEndsAt) implements CallEvent {
}
