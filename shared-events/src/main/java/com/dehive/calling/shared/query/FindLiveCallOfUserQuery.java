package com.dehive.calling.shared.query;

import com.dehive.calling.shared.UserId;

/**
 * The call that holds the user's line, as the command side decides it (at once, never behind), answered with an
 * optional {@link LiveCallView}. A call that just ended may still hold it for a moment; its events say so.
 */
public record FindLiveCallOfUserQuery(UserId user) {
}
