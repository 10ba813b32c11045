package com.dehive.calling.shared.audit;

import com.dehive.calling.shared.CallId;

/** A call's whole history from the event store, in order; answered with a list of {@link StoredEventView} (empty: no such call). */
public record FindCallEventsQuery(CallId callId) {
}
