package com.dehive.calling.shared.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The outcome of recomputing a call's hash chain: intact, or the first broken link and what is wrong with it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChainVerificationView(String callId, boolean valid, int eventsChecked, Long firstBrokenSequence,
                                    String firstBrokenEventId, String problem) {
}
