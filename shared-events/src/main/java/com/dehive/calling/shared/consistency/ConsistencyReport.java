package com.dehive.calling.shared.consistency;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.List;

/**
 * What a consistency check found: every event up to {@code position} was replayed into scratch read models and
 * compared with the live ones. Calls with events after that position were still changing and are left for the next
 * check. {@code divergences} lists the first {@link #MAX_LISTED}; {@code divergenceCount} counts them all.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ConsistencyReport(Instant checkedAt, long position, long eventsChecked, long callsChecked,
                                long callsSkipped, boolean consistent, long divergenceCount,
                                List<Divergence> divergences) {

    public static final int MAX_LISTED = 1000;

    /**
     * One thing a projection holds differently from what its events say: {@code kind} is {@code missing} (the
     * events say it should be there), {@code different} (it is there, but not as the events say) or {@code extra}
     * (no event says it should be there).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Divergence(String projection, String callId, String kind, String detail) {
    }
}
