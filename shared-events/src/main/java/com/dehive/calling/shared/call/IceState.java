package com.dehive.calling.shared.call;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The ICE connection state a participant's media was in when it failed, as WebRTC's {@code RTCIceConnectionState}
 * names it: {@code connected} too, for a DTLS handshake that failed over a working ICE pair.
 */
public enum IceState {
    NEW, CHECKING, CONNECTED, COMPLETED, DISCONNECTED, FAILED, CLOSED;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static IceState fromWire(String value) {
        return WireNames.parse(IceState.class, value, "ice_state");
    }
}
