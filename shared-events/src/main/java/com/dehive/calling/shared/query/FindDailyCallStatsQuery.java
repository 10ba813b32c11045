package com.dehive.calling.shared.query;

import java.time.LocalDate;

/** Call statistics per UTC day from {@code from} to {@code to}, both included; answered with a list of {@link DailyCallStatsView}. */
public record FindDailyCallStatsQuery(LocalDate from, LocalDate to) {
}
