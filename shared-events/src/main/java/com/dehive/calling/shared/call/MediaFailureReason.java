package com.dehive.calling.shared.call;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a participant's media failed, as far as its client can tell. A closed list, so that analytics can count it. */
public enum MediaFailureReason {
    /** ICE tried every candidate pair and none worked. */
    ICE_FAILED,
    /** Media flowed, then the connection was lost and did not come back. */
    ICE_DISCONNECTED,
    /** ICE connected but the DTLS handshake failed. */
    DTLS_FAILED,
    /** The client gave up waiting for the connection. */
    CONNECT_TIMEOUT,
    OTHER;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static MediaFailureReason fromWire(String value) {
        return WireNames.parse(MediaFailureReason.class, value, "reason");
    }
}
