package com.dehive.calling.shared.consistency;

/** How the latest repair is going; answered with a {@link ConsistencyRepairView}. */
public record FindConsistencyRepairQuery() {
}
