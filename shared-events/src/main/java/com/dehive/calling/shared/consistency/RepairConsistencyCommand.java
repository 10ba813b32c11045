package com.dehive.calling.shared.consistency;

/**
 * Checks, then puts right every divergence found (idempotently: a second repair finds nothing to do); answered at
 * once with the {@link ConsistencyRepairView} of the repair, which goes on in the background.
 */
public record RepairConsistencyCommand() {
}
