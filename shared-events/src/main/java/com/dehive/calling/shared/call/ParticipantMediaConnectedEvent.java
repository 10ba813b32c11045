package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A participant's media connected, {@code timeToConnectMs} after their side of the call was answered, over this
 * candidate pair (a {@code relay} on either end means through TURN). Candidate kinds only, never addresses.
 */
@Revision("1")
public record ParticipantMediaConnectedEvent(CallId callId, UserId participant, long timeToConnectMs,
                                             CandidateType localCandidateType, CandidateType remoteCandidateType,
                                             TransportProtocol protocol, Instant connectedAt) implements CallEvent {

    public boolean relayed() {
        return localCandidateType == CandidateType.RELAY || remoteCandidateType == CandidateType.RELAY;
    }
}
