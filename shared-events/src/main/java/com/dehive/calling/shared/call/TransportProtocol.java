package com.dehive.calling.shared.call;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a participant's media travels over to the first hop: for a relay candidate, the protocol to the TURN server. */
public enum TransportProtocol {
    UDP, TCP, TLS;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static TransportProtocol fromWire(String value) {
        return WireNames.parse(TransportProtocol.class, value, "protocol");
    }
}
