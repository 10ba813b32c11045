package com.dehive.calling.shared.query;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.LocalDate;

/**
 * One UTC day of calls, counted by the day they started. {@code answerRate} is answered / (started - busy): a busy
 * callee never heard the call ring. Talk time counts connected calls that ended; null when there were none.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DailyCallStatsView(LocalDate date, long started, long answered, long declined, long missed, long busy,
                                 long cancelled, long disconnected, Double answerRate, Double meanTalkSeconds,
                                 Long p95TalkSeconds, Double meanSecondsToAnswer) {
}
