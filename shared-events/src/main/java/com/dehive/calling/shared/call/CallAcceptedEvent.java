package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.UserProfile;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The callee answered; the call is connected from {@code acceptedAt}, which its duration counts from. */
@Revision("1")
public record CallAcceptedEvent(CallId callId, UserId caller, UserProfile callee,
                                boolean withVideo, boolean withAudio, Instant acceptedAt) implements CallEvent {
}
