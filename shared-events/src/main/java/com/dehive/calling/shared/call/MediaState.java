package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** enabled/disabled drive the read model's {@code *_enabled} flags, muted/unmuted its {@code *_muted} flags. */
public enum MediaState {
    ENABLED, DISABLED, MUTED, UNMUTED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static MediaState fromWire(String value) {
        for (MediaState state : values()) {
            if (state.wireName().equals(value)) {
                return state;
            }
        }
        throw new CallingException(ErrorCode.VALIDATION_FAILED,
                "state must be one of enabled, disabled, muted, unmuted");
    }
}
