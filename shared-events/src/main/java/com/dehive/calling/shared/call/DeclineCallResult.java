package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeclineCallResult(CallId callId, CallStatus status, EndReason endReason, Instant endedAt) {
}
