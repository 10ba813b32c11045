package com.dehive.calling.shared.call;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The ICE connection state a participant's media was left in when it gave up: WebRTC's
 * {@code RTCIceConnectionState} less {@code connected} and {@code completed}, which are not failures.
 */
public enum IceState {
    NEW, CHECKING, DISCONNECTED, FAILED, CLOSED;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static IceState fromWire(String value) {
        return WireNames.parse(IceState.class, value, "ice_state");
    }
}
