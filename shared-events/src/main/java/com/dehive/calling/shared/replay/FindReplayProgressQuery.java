package com.dehive.calling.shared.replay;

/** How the named projection's latest rebuild is going; answered with a {@link ReplayProgressView}. */
public record FindReplayProgressQuery(String projection) {
}
