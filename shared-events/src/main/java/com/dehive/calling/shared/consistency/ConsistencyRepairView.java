package com.dehive.calling.shared.consistency;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/** How a repair is going: {@code idle}, {@code checking}, {@code repairing}, {@code done} or {@code failed}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ConsistencyRepairView(String status, long divergencesFound, long repaired, long leftAlone,
                                    Instant startedAt, Instant finishedAt, String error) {
}
