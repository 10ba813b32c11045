package com.dehive.calling.shared.query;

import com.dehive.calling.shared.CallId;

/** One call, answered with an optional {@link CallView}; whoever asks checks participation. */
public record FindCallQuery(CallId callId) {
}
