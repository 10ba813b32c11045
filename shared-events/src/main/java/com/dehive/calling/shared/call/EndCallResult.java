package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/** {@code durationSeconds} is absent for a call that never connected. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndCallResult(CallId callId, CallStatus status, EndReason endReason, Long durationSeconds,
                            Instant endedAt) {
}
