package com.dehive.calling.shared.deadletter;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** What a retry of a processor's dead letters did: how many calls' letters went through, and what is left. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeadLetterRetryView(String processor, int sequencesHandled, long lettersLeft) {
}
