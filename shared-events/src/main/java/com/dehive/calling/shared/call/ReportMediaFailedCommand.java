package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The participant's media failed for good; {@code reason} is null when the client cannot tell. Counts once. */
public record ReportMediaFailedCommand(@TargetAggregateIdentifier CallId callId, UserId participant,
                                       IceState iceState, MediaFailureReason reason) implements CallReport {
}
