package com.dehive.calling.shared.call;

import com.dehive.calling.shared.UserId;

/**
 * A participant's report of what happened to the call's media, answered with a {@link CallReportResult}. Recorded
 * in the call's events, but nothing a client reads back from the call's views, so nobody waits for those to show it.
 */
public sealed interface CallReport extends CallCommand
        permits ReportMediaConnectedCommand, ReportMediaFailedCommand, ReportCallQualityCommand {

    UserId participant();
}
