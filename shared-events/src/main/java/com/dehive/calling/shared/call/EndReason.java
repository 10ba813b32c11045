package com.dehive.calling.shared.call;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Why a call ended, as PROTOCOL.md names it on the wire. */
public enum EndReason {
    /** A connected call was hung up. */
    USER_HANGUP,
    /** The caller hung up while it was ringing. */
    CANCELLED,
    USER_DECLINED,
    /** The callee was already in another call. */
    USER_BUSY,
    /** Nobody answered within the ring timeout. */
    TIMEOUT,
    /** A party vanished and did not come back within the reconnect grace period. */
    CONNECTION_ERROR;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
