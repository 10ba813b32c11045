package com.dehive.calling.shared.query;

import com.dehive.calling.shared.UserId;

/** A page of the user's calls, newest first, answered with a {@link CallHistoryPage}. */
public record FindCallHistoryQuery(UserId user, int limit, int offset) {
}
