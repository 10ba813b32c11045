package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AcceptCallResult(CallId callId, CallStatus status, boolean withVideo, boolean withAudio,
                               Instant startedAt) {
}
