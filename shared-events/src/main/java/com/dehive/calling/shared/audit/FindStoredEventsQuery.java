package com.dehive.calling.shared.audit;

/**
 * Every event in store order after {@code after} (null: from the start), at most {@code limit}; answered with a
 * {@link StoredEventsPage}.
 */
public record FindStoredEventsQuery(String after, int limit) {
}
