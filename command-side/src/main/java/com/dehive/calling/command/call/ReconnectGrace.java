package com.dehive.calling.command.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;

import java.time.Instant;

/**
 * The payload of a reconnect-grace deadline: whose absence, since when. A deadline for an absence that already
 * ended (the participant came back, maybe left again) changes nothing, so it needs no cancelling.
 */
public record ReconnectGrace(CallId callId, UserId participant, Instant awaySince) {
}
