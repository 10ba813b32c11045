package com.dehive.calling.shared.replay;

/** Rebuilds the named projection from the event store; answered with its {@link ReplayProgressView}. */
public record ReplayProjectionCommand(String projection) {
}
