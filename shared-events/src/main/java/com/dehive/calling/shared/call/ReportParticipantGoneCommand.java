package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The participant's last socket dropped during the call; they have the reconnect grace period to come back. */
public record ReportParticipantGoneCommand(@TargetAggregateIdentifier CallId callId, UserId participant) {
}
