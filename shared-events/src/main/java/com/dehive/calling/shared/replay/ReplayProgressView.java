package com.dehive.calling.shared.replay;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/**
 * {@code status}: {@code idle} (never rebuilt since start), {@code running} or {@code done}. {@code eventsProcessed}
 * counts the events the projection handled during the rebuild; {@code eventsInStore} how many the store held when it
 * began.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReplayProgressView(String projection, String status, long eventsProcessed, long eventsInStore,
                                 double eventsPerSecond, boolean done, Instant startedAt, Instant finishedAt) {
}
