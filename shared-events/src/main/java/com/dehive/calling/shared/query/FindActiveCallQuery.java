package com.dehive.calling.shared.query;

import com.dehive.calling.shared.UserId;

/** The user's ringing or connected call, answered with an optional {@link CallView}. */
public record FindActiveCallQuery(UserId user) {
}
