package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.UserProfile;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The caller rang the callee. When {@code calleeBusy}, the callee was in another call: the call does not ring and
 * is followed at once by a {@link CallEndedEvent} with {@code user_busy}.
 */
@Revision("1")
public record CallStartedEvent(CallId callId, UserProfile caller, UserId callee, boolean withVideo,
                               boolean withAudio, Instant createdAt, boolean calleeBusy) implements CallEvent {
}
