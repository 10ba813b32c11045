package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The participant's peer connection is up: how long it took from the answer, and the candidate pair it uses.
 * Only the first report of each participant counts.
 */
public record ReportMediaConnectedCommand(@TargetAggregateIdentifier CallId callId, UserId participant,
                                          long timeToConnectMs, CandidateType localCandidateType,
                                          CandidateType remoteCandidateType, TransportProtocol protocol)
        implements CallReport {
}
