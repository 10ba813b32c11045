package com.dehive.calling.shared.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One event exactly as stored. {@code position} is where it stands in store order; an export resumes after it.
 * {@code payload} and {@code metadata} are the stored JSON, untouched (no upcasting), so that hashes can be checked.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StoredEventView(String position, String eventId, String callId, long sequence, String type,
                              String payloadType, String revision, String timestamp, JsonNode payload,
                              JsonNode metadata) {
}
