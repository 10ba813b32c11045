package com.dehive.calling.shared.query;

/**
 * Every call that holds a user's line (ringing or connected, as the command side decides it), answered with a list
 * of {@link LiveCallView}. A line whose call just ended may still show; acting on it changes nothing.
 */
public record FindLiveCallsQuery() {
}
