package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The participant is connected again (a socket authenticated); nothing happens unless they were gone. */
public record ReportParticipantBackCommand(@TargetAggregateIdentifier CallId callId, UserId participant) {
}
