package com.dehive.calling.shared.consistency;

/** Compares every projection with the event store; answered with a {@link ConsistencyReport}. */
public record CheckConsistencyQuery() {
}
