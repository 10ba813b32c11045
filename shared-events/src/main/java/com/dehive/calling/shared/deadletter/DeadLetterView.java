package com.dehive.calling.shared.deadletter;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/**
 * An event a processor could not handle, kept with its place in its call's sequence (later events of the same call
 * wait behind it): what failed, why, since when, and how often it was tried again.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeadLetterView(String processor, String callId, long indexInSequence, String eventId, String eventType,
                             Long position, String cause, Instant enqueuedAt, Instant lastTriedAt, long retries) {
}
