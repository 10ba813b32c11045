package com.dehive.calling.shared.call;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The kind of an ICE candidate of the pair a participant's media flows over, as WebRTC's {@code candidateType}
 * names it: {@code relay} means through TURN.
 */
public enum CandidateType {
    HOST, SRFLX, PRFLX, RELAY;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static CandidateType fromWire(String value) {
        return WireNames.parse(CandidateType.class, value, "a candidate type");
    }
}
