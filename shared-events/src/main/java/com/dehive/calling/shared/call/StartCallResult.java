package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/** {@code ringing}, or {@code ended} with {@code user_busy} when the callee was already in a call. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StartCallResult(CallId callId, CallStatus status, UserId targetUserId, boolean withVideo,
                              boolean withAudio, Instant createdAt, EndReason endReason, Instant endedAt) {
}
