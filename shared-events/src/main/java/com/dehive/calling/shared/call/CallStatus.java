package com.dehive.calling.shared.call;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

public enum CallStatus {
    RINGING, CONNECTED, ENDED, DECLINED;

    public boolean isLive() {
        return this == RINGING || this == CONNECTED;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
