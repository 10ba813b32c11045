package com.dehive.calling.shared.query;

import java.util.List;

/** {@code total} counts all of the user's calls, not just this page. */
public record CallHistoryPage(List<CallView> calls, long total, int limit, int offset) {
}
