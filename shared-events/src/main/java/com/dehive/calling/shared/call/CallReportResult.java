package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** What a media report answers: {@code recorded} is false for a repeat, or a sample sooner than a minute, ignored. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CallReportResult(CallId callId, boolean recorded) {
}
