package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The call is over. {@code endedBy} is the participant who hung up, or null when the service ended it
 * (busy callee, ring timeout, vanished party). {@code durationSeconds} counts whole seconds from acceptance and is
 * null for a call that never connected.
 */
@Revision("1")
public record CallEndedEvent(CallId callId, UserId caller, UserId callee, UserId endedBy, EndReason reason,
                             Long durationSeconds, boolean withVideo, Instant endedAt) implements CallEvent {
}
