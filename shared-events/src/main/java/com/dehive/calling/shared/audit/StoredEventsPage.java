package com.dehive.calling.shared.audit;

import java.util.List;

/** {@code nextPosition} is the position to resume after: the last event's, or the one asked for when there was none. */
public record StoredEventsPage(List<StoredEventView> events, String nextPosition) {
}
