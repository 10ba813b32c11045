package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The callee refused the ringing call ({@code user_declined}). */
@Revision("1")
public record CallDeclinedEvent(CallId callId, UserId caller, UserId callee, boolean withVideo, Instant declinedAt)
        implements CallEvent {
}
